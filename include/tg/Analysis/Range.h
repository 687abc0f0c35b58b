//===- Range.h - integer intervals with infinite ends -----------*- C++ -*-===//
//
// A Range is an inclusive interval [Min, Max] of mathematical integers: the
// values a UOp may take. Bounds are 128-bit, so every value of every tg
// integer type (u64 included) is exact and the product of two 64-bit bounds
// never overflows; the two extreme 128-bit values stand for -inf and +inf
// ("no bound"), which is what an `index` value without known bounds has.
// Arithmetic on bounds saturates: a result too large for 128 bits becomes
// infinite, never a wrapped value.
//
// A Range may be empty: the values of the variable of a loop that never runs.
// Whatever is said of an empty set holds vacuously. Its canonical form is
// [+inf, -inf], so checks such as `R.Min >= 0` hold on it, while getPoint()
// offers no value to fold to.
//
// The arithmetic below is exact interval arithmetic on mathematical integers:
// no types, no wrapping (RangeAnalysis applies each op's type on top of it).
// An empty operand gives an empty result.
//
//===----------------------------------------------------------------------===//

#ifndef TG_ANALYSIS_RANGE_H
#define TG_ANALYSIS_RANGE_H

#include "tg/IR/DType.h"

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

namespace tg {

/// An integer bound: a finite value, or NegInf / PosInf.
using Bound = __int128;
inline constexpr Bound PosInf = Bound(~static_cast<unsigned __int128>(0) >> 1);
inline constexpr Bound NegInf = -PosInf - 1;

inline bool isFinite(Bound B) { return B != NegInf && B != PosInf; }
/// A + B, saturating to an infinity; -inf + +inf is a caller's bug.
Bound addBound(Bound A, Bound B);
Bound negBound(Bound A);
/// A * B, saturating; 0 times an infinity is 0 (bounds stand for values).
Bound mulBound(Bound A, Bound B);
/// floor(A / D) and ceil(A / D) for D > 0 (finite or +inf; A finite when D
/// is +inf).
Bound floorDivBound(Bound A, Bound D);
Bound ceilDivBound(Bound A, Bound D);
/// 2^E for E >= 0, saturating to +inf.
Bound pow2Bound(Bound E);
/// Decimal, or `-inf` / `inf`.
void printBound(llvm::raw_ostream &OS, Bound B);

struct Range {
  Bound Min = NegInf;
  Bound Max = PosInf;

  static Range all() { return {NegInf, PosInf}; }
  static Range empty() { return {PosInf, NegInf}; }
  static Range point(Bound V) { return {V, V}; }
  /// [Min, Max], canonically empty when Min > Max.
  static Range get(Bound Min, Bound Max);
  /// Every value of T's scalar type: [0, 1] for bool, the two's-complement
  /// interval of a fixed-width integer; unbounded for index and for any type
  /// that is not an integer (floats are not tracked).
  static Range ofType(DType T);

  bool isEmpty() const { return Min > Max; }
  /// The one value of a single-point range.
  std::optional<Bound> getPoint() const;
  bool contains(Bound V) const { return Min <= V && V <= Max; }
  /// Every value of R lies in this range (always so for an empty R).
  bool contains(const Range &R) const;
  Range intersect(const Range &R) const;
  /// The smallest range holding both (the hull).
  Range unite(const Range &R) const;

  /// Empty ranges are equal to each other whatever their fields.
  bool operator==(const Range &R) const;
  bool operator!=(const Range &R) const { return !(*this == R); }

  /// `[lo, hi]` or `empty`.
  void print(llvm::raw_ostream &OS) const;
  std::string str() const;
};

inline llvm::raw_ostream &operator<<(llvm::raw_ostream &OS, const Range &R) {
  R.print(OS);
  return OS;
}

//--- Exact interval arithmetic ----------------------------------------------//

Range operator+(const Range &A, const Range &B);
Range operator-(const Range &A);
Range operator-(const Range &A, const Range &B);
Range operator*(const Range &A, const Range &B);
Range max(const Range &A, const Range &B);
/// Division and modulo leave out B's zero (dividing by zero is undefined);
/// a B of only zero gives the empty range.
Range floorDiv(const Range &A, const Range &B);
Range floorMod(const Range &A, const Range &B);
Range truncDiv(const Range &A, const Range &B);
Range truncMod(const Range &A, const Range &B);
/// A * 2^E and floor(A / 2^E) for E within [0, +inf].
Range shiftLeft(const Range &A, const Range &E);
Range shiftRight(const Range &A, const Range &E);
/// Bitwise on two's complement with infinite sign extension (the values of
/// every integer type, signed or not); bounded only where the rules of
/// docs/Analysis.md apply, else unbounded.
Range bitAnd(const Range &A, const Range &B);
Range bitOr(const Range &A, const Range &B);
Range bitXor(const Range &A, const Range &B);

} // namespace tg

#endif // TG_ANALYSIS_RANGE_H
