//===- Range.cpp - integer intervals with infinite ends -------------------===//
//
// Bounds saturate by the sign of the true result, and Range::get turns a
// lower bound of +inf (a true value above the largest finite bound) into the
// largest finite bound, and an upper bound of -inf into the smallest, so a
// computed range never loses its values to saturation.
//
//===----------------------------------------------------------------------===//

#include "tg/Analysis/Range.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <limits>

using namespace tg;

//===----------------------------------------------------------------------===//
// Bounds
//===----------------------------------------------------------------------===//

Bound tg::addBound(Bound A, Bound B) {
  if (A == NegInf || B == NegInf) {
    assert(A != PosInf && B != PosInf && "-inf + +inf");
    return NegInf;
  }
  if (A == PosInf || B == PosInf)
    return PosInf;
  Bound Sum;
  if (__builtin_add_overflow(A, B, &Sum))
    return A > 0 ? PosInf : NegInf;
  return Sum;
}

Bound tg::negBound(Bound A) {
  if (A == NegInf)
    return PosInf;
  return A == PosInf ? NegInf : -A;
}

Bound tg::mulBound(Bound A, Bound B) {
  if (A == 0 || B == 0)
    return 0;
  bool Negative = (A < 0) != (B < 0);
  Bound Product;
  if (!isFinite(A) || !isFinite(B) || __builtin_mul_overflow(A, B, &Product))
    return Negative ? NegInf : PosInf;
  return Product;
}

/// Whether V is an int64 value, for which 64-bit arithmetic is exact and
/// avoids the 128-bit libcalls.
static bool isInt64(Bound V) {
  return V >= std::numeric_limits<int64_t>::min() &&
         V <= std::numeric_limits<int64_t>::max();
}

Bound tg::floorDivBound(Bound A, Bound D) {
  assert(D > 0 && "divisor must be positive");
  if (isInt64(A) && isInt64(D)) { // D > 0: no INT64_MIN / -1.
    int64_t A64 = int64_t(A), D64 = int64_t(D);
    int64_t Q = A64 / D64;
    return (A64 % D64 != 0 && A64 < 0) ? Q - 1 : Q;
  }
  if (D == PosInf) {
    assert(isFinite(A) && "inf / inf");
    return A >= 0 ? 0 : -1;
  }
  if (!isFinite(A))
    return A;
  Bound Q = A / D;
  return (A % D != 0 && A < 0) ? Q - 1 : Q;
}

Bound tg::ceilDivBound(Bound A, Bound D) {
  assert(D > 0 && "divisor must be positive");
  if (isInt64(A) && isInt64(D)) { // D > 0: no INT64_MIN / -1.
    int64_t A64 = int64_t(A), D64 = int64_t(D);
    int64_t Q = A64 / D64;
    return (A64 % D64 != 0 && A64 > 0) ? Bound(Q) + 1 : Q;
  }
  if (D == PosInf) {
    assert(isFinite(A) && "inf / inf");
    return A > 0 ? 1 : 0;
  }
  if (!isFinite(A))
    return A;
  Bound Q = A / D;
  return (A % D != 0 && A > 0) ? Q + 1 : Q;
}

Bound tg::pow2Bound(Bound E) {
  assert(E >= 0 && "negative exponent");
  return E >= 127 ? PosInf : Bound(1) << int(E);
}

void tg::printBound(llvm::raw_ostream &OS, Bound B) {
  if (B == NegInf) {
    OS << "-inf";
    return;
  }
  if (B == PosInf) {
    OS << "inf";
    return;
  }
  unsigned __int128 Magnitude = B < 0 ? -static_cast<unsigned __int128>(B) : B;
  char Digits[40];
  unsigned N = 0;
  do {
    Digits[N++] = char('0' + unsigned(Magnitude % 10));
    Magnitude /= 10;
  } while (Magnitude != 0);
  if (B < 0)
    OS << '-';
  while (N != 0)
    OS << Digits[--N];
}

//===----------------------------------------------------------------------===//
// Range
//===----------------------------------------------------------------------===//

Range Range::get(Bound Min, Bound Max) {
  if (Min > Max)
    return empty();
  return {Min == PosInf ? PosInf - 1 : Min, Max == NegInf ? NegInf + 1 : Max};
}

Range Range::ofType(DType T) {
  if (!T.isValue())
    return all();
  unsigned Bits = T.getScalarBits();
  switch (T.getCategory()) {
  case ScalarCategory::Bool:
    return {0, 1};
  case ScalarCategory::Signed:
    return {-(Bound(1) << (Bits - 1)), (Bound(1) << (Bits - 1)) - 1};
  case ScalarCategory::Unsigned:
    return {0, (Bound(1) << Bits) - 1};
  case ScalarCategory::Index:
  case ScalarCategory::Float:
  case ScalarCategory::Void:
    return all();
  }
  return all();
}

std::optional<Bound> Range::getPoint() const {
  if (Min != Max || !isFinite(Min))
    return std::nullopt;
  return Min;
}

bool Range::contains(const Range &R) const {
  return R.isEmpty() || (!isEmpty() && Min <= R.Min && R.Max <= Max);
}

Range Range::intersect(const Range &R) const {
  return get(std::max(Min, R.Min), std::min(Max, R.Max));
}

Range Range::unite(const Range &R) const {
  if (isEmpty())
    return R;
  if (R.isEmpty())
    return *this;
  return {std::min(Min, R.Min), std::max(Max, R.Max)};
}

bool Range::operator==(const Range &R) const {
  if (isEmpty() || R.isEmpty())
    return isEmpty() && R.isEmpty();
  return Min == R.Min && Max == R.Max;
}

void Range::print(llvm::raw_ostream &OS) const {
  if (isEmpty()) {
    OS << "empty";
    return;
  }
  OS << '[';
  printBound(OS, Min);
  OS << ", ";
  printBound(OS, Max);
  OS << ']';
}

std::string Range::str() const {
  std::string S;
  llvm::raw_string_ostream OS(S);
  print(OS);
  return S;
}

//===----------------------------------------------------------------------===//
// Arithmetic
//===----------------------------------------------------------------------===//

namespace {

const Range NonNegative = {0, PosInf};
const Range Negative = {NegInf, -1};
const Range Positive = {1, PosInf};

Range minMaxOf(std::initializer_list<Bound> Candidates) {
  return Range::get(std::min(Candidates), std::max(Candidates));
}

/// floor(A / D) for D within [1, +inf]. floor(a/d) is monotone in a, and in
/// d for a of one sign, so each sign of A takes its extremes at corners.
Range floorDivPositive(const Range &A, const Range &D) {
  Range Result = Range::empty();
  Range NonNegA = A.intersect(NonNegative), NegA = A.intersect(Negative);
  if (!NonNegA.isEmpty())
    Result = Result.unite(Range::get(floorDivBound(NonNegA.Min, D.Max),
                                     floorDivBound(NonNegA.Max, D.Min)));
  if (!NegA.isEmpty())
    Result = Result.unite(Range::get(floorDivBound(NegA.Min, D.Min),
                                     floorDivBound(NegA.Max, D.Max)));
  return Result;
}

/// trunc(A / D) for D within [1, +inf]: floor for a >= 0, -floor(-a/d) below.
Range truncDivPositive(const Range &A, const Range &D) {
  return floorDivPositive(A.intersect(NonNegative), D)
      .unite(-floorDivPositive(-A.intersect(Negative), D));
}

Bound floorModBound(Bound A, Bound C) {
  Bound R = A % C;
  return R < 0 ? R + C : R;
}

/// floormod(A, D) for D within [1, +inf]: in [0, D.Max - 1], and exactly
/// A - q*c when D is one constant c and floor(a/c) is the same q for all of A.
Range floorModPositive(const Range &A, const Range &D) {
  if (A.isEmpty() || D.isEmpty())
    return Range::empty();
  std::optional<Bound> C = D.getPoint();
  if (C && isFinite(A.Min) && isFinite(A.Max) &&
      floorDivBound(A.Min, *C) == floorDivBound(A.Max, *C))
    return {floorModBound(A.Min, *C), floorModBound(A.Max, *C)};
  if (A.Min >= 0 && A.Max < D.Min)
    return A;
  Bound Max = addBound(D.Max, -1);
  if (A.Min >= 0)
    Max = std::min(Max, A.Max);
  return {0, Max};
}

/// truncmod(A, D) for D within [1, +inf]: the sign of a, |a| mod d.
Range truncModPositive(const Range &A, const Range &D) {
  return floorModPositive(A.intersect(NonNegative), D)
      .unite(-floorModPositive(-A.intersect(Negative), D));
}

/// The smallest 2^k - 1 >= V, for V >= 0.
Bound allOnesCovering(Bound V) {
  if (V == PosInf)
    return PosInf;
  Bound Mask = 0;
  while (Mask < V)
    Mask = Mask * 2 + 1;
  return Mask;
}

bool eitherEmpty(const Range &A, const Range &B) {
  return A.isEmpty() || B.isEmpty();
}

} // namespace

/// Whether R's bounds are int64 values, whose products are exact in a Bound.
static bool fitsInt64(const Range &R) {
  return R.Min >= std::numeric_limits<int64_t>::min() &&
         R.Max <= std::numeric_limits<int64_t>::max();
}

Range tg::operator+(const Range &A, const Range &B) {
  if (eitherEmpty(A, B))
    return Range::empty();
  // The common case, without addBound's infinity and overflow checks.
  if (fitsInt64(A) && fitsInt64(B))
    return {A.Min + B.Min, A.Max + B.Max};
  return Range::get(addBound(A.Min, B.Min), addBound(A.Max, B.Max));
}

Range tg::operator-(const Range &A) {
  if (A.isEmpty())
    return A;
  return Range::get(negBound(A.Max), negBound(A.Min));
}

Range tg::operator-(const Range &A, const Range &B) { return A + -B; }

Range tg::operator*(const Range &A, const Range &B) {
  if (eitherEmpty(A, B))
    return Range::empty();
  // The common case, without mulBound's overflow checks (a libcall each).
  if (fitsInt64(A) && fitsInt64(B)) {
    // 64 x 64 -> 128-bit products: one multiply each.
    auto Mul = [](Bound X, Bound Y) {
      return Bound(int64_t(X)) * Bound(int64_t(Y));
    };
    Bound P1 = Mul(A.Min, B.Min), P2 = Mul(A.Min, B.Max),
          P3 = Mul(A.Max, B.Min), P4 = Mul(A.Max, B.Max);
    return Range::get(std::min(std::min(P1, P2), std::min(P3, P4)),
                      std::max(std::max(P1, P2), std::max(P3, P4)));
  }
  return minMaxOf({mulBound(A.Min, B.Min), mulBound(A.Min, B.Max),
                   mulBound(A.Max, B.Min), mulBound(A.Max, B.Max)});
}

Range tg::max(const Range &A, const Range &B) {
  if (eitherEmpty(A, B))
    return Range::empty();
  return {std::max(A.Min, B.Min), std::max(A.Max, B.Max)};
}

// Division by a negative d is division of -a by -d: floor(a/d) ==
// floor(-a/-d), trunc(a/d) == trunc(-a/-d), floormod(a, d) ==
// -floormod(-a, -d) and truncmod(a, d) == truncmod(a, -d).

Range tg::floorDiv(const Range &A, const Range &B) {
  if (A.isEmpty())
    return A;
  Range PosB = B.intersect(Positive), NegB = B.intersect(Negative);
  Range Result = Range::empty();
  if (!PosB.isEmpty())
    Result = Result.unite(floorDivPositive(A, PosB));
  if (!NegB.isEmpty())
    Result = Result.unite(floorDivPositive(-A, -NegB));
  return Result;
}

Range tg::truncDiv(const Range &A, const Range &B) {
  if (A.isEmpty())
    return A;
  Range PosB = B.intersect(Positive), NegB = B.intersect(Negative);
  Range Result = Range::empty();
  if (!PosB.isEmpty())
    Result = Result.unite(truncDivPositive(A, PosB));
  if (!NegB.isEmpty())
    Result = Result.unite(truncDivPositive(-A, -NegB));
  return Result;
}

Range tg::floorMod(const Range &A, const Range &B) {
  return floorModPositive(A, B.intersect(Positive))
      .unite(-floorModPositive(-A, -B.intersect(Negative)));
}

Range tg::truncMod(const Range &A, const Range &B) {
  return truncModPositive(A, B.intersect(Positive))
      .unite(truncModPositive(A, -B.intersect(Negative)));
}

Range tg::shiftLeft(const Range &A, const Range &E) {
  if (eitherEmpty(A, E))
    return Range::empty();
  return A * Range::get(pow2Bound(E.Min), pow2Bound(E.Max));
}

Range tg::shiftRight(const Range &A, const Range &E) {
  if (eitherEmpty(A, E))
    return Range::empty();
  // A divisor of at least 2^127 - 1 covers every larger power of two.
  Bound MinDivisor = std::min(pow2Bound(E.Min), PosInf - 1);
  return floorDivPositive(A, {MinDivisor, pow2Bound(E.Max)});
}

Range tg::bitAnd(const Range &A, const Range &B) {
  if (eitherEmpty(A, B))
    return Range::empty();
  std::optional<Bound> X = A.getPoint(), Y = B.getPoint();
  if (X && Y)
    return Range::point(*X & *Y);
  // The result has only bits that a non-negative operand has.
  if (A.Min >= 0 && B.Min >= 0)
    return {0, std::min(A.Max, B.Max)};
  if (A.Min >= 0)
    return {0, A.Max};
  if (B.Min >= 0)
    return {0, B.Max};
  return Range::all();
}

Range tg::bitOr(const Range &A, const Range &B) {
  if (eitherEmpty(A, B))
    return Range::empty();
  std::optional<Bound> X = A.getPoint(), Y = B.getPoint();
  if (X && Y)
    return Range::point(*X | *Y);
  // Setting bits never lowers a non-negative value nor adds a bit above the
  // highest bit of either operand.
  if (A.Min >= 0 && B.Min >= 0)
    return {std::max(A.Min, B.Min), allOnesCovering(std::max(A.Max, B.Max))};
  return Range::all();
}

Range tg::bitXor(const Range &A, const Range &B) {
  if (eitherEmpty(A, B))
    return Range::empty();
  std::optional<Bound> X = A.getPoint(), Y = B.getPoint();
  if (X && Y)
    return Range::point(*X ^ *Y);
  if (A.Min >= 0 && B.Min >= 0)
    return {0, allOnesCovering(std::max(A.Max, B.Max))};
  return Range::all();
}
