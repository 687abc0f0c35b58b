//===- SemanticsTest.cpp - the Z3 encoding agrees with evalAlu ------------===//
//
// For every elementwise op and every dtype, encodeOp on random constants
// (and the corner values of each type) must simplify to evalAlu's value,
// with UB true exactly where evalAlu has no value because of undefined
// behaviour. This is the evidence that the proofs of lib/Verify reason
// about the IR's own semantics (docs/Semantics.md).
//
//===----------------------------------------------------------------------===//

#include "tg/Verify/Semantics.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Context.h"

#include "llvm/ADT/APFloat.h"

#include "gtest/gtest.h"

#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace tg;

namespace {

constexpr unsigned TrialsPerCase = 48;

ScalarCategory categoryOf(ScalarKind K) { return getScalarInfo(K).Category; }

std::vector<ScalarKind> valueKinds() {
  std::vector<ScalarKind> Kinds;
  for (unsigned I = 0; I != NumScalarKinds; ++I)
    if (categoryOf(ScalarKind(I)) != ScalarCategory::Void)
      Kinds.push_back(ScalarKind(I));
  return Kinds;
}

/// The low bits of `Bits` normalized as ConstValue holds a lane of `K`.
ConstValue normalizedInt(ScalarKind K, uint64_t Bits) {
  unsigned Width = getScalarInfo(K).Bits;
  if (Width == 64)
    return ConstValue::getInt(int64_t(Bits));
  uint64_t Low = Bits & ((uint64_t(1) << Width) - 1);
  if (categoryOf(K) == ScalarCategory::Signed && (Low >> (Width - 1)))
    Low |= ~((uint64_t(1) << Width) - 1);
  return ConstValue::getInt(int64_t(Low));
}

ConstValue toDouble(llvm::APFloat F) {
  if (F.isSignaling()) // no constant holds one
    F = llvm::APFloat::getQNaN(F.getSemantics(), F.isNegative());
  bool LosesInfo = false;
  F.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
            &LosesInfo);
  return ConstValue::getFloat(F.convertToDouble());
}

/// Random constants of `K`, with its corner values often.
class ValueSource {
public:
  ConstValue get(ScalarKind K) {
    switch (categoryOf(K)) {
    case ScalarCategory::Bool:
      return ConstValue::getBool(Rng() & 1);
    case ScalarCategory::Index:
      return ConstValue::getInt(getIndex());
    case ScalarCategory::Signed:
    case ScalarCategory::Unsigned:
      return normalizedInt(K, getBits(getScalarInfo(K).Bits));
    case ScalarCategory::Float:
      return getFloat(K);
    case ScalarCategory::Void:
      break;
    }
    return ConstValue();
  }

private:
  int64_t getIndex() {
    static constexpr int64_t Corners[] = {0,
                                          1,
                                          -1,
                                          2,
                                          -2,
                                          7,
                                          -7,
                                          63,
                                          64,
                                          std::numeric_limits<int64_t>::min(),
                                          std::numeric_limits<int64_t>::max()};
    switch (Rng() % 4) {
    case 0:
      return Corners[Rng() % std::size(Corners)];
    case 1:
      return int64_t(Rng() % 201) - 100;
    case 2:
      return int64_t(Rng() % 70);
    default:
      return int64_t(Rng());
    }
  }
  uint64_t getBits(unsigned Width) {
    uint64_t Top = uint64_t(1) << (Width - 1);
    uint64_t Corners[] = {0,       1,       ~uint64_t(0), 2,        Top,
                          Top - 1, Top + 1, Width,        Width - 1};
    switch (Rng() % 4) {
    case 0:
      return Corners[Rng() % std::size(Corners)];
    case 1:
      return uint64_t(int64_t(Rng() % 21) - 10);
    default:
      return Rng();
    }
  }
  ConstValue getFloat(ScalarKind K) {
    const llvm::fltSemantics &Sem = getFloatSemantics(K);
    if (Rng() % 3 == 0) {
      static constexpr double Corners[] = {
          0.0,
          -0.0,
          1.0,
          -1.0,
          0.5,
          -0.5,
          2.5,
          -2.5,
          3.0,
          1e30,
          -1e30,
          std::numeric_limits<double>::infinity(),
          -std::numeric_limits<double>::infinity(),
          std::numeric_limits<double>::quiet_NaN(),
          300.0,
          65520.0};
      llvm::APFloat F(Corners[Rng() % std::size(Corners)]);
      bool LosesInfo = false;
      F.convert(Sem, llvm::APFloat::rmNearestTiesToEven, &LosesInfo);
      return toDouble(F);
    }
    unsigned Width = getScalarInfo(K).Bits;
    uint64_t Bits = Width == 64 ? Rng() : Rng() & ((uint64_t(1) << Width) - 1);
    return toDouble(llvm::APFloat(Sem, llvm::APInt(Width, Bits)));
  }

  std::mt19937_64 Rng{20240607};
};

std::string describe(ConstValue V) {
  std::ostringstream OS;
  if (V.isFloat())
    OS << std::hexfloat << V.getFloat();
  else
    OS << V.getInt();
  return OS.str();
}

std::string describeCase(Op O, ScalarKind Result, ScalarKind Operand,
                         llvm::ArrayRef<ConstValue> Operands) {
  std::string S = getMnemonic(O).str() + "(";
  for (size_t I = 0; I != Operands.size(); ++I)
    S += (I ? ", " : "") + describe(Operands[I]);
  return S + ") : " + getScalarInfo(Operand).Mnemonic + " -> " +
         getScalarInfo(Result).Mnemonic;
}

/// Whether encodeOp may refuse (O, Result, Operand) although evalAlu has
/// values there: what Z3 cannot express exactly (docs/Verification.md).
bool mayBeUnencodable(Op O, ScalarKind Result, ScalarKind Operand) {
  if (O == Op::Exp2 || O == Op::Log2 || O == Op::Sin || O == Op::Pow)
    return true;
  if (O == Op::Bitcast && categoryOf(Operand) == ScalarCategory::Float)
    return true; // Z3 floats have no nan payloads
  bool TouchesFP8E4M3 =
      Result == ScalarKind::FP8E4M3 || Operand == ScalarKind::FP8E4M3;
  // fp8e4m3 is kept as bits: data movement, neg, comparisons and max only.
  bool OnBits = O == Op::Where || O == Op::Neg || O == Op::Max ||
                hasTrait(O, OpTrait::Comparison) ||
                (O == Op::Bitcast && Operand == ScalarKind::FP8E4M3);
  return TouchesFP8E4M3 && !OnBits;
}

/// Whether evalAlu's missing value is the "not representable" kind, not UB:
/// an index result outside int64, or a bitcast to a signaling nan.
bool isUnrepresentable(Op O, ScalarKind Result, const z3::expr &Value) {
  if (O == Op::Bitcast && categoryOf(Result) == ScalarCategory::Float)
    return true;
  int64_t Unused;
  return categoryOf(Result) == ScalarCategory::Index &&
         !Value.is_numeral_i64(Unused);
}

class SemanticsTest : public ::testing::Test {
protected:
  /// Checks encodeOp against evalAlu on random operands; the first operand
  /// has type `Operand`, a `where` condition is bool.
  void checkAgainstEvalAlu(Op O, ScalarKind Result, ScalarKind Operand) {
    unsigned NumOperands = getOpInfo(O).MinOperands;
    bool Refused = false, EvalHasValues = false;
    for (unsigned Trial = 0; Trial != TrialsPerCase; ++Trial) {
      std::vector<ConstValue> Operands;
      std::vector<Z3Value> Encoded;
      for (unsigned I = 0; I != NumOperands; ++I) {
        ScalarKind K = O == Op::Where && I != 0 ? Result : Operand;
        Operands.push_back(Values.get(K));
        Encoded.push_back(
            {encodeConst(Ctx, K, Operands.back()), Ctx.bool_val(false)});
      }
      std::optional<ConstValue> Expected =
          evalAlu(O, Result, Operand, Operands);
      EvalHasValues |= Expected.has_value();
      llvm::Expected<Z3Value> Actual =
          encodeOp(Ctx, O, Result, Operand, Encoded);
      if (!Actual) {
        llvm::consumeError(Actual.takeError());
        Refused = true;
        continue;
      }
      std::string Case = describeCase(O, Result, Operand, Operands);
      z3::expr UB = Actual->UB.simplify();
      ASSERT_TRUE(UB.is_true() || UB.is_false()) << Case << ": " << UB;
      z3::expr Value = Actual->Value.simplify();
      if (Expected) {
        EXPECT_TRUE(UB.is_false()) << Case << " is defined in evalAlu";
        z3::expr Same =
            (Value == encodeConst(Ctx, Result, *Expected)).simplify();
        EXPECT_TRUE(Same.is_true()) << Case << ": evalAlu gives "
                                    << describe(*Expected) << ", Z3 " << Value;
        ++NumChecked;
        continue;
      }
      EXPECT_TRUE(UB.is_true() || isUnrepresentable(O, Result, Value))
          << Case << " has no value in evalAlu but is defined in Z3: " << Value;
      ++NumChecked;
    }
    if (Refused && EvalHasValues)
      EXPECT_TRUE(mayBeUnencodable(O, Result, Operand))
          << "encodeOp refuses " << getMnemonic(O).str() << " on "
          << getScalarInfo(Operand).Mnemonic << " -> "
          << getScalarInfo(Result).Mnemonic << ", which evalAlu defines";
  }

  z3::context Ctx;
  ValueSource Values;
  unsigned NumChecked = 0;
};

bool isConversion(Op O) { return O == Op::Cast || O == Op::Bitcast; }

TEST_F(SemanticsTest, EveryElementwiseOpOnEveryTypeAgreesWithEvalAlu) {
  for (unsigned I = 0; I != NumOps; ++I) {
    Op O = Op(I);
    if (!hasTrait(O, OpTrait::Elementwise) || isConversion(O))
      continue;
    for (ScalarKind K : valueKinds()) {
      if (O == Op::Where)
        checkAgainstEvalAlu(O, K, ScalarKind::Bool);
      else if (hasTrait(O, OpTrait::Comparison))
        checkAgainstEvalAlu(O, ScalarKind::Bool, K);
      else
        checkAgainstEvalAlu(O, K, K);
    }
  }
  EXPECT_GT(NumChecked, 10000u);
}

TEST_F(SemanticsTest, EveryConversionAgreesWithEvalAlu) {
  for (Op O : {Op::Cast, Op::Bitcast})
    for (ScalarKind From : valueKinds())
      for (ScalarKind To : valueKinds())
        checkAgainstEvalAlu(O, To, From);
  EXPECT_GT(NumChecked, 5000u);
}

TEST_F(SemanticsTest, TranscendentalsAreRefusedNotGuessed) {
  Z3Value X{Ctx.fpa_const("x", 8, 24), Ctx.bool_val(false)};
  llvm::Expected<Z3Value> V =
      encodeOp(Ctx, Op::Exp2, ScalarKind::F32, ScalarKind::F32, {X});
  ASSERT_FALSE(bool(V));
  EXPECT_EQ(llvm::toString(V.takeError()),
            "cannot encode 'exp2' on f32: Z3 has no exact form of the host "
            "libm's result");
}

TEST_F(SemanticsTest, WhereIsUndefinedWhenEitherBranchIs) {
  z3::expr C = Ctx.bool_const("c");
  Z3Value Defined{Ctx.int_val(1), Ctx.bool_val(false)};
  Z3Value Undefined{Ctx.int_val(2), Ctx.bool_const("ub")};
  llvm::Expected<Z3Value> V =
      encodeOp(Ctx, Op::Where, ScalarKind::Index, ScalarKind::Bool,
               {{C, Ctx.bool_val(false)}, Defined, Undefined});
  ASSERT_TRUE(bool(V));
  z3::solver S(Ctx);
  S.add(Ctx.bool_const("ub") && C && !V->UB);
  EXPECT_EQ(S.check(), z3::unsat);
}

TEST_F(SemanticsTest, ValueEncoderBoundsVariables) {
  Context IR;
  DType Index = IR.getScalar(ScalarKind::Index);
  const UOp *X = IR.get(
      Op::DefineVar, Index, {},
      IR.getListArg({IR.getStringArg("x"), IR.getIntArg(0), IR.getIntArg(9)}));
  const UOp *Sum = IR.get(Op::Add, Index, {X, IR.getConst(Index, 1)});
  ValueEncoder Encoder(Ctx);
  llvm::Expected<Z3Value> V = Encoder.encode(Sum);
  ASSERT_TRUE(bool(V));
  ASSERT_EQ(Encoder.getFreeConstants().size(), 1u);
  EXPECT_EQ(Encoder.getFreeConstants()[0].Reason, "define_var in [0, 9]");
  z3::solver S(Ctx);
  for (const z3::expr &B : Encoder.getBounds())
    S.add(B);
  S.add(V->Value > 10);
  EXPECT_EQ(S.check(), z3::unsat);
}

} // namespace
