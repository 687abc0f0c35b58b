//===- RangeTest.cpp - bounds and exact interval arithmetic ---------------===//

#include "AnalysisTestBase.h"

#include <limits>

using namespace tg;

namespace {

constexpr int64_t I64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t I64Min = std::numeric_limits<int64_t>::min();

Range r(Bound Min, Bound Max) { return Range::get(Min, Max); }

TEST(BoundTest, ArithmeticSaturatesToInfinity) {
  Bound Big = Bound(1) << 126;
  EXPECT_EQ(addBound(Big, Big), PosInf);
  EXPECT_EQ(addBound(-Big, -Big - 1), NegInf);
  EXPECT_EQ(addBound(NegInf, 5), NegInf);
  EXPECT_EQ(addBound(PosInf, -5), PosInf);
  EXPECT_EQ(mulBound(Big, 2), PosInf);
  EXPECT_EQ(mulBound(Big, -4), NegInf);
  EXPECT_EQ(mulBound(Bound(I64Max), Bound(I64Max)),
            Bound(I64Max) * Bound(I64Max))
      << "64-bit products are exact";
  EXPECT_EQ(mulBound(PosInf, 0), 0) << "bounds stand for finite values";
  EXPECT_EQ(mulBound(NegInf, -1), PosInf);
  EXPECT_EQ(negBound(NegInf), PosInf);
  EXPECT_EQ(negBound(Bound(I64Min)), -Bound(I64Min));
}

TEST(BoundTest, FloorAndCeilDivisionRoundTheRightWay) {
  EXPECT_EQ(floorDivBound(7, 2), 3);
  EXPECT_EQ(floorDivBound(-7, 2), -4);
  EXPECT_EQ(ceilDivBound(7, 2), 4);
  EXPECT_EQ(ceilDivBound(-7, 2), -3);
  EXPECT_EQ(floorDivBound(-8, 2), -4);
  EXPECT_EQ(floorDivBound(5, PosInf), 0);
  EXPECT_EQ(floorDivBound(-5, PosInf), -1);
  EXPECT_EQ(ceilDivBound(5, PosInf), 1);
  EXPECT_EQ(floorDivBound(NegInf, 3), NegInf);
  EXPECT_EQ(pow2Bound(126), Bound(1) << 126);
  EXPECT_EQ(pow2Bound(127), PosInf);
}

TEST(BoundTest, PrintsEveryBound) {
  auto Str = [](Bound B) {
    std::string S;
    llvm::raw_string_ostream OS(S);
    printBound(OS, B);
    return S;
  };
  EXPECT_EQ(Str(0), "0");
  EXPECT_EQ(Str(-42), "-42");
  EXPECT_EQ(Str(Bound(UINT64_MAX)), "18446744073709551615");
  EXPECT_EQ(Str(Bound(I64Min)), "-9223372036854775808");
  EXPECT_EQ(Str(PosInf - 1), "170141183460469231731687303715884105726");
  EXPECT_EQ(Str(PosInf), "inf");
  EXPECT_EQ(Str(NegInf), "-inf");
  EXPECT_EQ(r(-3, PosInf).str(), "[-3, inf]");
  EXPECT_EQ(Range::empty().str(), "empty");
}

TEST(RangeTest, EmptyRangesAreCanonicalAndVacuous) {
  Range E = r(5, 3);
  EXPECT_TRUE(E.isEmpty());
  EXPECT_EQ(E, Range::empty());
  EXPECT_GE(E.Min, 0) << "naive checks hold vacuously";
  EXPECT_FALSE(E.getPoint()) << "but nothing folds to a constant";
  EXPECT_EQ(E.unite(r(1, 2)), r(1, 2));
  EXPECT_TRUE(r(1, 2).intersect(r(3, 4)).isEmpty());
  EXPECT_TRUE(r(1, 2).contains(E));
  EXPECT_FALSE(E.contains(r(1, 1)));
  EXPECT_TRUE((E + r(1, 2)).isEmpty());
  EXPECT_TRUE((r(1, 2) * E).isEmpty());
  EXPECT_TRUE(floorDiv(r(1, 2), r(0, 0)).isEmpty()) << "only division by 0";
}

TEST(RangeTest, BoundsBeyond128BitsWidenInsteadOfVanishing) {
  Bound Big = Bound(1) << 100;
  Range Product = r(Big, Big) * r(Big, Big);
  EXPECT_FALSE(Product.isEmpty());
  EXPECT_EQ(Product.Max, PosInf);
  EXPECT_TRUE(isFinite(Product.Min)) << "a lower bound of +inf is made finite";
  Range Negative = r(-Big, -Big) * r(Big, Big);
  EXPECT_EQ(Negative.Min, NegInf);
  EXPECT_TRUE(isFinite(Negative.Max));
}

TEST(RangeTest, OfType) {
  Context Ctx;
  EXPECT_EQ(Range::ofType(Ctx.getScalar(ScalarKind::Bool)), r(0, 1));
  EXPECT_EQ(Range::ofType(Ctx.getScalar(ScalarKind::I8)), r(-128, 127));
  EXPECT_EQ(Range::ofType(Ctx.getScalar(ScalarKind::U8)), r(0, 255));
  EXPECT_EQ(Range::ofType(Ctx.getScalar(ScalarKind::I64)), r(I64Min, I64Max));
  EXPECT_EQ(Range::ofType(Ctx.getScalar(ScalarKind::U64)),
            r(0, Bound(UINT64_MAX)));
  EXPECT_EQ(Range::ofType(Ctx.getScalar(ScalarKind::Index)), Range::all());
  EXPECT_EQ(Range::ofType(Ctx.getScalar(ScalarKind::F32)), Range::all());
}

TEST(RangeTest, AddSubMulNeg) {
  EXPECT_EQ(r(1, 3) + r(-5, 2), r(-4, 5));
  EXPECT_EQ(r(1, 3) - r(-5, 2), r(-1, 8));
  EXPECT_EQ(-r(-2, 7), r(-7, 2));
  EXPECT_EQ(r(-2, 3) * r(-4, 5), r(-12, 15));
  EXPECT_EQ(r(-3, -2) * r(-5, -4), r(8, 15));
  EXPECT_EQ(r(0, PosInf) * r(-1, 1), Range::all());
  EXPECT_EQ(r(0, PosInf) * r(0, 0), r(0, 0));
  EXPECT_EQ(r(NegInf, 3) + r(1, 1), r(NegInf, 4));
  EXPECT_EQ(max(r(-5, 2), r(0, 1)), r(0, 2));
}

TEST(RangeTest, FloorDivisionRoundsDown) {
  EXPECT_EQ(floorDiv(r(-7, 7), r(2, 2)), r(-4, 3));
  EXPECT_EQ(floorDiv(r(-7, 7), r(-2, -2)), r(-4, 3));
  EXPECT_EQ(floorDiv(r(3, 10), r(2, 5)), r(0, 5));
  EXPECT_EQ(floorDiv(r(-10, -3), r(2, 5)), r(-5, -1));
  EXPECT_EQ(floorDiv(r(-10, 10), r(-2, 3)), r(-10, 10))
      << "the divisor's zero is left out: -1 and 1 give the extremes";
  EXPECT_EQ(floorDiv(r(5, 9), r(1, PosInf)), r(0, 9));
  EXPECT_EQ(floorDiv(r(-9, -5), r(1, PosInf)), r(-9, -1));
}

TEST(RangeTest, TruncDivisionRoundsTowardZero) {
  EXPECT_EQ(truncDiv(r(-7, 7), r(2, 2)), r(-3, 3));
  EXPECT_EQ(truncDiv(r(-7, 7), r(-2, -2)), r(-3, 3));
  EXPECT_EQ(truncDiv(r(-10, -3), r(2, 5)), r(-5, 0));
  EXPECT_EQ(truncDiv(r(3, 10), r(-5, -2)), r(-5, 0));
}

TEST(RangeTest, FloorModHasTheDivisorsSign) {
  EXPECT_EQ(floorMod(r(4, 7), r(8, 8)), r(4, 7)) << "one period";
  EXPECT_EQ(floorMod(r(12, 15), r(8, 8)), r(4, 7)) << "one later period";
  EXPECT_EQ(floorMod(r(-4, -1), r(8, 8)), r(4, 7)) << "one earlier period";
  EXPECT_EQ(floorMod(r(6, 9), r(8, 8)), r(0, 7));
  EXPECT_EQ(floorMod(r(-3, 3), r(8, 8)), r(0, 7));
  EXPECT_EQ(floorMod(r(0, 3), r(5, 10)), r(0, 3)) << "below every divisor";
  EXPECT_EQ(floorMod(r(0, 30), r(5, 10)), r(0, 9));
  EXPECT_EQ(floorMod(r(0, 7), r(-8, -8)), r(-7, 0));
  EXPECT_EQ(floorMod(r(NegInf, PosInf), r(16, 16)), r(0, 15));
}

TEST(RangeTest, TruncModHasTheDividendsSign) {
  EXPECT_EQ(truncMod(r(-3, 3), r(8, 8)), r(-3, 3));
  EXPECT_EQ(truncMod(r(-20, 20), r(8, 8)), r(-7, 7));
  EXPECT_EQ(truncMod(r(-20, -1), r(-8, -8)), r(-7, 0)) << "-8 % -8 == 0";
  EXPECT_EQ(truncMod(r(-7, -1), r(-8, -8)), r(-7, -1));
  EXPECT_EQ(truncMod(r(9, 12), r(8, 8)), r(1, 4));
  EXPECT_EQ(truncMod(r(0, 100), r(-3, 5)), r(0, 4));
}

TEST(RangeTest, ShiftsArePowersOfTwo) {
  EXPECT_EQ(shiftLeft(r(-3, 5), r(2, 2)), r(-12, 20));
  EXPECT_EQ(shiftLeft(r(1, 1), r(0, 4)), r(1, 16));
  EXPECT_EQ(shiftRight(r(-7, 9), r(1, 1)), r(-4, 4));
  EXPECT_EQ(shiftRight(r(0, 255), r(0, 200)), r(0, 255));
}

TEST(RangeTest, Bitwise) {
  EXPECT_EQ(bitAnd(r(6, 6), r(3, 3)), r(2, 2));
  EXPECT_EQ(bitAnd(r(-100, 100), r(0, 7)), r(0, 7));
  EXPECT_EQ(bitAnd(r(0, 9), r(0, 200)), r(0, 9));
  EXPECT_EQ(bitAnd(r(-3, -1), r(-8, 5)), Range::all());
  EXPECT_EQ(bitOr(r(4, 9), r(0, 2)), r(4, 15));
  EXPECT_EQ(bitOr(r(-1, -1), r(2, 2)), r(-1, -1));
  EXPECT_EQ(bitXor(r(0, 8), r(1, 3)), r(0, 15));
  EXPECT_EQ(bitXor(r(5, 5), r(-1, -1)), r(-6, -6));
  // Bools are the integers 0 and 1.
  EXPECT_EQ(bitAnd(r(1, 1), r(0, 1)), r(0, 1));
  EXPECT_EQ(bitOr(r(1, 1), r(0, 1)), r(1, 1));
  EXPECT_EQ(bitAnd(r(0, 0), r(0, 1)), r(0, 0));
}

} // namespace
