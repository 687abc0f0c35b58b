//===- Eval.cpp - the value of every elementwise op on constants ----------===//
//
// evalAlu handles cast, bitcast and where first (their operand and result
// types differ), then dispatches on the operand type's family: bool, fixed
// width integers (computed on 64-bit patterns, then wrapped to the width),
// index (int64 with every overflow checked) and floats (APFloat in the
// type's own semantics, one rounding per op; f32 and f64 arithmetic in the
// host's float and double, which round the same way and are checked against
// APFloat bit for bit in EvalTest). docs/Semantics.md is the same
// definition in prose.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Eval.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Context.h"
#include "tg/IR/UOp.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>

using namespace tg;
using llvm::APFloat;

ConstValue ConstValue::fromArg(const Arg &A) {
  assert((A.isInt() || A.isBool() || A.isFloat()) && "not a constant");
  if (A.isFloat())
    return getFloat(A.getFloat());
  return getInt(A.isBool() ? A.getBool() : A.getInt());
}

const Arg *ConstValue::toArg(Context &Ctx, ScalarKind Type) const {
  switch (getScalarInfo(Type).Category) {
  case ScalarCategory::Bool:
    return Ctx.getBoolArg(getInt() != 0);
  case ScalarCategory::Float:
    return Ctx.getFloatArg(getFloat());
  default:
    return Ctx.getIntArg(getInt());
  }
}

namespace {

constexpr APFloat::roundingMode NearestEven = APFloat::rmNearestTiesToEven;

ScalarCategory categoryOf(ScalarKind K) { return getScalarInfo(K).Category; }

bool isDivision(Op O) { return O == Op::FloorDiv || O == Op::TruncDiv; }

//===----------------------------------------------------------------------===//
// Integers
//===----------------------------------------------------------------------===//

/// The low bits of `Bits` as a value of the fixed-width integer type `Type`
/// (two's-complement wraparound), normalized as ConstValue requires.
int64_t wrap(uint64_t Bits, ScalarKind Type) {
  const ScalarInfo &Info = getScalarInfo(Type);
  unsigned Unused = 64 - Info.Bits;
  uint64_t High = Bits << Unused;
  if (Info.Category == ScalarCategory::Signed)
    return int64_t(High) >> Unused;
  return int64_t(High >> Unused);
}

/// The smallest value of a signed fixed-width type.
int64_t getSignedMin(ScalarKind Type) {
  return wrap(uint64_t(1) << (getScalarInfo(Type).Bits - 1), Type);
}

/// floordiv, floormod, truncdiv or truncmod on int64 when B is neither 0 nor
/// -1, so nothing overflows.
int64_t divideSigned(Op O, int64_t A, int64_t B) {
  int64_t Quotient = A / B, Remainder = A % B;
  // C rounds toward zero; flooring steps down when a nonzero remainder and
  // the divisor have opposite signs.
  if ((O == Op::FloorDiv || O == Op::FloorMod) && Remainder != 0 &&
      (Remainder < 0) != (B < 0)) {
    --Quotient;
    Remainder += B;
  }
  return isDivision(O) ? Quotient : Remainder;
}

std::optional<ConstValue> divideFixedWidth(Op O, ScalarKind Type, int64_t A,
                                           int64_t B) {
  if (B == 0)
    return std::nullopt;
  // Unsigned values are zero-extended (u64 is its bit pattern), so uint64
  // arithmetic is exact; floor and truncation agree on them.
  if (categoryOf(Type) == ScalarCategory::Unsigned) {
    uint64_t UA = A, UB = B;
    return ConstValue::getInt(int64_t(isDivision(O) ? UA / UB : UA % UB));
  }
  if (B != -1)
    return ConstValue::getInt(divideSigned(O, A, B));
  // a / -1 is -a, which wraps for the minimum; truncdiv is undefined there,
  // as C's `/` is.
  if (O == Op::TruncDiv && A == getSignedMin(Type))
    return std::nullopt;
  return ConstValue::getInt(isDivision(O) ? wrap(0 - uint64_t(A), Type) : 0);
}

/// tinygrad's threefry2x32: Threefry-2x32 with 20 rounds (Salmon et al.,
/// Random123) of the counter (low word of X, high word of X) under the key
/// (low word of Key, high word of Key); the output words (Y0, Y1) are
/// returned as Y1 << 32 | Y0.
uint64_t threefry2x32(uint64_t X, uint64_t Key) {
  static constexpr int Rotations[2][4] = {{13, 15, 26, 6}, {17, 29, 16, 24}};
  uint32_t KeyWords[3] = {uint32_t(Key), uint32_t(Key >> 32), 0};
  KeyWords[2] = KeyWords[0] ^ KeyWords[1] ^ 0x1BD11BDA;
  uint32_t X0 = uint32_t(X) + KeyWords[0];
  uint32_t X1 = uint32_t(X >> 32) + KeyWords[1];
  for (uint32_t Injection = 1; Injection <= 5; ++Injection) {
    for (int R : Rotations[(Injection - 1) % 2]) {
      X0 += X1;
      X1 = llvm::rotl(X1, R) ^ X0;
    }
    X0 += KeyWords[Injection % 3];
    X1 += KeyWords[(Injection + 1) % 3] + Injection;
  }
  return uint64_t(X1) << 32 | X0;
}

/// Signed and unsigned integers of 8 to 64 bits.
std::optional<ConstValue> evalFixedWidth(Op O, ScalarKind Type,
                                         llvm::ArrayRef<ConstValue> Operands) {
  const ScalarInfo &Info = getScalarInfo(Type);
  bool Signed = Info.Category == ScalarCategory::Signed;
  int64_t A = Operands[0].getInt();
  int64_t B = Operands.size() > 1 ? Operands[1].getInt() : 0;
  uint64_t UA = A, UB = B;
  // Signed values are sign-extended and unsigned ones zero-extended, so
  // comparing them as int64 or uint64 compares the values.
  bool Less = Signed ? A < B : UA < UB;
  bool ShiftInRange = B >= 0 && B < int64_t(Info.Bits);
  auto Wrapped = [&](uint64_t Bits) {
    return ConstValue::getInt(wrap(Bits, Type));
  };
  switch (O) {
  case Op::Neg:
    return Wrapped(0 - UA);
  case Op::Add:
    return Wrapped(UA + UB);
  case Op::Sub:
    return Wrapped(UA - UB);
  case Op::Mul:
    return Wrapped(UA * UB);
  case Op::MulAcc:
    return Wrapped(UA * UB + uint64_t(Operands[2].getInt()));
  case Op::Max:
    return ConstValue::getInt(Less ? B : A);
  case Op::And:
    return ConstValue::getInt(A & B);
  case Op::Or:
    return ConstValue::getInt(A | B);
  case Op::Xor:
    return ConstValue::getInt(A ^ B);
  case Op::Shl:
    if (!ShiftInRange)
      return std::nullopt;
    return Wrapped(UA << B);
  case Op::Shr:
    if (!ShiftInRange)
      return std::nullopt;
    return ConstValue::getInt(Signed ? A >> B : int64_t(UA >> B));
  case Op::FloorDiv:
  case Op::FloorMod:
  case Op::TruncDiv:
  case Op::TruncMod:
    return divideFixedWidth(O, Type, A, B);
  case Op::CmpLT:
    return ConstValue::getBool(Less);
  case Op::CmpEQ:
    return ConstValue::getBool(A == B);
  case Op::CmpNE:
    return ConstValue::getBool(A != B);
  case Op::Threefry:
    if (Type != ScalarKind::U64)
      return std::nullopt;
    return ConstValue::getInt(int64_t(threefry2x32(UA, UB)));
  default:
    return std::nullopt;
  }
}

/// An index result, or nothing when the exact value overflowed int64.
std::optional<ConstValue> unlessOverflow(bool Overflow, int64_t Result) {
  if (Overflow)
    return std::nullopt;
  return ConstValue::getInt(Result);
}

/// a * 2^b, exactly.
std::optional<ConstValue> shiftLeftIndex(int64_t A, int64_t B) {
  if (B < 0)
    return std::nullopt;
  if (A == 0)
    return ConstValue::getInt(0);
  if (B > 63)
    return std::nullopt;
  int64_t Result = int64_t(uint64_t(A) << B);
  // Shifting back differs when bits (or the sign) were shifted out.
  return unlessOverflow(Result >> B != A, Result);
}

/// a * b + c, exactly: the product may leave int64 while the sum does not.
std::optional<ConstValue> mulAddIndex(int64_t A, int64_t B, int64_t C) {
  llvm::APInt Exact = llvm::APInt(128, A, /*isSigned=*/true) *
                          llvm::APInt(128, B, /*isSigned=*/true) +
                      llvm::APInt(128, C, /*isSigned=*/true);
  return unlessOverflow(!Exact.isSignedIntN(64), Exact.getSExtValue());
}

/// index: unbounded integers, represented as int64 where they fit.
std::optional<ConstValue> evalIndex(Op O, llvm::ArrayRef<ConstValue> Operands) {
  int64_t A = Operands[0].getInt();
  int64_t B = Operands.size() > 1 ? Operands[1].getInt() : 0;
  int64_t Result = 0;
  switch (O) {
  case Op::Neg:
    return unlessOverflow(llvm::SubOverflow(int64_t(0), A, Result), Result);
  case Op::Add:
    return unlessOverflow(llvm::AddOverflow(A, B, Result), Result);
  case Op::Sub:
    return unlessOverflow(llvm::SubOverflow(A, B, Result), Result);
  case Op::Mul:
    return unlessOverflow(llvm::MulOverflow(A, B, Result), Result);
  case Op::MulAcc:
    return mulAddIndex(A, B, Operands[2].getInt());
  case Op::Max:
    return ConstValue::getInt(std::max(A, B));
  // Bitwise ops act on the infinite two's-complement form, as Python's do.
  case Op::And:
    return ConstValue::getInt(A & B);
  case Op::Or:
    return ConstValue::getInt(A | B);
  case Op::Xor:
    return ConstValue::getInt(A ^ B);
  case Op::Shl:
    return shiftLeftIndex(A, B);
  case Op::Shr: // floor(a / 2^b)
    if (B < 0)
      return std::nullopt;
    return ConstValue::getInt(B > 63 ? (A < 0 ? -1 : 0) : A >> B);
  case Op::FloorDiv:
  case Op::FloorMod:
  case Op::TruncDiv:
  case Op::TruncMod:
    if (B == 0)
      return std::nullopt;
    if (B != -1)
      return ConstValue::getInt(divideSigned(O, A, B));
    if (!isDivision(O))
      return ConstValue::getInt(0);
    return unlessOverflow(llvm::SubOverflow(int64_t(0), A, Result), Result);
  case Op::CmpLT:
    return ConstValue::getBool(A < B);
  case Op::CmpEQ:
    return ConstValue::getBool(A == B);
  case Op::CmpNE:
    return ConstValue::getBool(A != B);
  default:
    return std::nullopt;
  }
}

/// bool: add and max are or, mul is and, as in tinygrad; false < true.
std::optional<ConstValue> evalBool(Op O, llvm::ArrayRef<ConstValue> Operands) {
  bool A = Operands[0].getInt() != 0;
  bool B = Operands.size() > 1 && Operands[1].getInt() != 0;
  switch (O) {
  case Op::Add:
  case Op::Max:
  case Op::Or:
    return ConstValue::getBool(A || B);
  case Op::Mul:
  case Op::And:
    return ConstValue::getBool(A && B);
  case Op::MulAcc:
    return ConstValue::getBool((A && B) || Operands[2].getInt() != 0);
  case Op::Xor:
  case Op::CmpNE:
    return ConstValue::getBool(A != B);
  case Op::CmpEQ:
    return ConstValue::getBool(A == B);
  case Op::CmpLT:
    return ConstValue::getBool(!A && B);
  default:
    return std::nullopt;
  }
}

//===----------------------------------------------------------------------===//
// Floats
//===----------------------------------------------------------------------===//

/// A float constant as an APFloat of its type; exact, since the double holds
/// a value of the type. f64 skips the conversion, which would quiet a
/// signaling nan.
APFloat toAPFloat(ConstValue V, const llvm::fltSemantics &Sem) {
  APFloat F(V.getFloat());
  if (&Sem == &APFloat::IEEEdouble())
    return F;
  bool LosesInfo = false;
  F.convert(Sem, NearestEven, &LosesInfo);
  return F;
}

/// F as a constant, bit for bit (every type's values are doubles).
ConstValue toConstValue(APFloat F) {
  bool LosesInfo = false;
  F.convert(APFloat::IEEEdouble(), NearestEven, &LosesInfo);
  return ConstValue::getFloat(F.convertToDouble());
}

/// A computed float: a nan result is the type's default nan, so the value
/// does not depend on which operand's payload a machine would propagate.
ConstValue fromResult(const APFloat &F) {
  if (F.isNaN())
    return toConstValue(APFloat::getQNaN(F.getSemantics()));
  return toConstValue(F);
}

/// Value rounded once to the type with semantics Sem.
ConstValue roundTo(double Value, const llvm::fltSemantics &Sem) {
  APFloat F(Value);
  bool LosesInfo = false;
  F.convert(Sem, NearestEven, &LosesInfo);
  return fromResult(F);
}

/// f32 and f64 arithmetic in the host's float and double, which round once
/// to nearest even as APFloat does (x86-64 and AArch64 compute each in its
/// own precision; no expression here has two ops to contract): the same
/// values, tens of times faster, for the interpreter's inner loops. Nullopt
/// for other ops and for nan results, whose default nan the APFloat path
/// makes.
template <typename F>
std::optional<ConstValue> evalNative(Op O,
                                     llvm::ArrayRef<ConstValue> Operands) {
  auto Operand = [&](unsigned I) { return F(Operands[I].getFloat()); };
  F A = Operand(0), R;
  switch (O) {
  case Op::Add:
    R = A + Operand(1);
    break;
  case Op::Sub:
    R = A - Operand(1);
    break;
  case Op::Mul:
    R = A * Operand(1);
    break;
  case Op::FDiv:
    R = A / Operand(1);
    break;
  case Op::Recip:
    R = F(1) / A;
    break;
  case Op::MulAcc:
    R = std::fma(A, Operand(1), Operand(2));
    break;
  case Op::Trunc:
    R = std::trunc(A);
    break;
  case Op::Max: { // IEEE 754-2019 maximum: -0.0 < +0.0
    F B = Operand(1);
    R = A == B ? (std::signbit(A) ? B : A) : (A > B ? A : B);
    break;
  }
  case Op::CmpLT:
    return ConstValue::getBool(A < Operand(1));
  case Op::CmpEQ:
    return ConstValue::getBool(A == Operand(1));
  case Op::CmpNE:
    return ConstValue::getBool(A != Operand(1));
  default:
    return std::nullopt;
  }
  if (std::isnan(R))
    return std::nullopt;
  return ConstValue::getFloat(double(R));
}

std::optional<ConstValue> evalFloat(Op O, ScalarKind Type,
                                    llvm::ArrayRef<ConstValue> Operands) {
  bool AnyNaN = llvm::any_of(
      Operands, [](ConstValue V) { return std::isnan(V.getFloat()); });
  if (!AnyNaN && (Type == ScalarKind::F32 || Type == ScalarKind::F64))
    if (std::optional<ConstValue> R = Type == ScalarKind::F32
                                          ? evalNative<float>(O, Operands)
                                          : evalNative<double>(O, Operands))
      return R;
  const llvm::fltSemantics &Sem = getFloatSemantics(Type);
  double X = Operands[0].getFloat();
  APFloat A = toAPFloat(Operands[0], Sem);
  auto Operand = [&](unsigned I) { return toAPFloat(Operands[I], Sem); };
  switch (O) {
  case Op::Neg: // flips the sign bit, of zeros and nans too
    return ConstValue::getFloat(-X);
  // Transcendentals go through the host's libm in double; sqrt of a double
  // is correctly rounded, and rounding it again to a type of at most 24
  // significand bits cannot change the result (53 >= 2 * 24 + 2).
  case Op::Exp2:
    return roundTo(std::exp2(X), Sem);
  case Op::Log2:
    return roundTo(std::log2(X), Sem);
  case Op::Sin:
    return roundTo(std::sin(X), Sem);
  case Op::Sqrt:
    return roundTo(std::sqrt(X), Sem);
  case Op::Pow:
    return roundTo(std::pow(X, Operands[1].getFloat()), Sem);
  case Op::Recip: {
    APFloat One(Sem, 1);
    One.divide(A, NearestEven);
    return fromResult(One);
  }
  case Op::Trunc:
    A.roundToIntegral(APFloat::rmTowardZero);
    return fromResult(A);
  case Op::Add:
    A.add(Operand(1), NearestEven);
    return fromResult(A);
  case Op::Sub:
    A.subtract(Operand(1), NearestEven);
    return fromResult(A);
  case Op::Mul:
    A.multiply(Operand(1), NearestEven);
    return fromResult(A);
  case Op::FDiv:
    A.divide(Operand(1), NearestEven);
    return fromResult(A);
  case Op::MulAcc: // fused: a * b + c rounded once
    A.fusedMultiplyAdd(Operand(1), Operand(2), NearestEven);
    return fromResult(A);
  case Op::Max: // IEEE 754-2019 maximum: nan wins, -0.0 < +0.0
    return fromResult(llvm::maximum(A, Operand(1)));
  case Op::CmpLT:
    return ConstValue::getBool(A.compare(Operand(1)) == APFloat::cmpLessThan);
  case Op::CmpEQ:
    return ConstValue::getBool(A.compare(Operand(1)) == APFloat::cmpEqual);
  case Op::CmpNE:
    return ConstValue::getBool(A.compare(Operand(1)) != APFloat::cmpEqual);
  default:
    return std::nullopt;
  }
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

/// A float to another float type (rounded to nearest even) or to an integer
/// type (truncated toward zero; nan and values out of range are undefined,
/// as in C).
std::optional<ConstValue> castFloat(double Value, ScalarKind To) {
  const ScalarInfo &Info = getScalarInfo(To);
  if (Info.Category == ScalarCategory::Float)
    return roundTo(Value, getFloatSemantics(To));
  llvm::APSInt Result(To == ScalarKind::Index ? 64 : Info.Bits,
                      /*isUnsigned=*/Info.Category == ScalarCategory::Unsigned);
  bool IsExact = false;
  if (APFloat(Value).convertToInteger(Result, APFloat::rmTowardZero, &IsExact) &
      APFloat::opInvalidOp)
    return std::nullopt;
  return ConstValue::getInt(Result.isUnsigned() ? int64_t(Result.getZExtValue())
                                                : Result.getSExtValue());
}

std::optional<ConstValue> evalCast(ConstValue V, ScalarKind From,
                                   ScalarKind To) {
  ScalarCategory FromCategory = categoryOf(From), ToCategory = categoryOf(To);
  if (FromCategory == ScalarCategory::Void ||
      ToCategory == ScalarCategory::Void)
    return std::nullopt;
  if (ToCategory == ScalarCategory::Bool) // nonzero is true, nan included
    return ConstValue::getBool(V.isFloat() ? V.getFloat() != 0
                                           : V.getInt() != 0);
  if (FromCategory == ScalarCategory::Float)
    return castFloat(V.getFloat(), To);
  // From bool, index or a fixed-width integer: V is the value, except that
  // a u64 above 2^63 - 1 is stored as a negative bit pattern.
  bool FromUnsigned = FromCategory == ScalarCategory::Unsigned;
  if (ToCategory == ScalarCategory::Float) {
    APFloat F(getFloatSemantics(To));
    F.convertFromAPInt(llvm::APInt(64, uint64_t(V.getInt())),
                       /*IsSigned=*/!FromUnsigned, NearestEven);
    return fromResult(F);
  }
  if (ToCategory == ScalarCategory::Index) {
    if (FromUnsigned && V.getInt() < 0)
      return std::nullopt;
    return V;
  }
  return ConstValue::getInt(wrap(uint64_t(V.getInt()), To));
}

/// Fixed-width integers and floats have a bit layout; index and bool do not.
bool hasBitLayout(ScalarKind K) {
  ScalarCategory C = categoryOf(K);
  return C == ScalarCategory::Signed || C == ScalarCategory::Unsigned ||
         C == ScalarCategory::Float;
}

/// The bits of V in type Type's width, zero-extended.
uint64_t getBits(ConstValue V, ScalarKind Type) {
  if (!V.isFloat())
    return uint64_t(V.getInt()) &
           llvm::maskTrailingOnes<uint64_t>(getScalarInfo(Type).Bits);
  if (Type == ScalarKind::F64)
    return llvm::bit_cast<uint64_t>(V.getFloat());
  if (Type == ScalarKind::F32 && !std::isnan(V.getFloat()))
    return llvm::bit_cast<uint32_t>(float(V.getFloat()));
  return toAPFloat(V, getFloatSemantics(Type)).bitcastToAPInt().getZExtValue();
}

std::optional<ConstValue> evalBitcast(ConstValue V, ScalarKind From,
                                      ScalarKind To) {
  unsigned Width = getScalarInfo(To).Bits;
  if (!hasBitLayout(From) || !hasBitLayout(To) ||
      getScalarInfo(From).Bits != Width)
    return std::nullopt;
  uint64_t Bits = getBits(V, From);
  if (categoryOf(To) != ScalarCategory::Float)
    return ConstValue::getInt(wrap(Bits, To));
  if (To == ScalarKind::F64)
    return ConstValue::getFloat(llvm::bit_cast<double>(Bits));
  if (To == ScalarKind::F32)
    if (float F = llvm::bit_cast<float>(uint32_t(Bits)); !std::isnan(F))
      return ConstValue::getFloat(double(F));
  APFloat F(getFloatSemantics(To), llvm::APInt(Width, Bits));
  // Widening a signaling nan to a double quiets it, so no constant holds one.
  if (F.isSignaling())
    return std::nullopt;
  return toConstValue(F);
}

} // namespace

std::optional<ConstValue> tg::evalAlu(Op O, ScalarKind ResultType,
                                      ScalarKind OperandType,
                                      llvm::ArrayRef<ConstValue> Operands) {
  if (!hasTrait(O, OpTrait::Elementwise) ||
      Operands.size() != size_t(getOpInfo(O).MinOperands))
    return std::nullopt;
  switch (O) {
  case Op::Cast:
    return evalCast(Operands[0], OperandType, ResultType);
  case Op::Bitcast:
    return evalBitcast(Operands[0], OperandType, ResultType);
  case Op::Where:
    if (OperandType != ScalarKind::Bool)
      return std::nullopt;
    return Operands[0].getInt() != 0 ? Operands[1] : Operands[2];
  default:
    break;
  }
  bool IsComparison = hasTrait(O, OpTrait::Comparison);
  if (ResultType != (IsComparison ? ScalarKind::Bool : OperandType))
    return std::nullopt;
  switch (categoryOf(OperandType)) {
  case ScalarCategory::Bool:
    return evalBool(O, Operands);
  case ScalarCategory::Signed:
  case ScalarCategory::Unsigned:
    return evalFixedWidth(O, OperandType, Operands);
  case ScalarCategory::Index:
    return evalIndex(O, Operands);
  case ScalarCategory::Float:
    return evalFloat(O, OperandType, Operands);
  case ScalarCategory::Void:
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<ConstValue> tg::evalScalar(
    const UOp *U,
    llvm::function_ref<std::optional<ConstValue>(const UOp *)> Leaf) {
  if (std::optional<ConstValue> V = Leaf(U))
    return V;
  if (!U->getDType().isScalar())
    return std::nullopt;
  if (U->getOp() == Op::Const)
    return ConstValue::fromArg(*U->getArg());
  if (!U->hasTrait(OpTrait::Elementwise))
    return std::nullopt;
  // Bounds are small expressions: recursion is fine here.
  llvm::SmallVector<ConstValue, 3> Operands;
  for (const UOp *Src : U->getSrcs()) {
    std::optional<ConstValue> V = evalScalar(Src, Leaf);
    if (!V)
      return std::nullopt;
    Operands.push_back(*V);
  }
  return evalAlu(U->getOp(), U->getDType().getScalarKind(),
                 U->getSrc(0)->getDType().getScalarKind(), Operands);
}
