//===- CompareHooksTest.cpp - foldComparison, simplifyWhere ---------------===//

#include "HookTestSupport.h"

#include "tg/Symbolic/Passes.h"

using namespace tg;

namespace {

class CompareHooksTest : public HookTest {
protected:
  RuleSet Rules = makeHookSet({{"fold-constants", hooks::foldConstants},
                               {"canonicalize-sum", hooks::canonicalizeSum},
                               {"fold-divmod", hooks::foldDivMod},
                               {"fold-comparison", hooks::foldComparison},
                               {"simplify-where", hooks::simplifyWhere}});
  const UOp *Idx = var("idx", 0, 200);
  const UOp *F = var("f", 0, 3);
  const UOp *N = var("n", -9, 9);

  const UOp *check(const UOp *Before) {
    const UOp *After = rewrite(Before, Rules);
    expectEquivalent(Before, After);
    return After;
  }
  const UOp *True() { return Ctx.getConst(Bool, 1); }
  const UOp *False() { return Ctx.getConst(Bool, 0); }
};

TEST_F(CompareHooksTest, DecidesByRange) {
  EXPECT_EQ(check(lt(F, c(4))), True());
  EXPECT_EQ(check(lt(F, c(0))), False());
  EXPECT_EQ(check(ne(F, c(7))), True());
  EXPECT_EQ(check(eq(F, c(-1))), False());
  EXPECT_EQ(check(lt(c(5), F)), False());
}

TEST_F(CompareHooksTest, DividesByFactor) {
  // idx*4 + f < 512 -> idx < 128 for f in [0, 3].
  EXPECT_EQ(check(lt(add(mul(Idx, c(4)), F), c(512))), lt(Idx, c(128)));
  // a*k < c -> a < ceil(c/k).
  EXPECT_EQ(check(lt(mul(N, c(3)), c(7))), lt(N, c(3)));
  EXPECT_EQ(check(lt(mul(N, c(3)), c(-7))), lt(N, c(-2)));
  // Constants move to the right.
  EXPECT_EQ(check(lt(add(N, c(3)), c(5))), lt(N, c(2)));
  // c < a*k -> floor(c/k) < a.
  EXPECT_EQ(check(lt(c(7), mul(N, c(3)))), lt(c(2), N));
  // The rest does not fit in one step: only put in canonical order.
  EXPECT_EQ(check(lt(add(mul(Idx, c(2)), F), c(100))),
            lt(add(F, mul(Idx, c(2))), c(100)));
}

TEST_F(CompareHooksTest, FoldsEquality) {
  EXPECT_EQ(check(eq(mul(N, c(4)), c(6))), False());
  EXPECT_EQ(check(ne(mul(N, c(4)), c(6))), True());
  EXPECT_EQ(check(eq(add(mul(N, c(4)), c(2)), c(6))), eq(N, c(1)));
}

TEST_F(CompareHooksTest, SoundOnManyShapes) {
  for (int64_t K = 1; K <= 6; ++K)
    for (int64_t C = -20; C <= 20; C += 3) {
      check(lt(add(mul(N, c(K)), F), c(C)));
      check(lt(c(C), add(mul(N, c(K)), c(1))));
      check(eq(mul(N, c(K)), c(C)));
      check(ne(add(mul(N, c(K)), F), c(C)));
    }
}

TEST_F(CompareHooksTest, WhereDecidedByRange) {
  EXPECT_EQ(check(where(lt(F, c(4)), N, Idx)), N);
  EXPECT_EQ(check(where(lt(F, c(0)), N, Idx)), Idx);
}

} // namespace

namespace {

TEST_F(CompareHooksTest, SimplifiesUnderTheGate) {
  // simplifyWhere rewrites each branch with the registered `symbolic` set.
  registerSymbolicRuleSets();
  // Where idx < 8, idx//8 is 0; elsewhere (idx in [8, 200]) idx%8 stays.
  EXPECT_EQ(check(where(lt(Idx, c(8)), div(Idx, c(8)), mod(Idx, c(8)))),
            where(lt(Idx, c(8)), c(0), mod(Idx, c(8))));
  // Elsewhere idx >= 8: (idx - 8)//8 stays, idx < 4 is false.
  EXPECT_EQ(
      check(where(lt(Idx, c(8)), c(1),
                  Ctx.get(Op::Where, Index, {lt(Idx, c(4)), c(2), c(3)}))),
      where(lt(Idx, c(8)), c(1), c(3)));
}

} // namespace
