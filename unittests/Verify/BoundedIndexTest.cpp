//===- BoundedIndexTest.cpp - index as bit-vectors agrees with evalAlu ----===//
//
// The bounded index encoding (IndexBits > 0, tg/Verify/Semantics.h) must
// compute what evalAlu computes wherever the values fit its width: each op
// on random constants, and whole random expressions at the width
// getExactIndexBits picks, on random values of their variables.
//
//===----------------------------------------------------------------------===//

#include "tg/Verify/Semantics.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Context.h"
#include "tg/IR/UOp.h"
#include "tg/Testing/RandomExpr.h"

#include "llvm/ADT/DenseMap.h"

#include "gtest/gtest.h"

#include <random>

using namespace tg;

namespace {

constexpr unsigned Bits = 16;

bool fits(int64_t V, unsigned Width) {
  return -(int64_t(1) << (Width - 1)) <= V && V < (int64_t(1) << (Width - 1));
}

/// The signed value of a bit-vector or bool numeral.
int64_t valueOf(const z3::expr &E) {
  if (E.is_bool())
    return E.is_true();
  return z3::bv2int(E, /*is_signed=*/true).simplify().get_numeral_int64();
}

class BoundedIndexTest : public ::testing::Test {
protected:
  /// `O` on random index operands in [-100, 100] (shift amounts in
  /// [-2, 6]) agrees with evalAlu wherever evalAlu's result fits.
  void checkOp(Op O) {
    unsigned NumOperands = getOpInfo(O).MinOperands;
    ScalarKind Result =
        hasTrait(O, OpTrait::Comparison) ? ScalarKind::Bool : ScalarKind::Index;
    unsigned Checked = 0;
    for (unsigned Trial = 0; Trial != 200; ++Trial) {
      std::vector<ConstValue> Operands;
      std::vector<Z3Value> Encoded;
      for (unsigned I = 0; I != NumOperands; ++I) {
        bool Amount = I == 1 && (O == Op::Shl || O == Op::Shr);
        int64_t V = Amount ? pick(-2, 6) : pick(-100, 100);
        Operands.push_back(ConstValue::getInt(V));
        Encoded.push_back(
            {encodeConst(Ctx, ScalarKind::Index, Operands.back(), Bits),
             Ctx.bool_val(false)});
      }
      std::optional<ConstValue> Expected =
          evalAlu(O, Result, ScalarKind::Index, Operands);
      if (Expected && !fits(Expected->getInt(), Bits))
        continue; // outside the encoding's precondition
      llvm::Expected<Z3Value> Actual =
          encodeOp(Ctx, O, Result, ScalarKind::Index, Encoded, Bits);
      ASSERT_TRUE(bool(Actual)) << llvm::toString(Actual.takeError());
      z3::expr UB = Actual->UB.simplify();
      std::string Case =
          getMnemonic(O).str() + " of " + std::to_string(Operands[0].getInt()) +
          (NumOperands > 1 ? ", " + std::to_string(Operands[1].getInt()) : "");
      ++Checked;
      if (!Expected) {
        EXPECT_TRUE(UB.is_true()) << Case << " is undefined in evalAlu";
        continue;
      }
      EXPECT_TRUE(UB.is_false()) << Case << " is defined in evalAlu";
      EXPECT_EQ(valueOf(Actual->Value.simplify()), Expected->getInt()) << Case;
    }
    EXPECT_GT(Checked, 100u) << getMnemonic(O).str();
  }

  int64_t pick(int64_t Min, int64_t Max) {
    return std::uniform_int_distribution<int64_t>(Min, Max)(Rng);
  }

  z3::context Ctx;
  std::mt19937_64 Rng{42};
};

TEST_F(BoundedIndexTest, EveryIntegerOpAgreesWithEvalAlu) {
  for (Op O : {Op::Neg, Op::Add, Op::Sub, Op::Mul, Op::MulAcc, Op::Max, Op::And,
               Op::Or, Op::Xor, Op::Shl, Op::Shr, Op::FloorDiv, Op::FloorMod,
               Op::TruncDiv, Op::TruncMod, Op::CmpLT, Op::CmpEQ, Op::CmpNE})
    checkOp(O);
}

TEST_F(BoundedIndexTest, CastsAgreeWithEvalAlu) {
  for (ScalarKind Other : {ScalarKind::I8, ScalarKind::U8, ScalarKind::I32,
                           ScalarKind::U32, ScalarKind::I64, ScalarKind::Bool})
    for (int64_t V : {-129, -128, -1, 0, 1, 7, 127, 128, 255, 256, 30000}) {
      for (bool FromIndex : {true, false}) {
        ScalarKind From = FromIndex ? ScalarKind::Index : Other;
        ScalarKind To = FromIndex ? Other : ScalarKind::Index;
        std::optional<ConstValue> In =
            evalAlu(Op::Cast, From, ScalarKind::I64, {ConstValue::getInt(V)});
        ASSERT_TRUE(In.has_value());
        std::optional<ConstValue> Expected = evalAlu(Op::Cast, To, From, {*In});
        ASSERT_TRUE(Expected.has_value());
        Z3Value Operand{encodeConst(Ctx, From, *In, Bits), Ctx.bool_val(false)};
        llvm::Expected<Z3Value> Actual =
            encodeOp(Ctx, Op::Cast, To, From, {Operand}, Bits);
        ASSERT_TRUE(bool(Actual)) << llvm::toString(Actual.takeError());
        z3::expr Same =
            (Actual->Value == encodeConst(Ctx, To, *Expected, Bits)).simplify();
        EXPECT_TRUE(Same.is_true())
            << "cast of " << V << " from " << getScalarInfo(From).Mnemonic
            << " to " << getScalarInfo(To).Mnemonic;
      }
    }
}

/// The value of `U` for the variables' values in `Values`, by evalAlu;
/// nothing where undefined.
std::optional<ConstValue>
evaluate(const UOp *U, llvm::DenseMap<const UOp *, int64_t> &Values) {
  if (U->getOp() == Op::Const)
    return ConstValue::fromArg(*U->getArg());
  if (U->getOp() == Op::DefineVar)
    return ConstValue::getInt(Values.lookup(U));
  std::vector<ConstValue> Operands;
  for (const UOp *Src : U->getSrcs()) {
    std::optional<ConstValue> V = evaluate(Src, Values);
    if (!V)
      return std::nullopt;
    Operands.push_back(*V);
  }
  ScalarKind Operand = U->getSrc(0)->getDType().getScalarKind();
  return evalAlu(U->getOp(), U->getDType().getScalarKind(), Operand, Operands);
}

TEST_F(BoundedIndexTest, RandomExpressionsAtTheirExactWidthAgreeWithEvalAlu) {
  Context IR;
  RandomExprOptions Options;
  Options.Types = {ScalarKind::Index};
  Options.MaxWidth = 20;
  Options.CastWeight = 0;
  Options.MulAccWeight = 1;
  Options.SmallShiftPercent = 80;
  RandomExprGenerator Gen(IR, Options, 7);
  DType Index = IR.getScalar(ScalarKind::Index);
  unsigned Defined = 0;
  for (unsigned Trial = 0; Trial != 300; ++Trial) {
    Gen.newVariables(Index, false);
    const UOp *Root = Gen.gen(Index, int(Gen.pick(1, 5)));
    std::optional<unsigned> Width = getExactIndexBits({Root});
    if (!Width)
      continue; // range analysis leaves some bitwise ops unbounded
    ValueEncoder Encoder(Ctx, nullptr, *Width);
    llvm::Expected<Z3Value> V = Encoder.encode(Root);
    ASSERT_TRUE(bool(V)) << llvm::toString(V.takeError());
    for (unsigned Sample = 0; Sample != 4; ++Sample) {
      llvm::DenseMap<const UOp *, int64_t> Values;
      z3::expr_vector From(Ctx), To(Ctx);
      for (const ValueEncoder::FreeConstant &C : Encoder.getFreeConstants()) {
        int64_t X = pick(C.Leaf->getArgField(1)->getInt(),
                         C.Leaf->getArgField(2)->getInt());
        Values[C.Leaf] = X;
        From.push_back(C.Const);
        To.push_back(Ctx.bv_val(X, *Width));
      }
      std::optional<ConstValue> Expected = evaluate(Root, Values);
      z3::expr UB = V->UB.substitute(From, To).simplify();
      std::string Case = printExprInline(Root);
      if (!Expected) {
        EXPECT_TRUE(UB.is_true()) << Case << " is undefined in evalAlu";
        continue;
      }
      ++Defined;
      EXPECT_TRUE(UB.is_false()) << Case << " is defined in evalAlu";
      EXPECT_EQ(valueOf(V->Value.substitute(From, To).simplify()),
                Expected->getInt())
          << Case << " at " << *Width << " bits";
    }
  }
  EXPECT_GT(Defined, 500u);
}

} // namespace
