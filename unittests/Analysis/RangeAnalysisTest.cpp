//===- RangeAnalysisTest.cpp - ranges of UOps, per op ---------------------===//

#include "tg/Analysis/RangeAnalysis.h"

#include "AnalysisTestBase.h"

using namespace tg;
using namespace tg::test;

namespace {

Range r(Bound Min, Bound Max) { return Range::get(Min, Max); }

class RangeAnalysisTest : public AnalysisTestBase {
protected:
  Range rangeOf(const UOp *U) { return RangeAnalysis().getRange(U); }
  bool mayWrap(const UOp *U) { return RangeAnalysis().mayWrap(U); }
};

//--- Leaves -----------------------------------------------------------------//

TEST_F(RangeAnalysisTest, Leaves) {
  EXPECT_EQ(rangeOf(c(-7)), r(-7, -7));
  EXPECT_EQ(rangeOf(boolean(true)), r(1, 1));
  EXPECT_EQ(rangeOf(var("x", -3, 12)), r(-3, 12));
  EXPECT_EQ(rangeOf(loop(c(16))), r(0, 15));
  EXPECT_EQ(rangeOf(loop(var("n", 1, 100))), r(0, 99));
  const UOp *Special =
      Ctx.get(Op::Special, Index, {c(256)}, Ctx.getStringArg("lidx0"));
  EXPECT_EQ(rangeOf(Special), r(0, 255));
  EXPECT_EQ(rangeOf(c(-1, U64)), Range::point(Bound(UINT64_MAX)))
      << "u64 constants are stored with the int64's bits";
  EXPECT_EQ(rangeOf(Ctx.getFloatConst(F32, 2.0)), Range::all())
      << "floats are not tracked";
  const UOp *Buf = Ctx.get(Op::Define, Ctx.getPointer(I32, AddrSpace::Global),
                           {}, Ctx.getIntArg(0));
  const UOp *Load =
      Ctx.get(Op::Load, I32,
              {Ctx.get(Op::Index, Ctx.getPointer(I32, AddrSpace::Global),
                       {Buf, c(0)})});
  EXPECT_EQ(rangeOf(Load), Range::ofType(I32));
  EXPECT_EQ(rangeOf(Ctx.get(Op::Load, Index, {Load->getSrc(0)})), Range::all());
}

TEST_F(RangeAnalysisTest, LoopsThatNeverRunHaveEmptyRanges) {
  const UOp *Never = loop(c(0));
  EXPECT_TRUE(rangeOf(Never).isEmpty());
  EXPECT_TRUE(rangeOf(loop(var("n", -5, 0))).isEmpty());
  EXPECT_TRUE(rangeOf(op(Op::Add, Never, c(1))).isEmpty())
      << "what is computed from it is never evaluated either";
  EXPECT_TRUE(rangeOf(loop(op(Op::Add, Never, c(4)))).isEmpty());
  RangeAnalysis RA;
  EXPECT_TRUE(RA.isKnownNonNegative(Never) && RA.isKnownNegative(Never))
      << "every check of it holds vacuously";
  EXPECT_EQ(rangeOf(loop(var("n", -5, 3))), r(0, 2));
}

TEST_F(RangeAnalysisTest, VectorsCoverEveryLane) {
  const Arg *Lanes =
      Ctx.getListArg({Ctx.getIntArg(3), Ctx.getIntArg(-2), Ctx.getIntArg(9)});
  const UOp *VC = Ctx.get(Op::VConst, Ctx.getVector(Index, 3), {}, Lanes);
  EXPECT_EQ(rangeOf(VC), r(-2, 9));
  const UOp *Vec = Ctx.get(Op::Vectorize, Ctx.getVector(Index, 2),
                           {var("x", 0, 3), var("y", 10, 12)});
  EXPECT_EQ(rangeOf(Vec), r(0, 12));
  const UOp *Lane = Ctx.get(Op::GEP, Index, {Vec}, Ctx.getIntListArg({1}));
  EXPECT_EQ(rangeOf(Lane), r(0, 12)) << "conservative: any lane";
  EXPECT_EQ(rangeOf(Ctx.get(Op::Add, Vec->getDType(), {Vec, VC})), r(-2, 21));
}

//--- Arithmetic
//---------------------------------------------------------------//

TEST_F(RangeAnalysisTest, AddSubMulNegOnIndex) {
  const UOp *X = var("x", -3, 5), *Y = var("y", -2, 4);
  EXPECT_EQ(rangeOf(op(Op::Add, X, Y)), r(-5, 9));
  EXPECT_EQ(rangeOf(op(Op::Sub, X, Y)), r(-7, 7));
  EXPECT_EQ(rangeOf(op(Op::Mul, X, Y)), r(-12, 20));
  EXPECT_EQ(rangeOf(op(Op::Mul, X, -4)), r(-20, 12));
  EXPECT_EQ(rangeOf(neg(X)), r(-5, 3));
  EXPECT_EQ(rangeOf(Ctx.get(Op::MulAcc, Index, {X, Y, c(100)})), r(88, 120));
  EXPECT_EQ(rangeOf(op(Op::Max, X, Y)), r(-2, 5));
}

TEST_F(RangeAnalysisTest, FloorAndTruncDivisionDifferOnNegatives) {
  const UOp *X = var("x", -7, 7);
  EXPECT_EQ(rangeOf(op(Op::FloorDiv, X, 2)), r(-4, 3));
  EXPECT_EQ(rangeOf(op(Op::TruncDiv, X, 2)), r(-3, 3));
  EXPECT_EQ(rangeOf(op(Op::FloorMod, X, 3)), r(0, 2));
  EXPECT_EQ(rangeOf(op(Op::TruncMod, X, 3)), r(-2, 2));
  EXPECT_EQ(rangeOf(op(Op::FloorMod, X, -3)), r(-2, 0));
  EXPECT_EQ(rangeOf(op(Op::FloorDiv, X, var("d", 2, 4))), r(-4, 3));
  EXPECT_EQ(rangeOf(op(Op::FloorDiv, c(100), var("d", -1, 4))), r(-100, 100));
}

TEST_F(RangeAnalysisTest, FloorModWithinOnePeriodIsExact) {
  EXPECT_EQ(rangeOf(op(Op::FloorMod, var("x", 4, 7), 8)), r(4, 7));
  EXPECT_EQ(rangeOf(op(Op::FloorMod, var("x", 20, 22), 8)), r(4, 6));
  EXPECT_EQ(rangeOf(op(Op::FloorMod, var("x", 4, 9), 8)), r(0, 7));
  const UOp *Idx = op(Op::Add, op(Op::Mul, loop(c(32)), 4), loop(c(4), 1));
  EXPECT_EQ(rangeOf(op(Op::FloorMod, Idx, 4)), r(0, 3));
  EXPECT_EQ(rangeOf(op(Op::FloorDiv, Idx, 4)), r(0, 31));
}

TEST_F(RangeAnalysisTest, Shifts) {
  const UOp *X = var("x", -3, 5);
  EXPECT_EQ(rangeOf(op(Op::Shl, X, 3)), r(-24, 40));
  EXPECT_EQ(rangeOf(op(Op::Shr, X, 1)), r(-2, 2));
  EXPECT_EQ(rangeOf(op(Op::Shl, c(1), var("s", 0, 10))), r(1, 1024));
  EXPECT_EQ(rangeOf(op(Op::Shr, var("u", 0, 255, U8), var("s", 0, 255, U8))),
            r(0, 255))
      << "amounts of 8 or more are undefined and left out";
  EXPECT_EQ(rangeOf(op(Op::Shl, var("b", 0, 255, U8), 1)), r(0, 255))
      << "u8 shl wraps";
  EXPECT_EQ(rangeOf(op(Op::Shl, var("b", 0, 7, U8), 9)), r(0, 255))
      << "an amount that is always undefined gives the whole type";
}

TEST_F(RangeAnalysisTest, BitwiseOnNonNegativeValuesAndBools) {
  const UOp *X = var("x", 0, 100), *Y = var("y", 3, 5);
  EXPECT_EQ(rangeOf(op(Op::And, X, 7)), r(0, 7));
  EXPECT_EQ(rangeOf(op(Op::And, var("s", -50, 50), 7)), r(0, 7));
  EXPECT_EQ(rangeOf(op(Op::Or, X, Y)), r(3, 127));
  EXPECT_EQ(rangeOf(op(Op::Xor, X, Y)), r(0, 127));
  EXPECT_EQ(rangeOf(op(Op::Or, var("s", -1, 0), Y)), Range::all());
  EXPECT_EQ(rangeOf(op(Op::Xor, var("s", -1, 0, I8), c(3, I8))),
            Range::ofType(I8));
  const UOp *Cond = lt(X, 50);
  EXPECT_EQ(rangeOf(op(Op::And, Cond, boolean(false))), r(0, 0));
  EXPECT_EQ(rangeOf(op(Op::Or, Cond, boolean(true))), r(1, 1));
  EXPECT_EQ(rangeOf(op(Op::And, Cond, boolean(true))), r(0, 1));
  EXPECT_EQ(rangeOf(op(Op::Xor, boolean(true), boolean(true))), r(0, 0));
}

//--- Fixed-width types ------------------------------------------------------//

TEST_F(RangeAnalysisTest, FixedWidthResultsThatMayWrapCoverTheType) {
  const UOp *X = var("x", 0, 100, I8);
  const UOp *Sum = op(Op::Add, X, c(100, I8));
  EXPECT_EQ(rangeOf(Sum), Range::ofType(I8)) << "100..200 wraps past 127";
  EXPECT_TRUE(mayWrap(Sum));
  const UOp *Diff = op(Op::Sub, var("u", 0, 5, U8), c(3, U8));
  EXPECT_EQ(rangeOf(Diff), Range::ofType(U8)) << "-3..2 wraps below 0";
  EXPECT_TRUE(mayWrap(Diff));
  EXPECT_EQ(rangeOf(op(Op::Mul, var("w", -1000, 1000, I32), c(1 << 30, I32))),
            Range::ofType(I32));
  EXPECT_EQ(rangeOf(neg(c(-128, I8))), r(-128, -128))
      << "neg(INT_MIN) == INT_MIN";
}

TEST_F(RangeAnalysisTest, FixedWidthResultsThatFitAreExact) {
  const UOp *Sum = op(Op::Add, var("x", 0, 27, I8), c(100, I8));
  EXPECT_EQ(rangeOf(Sum), r(100, 127));
  EXPECT_FALSE(mayWrap(Sum));
  EXPECT_EQ(rangeOf(op(Op::Mul, var("y", 0, 1000, I32), c(1000, I32))),
            r(0, 1000000));
  EXPECT_EQ(rangeOf(op(Op::Sub, var("u", 5, 9, U32), c(5, U32))), r(0, 4));
}

TEST_F(RangeAnalysisTest, WrappingThatKeepsOneIntervalIsExact) {
  // Wrapping subtracts one multiple of 2^bits from the whole interval.
  EXPECT_EQ(rangeOf(op(Op::Add, c(100, I8), c(100, I8))), r(-56, -56));
  EXPECT_EQ(rangeOf(op(Op::Add, var("x", 100, 127, I8), c(100, I8))),
            r(-56, -29));
  EXPECT_EQ(rangeOf(op(Op::Sub, var("u", 0, 5, U8), c(10, U8))), r(246, 251));
}

TEST_F(RangeAnalysisTest, CastsAreExactWhenTheyFit) {
  const UOp *X = var("x", -5, 100);
  EXPECT_EQ(rangeOf(cast(X, I8)), r(-5, 100));
  EXPECT_EQ(rangeOf(cast(X, U8)), Range::ofType(U8));
  EXPECT_EQ(rangeOf(cast(var("y", 200, 300), U8)), Range::ofType(U8));
  EXPECT_EQ(rangeOf(cast(var("y", 300, 400), U8)), r(44, 144)) << "wrapped";
  EXPECT_EQ(rangeOf(cast(var("z", -4, -1, I32), U32)),
            r(4294967292, 4294967295));
  EXPECT_EQ(rangeOf(cast(var("big", 0, 255, U8), Index)), r(0, 255));
  EXPECT_EQ(rangeOf(cast(lt(X, 3), I32)), r(0, 1));
  EXPECT_EQ(rangeOf(cast(X, Bool)), r(0, 1));
  EXPECT_EQ(rangeOf(cast(var("p", 1, 9), Bool)), r(1, 1));
  EXPECT_EQ(rangeOf(cast(c(0), Bool)), r(0, 0));
  EXPECT_EQ(rangeOf(cast(Ctx.getFloatConst(F32, 3.0), I32)),
            Range::ofType(I32));
}

TEST_F(RangeAnalysisTest, IndexOverflowWidensToUnbounded) {
  const UOp *X = var("x", 1, INT64_MAX);
  const UOp *Square = op(Op::Mul, X, X);
  EXPECT_EQ(rangeOf(Square), r(1, Bound(INT64_MAX) * Bound(INT64_MAX)))
      << "exact beyond 64 bits";
  const UOp *Fourth = op(Op::Mul, Square, Square);
  EXPECT_EQ(rangeOf(Fourth), r(1, PosInf));
  EXPECT_EQ(rangeOf(op(Op::Mul, Fourth, -1)), r(NegInf, -1));
  EXPECT_EQ(rangeOf(op(Op::Sub, Fourth, Fourth)), Range::all());
  EXPECT_EQ(rangeOf(op(Op::FloorMod, Fourth, 10)), r(0, 9));
  EXPECT_EQ(rangeOf(loop(Fourth)), r(0, PosInf));
}

//--- Comparisons and where --------------------------------------------------//

TEST_F(RangeAnalysisTest, ComparisonsDecidedByRanges) {
  const UOp *Idx = loop(c(128)), *F = loop(c(4), 1);
  const UOp *Addr = op(Op::Add, op(Op::Mul, Idx, 4), F);
  EXPECT_EQ(rangeOf(lt(Addr, 512)), r(1, 1)) << "idx*4+f < 512 always";
  EXPECT_EQ(rangeOf(lt(Addr, 511)), r(0, 1));
  EXPECT_EQ(rangeOf(lt(Addr, 0)), r(0, 0));
  EXPECT_EQ(rangeOf(op(Op::CmpNE, Addr, -1)), r(1, 1));
  EXPECT_EQ(rangeOf(op(Op::CmpEQ, Addr, 600)), r(0, 0));
  EXPECT_EQ(rangeOf(op(Op::CmpEQ, Addr, 300)), r(0, 1));
  EXPECT_EQ(rangeOf(op(Op::CmpEQ, c(3), c(3))), r(1, 1));
  EXPECT_EQ(rangeOf(op(Op::CmpNE, c(3), c(3))), r(0, 0));
  const UOp *FX = Ctx.getFloatConst(F32, 1.0);
  EXPECT_EQ(rangeOf(op(Op::CmpLT, FX, Ctx.getFloatConst(F32, 2.0))), r(0, 1))
      << "floats are never decided";
}

TEST_F(RangeAnalysisTest, WhereUnitesOrPicksItsBranch) {
  const UOp *X = var("x", 0, 9);
  const UOp *A = var("a", -5, 0), *B = var("b", 10, 20);
  EXPECT_EQ(rangeOf(where(lt(X, 5), A, B)), r(-5, 20));
  EXPECT_EQ(rangeOf(where(lt(X, 10), A, B)), r(-5, 0));
  EXPECT_EQ(rangeOf(where(lt(X, 0), A, B)), r(10, 20));
}

//--- Caching, depth, assumptions --------------------------------------------//

TEST_F(RangeAnalysisTest, SharedUOpsAreComputedOnce) {
  // Each level uses the one below twice: 2^200 paths, 202 UOps.
  const UOp *X = var("x", 1, 1);
  const UOp *Sum = X;
  for (int I = 0; I != 200; ++I)
    Sum = op(Op::Add, Sum, Sum);
  RangeAnalysis RA;
  EXPECT_EQ(RA.getRange(op(Op::FloorDiv, Sum, Sum)).Min, 0);
  EXPECT_EQ(RA.getNumComputed(), 202u);
  EXPECT_EQ(RA.getRange(X), r(1, 1));
  EXPECT_EQ(RA.getNumComputed(), 202u) << "answered from the cache";
  const UOp *Level100 = X;
  for (int I = 0; I != 100; ++I)
    Level100 = op(Op::Add, Level100, Level100);
  EXPECT_EQ(RA.getRange(Level100), Range::point(Bound(1) << 100));
  EXPECT_EQ(RA.getRange(Sum), r(PosInf - 1, PosInf)) << "saturated";
}

TEST_F(RangeAnalysisTest, DeepChainsNeedNoRecursion) {
  const UOp *X = var("x", 0, 10);
  const UOp *Chain = X;
  for (int I = 0; I != 100000; ++I)
    Chain = op(Op::Add, Chain, 1);
  RangeAnalysis RA;
  EXPECT_EQ(RA.getRange(Chain), r(100000, 100010));
  EXPECT_EQ(RA.getNumComputed(), 100002u);
}

TEST_F(RangeAnalysisTest, AssumptionsTightenEverythingComputedFromThem) {
  const UOp *X = var("x", 0, 100);
  const UOp *Expr = op(Op::Add, op(Op::Mul, X, 4), 3);
  Assumptions Assumed;
  Assumed[X] = r(2, 9);
  RangeAnalysis RA(std::move(Assumed));
  EXPECT_EQ(RA.getRange(X), r(2, 9));
  EXPECT_EQ(RA.getRange(Expr), r(11, 39));
  EXPECT_TRUE(RA.isKnownPositive(Expr));
  EXPECT_EQ(rangeOf(Expr), r(3, 403)) << "another analysis: no assumption";
}

TEST_F(RangeAnalysisTest, SignQueries) {
  RangeAnalysis RA;
  EXPECT_TRUE(RA.isKnownNonNegative(loop(c(4))));
  EXPECT_FALSE(RA.isKnownPositive(loop(c(4))));
  EXPECT_TRUE(RA.isKnownPositive(op(Op::Add, loop(c(4)), 1)));
  EXPECT_TRUE(RA.isKnownNegative(var("n", -9, -1)));
  EXPECT_FALSE(RA.isKnownNonNegative(var("m", -1, 5)));
  EXPECT_FALSE(RA.isKnownNegative(Ctx.getFloatConst(F32, -1.0)));
}

} // namespace
