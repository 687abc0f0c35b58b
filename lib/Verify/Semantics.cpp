//===- Semantics.cpp - the meaning of UOps as Z3 terms --------------------===//
//
// Each case mirrors evalAlu (lib/IR/Eval.cpp) and docs/Semantics.md; the
// unit test cross-checks them on random constants.
//
//===----------------------------------------------------------------------===//

#include "tg/Verify/Semantics.h"

#include "tg/Analysis/RangeAnalysis.h"
#include "tg/IR/Arg.h"
#include "tg/IR/UOp.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"

#include <limits>

using namespace tg;

namespace {

ScalarCategory categoryOf(ScalarKind K) { return getScalarInfo(K).Category; }
unsigned bitsOf(ScalarKind K) { return getScalarInfo(K).Bits; }
bool isFixedWidth(ScalarKind K) {
  return categoryOf(K) == ScalarCategory::Signed ||
         categoryOf(K) == ScalarCategory::Unsigned;
}
/// fp8e4m3 has no infinities, so no Z3 floating-point sort holds it: it is
/// kept as its 8 bits, which only `where`, `neg` and casts to bool read.
bool isOpaqueFloat(ScalarKind K) { return K == ScalarKind::FP8E4M3; }
bool isIEEEFloat(ScalarKind K) {
  return categoryOf(K) == ScalarCategory::Float && !isOpaqueFloat(K);
}

llvm::Error makeError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

llvm::Error notEncodable(Op O, ScalarKind K, const llvm::Twine &Why) {
  return makeError("cannot encode '" + getMnemonic(O) + "' on " +
                   getScalarInfo(K).Mnemonic + ": " + Why);
}

z3::expr wrap(z3::context &Ctx, Z3_ast A) {
  Ctx.check_error();
  return z3::expr(Ctx, A);
}

z3::expr roundNearestEven(z3::context &Ctx) {
  return wrap(Ctx, Z3_mk_fpa_round_nearest_ties_to_even(Ctx));
}
z3::expr roundTowardZero(z3::context &Ctx) {
  return wrap(Ctx, Z3_mk_fpa_round_toward_zero(Ctx));
}

z3::expr floatConst(z3::context &Ctx, double Value, const z3::sort &S) {
  return wrap(Ctx, Z3_mk_fpa_numeral_double(Ctx, Value, S));
}

/// The bits of a float constant of type `K`, as evalAlu reads it (the
/// double holds a value of the type exactly).
uint64_t floatBits(ScalarKind K, double Value) {
  llvm::APFloat F(Value);
  bool LosesInfo = false;
  F.convert(getFloatSemantics(K), llvm::APFloat::rmNearestTiesToEven,
            &LosesInfo);
  return F.bitcastToAPInt().getZExtValue();
}

z3::expr valueOf(z3::context &Ctx, ScalarKind K, int64_t Value,
                 unsigned IndexBits) {
  if (categoryOf(K) == ScalarCategory::Float)
    return encodeConst(Ctx, K, ConstValue::getFloat(double(Value)));
  return encodeConst(Ctx, K, ConstValue::getInt(Value), IndexBits);
}

/// `V`, a two's-complement bit-vector read signed when `Signed`, at `Bits`
/// bits: truncated or extended. Exact when the value fits `Bits`.
z3::expr resize(const z3::expr &V, bool Signed, unsigned Bits) {
  z3::context &Ctx = V.ctx();
  unsigned From = V.get_sort().bv_size();
  if (Bits == From)
    return V;
  if (Bits < From)
    return V.extract(Bits - 1, 0);
  return wrap(Ctx, Signed ? Z3_mk_sign_ext(Ctx, Bits - From, V)
                          : Z3_mk_zero_ext(Ctx, Bits - From, V));
}

//===----------------------------------------------------------------------===//
// Integers
//===----------------------------------------------------------------------===//

/// Floor division and modulo from truncating ones (bvsdiv, bvsrem): step
/// down when a nonzero remainder and the divisor have opposite signs.
z3::expr floorFromTrunc(Op O, const z3::expr &B, const z3::expr &Quotient,
                        const z3::expr &Remainder, const z3::expr &Zero) {
  z3::expr StepDown = Remainder != Zero && ((Remainder < Zero) != (B < Zero));
  if (O == Op::FloorDiv)
    return z3::ite(StepDown, Quotient - 1, Quotient);
  return z3::ite(StepDown, Remainder + B, Remainder);
}

/// `O` on the fixed-width integer type `K`, or with `K` index on the
/// bit-vectors of the bounded index encoding (signed, IndexBits wide).
llvm::Expected<Z3Value> encodeBitVector(z3::context &Ctx, Op O, ScalarKind K,
                                        llvm::ArrayRef<z3::expr> X,
                                        const z3::expr &UB,
                                        unsigned IndexBits = 0) {
  bool IsIndex = categoryOf(K) == ScalarCategory::Index;
  bool Signed = IsIndex || categoryOf(K) == ScalarCategory::Signed;
  unsigned Bits = IsIndex ? IndexBits : bitsOf(K);
  const z3::expr &A = X[0];
  auto B = [&] { return X[1]; };
  z3::expr Zero = Ctx.bv_val(0, Bits);
  auto less = [&](const z3::expr &L, const z3::expr &R) {
    return Signed ? z3::slt(L, R) : z3::ult(L, R);
  };
  auto defined = [&](z3::expr V) { return Z3Value{V, UB}; };
  switch (O) {
  case Op::Neg:
    return defined(-A);
  case Op::Add:
    return defined(A + B());
  case Op::Sub:
    return defined(A - B());
  case Op::Mul:
    return defined(A * B());
  case Op::MulAcc:
    return defined(A * B() + X[2]);
  case Op::Max:
    return defined(z3::ite(less(A, B()), B(), A));
  case Op::And:
    return defined(A & B());
  case Op::Or:
    return defined(A | B());
  case Op::Xor:
    return defined(A ^ B());
  case Op::CmpLT:
    return defined(less(A, B()));
  case Op::CmpEQ:
    return defined(A == B());
  case Op::CmpNE:
    return defined(A != B());
  case Op::Shl:
  case Op::Shr: {
    // index: a * 2^b and floor(a / 2^b), which the shifts compute wherever
    // a and the result fit; only a negative amount is undefined.
    if (IsIndex) {
      z3::expr Value =
          O == Op::Shl ? z3::shl(A, B()) : wrap(Ctx, Z3_mk_bvashr(Ctx, A, B()));
      return Z3Value{Value, UB || z3::slt(B(), Zero)};
    }
    // The amount is read signed for iN (negative is out of range) and
    // unsigned for uN.
    z3::expr Width = Ctx.bv_val(Bits, Bits);
    z3::expr OutOfRange =
        Signed ? (z3::slt(B(), Zero) || B() >= Width) : z3::uge(B(), Width);
    z3::expr Value = O == Op::Shl ? z3::shl(A, B())
                     : Signed     ? wrap(Ctx, Z3_mk_bvashr(Ctx, A, B()))
                                  : z3::lshr(A, B());
    return Z3Value{Value, UB || OutOfRange};
  }
  case Op::FloorDiv:
  case Op::FloorMod:
  case Op::TruncDiv:
  case Op::TruncMod: {
    z3::expr DivByZero = B() == Zero;
    bool IsDivision = O == Op::FloorDiv || O == Op::TruncDiv;
    if (!Signed)
      return Z3Value{IsDivision ? z3::udiv(A, B()) : z3::urem(A, B()),
                     UB || DivByZero};
    z3::expr Quotient = A / B(); // bvsdiv: rounds toward zero, wraps
    z3::expr Remainder = z3::srem(A, B());
    if (O == Op::TruncDiv && !IsIndex) {
      z3::expr Min = Ctx.bv_val(uint64_t(1) << (Bits - 1), Bits);
      z3::expr Overflow = A == Min && B() == Ctx.bv_val(-1, Bits);
      return Z3Value{Quotient, UB || DivByZero || Overflow};
    }
    if (O == Op::TruncDiv)
      return Z3Value{Quotient, UB || DivByZero};
    if (O == Op::TruncMod)
      return Z3Value{Remainder, UB || DivByZero};
    return Z3Value{floorFromTrunc(O, B(), Quotient, Remainder, Zero),
                   UB || DivByZero};
  }
  case Op::Threefry: {
    if (K != ScalarKind::U64)
      return notEncodable(O, K, "threefry is defined on u64 only");
    // As lib/IR/Eval.cpp's threefry2x32, on 32-bit words.
    static constexpr unsigned Rotations[2][4] = {{13, 15, 26, 6},
                                                 {17, 29, 16, 24}};
    z3::expr Key = B();
    z3::expr KeyWords[3] = {Key.extract(31, 0), Key.extract(63, 32),
                            Ctx.bv_val(0, 32)};
    KeyWords[2] = KeyWords[0] ^ KeyWords[1] ^ Ctx.bv_val(0x1BD11BDAu, 32);
    z3::expr X0 = A.extract(31, 0) + KeyWords[0];
    z3::expr X1 = A.extract(63, 32) + KeyWords[1];
    for (unsigned Injection = 1; Injection <= 5; ++Injection) {
      for (unsigned R : Rotations[(Injection - 1) % 2]) {
        X0 = X0 + X1;
        X1 = wrap(Ctx, Z3_mk_rotate_left(Ctx, R, X1)) ^ X0;
      }
      X0 = X0 + KeyWords[Injection % 3];
      X1 = X1 + KeyWords[(Injection + 1) % 3] + Ctx.bv_val(Injection, 32);
    }
    return defined(z3::concat(X1, X0));
  }
  default:
    return notEncodable(O, K, "not defined on integers");
  }
}

/// index bitwise ops act on the infinite two's-complement form; 64 bits
/// hold it exactly for operands within int64, where every index value lies.
z3::expr indexBitwise(Op O, const z3::expr &A, const z3::expr &B) {
  z3::expr WideA = z3::int2bv(64, A), WideB = z3::int2bv(64, B);
  z3::expr Wide = O == Op::And  ? (WideA & WideB)
                  : O == Op::Or ? (WideA | WideB)
                                : (WideA ^ WideB);
  return z3::bv2int(Wide, /*is_signed=*/true);
}

/// 2^min(B, 128) for B >= 0, as an Int. Z3's own power is nonlinear and
/// does not even evaluate on large constants; this is exact for index
/// shifts whose operand and result lie within +-2^127, which include all
/// that evalAlu can represent (docs/Verification.md, known limits).
z3::expr powerOfTwo(z3::context &Ctx, const z3::expr &B) {
  constexpr unsigned MaxExponent = 128;
  auto power = [&](unsigned E) {
    std::string Digits = llvm::toString(
        llvm::APInt::getOneBitSet(MaxExponent + 1, E), 10, /*Signed=*/false);
    return Ctx.int_val(Digits.c_str());
  };
  z3::expr Power = power(MaxExponent);
  for (unsigned E = MaxExponent; E-- > 0;)
    Power = z3::ite(B == Ctx.int_val(E), power(E), Power);
  return Power;
}

llvm::Expected<Z3Value> encodeIndex(z3::context &Ctx, Op O,
                                    llvm::ArrayRef<z3::expr> X,
                                    const z3::expr &UB) {
  const z3::expr &A = X[0];
  auto B = [&] { return X[1]; };
  z3::expr Zero = Ctx.int_val(0);
  auto defined = [&](z3::expr V) { return Z3Value{V, UB}; };
  switch (O) {
  case Op::Neg:
    return defined(-A);
  case Op::Add:
    return defined(A + B());
  case Op::Sub:
    return defined(A - B());
  case Op::Mul:
    return defined(A * B());
  case Op::MulAcc:
    return defined(A * B() + X[2]);
  case Op::Max:
    return defined(z3::ite(A < B(), B(), A));
  case Op::And:
  case Op::Or:
  case Op::Xor:
    return defined(indexBitwise(O, A, B()));
  case Op::CmpLT:
    return defined(A < B());
  case Op::CmpEQ:
    return defined(A == B());
  case Op::CmpNE:
    return defined(A != B());
  case Op::Shl:
    return Z3Value{A * powerOfTwo(Ctx, B()), UB || B() < Zero};
  case Op::Shr: // floor(a / 2^b): Euclidean division by a positive divisor
    return Z3Value{z3::expr(Ctx, Z3_mk_div(Ctx, A, powerOfTwo(Ctx, B()))),
                   UB || B() < Zero};
  case Op::FloorDiv:
  case Op::FloorMod:
  case Op::TruncDiv:
  case Op::TruncMod: {
    // Z3's div and mod are Euclidean (0 <= mod < |b|): the floor for b > 0.
    z3::expr DivByZero = B() == Zero;
    z3::expr Quotient(Ctx);
    if (O == Op::FloorDiv || O == Op::FloorMod) {
      Quotient = z3::ite(B() > Zero, z3::expr(Ctx, Z3_mk_div(Ctx, A, B())),
                         z3::expr(Ctx, Z3_mk_div(Ctx, -A, -B())));
    } else {
      // z3::abs of an Int is broken in Z3 4.8.12.
      auto abs = [&](const z3::expr &V) { return z3::ite(V >= Zero, V, -V); };
      z3::expr Magnitude(Ctx, Z3_mk_div(Ctx, abs(A), abs(B())));
      Quotient = z3::ite((A >= Zero) == (B() > Zero), Magnitude, -Magnitude);
    }
    bool IsDivision = O == Op::FloorDiv || O == Op::TruncDiv;
    return Z3Value{IsDivision ? Quotient : A - B() * Quotient, UB || DivByZero};
  }
  default:
    return notEncodable(O, ScalarKind::Index, "not defined on index");
  }
}

llvm::Expected<Z3Value> encodeBool(Op O, llvm::ArrayRef<z3::expr> X,
                                   const z3::expr &UB) {
  const z3::expr &A = X[0];
  auto B = [&] { return X[1]; };
  auto defined = [&](z3::expr V) { return Z3Value{V, UB}; };
  switch (O) {
  case Op::Add:
  case Op::Max:
  case Op::Or:
    return defined(A || B());
  case Op::Mul:
  case Op::And:
    return defined(A && B());
  case Op::MulAcc:
    return defined((A && B()) || X[2]);
  case Op::Xor:
  case Op::CmpNE:
    return defined(A != B());
  case Op::CmpEQ:
    return defined(A == B());
  case Op::CmpLT:
    return defined(!A && B());
  default:
    return notEncodable(O, ScalarKind::Bool, "not defined on bool");
  }
}

//===----------------------------------------------------------------------===//
// Floats
//===----------------------------------------------------------------------===//

/// IEEE 754-2019 maximum: nan if either is nan, and -0.0 < +0.0.
z3::expr floatMaximum(z3::context &Ctx, const z3::expr &A, const z3::expr &B) {
  z3::expr NaN = Ctx.fpa_nan(A.get_sort());
  z3::expr BothZero = A.mk_is_zero() && B.mk_is_zero();
  z3::expr Larger =
      z3::ite(BothZero, z3::ite(wrap(Ctx, Z3_mk_fpa_is_negative(Ctx, A)), B, A),
              z3::ite(A < B, B, A));
  return z3::ite(A.mk_is_nan() || B.mk_is_nan(), NaN, Larger);
}

/// a*b + c rounded once, built from exact real arithmetic. Z3 4.8.12's
/// fp.fma is wrong on 3-bit significands (fp8e5m2); the unit test shows it.
z3::expr fusedMultiplyAddExactly(z3::context &Ctx, const z3::expr &A,
                                 const z3::expr &B, const z3::expr &C) {
  z3::expr RNE = roundNearestEven(Ctx);
  auto isFinite = [](const z3::expr &X) {
    return !X.mk_is_nan() && !X.mk_is_inf();
  };
  auto toReal = [&](const z3::expr &X) {
    return wrap(Ctx, Z3_mk_fpa_to_real(Ctx, X));
  };
  // With an infinite or nan product the separate operations are exact; a
  // finite product added to an infinite or nan c gives c.
  z3::expr Separate =
      wrap(Ctx, Z3_mk_fpa_add(Ctx, RNE,
                              wrap(Ctx, Z3_mk_fpa_mul(Ctx, RNE, A, B)), C));
  z3::expr Exact = toReal(A) * toReal(B) + toReal(C);
  z3::expr Rounded =
      wrap(Ctx, Z3_mk_fpa_to_fp_real(Ctx, RNE, Exact, A.get_sort()));
  // An exact zero keeps IEEE's sign rules: (+-0) + (+-0) from zero
  // products, +0 from cancellation.
  z3::expr PositiveZero = wrap(Ctx, Z3_mk_fpa_zero(Ctx, A.get_sort(), false));
  z3::expr Zero =
      z3::ite(A.mk_is_zero() || B.mk_is_zero(), Separate, PositiveZero);
  z3::expr Finite = z3::ite(Exact == Ctx.real_val(0), Zero, Rounded);
  return z3::ite(isFinite(A) && isFinite(B), z3::ite(isFinite(C), Finite, C),
                 Separate);
}

/// fp8e4m3 on its bits: sign and magnitude, with the nans S.1111.111 and
/// no infinities; `neg`, comparisons and `max` need no rounding.
llvm::Expected<Z3Value> encodeOpaqueFloat(z3::context &Ctx, Op O, ScalarKind K,
                                          llvm::ArrayRef<z3::expr> X,
                                          const z3::expr &UB) {
  auto defined = [&](z3::expr V) { return Z3Value{V, UB}; };
  auto magnitude = [&](const z3::expr &V) { return V & Ctx.bv_val(0x7f, 8); };
  auto isNaN = [&](const z3::expr &V) {
    return magnitude(V) == Ctx.bv_val(0x7f, 8);
  };
  auto isNegative = [&](const z3::expr &V) {
    return V.extract(7, 7) == Ctx.bv_val(1, 1);
  };
  if (O == Op::Neg) // flips the sign bit
    return defined(X[0] ^ Ctx.bv_val(0x80, 8));
  if (O != Op::CmpLT && O != Op::CmpEQ && O != Op::CmpNE && O != Op::Max)
    return notEncodable(
        O, K, "fp8e4m3 has no Z3 floating-point sort (no infinities)");
  const z3::expr &A = X[0], &B = X[1];
  z3::expr Zero = Ctx.bv_val(0, 8);
  z3::expr BothZero = magnitude(A) == Zero && magnitude(B) == Zero;
  z3::expr Unordered = isNaN(A) || isNaN(B);
  z3::expr Equal = !Unordered && (A == B || BothZero);
  // Ordered and not both zero: compare the magnitudes by sign.
  z3::expr Less =
      !Unordered && !BothZero &&
      z3::ite(isNegative(A),
              !isNegative(B) || z3::ugt(magnitude(A), magnitude(B)),
              !isNegative(B) && z3::ult(magnitude(A), magnitude(B)));
  switch (O) {
  case Op::CmpLT:
    return defined(Less);
  case Op::CmpEQ:
    return defined(Equal);
  case Op::CmpNE:
    return defined(!Equal);
  default:
    break;
  }
  // IEEE 754-2019 maximum: the default nan 0x7f, and -0.0 < +0.0.
  z3::expr Larger =
      z3::ite(BothZero, z3::ite(isNegative(A), B, A), z3::ite(Less, B, A));
  return defined(z3::ite(Unordered, Ctx.bv_val(0x7f, 8), Larger));
}

llvm::Expected<Z3Value> encodeFloat(z3::context &Ctx, Op O, ScalarKind K,
                                    llvm::ArrayRef<z3::expr> X,
                                    const z3::expr &UB) {
  const z3::expr &A = X[0];
  auto B = [&] { return X[1]; };
  auto defined = [&](z3::expr V) { return Z3Value{V, UB}; };
  if (isOpaqueFloat(K))
    return encodeOpaqueFloat(Ctx, O, K, X, UB);
  z3::expr RNE = roundNearestEven(Ctx);
  switch (O) {
  case Op::Neg:
    return defined(-A);
  case Op::Add:
    return defined(wrap(Ctx, Z3_mk_fpa_add(Ctx, RNE, A, B())));
  case Op::Sub:
    return defined(wrap(Ctx, Z3_mk_fpa_sub(Ctx, RNE, A, B())));
  case Op::Mul:
    return defined(wrap(Ctx, Z3_mk_fpa_mul(Ctx, RNE, A, B())));
  case Op::FDiv:
    return defined(wrap(Ctx, Z3_mk_fpa_div(Ctx, RNE, A, B())));
  case Op::MulAcc:
    if (K == ScalarKind::FP8E5M2)
      return defined(fusedMultiplyAddExactly(Ctx, A, B(), X[2]));
    return defined(wrap(Ctx, Z3_mk_fpa_fma(Ctx, RNE, A, B(), X[2])));
  case Op::Recip:
    return defined(wrap(
        Ctx, Z3_mk_fpa_div(Ctx, RNE, floatConst(Ctx, 1.0, A.get_sort()), A)));
  case Op::Trunc:
    return defined(
        wrap(Ctx, Z3_mk_fpa_round_to_integral(Ctx, roundTowardZero(Ctx), A)));
  case Op::Sqrt: // evalAlu's sqrt is correctly rounded for every type
    return defined(wrap(Ctx, Z3_mk_fpa_sqrt(Ctx, RNE, A)));
  case Op::Max:
    return defined(floatMaximum(Ctx, A, B()));
  case Op::CmpLT:
    return defined(wrap(Ctx, Z3_mk_fpa_lt(Ctx, A, B())));
  case Op::CmpEQ:
    return defined(wrap(Ctx, Z3_mk_fpa_eq(Ctx, A, B())));
  case Op::CmpNE:
    return defined(!wrap(Ctx, Z3_mk_fpa_eq(Ctx, A, B())));
  case Op::Exp2:
  case Op::Log2:
  case Op::Sin:
  case Op::Pow:
    return notEncodable(O, K, "Z3 has no exact form of the host libm's result");
  default:
    return notEncodable(O, K, "not defined on floats");
  }
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

llvm::Expected<Z3Value> encodeCast(z3::context &Ctx, ScalarKind From,
                                   ScalarKind To, const z3::expr &A,
                                   const z3::expr &UB, unsigned IndexBits) {
  ScalarCategory FromCategory = categoryOf(From), ToCategory = categoryOf(To);
  auto defined = [&](z3::expr V) { return Z3Value{V, UB}; };
  if (ToCategory == ScalarCategory::Bool) { // nonzero is true, nan included
    if (FromCategory == ScalarCategory::Bool)
      return defined(A);
    if (isOpaqueFloat(From))
      return defined((A & Ctx.bv_val(0x7f, 8)) != Ctx.bv_val(0, 8));
    if (FromCategory == ScalarCategory::Float)
      return defined(!A.mk_is_zero());
    return defined(A != valueOf(Ctx, From, 0, IndexBits));
  }
  if (FromCategory == ScalarCategory::Bool)
    return defined(z3::ite(A, valueOf(Ctx, To, 1, IndexBits),
                           valueOf(Ctx, To, 0, IndexBits)));
  if (isOpaqueFloat(From) || isOpaqueFloat(To))
    return notEncodable(Op::Cast, isOpaqueFloat(From) ? From : To,
                        "fp8e4m3 has no Z3 floating-point sort");
  z3::sort ToSort = sortOf(Ctx, To);
  z3::expr RNE = roundNearestEven(Ctx);
  if (FromCategory == ScalarCategory::Float) {
    if (ToCategory == ScalarCategory::Float)
      return defined(wrap(Ctx, Z3_mk_fpa_to_fp_float(Ctx, RNE, A, ToSort)));
    // Truncate toward zero; nan, infinities and values out of the target's
    // range are undefined.
    z3::expr RTZ = roundTowardZero(Ctx);
    z3::expr Truncated = wrap(Ctx, Z3_mk_fpa_round_to_integral(Ctx, RTZ, A));
    z3::expr Real = wrap(Ctx, Z3_mk_fpa_to_real(Ctx, Truncated));
    unsigned Bits = ToCategory == ScalarCategory::Index ? 64 : bitsOf(To);
    bool Signed = ToCategory != ScalarCategory::Unsigned;
    std::string MinText =
        Signed ? "-" + std::to_string(uint64_t(1) << (Bits - 1)) : "0";
    std::string MaxText =
        Signed ? std::to_string((uint64_t(1) << (Bits - 1)) - 1)
               : std::to_string(Bits == 64 ? ~uint64_t(0)
                                           : (uint64_t(1) << Bits) - 1);
    z3::expr Min = Ctx.real_val(MinText.c_str());
    z3::expr Max = Ctx.real_val(MaxText.c_str());
    z3::expr Invalid =
        A.mk_is_nan() || A.mk_is_inf() || Real < Min || Real > Max;
    if (ToCategory == ScalarCategory::Index && IndexBits)
      return Z3Value{resize(wrap(Ctx, Z3_mk_fpa_to_sbv(Ctx, RTZ, A, 64)),
                            /*Signed=*/true, IndexBits),
                     UB || Invalid};
    if (ToCategory == ScalarCategory::Index)
      return Z3Value{wrap(Ctx, Z3_mk_real2int(Ctx, Real)), UB || Invalid};
    Z3_ast Converted = Signed ? Z3_mk_fpa_to_sbv(Ctx, RTZ, A, Bits)
                              : Z3_mk_fpa_to_ubv(Ctx, RTZ, A, Bits);
    return Z3Value{wrap(Ctx, Converted), UB || Invalid};
  }
  bool FromSigned = FromCategory == ScalarCategory::Signed;
  if (ToCategory == ScalarCategory::Float) {
    if (FromCategory == ScalarCategory::Index && !IndexBits)
      return defined(
          wrap(Ctx, Z3_mk_fpa_to_fp_real(Ctx, RNE, z3::to_real(A), ToSort)));
    Z3_ast Converted = FromSigned || FromCategory == ScalarCategory::Index
                           ? Z3_mk_fpa_to_fp_signed(Ctx, RNE, A, ToSort)
                           : Z3_mk_fpa_to_fp_unsigned(Ctx, RNE, A, ToSort);
    return defined(wrap(Ctx, Converted));
  }
  // Integer to integer: the value, wrapped to a fixed-width target.
  if (FromCategory == ScalarCategory::Index &&
      ToCategory == ScalarCategory::Index)
    return defined(A);
  if (!IndexBits && ToCategory == ScalarCategory::Index)
    return defined(z3::bv2int(A, FromSigned));
  if (!IndexBits && FromCategory == ScalarCategory::Index)
    return defined(z3::int2bv(bitsOf(To), A));
  // Bounded index values are signed bit-vectors like iN.
  unsigned ToBits =
      ToCategory == ScalarCategory::Index ? IndexBits : bitsOf(To);
  return defined(
      resize(A, FromSigned || FromCategory == ScalarCategory::Index, ToBits));
}

llvm::Expected<Z3Value> encodeBitcast(z3::context &Ctx, ScalarKind From,
                                      ScalarKind To, const z3::expr &A,
                                      const z3::expr &UB) {
  auto hasBitLayout = [](ScalarKind K) {
    return isFixedWidth(K) || categoryOf(K) == ScalarCategory::Float;
  };
  if (!hasBitLayout(From) || !hasBitLayout(To) || bitsOf(From) != bitsOf(To))
    return notEncodable(Op::Bitcast, From,
                        llvm::Twine("no bitcast to ") +
                            getScalarInfo(To).Mnemonic);
  // Z3 has one nan with no bits, so the bits of a float are not a term.
  if (isIEEEFloat(From))
    return notEncodable(Op::Bitcast, From,
                        "Z3 floats have no nan payloads to read as bits");
  if (isIEEEFloat(To))
    return Z3Value{wrap(Ctx, Z3_mk_fpa_to_fp_bv(Ctx, A, sortOf(Ctx, To))), UB};
  return Z3Value{A, UB};
}

} // namespace

//===----------------------------------------------------------------------===//
// Public entry points
//===----------------------------------------------------------------------===//

z3::sort tg::sortOf(z3::context &Ctx, ScalarKind Kind, unsigned IndexBits) {
  const ScalarInfo &Info = getScalarInfo(Kind);
  switch (Info.Category) {
  case ScalarCategory::Bool:
    return Ctx.bool_sort();
  case ScalarCategory::Index:
    return IndexBits ? Ctx.bv_sort(IndexBits) : Ctx.int_sort();
  case ScalarCategory::Signed:
  case ScalarCategory::Unsigned:
    return Ctx.bv_sort(Info.Bits);
  case ScalarCategory::Float:
    if (isOpaqueFloat(Kind))
      return Ctx.bv_sort(Info.Bits);
    return Ctx.fpa_sort(Info.ExponentBits, Info.MantissaBits + 1);
  case ScalarCategory::Void:
    break;
  }
  llvm_unreachable("void has no values");
}

z3::expr tg::encodeConst(z3::context &Ctx, ScalarKind Kind, ConstValue V,
                         unsigned IndexBits) {
  switch (categoryOf(Kind)) {
  case ScalarCategory::Bool:
    return Ctx.bool_val(V.getInt() != 0);
  case ScalarCategory::Index:
    if (IndexBits)
      return Ctx.bv_val(V.getInt(), IndexBits);
    return Ctx.int_val(V.getInt());
  case ScalarCategory::Signed:
  case ScalarCategory::Unsigned:
    return Ctx.bv_val(uint64_t(V.getInt()), bitsOf(Kind));
  case ScalarCategory::Float: {
    // From the bits: Z3's conversion from a double loses subnormals of the
    // narrower sorts.
    z3::expr Bits = Ctx.bv_val(floatBits(Kind, V.getFloat()), bitsOf(Kind));
    if (isOpaqueFloat(Kind))
      return Bits;
    return wrap(Ctx, Z3_mk_fpa_to_fp_bv(Ctx, Bits, sortOf(Ctx, Kind)))
        .simplify();
  }
  case ScalarCategory::Void:
    break;
  }
  llvm_unreachable("void has no values");
}

z3::expr tg::makeFreeConst(z3::context &Ctx, ScalarKind Kind,
                           const std::string &Name, unsigned IndexBits) {
  return Ctx.constant(Name.c_str(), sortOf(Ctx, Kind, IndexBits));
}

z3::expr tg::toInt(z3::expr Value, ScalarKind Kind) {
  switch (categoryOf(Kind)) {
  case ScalarCategory::Index:
    return Value.is_bv() ? z3::bv2int(Value, /*is_signed=*/true) : Value;
  case ScalarCategory::Signed:
    return z3::bv2int(Value, /*is_signed=*/true);
  case ScalarCategory::Unsigned:
    return z3::bv2int(Value, /*is_signed=*/false);
  case ScalarCategory::Bool:
    return z3::ite(Value, Value.ctx().int_val(1), Value.ctx().int_val(0));
  case ScalarCategory::Float:
  case ScalarCategory::Void:
    break;
  }
  llvm_unreachable("not an integer type");
}

z3::expr tg::inRange(const z3::expr &Value, ScalarKind Kind, int64_t Min,
                     int64_t Max) {
  z3::context &Ctx = Value.ctx();
  ScalarCategory Category = categoryOf(Kind);
  if (Category == ScalarCategory::Index || Category == ScalarCategory::Bool) {
    z3::expr V = toInt(Value, Kind);
    return Ctx.int_val(Min) <= V && V <= Ctx.int_val(Max);
  }
  // Clamp the bounds to the type, whose values are all in int64 except
  // u64's upper half, above any int64 Max.
  unsigned Bits = bitsOf(Kind);
  bool Signed = Category == ScalarCategory::Signed;
  int64_t TypeMin = Signed ? (Bits == 64 ? std::numeric_limits<int64_t>::min()
                                         : -(int64_t(1) << (Bits - 1)))
                           : 0;
  int64_t TypeMax = Bits == 64 ? std::numeric_limits<int64_t>::max()
                    : Signed   ? (int64_t(1) << (Bits - 1)) - 1
                               : (int64_t(1) << Bits) - 1;
  if (Max < TypeMin || Min > Max || (Min > TypeMax))
    return Ctx.bool_val(false);
  z3::expr Lo = Ctx.bv_val(uint64_t(std::max(Min, TypeMin)), Bits);
  z3::expr AtLeast = Signed ? z3::sle(Lo, Value) : z3::ule(Lo, Value);
  if (Max > TypeMax || (!Signed && Bits == 64 && Max < 0))
    return AtLeast; // (the whole upper half of u64 is within an int64 Max)
  z3::expr Hi = Ctx.bv_val(uint64_t(Max), Bits);
  return AtLeast && (Signed ? z3::sle(Value, Hi) : z3::ule(Value, Hi));
}

static llvm::Expected<Z3Value> encodeOpImpl(z3::context &Ctx, Op O,
                                            ScalarKind ResultType,
                                            ScalarKind OperandType,
                                            llvm::ArrayRef<Z3Value> Operands,
                                            unsigned IndexBits) {
  if (!hasTrait(O, OpTrait::Elementwise))
    return makeError("'" + getMnemonic(O) + "' is not elementwise");
  if (Operands.size() != size_t(getOpInfo(O).MinOperands))
    return makeError("'" + getMnemonic(O) + "' takes " +
                     llvm::Twine(getOpInfo(O).MinOperands) + " operands, not " +
                     llvm::Twine(Operands.size()));
  if (categoryOf(ResultType) == ScalarCategory::Void ||
      categoryOf(OperandType) == ScalarCategory::Void)
    return notEncodable(O, ScalarKind::Void, "void has no values");
  z3::expr UB = Ctx.bool_val(false);
  std::vector<z3::expr> Values;
  for (const Z3Value &V : Operands) {
    UB = UB || V.UB;
    Values.push_back(V.Value);
  }
  UB = UB.simplify();
  switch (O) {
  case Op::Cast:
    return encodeCast(Ctx, OperandType, ResultType, Values[0], UB, IndexBits);
  case Op::Bitcast:
    return encodeBitcast(Ctx, OperandType, ResultType, Values[0], UB);
  case Op::Where:
    if (OperandType != ScalarKind::Bool)
      return notEncodable(O, OperandType, "the condition must be bool");
    return Z3Value{z3::ite(Values[0], Values[1], Values[2]), UB};
  default:
    break;
  }
  bool IsComparison = hasTrait(O, OpTrait::Comparison);
  if (ResultType != (IsComparison ? ScalarKind::Bool : OperandType))
    return notEncodable(O, OperandType,
                        llvm::Twine("the result cannot be ") +
                            getScalarInfo(ResultType).Mnemonic);
  switch (categoryOf(OperandType)) {
  case ScalarCategory::Bool:
    return encodeBool(O, Values, UB);
  case ScalarCategory::Signed:
  case ScalarCategory::Unsigned:
    return encodeBitVector(Ctx, O, OperandType, Values, UB);
  case ScalarCategory::Index:
    if (IndexBits)
      return encodeBitVector(Ctx, O, OperandType, Values, UB, IndexBits);
    return encodeIndex(Ctx, O, Values, UB);
  case ScalarCategory::Float:
    return encodeFloat(Ctx, O, OperandType, Values, UB);
  case ScalarCategory::Void:
    break;
  }
  llvm_unreachable("void was rejected above");
}

llvm::Expected<Z3Value> tg::encodeOp(z3::context &Ctx, Op O,
                                     ScalarKind ResultType,
                                     ScalarKind OperandType,
                                     llvm::ArrayRef<Z3Value> Operands,
                                     unsigned IndexBits) {
  try {
    return encodeOpImpl(Ctx, O, ResultType, OperandType, Operands, IndexBits);
  } catch (const z3::exception &E) {
    return makeError("Z3 failed encoding '" + getMnemonic(O) + "': " + E.msg());
  }
}

//===----------------------------------------------------------------------===//
// ValueEncoder
//===----------------------------------------------------------------------===//

z3::expr ValueEncoder::makeLeafConst(const UOp *U, std::string Reason) {
  std::string Base;
  switch (U->getOp()) {
  case Op::DefineVar:
  case Op::Special:
    Base = U->getArgField(0)->getString().str();
    break;
  case Op::Range:
    Base = "range" + std::to_string(U->getArgField(0)->getInt());
    break;
  default:
    Base = getMnemonic(U->getOp()).str();
    break;
  }
  // Z3 constants are equal when their names are: keep the names apart.
  std::string Name = Base;
  for (unsigned I = 1;
       llvm::any_of(Free,
                    [&](const FreeConstant &F) {
                      return F.Const.decl().name().str() == Name;
                    });
       ++I)
    Name = Base + "." + std::to_string(I);
  z3::expr C =
      makeFreeConst(Ctx, U->getDType().getScalarKind(), Name, IndexBits);
  Free.push_back({U, C, std::move(Reason)});
  return C;
}

llvm::Expected<Z3Value> ValueEncoder::encodeLeaf(const UOp *U) {
  ScalarKind Kind = U->getDType().getScalarKind();
  z3::expr False = Ctx.bool_val(false);
  switch (U->getOp()) {
  case Op::DefineVar: {
    int64_t Min = U->getArgField(1)->getInt(),
            Max = U->getArgField(2)->getInt();
    z3::expr C = makeLeafConst(U, "define_var in [" + std::to_string(Min) +
                                      ", " + std::to_string(Max) + "]");
    Bounds.push_back(IndexBits && Kind == ScalarKind::Index
                         ? z3::sle(Ctx.bv_val(Min, IndexBits), C) &&
                               z3::sle(C, Ctx.bv_val(Max, IndexBits))
                         : inRange(C, Kind, Min, Max));
    return Z3Value{C, False};
  }
  case Op::Range:
  case Op::Special: {
    auto It = Index.find(U->getSrc(0));
    assert(It != Index.end() && "the bound is encoded before its user");
    z3::expr Bound = Values[It->second].Value;
    z3::expr C = makeLeafConst(U, getMnemonic(U->getOp()).str() + " in [0, n)");
    if (IndexBits && Kind == ScalarKind::Index) {
      Bounds.push_back(z3::sle(Ctx.bv_val(0, IndexBits), C) &&
                       z3::slt(C, Bound));
      return Z3Value{C, False};
    }
    z3::expr Below =
        categoryOf(Kind) == ScalarCategory::Signed     ? z3::slt(C, Bound)
        : categoryOf(Kind) == ScalarCategory::Unsigned ? z3::ult(C, Bound)
                                                       : C < Bound;
    Bounds.push_back(inRange(C, Kind, 0, std::numeric_limits<int64_t>::max()) &&
                     Below);
    return Z3Value{C, False};
  }
  default:
    return Z3Value{makeLeafConst(U, getMnemonic(U->getOp()).str() +
                                        ": not encoded (any value)"),
                   False};
  }
}

llvm::Expected<Z3Value> ValueEncoder::encodeNode(const UOp *U) {
  if (U->getOp() == Op::Const)
    return Z3Value{encodeConst(Ctx, U->getDType().getScalarKind(),
                               ConstValue::fromArg(*U->getArg()), IndexBits),
                   Ctx.bool_val(false)};
  if (!U->hasTrait(OpTrait::Elementwise))
    return encodeLeaf(U);
  llvm::SmallVector<Z3Value, 3> Operands;
  for (const UOp *Src : U->getSrcs())
    Operands.push_back(Values[Index.lookup(Src)]);
  ScalarKind OperandType = U->getNumSrcs() == 0
                               ? U->getDType().getScalarKind()
                               : U->getSrc(0)->getDType().getScalarKind();
  return encodeOp(Ctx, U->getOp(), U->getDType().getScalarKind(), OperandType,
                  Operands, IndexBits);
}

/// Whether the encoder computes `U` from its sources (else `U` is a leaf
/// whose sources it does not read, except the bound of a range).
static bool readsSources(const UOp *U) {
  return U->hasTrait(OpTrait::Elementwise) || U->getOp() == Op::Range ||
         U->getOp() == Op::Special;
}

llvm::Expected<Z3Value> ValueEncoder::encode(const UOp *Root) {
  try {
    // Post-order with an explicit stack: chains may be thousands deep.
    llvm::SmallVector<std::pair<const UOp *, bool>, 32> Stack = {{Root, false}};
    while (!Stack.empty()) {
      auto [U, Expanded] = Stack.pop_back_val();
      if (Index.count(U))
        continue;
      if (!U->getDType().isValue() || !U->getDType().isScalar())
        return makeError("cannot encode a value of type " +
                         U->getDType().str() + " ('" + getMnemonic(U->getOp()) +
                         "'): only scalars are encoded");
      if (!Expanded && Leaf) {
        if (std::optional<Z3Value> FromLeaf = Leaf(U)) {
          Index[U] = Values.size();
          Values.push_back(*FromLeaf);
          continue;
        }
      }
      if (!Expanded && readsSources(U)) {
        Stack.push_back({U, true});
        for (const UOp *Src : llvm::reverse(U->getSrcs()))
          if (!Index.count(Src))
            Stack.push_back({Src, false});
        continue;
      }
      llvm::Expected<Z3Value> V = encodeNode(U);
      if (!V)
        return V.takeError();
      Index[U] = Values.size();
      Values.push_back(*V);
    }
    return Values[Index.lookup(Root)];
  } catch (const z3::exception &E) {
    return makeError(llvm::Twine("Z3 failed: ") + E.msg());
  }
}

//===----------------------------------------------------------------------===//
// The width of the bounded index encoding
//===----------------------------------------------------------------------===//

/// The bits of the smallest two's-complement type holding `R` (empty or
/// infinite: none).
static std::optional<unsigned> bitsToHold(const Range &R) {
  if (R.isEmpty())
    return 1;
  if (!isFinite(R.Min) || !isFinite(R.Max))
    return std::nullopt;
  unsigned Bits = 1;
  auto Fits = [&](Bound V) {
    Bound Half = Bound(1) << (Bits - 1);
    return -Half <= V && V < Half;
  };
  while (Bits < 127 && !(Fits(R.Min) && Fits(R.Max)))
    ++Bits;
  if (!(Fits(R.Min) && Fits(R.Max)))
    return std::nullopt;
  return Bits;
}

std::optional<unsigned>
tg::getExactIndexBits(llvm::ArrayRef<const UOp *> Roots) {
  RangeAnalysis Ranges;
  unsigned Bits = 1;
  llvm::SmallVector<const UOp *, 32> Stack(Roots.begin(), Roots.end());
  llvm::DenseSet<const UOp *> Seen(Roots.begin(), Roots.end());
  auto Hold = [&](const Range &R) {
    std::optional<unsigned> Needed = bitsToHold(R);
    if (Needed)
      Bits = std::max(Bits, *Needed);
    return Needed.has_value();
  };
  while (!Stack.empty()) {
    const UOp *U = Stack.pop_back_val();
    for (const UOp *Src : U->getSrcs())
      if (Seen.insert(Src).second)
        Stack.push_back(Src);
    if (!U->getDType().isIndex())
      continue;
    if (!Hold(Ranges.getRange(U)))
      return std::nullopt;
    // The one intermediate value the encoding computes that is not the
    // value of a UOp: the product inside mulacc. Floor division's
    // corrections (the quotient less one, the remainder plus the divisor)
    // lie between values that fit.
    if (U->getOp() == Op::MulAcc &&
        !Hold(Ranges.getRange(U->getSrc(0)) * Ranges.getRange(U->getSrc(1))))
      return std::nullopt;
  }
  return Bits;
}
