//===- DivisibilityTest.cpp - constant factors ----------------------------===//

#include "tg/Analysis/Divisibility.h"

#include "AnalysisTestBase.h"

using namespace tg;
using namespace tg::test;

namespace {

class DivisibilityTest : public AnalysisTestBase {
protected:
  uint64_t factorOf(const UOp *U) {
    RangeAnalysis Ranges;
    return DivisibilityAnalysis(Ranges).getConstFactor(U);
  }
  const UOp *X = var("x", 0, 100);
  const UOp *Y = var("y", -50, 50);
};

TEST_F(DivisibilityTest, Leaves) {
  EXPECT_EQ(factorOf(c(12)), 12u);
  EXPECT_EQ(factorOf(c(-12)), 12u);
  EXPECT_EQ(factorOf(c(0)), 0u) << "every constant divides 0";
  EXPECT_EQ(factorOf(c(INT64_MIN)), uint64_t(1) << 63);
  EXPECT_EQ(factorOf(c(-1, U64)), UINT64_MAX);
  EXPECT_EQ(factorOf(X), 1u);
  EXPECT_EQ(factorOf(var("k", 6, 6)), 6u) << "a one-value range is a constant";
  EXPECT_EQ(factorOf(loop(c(8))), 1u);
  EXPECT_EQ(factorOf(lt(X, 3)), 1u);
  EXPECT_EQ(factorOf(Ctx.getFloatConst(F32, 8.0)), 1u);
  const Arg *Lanes = Ctx.getListArg(
      {Ctx.getIntArg(12), Ctx.getIntArg(-18), Ctx.getIntArg(30)});
  EXPECT_EQ(factorOf(Ctx.get(Op::VConst, Ctx.getVector(Index, 3), {}, Lanes)),
            6u);
}

TEST_F(DivisibilityTest, SumsTakeTheGcdAndProductsMultiply) {
  const UOp *Sum = op(Op::Add, op(Op::Mul, X, 4), op(Op::Mul, Y, 8));
  EXPECT_EQ(factorOf(Sum), 4u);
  EXPECT_EQ(factorOf(op(Op::Sub, op(Op::Mul, X, 6), op(Op::Mul, Y, 9))), 3u);
  EXPECT_EQ(factorOf(op(Op::Add, op(Op::Mul, X, 4), 1)), 1u);
  EXPECT_EQ(factorOf(op(Op::Add, op(Op::Mul, X, 4), 0)), 4u);
  EXPECT_EQ(factorOf(op(Op::Mul, op(Op::Mul, X, 4), op(Op::Mul, Y, 6))), 24u);
  EXPECT_EQ(factorOf(neg(op(Op::Mul, X, 5))), 5u);
  EXPECT_EQ(factorOf(op(Op::Max, op(Op::Mul, X, 4), op(Op::Mul, Y, 6))), 2u);
  EXPECT_EQ(factorOf(where(lt(X, 5), op(Op::Mul, X, 4), c(12))), 4u);
  EXPECT_EQ(factorOf(op(Op::Shl, op(Op::Mul, X, 3), 2)), 12u);
  EXPECT_EQ(factorOf(Ctx.get(Op::MulAcc, Index, {X, c(6), c(9)})), 3u);
}

TEST_F(DivisibilityTest, DivisionAndModulo) {
  const UOp *X8 = op(Op::Mul, X, 8);
  EXPECT_EQ(factorOf(op(Op::FloorDiv, X8, 2)), 4u);
  EXPECT_EQ(factorOf(op(Op::TruncDiv, X8, -4)), 2u);
  EXPECT_EQ(factorOf(op(Op::FloorDiv, X8, 3)), 1u);
  EXPECT_EQ(factorOf(op(Op::FloorDiv, X8, Y)), 1u);
  EXPECT_EQ(factorOf(op(Op::FloorMod, op(Op::Mul, X, 6), 4)), 2u);
  EXPECT_EQ(factorOf(op(Op::TruncMod, op(Op::Mul, Y, 6), 9)), 3u);
}

TEST_F(DivisibilityTest, WrappingKeepsOnlyThePowerOfTwo) {
  // i8: 3 * 50 == 150 wraps to -106, which 3 does not divide.
  const UOp *Small = var("s", 0, 50, I8);
  EXPECT_EQ(factorOf(op(Op::Mul, Small, c(12, I8))), 4u);
  EXPECT_EQ(factorOf(op(Op::Mul, var("t", 0, 10, I8), c(12, I8))), 12u)
      << "no wrap: the whole factor";
  EXPECT_EQ(factorOf(op(Op::Mul, var("u", 0, 100000, I32), c(96, I32))), 96u);
  EXPECT_EQ(factorOf(op(Op::Mul, var("v", 0, 1 << 30, I32), c(96, I32))), 32u);
  EXPECT_EQ(factorOf(op(Op::Mul, var("w", 0, 1 << 30, I64), c(1 << 30, I64))),
            uint64_t(1) << 30);
  EXPECT_EQ(factorOf(cast(op(Op::Mul, X, 24), U8)), 8u)
      << "x*24 up to 2400 wraps in u8";
}

TEST_F(DivisibilityTest, Divides) {
  RangeAnalysis Ranges;
  DivisibilityAnalysis Div(Ranges);
  const UOp *Sum = op(Op::Add, op(Op::Mul, X, 4), op(Op::Mul, Y, 8));
  EXPECT_TRUE(Div.divides(Sum, 4));
  EXPECT_TRUE(Div.divides(Sum, -2));
  EXPECT_TRUE(Div.divides(Sum, 1));
  EXPECT_FALSE(Div.divides(Sum, 8));
  EXPECT_FALSE(Div.divides(Sum, 3));
  EXPECT_TRUE(Div.divides(c(0), INT64_MIN));
}

TEST_F(DivisibilityTest, DeepChainsNeedNoRecursion) {
  const UOp *Chain = op(Op::Mul, X, 6);
  for (int I = 0; I != 100000; ++I)
    Chain = op(Op::Add, Chain, 12);
  EXPECT_EQ(factorOf(Chain), 6u);
}

} // namespace
