//===- ValidAnalysisTest.cpp - the bounds a gate implies ------------------===//

#include "tg/Analysis/ValidAnalysis.h"

#include "AnalysisTestBase.h"

using namespace tg;
using namespace tg::test;

namespace {

Range r(Bound Min, Bound Max) { return Range::get(Min, Max); }

class ValidAnalysisTest : public AnalysisTestBase {
protected:
  /// U's range where Cond is Value; empty if Cond can never be Value.
  Range rangeWhere(const UOp *Cond, const UOp *U, bool Value = true) {
    std::optional<Assumptions> Inside = assumeCondition(Cond, Value);
    if (!Inside)
      return Range::empty();
    return RangeAnalysis(std::move(*Inside)).getRange(U);
  }
  const UOp *X = var("x", 0, 100);
};

TEST_F(ValidAnalysisTest, AndOfBoundsOnOneVariable) {
  const UOp *Cond = both(lt(X, 10), ge(X, 2));
  EXPECT_EQ(rangeWhere(Cond, X), r(2, 9));
  EXPECT_EQ(rangeWhere(Cond, op(Op::Add, op(Op::Mul, X, 4), 1)), r(9, 37));
  EXPECT_EQ(rangeWhere(lt(c(5), X), X), r(6, 100)) << "5 < x";
  EXPECT_EQ(rangeWhere(lt(X, var("n", 0, 20)), X), r(0, 19));
}

TEST_F(ValidAnalysisTest, ConvolutionStyleValidity) {
  const UOp *I = loop(c(32)), *K = loop(c(3), 1);
  const UOp *In = op(Op::Sub, op(Op::Add, I, K), 1);
  const UOp *Valid = both(ge(In, 0), lt(In, 32));
  EXPECT_EQ(RangeAnalysis().getRange(In), r(-1, 32));
  EXPECT_EQ(rangeWhere(Valid, In), r(0, 31)) << "the access is in bounds";
  EXPECT_EQ(rangeWhere(Valid, op(Op::Add, op(Op::Mul, In, 4), K)), r(0, 126));
  EXPECT_EQ(rangeWhere(Valid, I), r(0, 31)) << "i alone is not narrowed";
  // With one variable the bounds pass through the arithmetic to it.
  const UOp *Shifted = op(Op::Sub, I, 1);
  EXPECT_EQ(rangeWhere(both(ge(Shifted, 0), lt(Shifted, 30)), I), r(1, 30));
  // The padding of a convolution that always reads inside is no gate.
  const UOp *Inner = op(Op::Add, I, K);
  EXPECT_EQ(rangeWhere(both(ge(Inner, 0), lt(Inner, 40)), Inner), r(0, 33));
}

TEST_F(ValidAnalysisTest, NegationsAndFalseConditions) {
  EXPECT_EQ(rangeWhere(lt(X, 10), X, /*Value=*/false), r(10, 100));
  EXPECT_EQ(rangeWhere(op(Op::Xor, lt(X, 10), boolean(true)), X), r(10, 100));
  EXPECT_EQ(rangeWhere(op(Op::CmpEQ, lt(X, 10), boolean(false)), X),
            r(10, 100));
  // not (x < 3 or x >= 7)
  const UOp *Outside = op(Op::Or, lt(X, 3), ge(X, 7));
  EXPECT_EQ(rangeWhere(Outside, X, /*Value=*/false), r(3, 6));
  EXPECT_EQ(rangeWhere(both(lt(X, 50), ge(X, 10)), X, false), r(0, 100))
      << "a false and says nothing alone";
  EXPECT_EQ(rangeWhere(op(Op::Or, lt(X, 3), boolean(false)), X), r(0, 2));
}

TEST_F(ValidAnalysisTest, EqualityAndInequality) {
  EXPECT_EQ(rangeWhere(op(Op::CmpNE, X, 0), X), r(1, 100));
  EXPECT_EQ(rangeWhere(op(Op::CmpNE, X, 100), X), r(0, 99));
  EXPECT_EQ(rangeWhere(op(Op::CmpNE, X, 50), X), r(0, 100));
  EXPECT_EQ(rangeWhere(op(Op::CmpEQ, X, 42), X), r(42, 42));
  const UOp *Y = var("y", 90, 200);
  EXPECT_EQ(rangeWhere(op(Op::CmpEQ, X, Y), Y), r(90, 100));
  EXPECT_EQ(rangeWhere(cast(X, Bool), X), r(1, 100)) << "nonzero";
  EXPECT_EQ(rangeWhere(cast(X, Bool), X, false), r(0, 0));
}

TEST_F(ValidAnalysisTest, TwoVariablesBoundEachOther) {
  const UOp *A = var("a", 0, 10), *B = var("b", 0, 5);
  EXPECT_EQ(rangeWhere(lt(A, B), A), r(0, 4));
  EXPECT_EQ(rangeWhere(lt(A, B), B), r(1, 5));
  const UOp *Sum = op(Op::Add, A, B);
  EXPECT_EQ(rangeWhere(lt(Sum, 3), A), r(0, 2));
  EXPECT_EQ(rangeWhere(ge(Sum, 14), A), r(9, 10));
}

TEST_F(ValidAnalysisTest, BoundsPassThroughArithmetic) {
  EXPECT_EQ(rangeWhere(lt(op(Op::Mul, X, 4), 20), X), r(0, 4));
  EXPECT_EQ(rangeWhere(lt(op(Op::Mul, X, -4), -20), X), r(6, 100));
  EXPECT_EQ(rangeWhere(lt(op(Op::FloorDiv, X, 4), 3), X), r(0, 11));
  EXPECT_EQ(rangeWhere(ge(op(Op::FloorDiv, X, 4), 3), X), r(12, 100));
  EXPECT_EQ(rangeWhere(lt(neg(X), -90), X), r(91, 100));
  EXPECT_EQ(rangeWhere(lt(op(Op::Max, X, 5), 8), X), r(0, 7));
  EXPECT_EQ(rangeWhere(lt(cast(X, I32), c(7, I32)), X), r(0, 6));
  EXPECT_EQ(rangeWhere(lt(op(Op::Sub, c(50), X), 10), X), r(41, 100));
  EXPECT_EQ(rangeWhere(lt(op(Op::FloorMod, X, 8), 4), X), r(0, 100))
      << "modulo is not inverted";
}

TEST_F(ValidAnalysisTest, WrappingArithmeticIsNotInverted) {
  const UOp *S = var("s", 0, 100, I8);
  const UOp *Sum = op(Op::Add, S, c(100, I8));
  EXPECT_EQ(rangeWhere(lt(Sum, c(0, I8)), Sum), r(-128, -1));
  EXPECT_EQ(rangeWhere(lt(Sum, c(0, I8)), S), r(0, 100))
      << "28..100 is the truth, but a wrapped sum has two preimages";
  const UOp *Fits = op(Op::Add, S, c(20, I8));
  EXPECT_EQ(rangeWhere(lt(Fits, c(30, I8)), S), r(0, 9));
}

TEST_F(ValidAnalysisTest, ImpossibleConditions) {
  EXPECT_FALSE(assumeCondition(both(lt(X, 5), ge(X, 7))));
  EXPECT_FALSE(assumeCondition(lt(c(5), c(3))));
  EXPECT_FALSE(assumeCondition(lt(X, 0)));
  EXPECT_FALSE(assumeCondition(lt(X, 200), /*Value=*/false));
  EXPECT_FALSE(assumeCondition(op(Op::CmpEQ, op(Op::Mul, X, 4), 2)))
      << "no multiple of 4 is 2";
  EXPECT_TRUE(assumeCondition(lt(X, 200)));
}

TEST_F(ValidAnalysisTest, WhereBranchesSeeTheirCondition) {
  const UOp *Cond = lt(X, 10);
  const UOp *Sel = where(Cond, op(Op::Mul, X, 4), c(-1));
  EXPECT_EQ(RangeAnalysis().getRange(Sel), r(-1, 400));
  EXPECT_EQ(rangeWhere(Cond, Sel), r(0, 36))
      << "the condition itself is assumed true";
  EXPECT_EQ(rangeWhere(Cond, Sel, false), r(-1, -1));
}

TEST_F(ValidAnalysisTest, EnclosingGatesCombine) {
  std::optional<Assumptions> Outer = assumeCondition(lt(X, 50));
  ASSERT_TRUE(Outer);
  std::optional<Assumptions> Inner = assumeCondition(ge(X, 20), true, *Outer);
  ASSERT_TRUE(Inner);
  EXPECT_EQ(RangeAnalysis(std::move(*Inner)).getRange(X), r(20, 49));
  EXPECT_FALSE(assumeCondition(ge(X, 60), true, *Outer));
}

TEST_F(ValidAnalysisTest, OuterRangesServeBothValuesOfACondition) {
  std::optional<Assumptions> Outer = assumeCondition(lt(X, 50));
  ASSERT_TRUE(Outer);
  const UOp *Y = var("y", 0, 10);
  const UOp *Sum = op(Op::Sub, op(Op::Add, X, Y), 1);
  const UOp *Cond = both(ge(Sum, 0), lt(Sum, 30));
  RangeAnalysis OuterRanges(*Outer);
  for (bool Value : {true, false}) {
    std::optional<Assumptions> Shared =
        assumeCondition(Cond, Value, OuterRanges);
    std::optional<Assumptions> Alone = assumeCondition(Cond, Value, *Outer);
    ASSERT_TRUE(Shared && Alone);
    EXPECT_EQ(RangeAnalysis(std::move(*Shared)).getRange(X),
              RangeAnalysis(std::move(*Alone)).getRange(X));
  }
  EXPECT_EQ(OuterRanges.getRange(X), r(0, 49)) << "the outer facts only";
  unsigned Computed = OuterRanges.getNumComputed();
  ASSERT_TRUE(assumeCondition(Cond, true, OuterRanges));
  EXPECT_EQ(OuterRanges.getNumComputed(), Computed)
      << "the first round reads the cached ranges";
}

TEST_F(ValidAnalysisTest, UnknownFormsAreIgnoredSoundly) {
  const UOp *F = Ctx.getFloatConst(F32, 1.5);
  const UOp *FloatCmp = op(Op::CmpLT, cast(X, F32), F);
  EXPECT_EQ(rangeWhere(both(FloatCmp, lt(X, 10)), X), r(0, 9));
  const UOp *Y = var("y", 0, 100);
  EXPECT_EQ(rangeWhere(op(Op::Or, lt(X, 10), lt(Y, 10)), X), r(0, 100));
}

TEST_F(ValidAnalysisTest, DeepConditionsNeedNoRecursion) {
  const UOp *Chain = X;
  for (int I = 0; I != 100000; ++I)
    Chain = op(Op::Add, Chain, 1);
  EXPECT_EQ(rangeWhere(lt(Chain, 100010), X), r(0, 9));
}

} // namespace
