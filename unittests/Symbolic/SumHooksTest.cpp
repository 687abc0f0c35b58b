//===- SumHooksTest.cpp - foldConstants, canonicalizeSum, recombineDivMod -===//

#include "HookTestSupport.h"

#include <string>

using namespace tg;

namespace {

class SumHooksTest : public HookTest {
protected:
  RuleSet Rules = makeHookSet({{"fold-constants", hooks::foldConstants},
                               {"canonicalize-sum", hooks::canonicalizeSum},
                               {"recombine-divmod", hooks::recombineDivMod},
                               {"fold-divmod", hooks::foldDivMod}});
  const UOp *X = var("x", 0, 20);
  const UOp *Y = var("y", -5, 5);

  const UOp *check(const UOp *Before) {
    const UOp *After = rewrite(Before, Rules);
    expectEquivalent(Before, After);
    return After;
  }
};

TEST_F(SumHooksTest, FoldsConstants) {
  EXPECT_EQ(check(mul(add(c(2), c(3)), c(4))), c(20));
  DType I8 = Ctx.getScalar(ScalarKind::I8);
  const UOp *Wrapped = rewrite(
      Ctx.get(Op::Add, I8, {Ctx.getConst(I8, 100), Ctx.getConst(I8, 100)}),
      Rules);
  EXPECT_EQ(Wrapped, Ctx.getConst(I8, -56));
  // Division by zero has no value: left alone.
  const UOp *ByZero = div(c(1), c(0));
  EXPECT_EQ(rewrite(ByZero, Rules), ByZero);
}

TEST_F(SumHooksTest, CombinesLikeTerms) {
  EXPECT_EQ(check(add(mul(X, c(2)), mul(X, c(3)))), mul(X, c(5)));
  EXPECT_EQ(check(add(X, mul(X, c(-1)))), c(0));
  EXPECT_EQ(check(add(add(X, c(3)), sub(c(-1), X))), c(2));
  EXPECT_EQ(check(add(add(c(1), X), c(2))), add(X, c(3)));
}

// normalizeSum scans a few terms for their like terms and maps the rest:
// both ways combine the same terms, whatever the sum's length.
TEST_F(SumHooksTest, CombinesLikeTermsOfLongSums) {
  for (int N : {3, 15, 16, 17, 40}) {
    std::vector<const UOp *> Vars;
    for (int I = 0; I < N; ++I)
      Vars.push_back(var("v" + std::to_string(I), 0, 3));
    const UOp *Sum = Vars[0];
    for (int I = 1; I < N; ++I)
      Sum = add(Sum, Vars[I]);
    // Each variable again, subtracted: every term cancels.
    for (int I = N; I-- != 0;)
      Sum = add(Sum, mul(Vars[I], c(-1)));
    // (Too many variables to check by evaluation: the results are exact.)
    EXPECT_EQ(rewrite(Sum, Rules), c(0)) << N << " terms";
  }
}

TEST_F(SumHooksTest, OrdersTermsStructurally) {
  const UOp *A = check(add(add(Y, c(4)), X));
  const UOp *B = check(add(X, add(c(4), Y)));
  EXPECT_EQ(A, B);
  EXPECT_EQ(A, add(add(X, Y), c(4)));
}

/// Linear in the work it does, not in seconds (tests assert no timings):
/// the UOps the rewrite creates grow in proportion to the sum's length. A
/// rule set that re-walked the whole chain at each node would create a
/// quadratic number of partial sums. (The sums are built in the fixture's
/// Context, the one its rule set was made for; each size has variables of
/// its own, so that no run reuses another's UOps.)
TEST_F(SumHooksTest, LeftDeepSumIsLinear) {
  auto Created = [&](int N) {
    std::vector<const UOp *> Vars;
    for (int I = 0; I < 16; ++I)
      Vars.push_back(
          var("v" + std::to_string(N) + "_" + std::to_string(I), 0, 9));
    const UOp *Sum = Vars[0];
    for (int I = 1; I < N; ++I)
      Sum = add(Sum, Vars[I % 16]);
    size_t Before = Ctx.getNumUOps();
    const UOp *After = rewrite(Sum, Rules);
    // Like terms combined: 16 products and the sum of them.
    EXPECT_NE(After, Sum);
    return double(Ctx.getNumUOps() - Before);
  };
  double Small = Created(1000), Large = Created(8000);
  EXPECT_GT(Small, 0);
  EXPECT_LT(Large, 8 * 1.5 * Small) << "not linear: " << Small << " UOps for "
                                    << "1000 terms, " << Large << " for 8000";
}

TEST_F(SumHooksTest, RecombinesDivMod) {
  const UOp *W = var("w", 0, 200);
  EXPECT_EQ(check(add(mul(div(W, c(8)), c(8)), mod(W, c(8)))), W);
  // Spread over a bigger sum, scaled.
  const UOp *Spread =
      add(add(mul(mod(W, c(4)), c(3)), X), add(mul(div(W, c(4)), c(12)), c(7)));
  EXPECT_EQ(check(Spread), check(add(add(mul(W, c(3)), X), c(7))));
  // ((w//4)%8)*4 + w%4 -> w%32
  EXPECT_EQ(check(add(mul(mod(div(W, c(4)), c(8)), c(4)), mod(W, c(4)))),
            mod(W, c(32)));
  // Three levels: w//32*32 + (w//4)%8*4 + w%4 -> w
  EXPECT_EQ(check(add(add(mul(div(W, c(32)), c(32)),
                          mul(mod(div(W, c(4)), c(8)), c(4))),
                      mod(W, c(4)))),
            W);
}

} // namespace
namespace {
/// A sum whose partial sums all end in a term sorting after the one before
/// (x + y + x + y: y > x each time) is not canonical: every like term
/// combines, whatever the counts.
TEST_F(SumHooksTest, CombinesLikeTermsWhenEveryPrefixEndsSorted) {
  for (int NV : {2, 3, 16, 17})
    for (int N : {NV + 1, 2 * NV, 100}) {
      std::vector<const UOp *> Vars;
      for (int I = 0; I < NV; ++I)
        Vars.push_back(var("w" + std::to_string(NV) + "_" + std::to_string(N) +
                               "_" + std::to_string(I),
                           0, 9));
      const UOp *Sum = Vars[0];
      for (int I = 1; I < N; ++I)
        Sum = add(Sum, Vars[I % NV]);
      const UOp *After = rewrite(Sum, Rules);
      EXPECT_NE(After, Sum) << NV << " variables, " << N << " terms";
      // One term per variable: NV - 1 adds down the left spine.
      unsigned Adds = 0;
      for (const UOp *P = After; P->getOp() == Op::Add; P = P->getSrc(0))
        ++Adds;
      EXPECT_EQ(Adds, unsigned(NV - 1))
          << NV << " variables, " << N << " terms";
    }
}
} // namespace
