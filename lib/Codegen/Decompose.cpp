//===- Decompose.cpp - the `decompose` pass: what an arch lacks -----------===//
//
// Rewrites the elementwise ops a device cannot compute into ops it can, as
// tinygrad's transcendental.py and its decompositions do:
//
//   - floats of a type the arch does not list (fp8 always; bf16, f16 or f64
//     where missing) are computed in f32: operands cast up, result cast
//     back. For add, sub, mul, fdiv and sqrt on f16, bf16 and fp8 this is
//     exact, since f32 has at least 2p + 2 significand bits for them;
//   - exp2, log2, sin and sqrt become polynomial approximations built from
//     add, mul, fdiv, comparisons and the exponent bits (bitcast, shifts);
//     f16 and bf16 compute in f32. docs/Passes.md lists the tested bounds;
//   - floordiv, floormod, truncdiv and truncmod of an integer by a constant
//     become a multiply-high and a shift (Granlund and Montgomery,
//     "Division by invariant integers using multiplication", PLDI 1994;
//     Hacker's Delight 10-9) computed in the next wider type, or shifts and
//     masks for powers of two.
//
//===----------------------------------------------------------------------===//

#include "tg/Codegen/Passes.h"

#include "BodyBuilder.h"
#include "tg/Analysis/RangeAnalysis.h"
#include "tg/IR/Arg.h"
#include "tg/Target/Device.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/bit.h"

#include <cmath>
#include <limits>

using namespace tg;

namespace {

enum DecompositionKind : unsigned {
  Exp2Kind = 1,
  Log2Kind = 2,
  SinKind = 4,
  SqrtKind = 8,
  IntDivKind = 16,
};

/// Builds UOps of one lane count into the body.
class Builder {
public:
  Builder(Context &Ctx, BodyBuilder &Body, unsigned Lanes)
      : Ctx(Ctx), Body(Body), Lanes(Lanes) {}

  DType type(ScalarKind K) { return Ctx.getVector(Ctx.getScalar(K), Lanes); }
  const UOp *op(Op O, DType T, llvm::ArrayRef<const UOp *> Srcs) {
    return Body.addWithSources(Ctx.get(O, T, Srcs));
  }
  const UOp *binary(Op O, const UOp *A, const UOp *B) {
    return op(O, A->getDType(), {A, B});
  }
  const UOp *add(const UOp *A, const UOp *B) { return binary(Op::Add, A, B); }
  const UOp *sub(const UOp *A, const UOp *B) { return binary(Op::Sub, A, B); }
  const UOp *mul(const UOp *A, const UOp *B) { return binary(Op::Mul, A, B); }
  const UOp *neg(const UOp *A) { return op(Op::Neg, A->getDType(), {A}); }
  const UOp *compare(Op O, const UOp *A, const UOp *B) {
    return op(O, type(ScalarKind::Bool), {A, B});
  }
  const UOp *lt(const UOp *A, const UOp *B) { return compare(Op::CmpLT, A, B); }
  const UOp *eq(const UOp *A, const UOp *B) { return compare(Op::CmpEQ, A, B); }
  const UOp *select(const UOp *C, const UOp *A, const UOp *B) {
    return op(Op::Where, A->getDType(), {C, A, B});
  }
  const UOp *cast(const UOp *A, DType T) {
    if (A->getDType() == T)
      return A;
    if (A->getOp() == Op::Const && T.isFloat() && A->getDType().isFloat())
      return constant(T, A->getArg()->getFloat());
    return op(Op::Cast, T, {A});
  }
  const UOp *bitcast(const UOp *A, DType T) { return op(Op::Bitcast, T, {A}); }
  /// The float constant V rounded to T (coefficients are written in
  /// decimal).
  const UOp *constant(DType T, double V) {
    if (T.getScalarKind() != ScalarKind::F64)
      V = double(float(V));
    return Body.add(Ctx.getFloatConst(T, V));
  }
  const UOp *constant(const UOp *Like, double V) {
    return constant(Like->getDType(), V);
  }
  const UOp *integer(DType T, int64_t V) {
    return Body.add(Ctx.getConst(T, V));
  }
  const UOp *integer(const UOp *Like, int64_t V) {
    return integer(Like->getDType(), V);
  }

  Context &Ctx;

private:
  BodyBuilder &Body;
  unsigned Lanes;
};

//===----------------------------------------------------------------------===//
// Transcendentals in f32 or f64
//===----------------------------------------------------------------------===//

/// The layout of f32 or f64.
struct FloatFormat {
  ScalarKind Float, Int;
  unsigned MantissaBits;
  int Bias;
  double MinNormal;
  /// 1.5 * 2^MantissaBits: (x + R) - R rounds |x| < 2^(MantissaBits-1) to
  /// an integer, ties to even.
  double RoundingConstant;
};

const FloatFormat F32Format{ScalarKind::F32, ScalarKind::I32, 23, 127,
                            0x1p-126,        0x1.8p23};
const FloatFormat F64Format{ScalarKind::F64, ScalarKind::I64, 52, 1023,
                            0x1p-1022,       0x1.8p52};

class MathBuilder : public Builder {
public:
  MathBuilder(Context &Ctx, BodyBuilder &Body, unsigned Lanes,
              const FloatFormat &Format)
      : Builder(Ctx, Body, Lanes), Format(Format), Float(type(Format.Float)),
        Int(type(Format.Int)) {}

  const UOp *exp2(const UOp *X);
  const UOp *log2(const UOp *X);
  const UOp *sin(const UOp *X);
  const UOp *sqrt(const UOp *X);

private:
  bool isF64() const { return Format.Float == ScalarKind::F64; }
  const UOp *c(double V) { return constant(Float, V); }
  const UOp *i(int64_t V) { return integer(Int, V); }
  const UOp *min(const UOp *A, const UOp *B) {
    return neg(binary(Op::Max, neg(A), neg(B)));
  }
  const UOp *isNan(const UOp *X) { return compare(Op::CmpNE, X, X); }
  const UOp *nan() { return c(std::numeric_limits<double>::quiet_NaN()); }
  const UOp *inf() { return c(std::numeric_limits<double>::infinity()); }
  /// 0 < X < inf: a finite positive X (not nan).
  const UOp *isPositiveFinite(const UOp *X) {
    return binary(Op::And, lt(c(0), X), lt(X, inf()));
  }
  /// Horner's rule, each step one `mulacc` (fused by definition on every
  /// device, docs/Semantics.md: one FMA instruction where there is one).
  const UOp *poly(const UOp *X, llvm::ArrayRef<double> Coefficients) {
    const UOp *R = c(Coefficients.front());
    for (double Coefficient : Coefficients.drop_front())
      R = op(Op::MulAcc, R->getDType(), {R, X, c(Coefficient)});
    return R;
  }
  /// X rounded to an integral value, for |X| < 2^(MantissaBits-1).
  const UOp *rint(const UOp *X) {
    const UOp *R = c(Format.RoundingConstant);
    return sub(add(X, R), R);
  }
  /// 2^K for an integer K in the normal exponent range.
  const UOp *pow2(const UOp *K) {
    return bitcast(
        binary(Op::Shl, add(K, i(Format.Bias)), i(Format.MantissaBits)), Float);
  }
  /// The unbiased exponent of a positive normal X, as an integer.
  const UOp *exponentOf(const UOp *X) {
    return sub(binary(Op::Shr, bitcast(X, Int), i(Format.MantissaBits)),
               i(Format.Bias));
  }
  /// X * 2^K by adding K to the exponent field: X and the result normal.
  const UOp *addExponent(const UOp *X, const UOp *K) {
    return bitcast(
        add(bitcast(X, Int), binary(Op::Shl, K, i(Format.MantissaBits))),
        Float);
  }

  const FloatFormat &Format;
  DType Float, Int;
};

// exp2(x) = 2^f * 2^n with n = rint(x) and f = x - n in [-1/2, 1/2]. The
// scaling multiplies by 2^(n/2) twice so that subnormal results round once.
const UOp *MathBuilder::exp2(const UOp *X) {
  // SLEEF's xexp2f / xexp2 (sleefsp.c, sleefdp.c; Boost license): minimax
  // fits of 2^f on [-1/2, 1/2]; relative error 1.7e-8 and 2.8e-17.
  static const double F32Coefficients[] = {0.1535920892e-3,
                                           0.1339262701e-2,
                                           0.9618384764e-2,
                                           0.5550347269e-1,
                                           0.2402264476e+0,
                                           0.6931471825e+0,
                                           1.0};
  static const double F64Coefficients[] = {
      0.4434359082926529454e-9, 0.7073164598085707425e-8,
      0.1017819260921760451e-6, 0.1321543872511327615e-5,
      0.1525273353517584730e-4, 0.1540353045101147808e-3,
      0.1333355814670499073e-2, 0.9618129107597600536e-2,
      0.5550410866482046596e-1, 0.2402265069591012214e+0,
      0.6931471805599452862e+0, 1.0};
  // Beyond these the result is 0 or inf whatever the polynomial says.
  double Low = isF64() ? -1100 : -160, High = isF64() ? 1030 : 130;
  const UOp *Nan = isNan(X);
  const UOp *Clamped =
      binary(Op::Max, min(select(Nan, c(0), X), c(High)), c(Low));
  const UOp *N = rint(Clamped);
  const UOp *F = sub(Clamped, N);
  const UOp *P = isF64() ? poly(F, F64Coefficients) : poly(F, F32Coefficients);
  const UOp *K = cast(N, Int);
  const UOp *Half = binary(Op::Shr, K, i(1));
  const UOp *R = mul(mul(P, pow2(Half)), pow2(sub(K, Half)));
  return select(Nan, nan(), R);
}

// log2(x) = e + log2(m) with x = m * 2^e, m in [1/sqrt2, sqrt2) (so e and
// log2(m) never cancel to a smaller binade than log2(m)'s); log2(m) =
// 2/ln2 * atanh(t) with t = (m-1)/(m+1), an odd series in t. Subnormals are
// scaled by 2^64 first.
const UOp *MathBuilder::log2(const UOp *X) {
  // SLEEF's xlog2f / xlog2 (Boost license), as tinygrad's xlog2 uses them:
  // the series in t^2 after its t and t^3 terms; relative error 5.6e-9 and
  // 3.9e-17 on [3/4, 3/2], which covers t of [1/sqrt2, sqrt2).
  static const double F32Coefficients[] = {0.4374550283e+0, 0.5764790177e+0,
                                           0.9618012905120};
  static const double F64Coefficients[] = {
      0.2211941750456081490e+0, 0.2200768693152277689e+0,
      0.2623708057488514656e+0, 0.3205977477944495502e+0,
      0.4121985945485324709e+0, 0.5770780162997058982e+0,
      0.96179669392608091449};
  // 2/ln2 split into a head in the type and the rest.
  double ScaleHigh = isF64() ? 2.8853900817779268 : 2.885390043258667;
  double ScaleLow = isF64() ? 4.0710547481862066e-17 : 3.851926067000022e-08;

  const UOp *Ok = isPositiveFinite(X);
  const UOp *A = select(Ok, X, c(1));
  const UOp *Tiny = lt(A, c(Format.MinNormal));
  A = select(Tiny, mul(A, c(0x1p64)), A);
  const UOp *E = exponentOf(mul(A, c(M_SQRT2)));
  const UOp *M = addExponent(A, neg(E));
  const UOp *EFloat = sub(cast(E, Float), select(Tiny, c(64), c(0)));
  const UOp *T = binary(Op::FDiv, sub(M, c(1)), add(M, c(1)));
  const UOp *T2 = mul(T, T);
  const UOp *P =
      isF64() ? poly(T2, F64Coefficients) : poly(T2, F32Coefficients);
  const UOp *Tail = add(mul(P, mul(T, T2)), mul(T, c(ScaleLow)));
  const UOp *R = add(add(EFloat, mul(T, c(ScaleHigh))), Tail);
  // log2(±0) = -inf, log2(inf) = inf, nan and x < 0 give nan.
  const UOp *Special =
      select(eq(X, c(0)), neg(inf()), select(eq(X, inf()), inf(), nan()));
  return select(Ok, R, Special);
}

// sin(x): q = rint(x * 2/pi), r = x - q*pi/2 by Cody and Waite's reduction
// with pi/2 split into parts whose products with q are exact, then the sine
// or cosine polynomial on r in [-pi/4, pi/4] by the quadrant q mod 4,
// for |x| below 12800 (f32) or 1572864 (f64); beyond, nan.
const UOp *MathBuilder::sin(const UOp *X) {
  // Cephes sinf.c / sin.c (Stephen L. Moshier): sin r = r + r^3 S(r^2) and
  // cos r = 1 - r^2/2 + r^4 C(r^2) on [-pi/4, pi/4]; relative errors
  // 3.8e-9, 1.2e-10 (f32) and 3.6e-18, 5.6e-20 (f64).
  static const double F32Sin[] = {-1.9515295891E-4, 8.3321608736E-3,
                                  -1.6666654611E-1};
  static const double F32Cos[] = {
      2.443315711809948E-005, -1.388731625493765E-003, 4.166664568298827E-002};
  static const double F64Sin[] = {
      1.58962301576546568060E-10, -2.50507477628578072866E-8,
      2.75573136213857245213E-6,  -1.98412698295895385996E-4,
      8.33333333332211858878E-3,  -1.66666666666666307295E-1};
  static const double F64Cos[] = {
      -1.13585365213876817300E-11, 2.08757008419747316778E-9,
      -2.75573141792967388112E-7,  2.48015872888517045348E-5,
      -1.38888888888730564116E-3,  4.16666666666665929218E-2};
  // pi/2 = P1 + P2 + P3 + P4: P1..P3 of 11 (f32) or 33 (f64) significant
  // bits, so q*Pk is exact for q < 2^13 (f32) or 2^20 (f64).
  static const double F32Parts[] = {1.5703125, 0.0004837512969970703125,
                                    7.549533620476722717285156e-08,
                                    2.563344151594519e-12};
  static const double F64Parts[] = {
      1.570796326734125614166259765625,
      6.077100506303965976595549136618501506746e-11,
      2.022266248711166455795995623655170701782e-21, 8.4784276603689e-32};
  const double *Parts = isF64() ? F64Parts : F32Parts;
  // Below this |x|, q is below 2^13 (f32) or 2^20 (f64); at and above it
  // (and for inf and nan) the result is nan.
  double Limit = isF64() ? 0x1.8p20 : 0x1.9p13;

  const UOp *Abs = binary(Op::Max, X, neg(X));
  const UOp *Ok = lt(Abs, c(Limit));
  const UOp *Xs = select(Ok, X, c(0));
  const UOp *Q = rint(mul(Xs, c(isF64() ? 0.6366197723675814 : 0.63661975)));
  // x - q*P1 - q*P2 is exact. Subtracting q*P3 with Knuth's TwoSum keeps
  // its rounding error, which joins q*P4 in the low part; R + Err is the
  // reduced argument to about twice the type's precision, and Err corrects
  // the polynomials: sin(r + Err) = sin r + Err cos r.
  const UOp *Hi = sub(sub(Xs, mul(Q, c(Parts[0]))), mul(Q, c(Parts[1])));
  const UOp *QP3 = neg(mul(Q, c(Parts[2])));
  const UOp *S = add(Hi, QP3);
  const UOp *BB = sub(S, Hi);
  const UOp *E1 = add(sub(Hi, sub(S, BB)), sub(QP3, BB));
  const UOp *Lo = sub(E1, mul(Q, c(Parts[3])));
  const UOp *R = add(S, Lo);
  const UOp *Err = add(sub(S, R), Lo);
  // q mod 4, exactly: q - 4 * rint(q / 4) is in [-2, 2].
  const UOp *Quadrant = binary(
      Op::And, cast(sub(Q, mul(rint(mul(Q, c(0.25))), c(4))), Int), i(3));
  const UOp *Z = mul(R, R);
  const UOp *CosR =
      add(sub(mul(mul(Z, Z), isF64() ? poly(Z, F64Cos) : poly(Z, F32Cos)),
              mul(Z, c(0.5))),
          c(1));
  const UOp *SinR =
      add(R, add(mul(mul(R, Z), isF64() ? poly(Z, F64Sin) : poly(Z, F32Sin)),
                 mul(Err, CosR)));
  CosR = sub(CosR, mul(Err, R));
  const UOp *Odd = eq(binary(Op::And, Quadrant, i(1)), i(1));
  const UOp *Negated = eq(binary(Op::And, Quadrant, i(2)), i(2));
  const UOp *V = select(Odd, CosR, SinR);
  V = select(Negated, neg(V), V);
  return select(Ok, V, nan());
}

// sqrt(x) = sqrt(m) * 2^k with x = m * 4^k, m in [1, 4): Newton's iteration
// for 1/sqrt(m) from the bit-trick estimate, then one correction of
// s = m/sqrt(m). Subnormals are scaled by 2^64 first.
const UOp *MathBuilder::sqrt(const UOp *X) {
  const UOp *Ok = isPositiveFinite(X);
  const UOp *A = select(Ok, X, c(1));
  const UOp *Tiny = lt(A, c(Format.MinNormal));
  A = select(Tiny, mul(A, c(0x1p64)), A);
  const UOp *K = binary(Op::Shr, exponentOf(A), i(1));
  const UOp *M = addExponent(A, neg(add(K, K)));
  // The estimate of 1/sqrt(m) from its bits (Lomont, "Fast inverse square
  // root", 2003): within 3.5%; each step squares the error.
  int64_t Magic = isF64() ? 0x5fe6eb50c7b537a9 : 0x5f3759df;
  const UOp *Y =
      bitcast(sub(i(Magic), binary(Op::Shr, bitcast(M, Int), i(1))), Float);
  const UOp *HalfM = mul(M, c(0.5));
  for (int Step = 0, E = isF64() ? 4 : 3; Step != E; ++Step)
    Y = mul(Y, sub(c(1.5), mul(mul(HalfM, Y), Y)));
  const UOp *S = mul(M, Y);
  S = add(S, mul(sub(M, mul(S, S)), mul(Y, c(0.5))));
  const UOp *R = addExponent(S, sub(K, select(Tiny, i(32), i(0))));
  // sqrt(±0) = ±0, sqrt(inf) = inf; nan and x < 0 give nan.
  const UOp *Special = select(binary(Op::Or, isNan(X), lt(X, c(0))), nan(), X);
  return select(Ok, R, Special);
}

//===----------------------------------------------------------------------===//
// Integer division by a constant
//===----------------------------------------------------------------------===//

using UInt128 = unsigned __int128;

/// The smallest Shift with Multiplier = ceil(2^Shift / D) such that
/// floor(n * Multiplier / 2^Shift) == floor(n / D) for 0 <= n <= NMax:
/// enough when (Multiplier * D - 2^Shift) * NMax < 2^Shift.
struct Magic {
  UInt128 Multiplier;
  unsigned Shift;
};
Magic getMagic(UInt128 D, UInt128 NMax) {
  for (unsigned Shift = 0;; ++Shift) {
    UInt128 Power = UInt128(1) << Shift;
    UInt128 Multiplier = (Power + D - 1) / D;
    if ((Multiplier * D - Power) * NMax < Power)
      return {Multiplier, Shift};
  }
}

/// How x // |d| is computed for 0 <= x <= NMax: floor(x * Multiplier /
/// 2^Shift), or with a 33-bit multiplier m (AddTrick) as
/// ((x * (m - 2^32) >> 32) + x) >> (Shift - 32), which keeps every
/// intermediate within 64 bits (Hacker's Delight 10-8).
struct DivisionPlan {
  Magic M;
  bool AddTrick = false;
};

/// The plan for dividing X in [Min, Max] by |D| (not a power of two) in a
/// 64-bit wide type, signed unless Unsigned; nullopt if a product overflows.
std::optional<DivisionPlan> planDivision(UInt128 Abs, Range XRange,
                                         bool Unsigned) {
  UInt128 NMax = std::max<__int128>(-XRange.Min, XRange.Max);
  DivisionPlan Plan{getMagic(Abs, NMax)};
  UInt128 Max = Unsigned ? ~uint64_t(0) : UInt128(INT64_MAX);
  UInt128 Multiplier = Plan.M.Multiplier;
  UInt128 Positive = std::max<__int128>(XRange.Max, 0);
  UInt128 Negative = std::max<__int128>(-XRange.Min, 0);
  if (Multiplier <= Max && Positive * Multiplier <= Max &&
      Negative * Multiplier <= Max + 1)
    return Plan;
  UInt128 Two32 = UInt128(1) << 32;
  if (Unsigned && XRange.Min >= 0 && NMax < Two32 && Multiplier >= Two32 &&
      Multiplier < 2 * Two32 && Plan.M.Shift >= 32) {
    Plan.AddTrick = true;
    return Plan;
  }
  return std::nullopt;
}

/// The op's value for X, in the wide type, from x truncdiv |D|.
const UOp *lowerDivision(Builder &B, Op O, const UOp *X, int64_t D,
                         Range XRange, const DivisionPlan &Plan) {
  bool Negative = D < 0;
  UInt128 Abs = Negative ? UInt128(-(__int128)D) : UInt128(D);
  const UOp *Zero = B.integer(X, 0), *One = B.integer(X, 1);
  const UOp *IsNegative = B.lt(X, Zero);
  bool MayBeNegative = XRange.Min < 0;
  const UOp *TruncQuotient;
  if ((Abs & (Abs - 1)) == 0) {
    unsigned K = llvm::countr_zero(uint64_t(Abs));
    const UOp *Shift = B.integer(X, K);
    const UOp *Mask = B.integer(X, int64_t(Abs - 1));
    // floor: an arithmetic shift and a mask.
    if (!Negative && O == Op::FloorDiv)
      return B.binary(Op::Shr, X, Shift);
    if (!Negative && O == Op::FloorMod)
      return B.binary(Op::And, X, Mask);
    // trunc: negative dividends round up by adding |D| - 1 first.
    const UOp *Biased =
        MayBeNegative ? B.add(X, B.select(IsNegative, Mask, Zero)) : X;
    TruncQuotient = B.binary(Op::Shr, Biased, Shift);
  } else if (Plan.AddTrick) {
    const UOp *Low =
        B.integer(X, int64_t(Plan.M.Multiplier - (UInt128(1) << 32)));
    const UOp *High = B.binary(Op::Shr, B.mul(X, Low), B.integer(X, 32));
    TruncQuotient =
        B.binary(Op::Shr, B.add(High, X), B.integer(X, Plan.M.Shift - 32));
  } else {
    const UOp *Multiplier = B.integer(X, int64_t(Plan.M.Multiplier));
    const UOp *Q =
        B.binary(Op::Shr, B.mul(X, Multiplier), B.integer(X, Plan.M.Shift));
    // floor(x*m / 2^s) is one below trunc(x/d) for x < 0 (d is not a power
    // of two, so m*d != 2^s).
    TruncQuotient =
        MayBeNegative ? B.add(Q, B.select(IsNegative, One, Zero)) : Q;
  }
  const UOp *AbsD = B.integer(X, int64_t(Abs));
  const UOp *Remainder = B.sub(X, B.mul(TruncQuotient, AbsD));
  const UOp *Quotient = Negative ? B.neg(TruncQuotient) : TruncQuotient;
  if (O == Op::TruncDiv)
    return Quotient;
  if (O == Op::TruncMod)
    return Remainder;
  // floor: a remainder of the other sign than D moves one step.
  if (!MayBeNegative && !Negative)
    return O == Op::FloorDiv ? Quotient : Remainder;
  const UOp *Adjust = Negative ? B.lt(Zero, Remainder) : B.lt(Remainder, Zero);
  if (O == Op::FloorDiv)
    return B.sub(Quotient, B.select(Adjust, One, Zero));
  return B.add(Remainder, B.select(Adjust, B.integer(X, D), Zero));
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct DecomposePass : FunctionPass {
  Option<std::string> Arch{*this, "arch",
                           "The arch whose missing dtypes are computed in f32 "
                           "(td/Devices.td)",
                           "x86-64"};
  Option<std::string> Ops{
      *this, "ops",
      "Decompositions to apply whatever the arch has, comma-separated: exp2, "
      "log2, sin, sqrt, idiv",
      ""};
  Option<std::string> Types{
      *this, "types",
      "Apply the `ops` decompositions only to ops computing in these scalar "
      "types, comma-separated (f32, f64, ...; default: every type)",
      ""};
  Statistic NumTranscendentals{*this, "num-transcendentals",
                               "exp2, log2, sin and sqrt approximated"};
  Statistic NumDivisions{*this, "num-divisions",
                         "Divisions by a constant multiplied"};
  Statistic NumPromoted{*this, "num-promoted",
                        "Ops computed in f32 for a missing dtype"};

  llvm::StringRef getArgument() const override { return "decompose"; }
  llvm::StringRef getDescription() const override {
    return "Rewrite what the arch lacks: exp2, log2, sin and sqrt as "
           "polynomials, integer division by constants as multiplications, "
           "missing float dtypes in f32";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt(
        "the polynomials only approximate exp2, log2, sin and sqrt (bounds "
        "tested in unittests/Codegen/DecomposeTest.cpp); the integer "
        "divisions are exact and tested exhaustively on 16-bit dividends");
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override;
};

struct Decomposer {
  Context &Ctx;
  BodyBuilder &Body;
  const ArchInfo &Target;
  unsigned Kinds;
  /// Bit K: the `ops` decompositions apply to ScalarKind K.
  uint64_t KindTypes;
  RangeAnalysis Ranges;

  /// Whether the `ops` decompositions include `O`'s on type `T`.
  bool forced(Op O, DType T) const;

  /// The decomposition of `Old`, an elementwise op, on `Srcs`, its
  /// operands' new versions; nullptr if it stays.
  const UOp *lower(const UOp *Old, llvm::ArrayRef<const UOp *> Srcs);
  const UOp *lowerTranscendental(Op O, const UOp *X);
  const UOp *lowerIntDivision(const UOp *Old, llvm::ArrayRef<const UOp *> Srcs);
};

bool isTranscendental(Op O) {
  return O == Op::Exp2 || O == Op::Log2 || O == Op::Sin || O == Op::Sqrt;
}

unsigned getKind(Op O) {
  switch (O) {
  case Op::Exp2:
    return Exp2Kind;
  case Op::Log2:
    return Log2Kind;
  case Op::Sin:
    return SinKind;
  case Op::Sqrt:
    return SqrtKind;
  default:
    return IntDivKind;
  }
}

bool Decomposer::forced(Op O, DType T) const {
  return (Kinds & getKind(O)) && (KindTypes >> unsigned(T.getScalarKind()) & 1);
}

const UOp *Decomposer::lowerTranscendental(Op O, const UOp *X) {
  DType T = X->getDType();
  Builder B(Ctx, Body, T.getCount());
  ScalarKind K = T.getScalarKind();
  bool InF32 = K != ScalarKind::F64;
  const UOp *Wide = B.cast(X, B.type(InF32 ? ScalarKind::F32 : K));
  MathBuilder Math(Ctx, Body, T.getCount(), InF32 ? F32Format : F64Format);
  const UOp *R = O == Op::Exp2   ? Math.exp2(Wide)
                 : O == Op::Log2 ? Math.log2(Wide)
                 : O == Op::Sin  ? Math.sin(Wide)
                                 : Math.sqrt(Wide);
  return B.cast(R, T);
}

const UOp *Decomposer::lowerIntDivision(const UOp *Old,
                                        llvm::ArrayRef<const UOp *> Srcs) {
  DType T = Old->getDType();
  const UOp *Divisor = Srcs[1];
  if (!T.isInteger() || Divisor->getOp() != Op::Const)
    return nullptr;
  int64_t D = Divisor->getArg()->getInt();
  ScalarKind K = T.getScalarKind();
  // 0 is undefined; a u64 divisor of 2^63 or more does not fit int64.
  if (D == 0 || (K == ScalarKind::U64 && D < 0))
    return nullptr;
  // Types below 64 bits compute in the 64-bit type of their signedness;
  // index and 64-bit types in themselves, where the ranges allow.
  // Powers of two below 2^(bits-1) need no wider type.
  UInt128 Abs = D < 0 ? UInt128(-(__int128)D) : UInt128(D);
  bool PowerOfTwo = (Abs & (Abs - 1)) == 0;
  unsigned Bits = T.getScalarBits();
  ScalarKind WideKind = K;
  if (Bits != 0 && Bits < 64 && !(PowerOfTwo && Abs < UInt128(1) << (Bits - 1)))
    WideKind = T.isUnsigned() ? ScalarKind::U64 : ScalarKind::I64;
  if (WideKind != ScalarKind::Index && !Target.supports(WideKind))
    return nullptr;
  Range XRange = Ranges.getRange(Srcs[0]);
  if (XRange.isEmpty() || !isFinite(XRange.Min) || !isFinite(XRange.Max))
    return nullptr;
  UInt128 NMax = std::max<__int128>(-XRange.Min, XRange.Max);
  // The remainder's correction x - q*|d| + d stays within int64.
  if (NMax + 2 * Abs > UInt128(INT64_MAX))
    return nullptr;
  DivisionPlan Plan;
  if (!PowerOfTwo) {
    std::optional<DivisionPlan> Planned =
        planDivision(Abs, XRange, WideKind == ScalarKind::U64);
    if (!Planned)
      return nullptr;
    Plan = *Planned;
  }
  Builder B(Ctx, Body, T.getCount());
  const UOp *X = B.cast(Srcs[0], B.type(WideKind));
  return B.cast(lowerDivision(B, Old->getOp(), X, D, XRange, Plan), T);
}

/// Whether the arch computes in T's scalar type (non-values always).
bool isComputed(const ArchInfo &Target, DType T) {
  return !T.isValue() || T.isIndex() || Target.supports(T.getScalarKind());
}

const UOp *Decomposer::lower(const UOp *Old, llvm::ArrayRef<const UOp *> Srcs) {
  Op O = Old->getOp();
  DType T = Old->getDType();
  // A float type the arch lacks: compute in f32.
  bool Promote = !isComputed(Target, T) && T.isFloat();
  for (const UOp *Src : Srcs)
    Promote |=
        !isComputed(Target, Src->getDType()) && Src->getDType().isFloat();
  if (Promote) {
    Builder B(Ctx, Body, T.getCount());
    DType F32 = B.type(ScalarKind::F32);
    llvm::SmallVector<const UOp *, 3> Wide;
    for (const UOp *Src : Srcs)
      Wide.push_back(Src->getDType().isFloat() ? B.cast(Src, F32) : Src);
    DType WideType = T.isFloat() ? F32 : T;
    const UOp *R = nullptr;
    if (isTranscendental(O) && forced(O, T))
      R = lowerTranscendental(O, Wide[0]);
    else
      R = B.op(O, WideType, Wide);
    return B.cast(R, T);
  }
  if (isTranscendental(O) && T.isFloat() && forced(O, T))
    return lowerTranscendental(O, Srcs[0]);
  if ((O == Op::FloorDiv || O == Op::FloorMod || O == Op::TruncDiv ||
       O == Op::TruncMod) &&
      forced(O, T))
    return lowerIntDivision(Old, Srcs);
  return nullptr;
}

/// The type of `U` or an operand that the arch cannot compute in and
/// decompose cannot emulate, if any.
std::optional<DType> getUnhandledType(const ArchInfo &Target, const UOp *U) {
  if (!isComputed(Target, U->getDType()) && !U->getDType().isFloat())
    return U->getDType();
  for (const UOp *Src : U->getSrcs())
    if (!isComputed(Target, Src->getDType()) && !Src->getDType().isFloat())
      return Src->getDType();
  return std::nullopt;
}

} // namespace

LogicalResult DecomposePass::runOnFunction(Function &F, PassContext &C) {
  if (!F.isKernel() || !F.getRoot())
    return success();
  const ArchInfo *Target = lookupArch(Arch.getValue());
  if (!Target)
    return C.getDiag().error(F.getLoc(), "decompose: unknown arch '" +
                                             Arch.getValue() + "'");
  unsigned Kinds = 0;
  llvm::SmallVector<llvm::StringRef, 8> Names;
  llvm::StringRef(Ops.getValue()).split(Names, ',', -1, false);
  for (llvm::StringRef Name : Names) {
    unsigned Kind = llvm::StringSwitch<unsigned>(Name.trim())
                        .Case("exp2", Exp2Kind)
                        .Case("log2", Log2Kind)
                        .Case("sin", SinKind)
                        .Case("sqrt", SqrtKind)
                        .Case("idiv", IntDivKind)
                        .Default(0);
    if (!Kind)
      return C.getDiag().error(
          F.getLoc(), "decompose: unknown decomposition '" + Name.trim() +
                          "' (known: exp2, log2, sin, sqrt, idiv)");
    Kinds |= Kind;
  }

  uint64_t KindTypes = ~uint64_t(0);
  Names.clear();
  llvm::StringRef(Types.getValue()).split(Names, ',', -1, false);
  if (!Names.empty())
    KindTypes = 0;
  for (llvm::StringRef Name : Names) {
    std::optional<ScalarKind> K = parseScalarKind(Name.trim());
    if (!K)
      return C.getDiag().error(F.getLoc(), "decompose: unknown scalar type '" +
                                               Name.trim() + "' in types");
    KindTypes |= uint64_t(1) << unsigned(*K);
  }

  Context &Ctx = C.getContext();
  BodyBuilder Body(F, Ctx);
  Decomposer D{Ctx, Body, *Target, Kinds, KindTypes, {}};
  for (const UOp *Old : F.getBody()) {
    if (!Old->hasTrait(OpTrait::Elementwise) || Old->getOp() == Op::Cast ||
        Old->getOp() == Op::Bitcast) {
      Body.rebuild(Old);
      continue;
    }
    if (std::optional<DType> Bad = getUnhandledType(*Target, Old)) {
      std::string Type = Bad->str();
      return C.getDiag().error(F.getLocOrDefault(Old),
                               llvm::Twine("decompose: '") +
                                   Old->getInfo().Mnemonic + "' computes in " +
                                   Type + ", which arch " + Target->Name +
                                   " does not support and decompose cannot "
                                   "emulate");
    }
    llvm::SmallVector<const UOp *, 3> Srcs;
    for (const UOp *Src : Old->getSrcs())
      Srcs.push_back(Body.lookup(Src));
    const UOp *New = D.lower(Old, Srcs);
    if (!New) {
      Body.rebuild(Old);
      continue;
    }
    if (isTranscendental(Old->getOp()) &&
        D.forced(Old->getOp(), Old->getDType()))
      ++NumTranscendentals;
    else if (!isTranscendental(Old->getOp()) && Old->getDType().isInteger())
      ++NumDivisions;
    else
      ++NumPromoted;
    Body.replace(Old, New);
  }
  Body.finish();
  return success();
}

std::unique_ptr<Pass> tg::createDecomposePass() {
  return std::make_unique<DecomposePass>();
}
