//===- DivModHooksTest.cpp - foldDivMod -----------------------------------===//

#include "HookTestSupport.h"

using namespace tg;

namespace {

class DivModHooksTest : public HookTest {
protected:
  RuleSet Rules = makeHookSet({{"fold-constants", hooks::foldConstants},
                               {"canonicalize-sum", hooks::canonicalizeSum},
                               {"fold-divmod", hooks::foldDivMod}});
  const UOp *X = var("x", 0, 30);
  const UOp *Y = var("y", 0, 7);
  const UOp *N = var("n", -9, 9);

  const UOp *check(const UOp *Before) {
    const UOp *After = rewrite(Before, Rules);
    expectEquivalent(Before, After);
    return After;
  }
};

TEST_F(DivModHooksTest, FoldsByRange) {
  EXPECT_EQ(check(div(Y, c(8))), c(0));
  EXPECT_EQ(check(mod(Y, c(8))), Y);
  EXPECT_EQ(check(mod(add(Y, c(8)), c(8))), Y);
  EXPECT_EQ(check(div(add(Y, c(16)), c(8))), c(2));
  EXPECT_EQ(check(div(X, c(1))), X);
  EXPECT_EQ(check(mod(X, c(1))), c(0));
}

TEST_F(DivModHooksTest, SplitsSums) {
  // (x*8 + y)//8 -> x and (x*8 + y)%8 -> y for y in [0, 7].
  EXPECT_EQ(check(div(add(mul(X, c(8)), Y), c(8))), X);
  EXPECT_EQ(check(mod(add(mul(X, c(8)), Y), c(8))), Y);
  // Multiples leave the division even when the rest does not fold.
  EXPECT_EQ(check(div(add(mul(X, c(8)), N), c(8))), add(X, div(N, c(8))));
  EXPECT_EQ(check(mod(add(mul(X, c(8)), N), c(8))), mod(N, c(8)));
  // Negative numbers keep floor semantics.
  check(div(add(mul(N, c(-3)), c(5)), c(4)));
  check(mod(add(mul(N, c(5)), X), c(3)));
}

TEST_F(DivModHooksTest, CancelsGcd) {
  EXPECT_EQ(check(div(add(mul(X, c(4)), mul(N, c(8))), c(12))),
            div(add(mul(N, c(2)), X), c(3)));
  EXPECT_EQ(check(mod(add(mul(X, c(4)), mul(N, c(8))), c(12))),
            mul(mod(add(mul(N, c(2)), X), c(3)), c(4)));
}

TEST_F(DivModHooksTest, FoldsNested) {
  EXPECT_EQ(check(div(div(X, c(2)), c(3))), div(X, c(6)));
  EXPECT_EQ(check(mod(mod(N, c(6)), c(3))), mod(N, c(3)));
  // 6 is not a multiple of 4: left alone.
  const UOp *Kept = mod(mod(X, c(6)), c(4));
  EXPECT_EQ(check(Kept), Kept);
}

TEST_F(DivModHooksTest, SoundOnManyShapes) {
  for (int64_t C = 1; C <= 9; ++C)
    for (int64_t A = -4; A <= 4; ++A)
      for (int64_t K = -3; K <= 3; ++K) {
        const UOp *Sum = add(add(mul(N, c(A)), mul(Y, c(C))), c(K));
        check(div(Sum, c(C)));
        check(mod(Sum, c(C)));
        check(div(add(Sum, mul(X, c(C * 2))), c(C * 2)));
      }
}

} // namespace
