//===- RangeAnalysis.cpp - value ranges of integer UOps -------------------===//
//
// Each op's range is exact interval arithmetic (Range.h) on its sources'
// ranges, then reduced to its type by fitToType. docs/Analysis.md lists the
// rules.
//
//===----------------------------------------------------------------------===//

#include "tg/Analysis/RangeAnalysis.h"

#include "PostOrder.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/ErrorHandling.h"

using namespace tg;

namespace {

struct Result {
  Range TheRange;
  bool MayWrap = false;
};

/// T's lane category, Void for pointers: one call where DType's predicates
/// make several, for every UOp asked about.
ScalarCategory getLaneCategory(DType T) {
  return T.isPointer() ? ScalarCategory::Void
                       : getScalarInfo(T.getScalarKind()).Category;
}

/// Integers and bools.
bool isTracked(DType T) {
  ScalarCategory C = getLaneCategory(T);
  return C != ScalarCategory::Float && C != ScalarCategory::Void;
}

/// Ops whose range is computed from their sources' ranges.
bool usesSourceRanges(Op O) {
  switch (O) {
  case Op::Range:
  case Op::Special:
  case Op::Bind:
  case Op::After:
  case Op::Noop:
  case Op::Vectorize:
  case Op::GEP:
  case Op::Cat:
  case Op::Cast:
  case Op::Neg:
  case Op::Add:
  case Op::Sub:
  case Op::Mul:
  case Op::FloorDiv:
  case Op::FloorMod:
  case Op::TruncDiv:
  case Op::TruncMod:
  case Op::Max:
  case Op::Shl:
  case Op::Shr:
  case Op::And:
  case Op::Or:
  case Op::Xor:
  case Op::CmpLT:
  case Op::CmpNE:
  case Op::CmpEQ:
  case Op::Where:
  case Op::MulAcc:
    return true;
  default:
    return false;
  }
}

bool dependsOnSources(const UOp *U) {
  return usesSourceRanges(U->getOp()) && isTracked(U->getDType());
}

/// V modulo 2^Bits, as a value of the signed or unsigned Bits-bit type.
Bound wrapToWidth(Bound V, unsigned Bits, bool Signed) {
  auto Mask = (static_cast<unsigned __int128>(1) << Bits) - 1;
  Bound Low = Bound(static_cast<unsigned __int128>(V) & Mask);
  if (Signed && Low >= (Bound(1) << (Bits - 1)))
    return Low - (Bound(1) << Bits);
  return Low;
}

/// The values of T that the mathematical values R reduce to: R itself if it
/// fits; wrapped modulo 2^bits if that keeps it one interval; else all of T.
Result fitToType(const Range &R, DType T) {
  if (getLaneCategory(T) == ScalarCategory::Index) // Unbounded: R fits.
    return {R, false};
  Range Whole = Range::ofType(T);
  if (Whole.contains(R))
    return {R, false};
  unsigned Bits = T.getScalarBits();
  Bound Width;
  if (T.isBool() || !isFinite(R.Min) || !isFinite(R.Max) ||
      __builtin_sub_overflow(R.Max, R.Min, &Width) ||
      Width >= (Bound(1) << Bits))
    return {Whole, true};
  Bound Min = wrapToWidth(R.Min, Bits, T.isSigned());
  Bound Max = wrapToWidth(R.Max, Bits, T.isSigned());
  if (Min > Max)
    return {Whole, true};
  return {{Min, Max}, true};
}

/// A constant argument as a value of T (u64 constants are stored as the
/// int64 with the same bits).
Range constRange(const Arg *A, DType T) {
  if (A && A->isBool())
    return Range::point(A->getBool());
  if (A && A->isInt())
    return fitToType(Range::point(A->getInt()), T).TheRange;
  return Range::ofType(T);
}

Range unionOf(llvm::ArrayRef<Range> Ranges) {
  Range Union = Range::empty();
  for (const Range &R : Ranges)
    Union = Union.unite(R);
  return Union;
}

/// A shift by an amount outside [0, bits) is undefined; index has no width.
Range validShiftAmounts(DType T) {
  if (T.isIndex())
    return {0, PosInf};
  return {0, Bound(T.getScalarBits()) - 1};
}

Range fromTruth(bool Always, bool Possibly) { return {Always, Possibly}; }

Range compare(Op O, const Range &A, const Range &B) {
  bool SamePoint = A.getPoint() && A == B;
  switch (O) {
  case Op::CmpLT:
    return fromTruth(A.Max < B.Min, A.Min < B.Max);
  case Op::CmpNE:
    return fromTruth(A.intersect(B).isEmpty(), !SamePoint);
  case Op::CmpEQ:
    return fromTruth(SamePoint, !A.intersect(B).isEmpty());
  default:
    llvm_unreachable("not a comparison");
  }
}

/// cast: nonzero is true; integers wrap to the target (floats are
/// untracked, so their unbounded range gives the whole target type).
Result castRange(const Range &A, DType T) {
  if (!T.isBool())
    return fitToType(A, T);
  if (A == Range::point(0))
    return {A};
  return {fromTruth(!A.contains(0), true)};
}

Result shiftRange(Op O, const Range &A, const Range &Amount, DType T) {
  Range Valid = Amount.intersect(validShiftAmounts(T));
  if (Valid.isEmpty()) // Undefined wherever it runs.
    return {Range::ofType(T)};
  return fitToType(O == Op::Shl ? shiftLeft(A, Valid) : shiftRight(A, Valid),
                   T);
}

/// The range of U from its sources' ranges S (empty unless
/// dependsOnSources(U)).
Result transfer(const UOp *U, llvm::ArrayRef<Range> S) {
  DType T = U->getDType();
  if (!isTracked(T))
    return {Range::all()};
  // An operand that is never evaluated means U is never evaluated.
  if (llvm::any_of(S, [](const Range &R) { return R.isEmpty(); }))
    return {Range::empty()};
  switch (U->getOp()) {
  case Op::Const:
    return {constRange(U->getArg(), T)};
  case Op::VConst: {
    Range Union = Range::empty();
    for (const Arg *Element : U->getArg()->getElements())
      Union = Union.unite(constRange(Element, T));
    return {Union};
  }
  case Op::DefineVar:
    return {Range::get(U->getArgField(1)->getInt(), U->getArgField(2)->getInt())
                .intersect(Range::ofType(T))};
  case Op::Range:
  case Op::Special: // [0, n): empty when n <= 0, the loop never runs.
    return {Range::get(0, addBound(S[0].Max, -1))};
  case Op::Bind: // The variable's bounds cover every value bound to it.
  case Op::After:
  case Op::Noop:
  case Op::GEP:
    return {S[0]};
  case Op::Vectorize:
  case Op::Cat:
    return {unionOf(S)};
  case Op::Neg:
    return fitToType(-S[0], T);
  case Op::Add:
    return fitToType(S[0] + S[1], T);
  case Op::Sub:
    return fitToType(S[0] - S[1], T);
  case Op::Mul:
    return fitToType(S[0] * S[1], T);
  case Op::MulAcc:
    return fitToType(S[0] * S[1] + S[2], T);
  case Op::FloorDiv:
    return fitToType(floorDiv(S[0], S[1]), T);
  case Op::FloorMod:
    return fitToType(floorMod(S[0], S[1]), T);
  case Op::TruncDiv:
    return fitToType(truncDiv(S[0], S[1]), T);
  case Op::TruncMod:
    return fitToType(truncMod(S[0], S[1]), T);
  case Op::Max:
    return {max(S[0], S[1])};
  case Op::Shl:
  case Op::Shr:
    return shiftRange(U->getOp(), S[0], S[1], T);
  case Op::And:
    return fitToType(bitAnd(S[0], S[1]), T);
  case Op::Or:
    return fitToType(bitOr(S[0], S[1]), T);
  case Op::Xor:
    return fitToType(bitXor(S[0], S[1]), T);
  case Op::CmpLT:
  case Op::CmpNE:
  case Op::CmpEQ:
    return {compare(U->getOp(), S[0], S[1])};
  case Op::Where:
    if (S[0] == Range::point(1))
      return {S[1]};
    if (S[0] == Range::point(0))
      return {S[2]};
    return {S[1].unite(S[2])};
  case Op::Cast:
    return castRange(S[0], T);
  default:
    return {Range::ofType(T)};
  }
}

} // namespace

const RangeAnalysis::Entry &RangeAnalysis::lookupOrCompute(const UOp *Root) {
  if (const Entry *Known = lookup(Root))
    return *Known;
  // A UOp asked about is usually new, on sources already known (or on
  // variables and constants, whose ranges read no sources): compute it from
  // them without the walk and its repeated lookups.
  llvm::SmallVector<Range, 3> SrcRanges;
  llvm::SmallVector<std::pair<const UOp *, Entry>, 2> NewLeaves;
  if (gatherSourceRanges(Root, SrcRanges, NewLeaves)) {
    unsigned RootIndex = unsigned(Entries.size());
    insert(Root, compute(Root, SrcRanges));
    for (const auto &[Leaf, E] : NewLeaves)
      insert(Leaf, E);
    return Entries[RootIndex];
  }
  visitPostOrder(
      Root, [&](const UOp *U) { return Index.contains(U); }, dependsOnSources,
      [&](const UOp *U) {
        SrcRanges.clear();
        bool Known = getCachedSourceRanges(U, SrcRanges);
        assert(Known && "the walk visits sources first");
        (void)Known;
        insert(U, compute(U, SrcRanges));
      });
  return *lookup(Root);
}

bool RangeAnalysis::gatherSourceRanges(
    const UOp *U, llvm::SmallVectorImpl<Range> &SrcRanges,
    llvm::SmallVectorImpl<std::pair<const UOp *, Entry>> &NewLeaves) {
  if (!dependsOnSources(U))
    return true;
  size_t Base = SrcRanges.size();
  bool LeafMissing = false;
  for (const UOp *Src : U->getSrcs()) {
    if (const Entry *Known = lookup(Src)) {
      SrcRanges.push_back(Known->TheRange);
      continue;
    }
    if (dependsOnSources(Src))
      return false;
    LeafMissing = true;
    SrcRanges.push_back(Range::empty()); // Computed below.
  }
  if (!LeafMissing)
    return true;
  for (unsigned I = 0; I != U->getNumSrcs(); ++I) {
    const UOp *Src = U->getSrc(I);
    if (lookup(Src))
      continue;
    auto *Leaf = llvm::find_if(NewLeaves,
                               [Src](const auto &L) { return L.first == Src; });
    if (Leaf == NewLeaves.end()) {
      NewLeaves.push_back({Src, compute(Src, {})});
      Leaf = &NewLeaves.back();
    }
    SrcRanges[Base + I] = Leaf->second.TheRange;
  }
  return true;
}

const RangeAnalysis::Entry *RangeAnalysis::lookup(const UOp *U) const {
  const unsigned *Position = Index.find(U);
  return Position ? &Entries[*Position] : nullptr;
}

const RangeAnalysis::Entry &RangeAnalysis::insert(const UOp *U, Entry E) {
  Index.tryEmplace(U, unsigned(Entries.size()));
  return append(E);
}

const RangeAnalysis::Entry &RangeAnalysis::append(Entry E) {
  if (Entries.empty()) // Most analyses hold a few dozen UOps.
    Entries.reserve(64);
  Entries.push_back(E);
  return Entries.back();
}

bool RangeAnalysis::getCachedSourceRanges(
    const UOp *U, llvm::SmallVectorImpl<Range> &SrcRanges) const {
  if (!dependsOnSources(U))
    return true;
  for (const UOp *Src : U->getSrcs()) {
    const Entry *Known = lookup(Src);
    if (!Known)
      return false;
    SrcRanges.push_back(Known->TheRange);
  }
  return true;
}

RangeAnalysis::Entry RangeAnalysis::compute(const UOp *U,
                                            llvm::ArrayRef<Range> SrcRanges) {
  ++NumComputed;
  Result R = transfer(U, SrcRanges);
  if (auto It = Assumed.find(U); It != Assumed.end())
    R.TheRange = R.TheRange.intersect(It->second);
  return {R.TheRange, R.MayWrap};
}
