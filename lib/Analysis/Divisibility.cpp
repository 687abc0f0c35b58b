//===- Divisibility.cpp - constant factors of integer UOps ----------------===//

#include "tg/Analysis/Divisibility.h"

#include "PostOrder.h"

#include <algorithm>
#include <cassert>
#include <numeric>
#include <optional>

using namespace tg;

namespace {

/// Ops whose factor is computed from their sources' factors.
bool usesSourceFactors(Op O) {
  switch (O) {
  case Op::Bind:
  case Op::After:
  case Op::Noop:
  case Op::GEP:
  case Op::Vectorize:
  case Op::Cat:
  case Op::Cast:
  case Op::Neg:
  case Op::Add:
  case Op::Sub:
  case Op::Mul:
  case Op::MulAcc:
  case Op::Shl:
  case Op::FloorDiv:
  case Op::TruncDiv:
  case Op::FloorMod:
  case Op::TruncMod:
  case Op::Max:
  case Op::Where:
    return true;
  default:
    return false;
  }
}

bool dependsOnSources(const UOp *U) {
  return usesSourceFactors(U->getOp()) && U->getDType().isInteger();
}

/// |V|, if it fits in 64 bits.
std::optional<uint64_t> magnitude(Bound V) {
  Bound M = V < 0 ? negBound(V) : V;
  if (M > Bound(UINT64_MAX))
    return std::nullopt;
  return uint64_t(M);
}

/// A factor of A*B: the product, or the larger factor if that overflows.
uint64_t mulFactors(uint64_t A, uint64_t B) {
  uint64_t Product;
  if (__builtin_mul_overflow(A, B, &Product))
    return std::max(A, B);
  return Product;
}

/// gcd(F, 2^Bits): what survives subtracting multiples of 2^Bits.
uint64_t keepThroughWrap(uint64_t F, unsigned Bits) {
  if (Bits < 64)
    return std::gcd(F, uint64_t(1) << Bits);
  return F == 0 ? uint64_t(1) << 63 : F & (0 - F);
}

/// The magnitude of a vconst element as a value of T (u64 constants are
/// stored as the int64 with the same bits).
uint64_t elementMagnitude(const Arg *A, DType T) {
  if (!A->isInt())
    return 1;
  int64_t V = A->getInt();
  if (T.isUnsigned() || V >= 0)
    return uint64_t(V);
  return 0 - uint64_t(V);
}

} // namespace

uint64_t DivisibilityAnalysis::getConstFactor(const UOp *Root) {
  visitPostOrder(
      Root, [&](const UOp *U) { return Cache.count(U) != 0; }, dependsOnSources,
      [&](const UOp *U) { Cache[U] = compute(U); });
  return Cache.find(Root)->second;
}

bool DivisibilityAnalysis::divides(const UOp *U, int64_t C) {
  assert(C != 0 && "nothing is divisible by zero");
  return getConstFactor(U) % *magnitude(C) == 0;
}

uint64_t DivisibilityAnalysis::compute(const UOp *U) {
  DType T = U->getDType();
  if (!T.isInteger())
    return 1;
  if (std::optional<Bound> Point = Ranges.getRange(U).getPoint())
    if (std::optional<uint64_t> M = magnitude(*Point))
      return *M;
  auto Src = [&](unsigned I) { return Cache.find(U->getSrc(I))->second; };
  uint64_t F = 1;
  switch (U->getOp()) {
  case Op::VConst:
    F = 0;
    for (const Arg *Element : U->getArg()->getElements())
      F = std::gcd(F, elementMagnitude(Element, T));
    break;
  case Op::Bind:
  case Op::After:
  case Op::Noop:
  case Op::GEP:
  case Op::Cast:
  case Op::Neg:
    F = Src(0);
    break;
  case Op::Vectorize:
  case Op::Cat:
    F = 0;
    for (unsigned I = 0, E = U->getNumSrcs(); I != E; ++I)
      F = std::gcd(F, Src(I));
    break;
  // a - b*q, max(a, b): each a or a combination of a and b.
  case Op::Add:
  case Op::Sub:
  case Op::Max:
  case Op::FloorMod:
  case Op::TruncMod:
    F = std::gcd(Src(0), Src(1));
    break;
  case Op::Where:
    F = std::gcd(Src(1), Src(2));
    break;
  case Op::Mul:
    F = mulFactors(Src(0), Src(1));
    break;
  case Op::MulAcc:
    F = std::gcd(mulFactors(Src(0), Src(1)), Src(2));
    break;
  case Op::Shl: { // a * 2^b with b >= 0 (a negative b is undefined).
    Bound MinAmount =
        std::clamp(Ranges.getMin(U->getSrc(1)), Bound(0), Bound(63));
    F = mulFactors(Src(0), uint64_t(1) << int(MinAmount));
    break;
  }
  case Op::FloorDiv:
  case Op::TruncDiv: { // (k*f) / c == k*(f/c) when c divides f.
    std::optional<Bound> Divisor = Ranges.getRange(U->getSrc(1)).getPoint();
    std::optional<uint64_t> C = Divisor ? magnitude(*Divisor) : std::nullopt;
    if (C && *C != 0 && Src(0) % *C == 0)
      F = Src(0) / *C;
    break;
  }
  default:
    break;
  }
  if (Ranges.mayWrap(U))
    F = keepThroughWrap(F, T.getScalarBits());
  return F;
}
