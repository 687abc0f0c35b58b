//===- ValidAnalysis.cpp - the bounds a gate implies ----------------------===//
//
// Backward interval propagation: the root must be the given value; each UOp,
// visited before its sources, passes what its own bounds imply to them. A
// round ends with a forward RangeAnalysis under the new bounds, which the
// next round uses for the sibling operands; rounds stop when nothing
// changes. Every bound is implied by the condition, so stopping early is
// only less precise, never wrong.
//
//===----------------------------------------------------------------------===//

#include "tg/Analysis/ValidAnalysis.h"

#include "PostOrder.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

#include <cassert>

using namespace tg;

namespace {

/// Enough for a gate's bounds to settle; more only matters for conditions
/// that tighten one step per round (x < y and y < x).
constexpr unsigned MaxRounds = 8;

/// Ops whose bounds say something about their operands.
bool propagatesToSources(Op O) {
  switch (O) {
  case Op::And:
  case Op::Or:
  case Op::Xor:
  case Op::CmpLT:
  case Op::CmpNE:
  case Op::CmpEQ:
  case Op::Cast:
  case Op::Add:
  case Op::Sub:
  case Op::Neg:
  case Op::Mul:
  case Op::FloorDiv:
  case Op::Max:
    return true;
  default:
    return false;
  }
}

bool isIntegerOrBool(const UOp *U) {
  return U->getDType().isInteger() || U->getDType().isBool();
}

const Range True = Range::point(1);
const Range False = Range::point(0);

/// The values a with a*C in R, for C != 0.
Range divideOut(const Range &R, Bound C) {
  if (C < 0)
    return divideOut(-R, negBound(C));
  return Range::get(ceilDivBound(R.Min, C), floorDivBound(R.Max, C));
}

class ConditionSolver {
public:
  /// `OuterRanges` gives the ranges where its assumptions hold: the facts
  /// the solver starts from, and the ranges of its first round.
  explicit ConditionSolver(RangeAnalysis &OuterRanges)
      : Facts(OuterRanges.getAssumptions()), Ranges(&OuterRanges) {}

  /// False when Cond can never be Value.
  bool solve(const UOp *Cond, bool Value);
  Assumptions takeFacts() { return std::move(Facts); }

private:
  /// U's range as known so far.
  Range current(const UOp *U);
  /// Records that U lies in R; false when it cannot.
  bool require(const UOp *U, const Range &R);
  /// Requires A == B: each in the other's range.
  bool requireEqual(const UOp *A, const UOp *B);
  /// Requires U != V: U loses an end of its range equal to V.
  bool exclude(const UOp *U, Bound V);
  /// Requires A != B where B has one value.
  bool requireUnequal(const UOp *A, const UOp *B);
  /// Passes U's bounds on to its sources.
  bool propagate(const UOp *U);
  bool propagateBool(const UOp *U, const Range &R);
  bool propagateInteger(const UOp *U, const Range &R);

  Assumptions Facts;
  /// The ranges where the facts of the round's start hold: the caller's in
  /// the first round (its cache is shared by every solve from the same
  /// facts), Later's in the others.
  RangeAnalysis *Ranges;
  std::optional<RangeAnalysis> Later;
  /// The condition being solved, and whether the round changed a fact,
  /// one other than the condition's own.
  const UOp *Root = nullptr;
  bool Changed = false;
  bool ChangedBelowRoot = false;
};

Range ConditionSolver::current(const UOp *U) {
  Range R = Ranges->getRange(U);
  if (auto It = Facts.find(U); It != Facts.end())
    R = R.intersect(It->second);
  return R;
}

bool ConditionSolver::require(const UOp *U, const Range &R) {
  Range Old = current(U);
  Range New = Old.intersect(R);
  if (New.isEmpty())
    return false;
  if (New == Old)
    return true;
  Facts[U] = New;
  Changed = true;
  ChangedBelowRoot |= U != Root;
  return true;
}

bool ConditionSolver::requireEqual(const UOp *A, const UOp *B) {
  return require(A, current(B)) && require(B, current(A));
}

bool ConditionSolver::exclude(const UOp *U, Bound V) {
  Range R = current(U);
  if (R.Min == V)
    return require(U, {addBound(V, 1), PosInf});
  if (R.Max == V)
    return require(U, {NegInf, addBound(V, -1)});
  return true;
}

bool ConditionSolver::requireUnequal(const UOp *A, const UOp *B) {
  std::optional<Bound> Other = current(B).getPoint();
  return !Other || exclude(A, *Other);
}

bool ConditionSolver::propagateBool(const UOp *U, const Range &R) {
  Op O = U->getOp();
  const UOp *A = U->getSrc(0);
  if (O == Op::Cast) { // Nonzero is true.
    if (!isIntegerOrBool(A))
      return true;
    if (R == False)
      return require(A, False);
    if (R == True)
      return exclude(A, 0);
    return true;
  }
  const UOp *B = U->getSrc(1);
  if (O == Op::And || O == Op::Or) {
    // Both sides have the identity value when the result does; when the
    // result is the absorbing value and one side is the identity, the other
    // side is absorbing.
    Range Identity = O == Op::And ? True : False;
    Range Absorbing = O == Op::And ? False : True;
    if (R == Identity)
      return require(A, Identity) && require(B, Identity);
    if (R != Absorbing)
      return true;
    if (current(B) == Identity)
      return require(A, Absorbing);
    if (current(A) == Identity)
      return require(B, Absorbing);
    return true;
  }
  if (!isIntegerOrBool(A)) // Float comparisons: nan, and floats are untracked.
    return true;
  if (O == Op::CmpLT) {
    Range RangeA = current(A), RangeB = current(B);
    if (R == True)
      return require(A, {NegInf, addBound(RangeB.Max, -1)}) &&
             require(B, {addBound(RangeA.Min, 1), PosInf});
    if (R == False)
      return require(A, {RangeB.Min, PosInf}) &&
             require(B, {NegInf, RangeA.Max});
    return true;
  }
  // xor on bools, cmpne, cmpeq.
  bool Equal = O == Op::CmpEQ ? R == True : R == False;
  bool Unequal = O == Op::CmpEQ ? R == False : R == True;
  if (Equal)
    return requireEqual(A, B);
  if (Unequal)
    return requireUnequal(A, B) && requireUnequal(B, A);
  return true;
}

bool ConditionSolver::propagateInteger(const UOp *U, const Range &R) {
  // Inverting wrapped arithmetic would need every wrapped preimage.
  if (Ranges->mayWrap(U))
    return true;
  const UOp *A = U->getSrc(0);
  if (U->getOp() == Op::Cast)
    return !isIntegerOrBool(A) || require(A, R);
  if (U->getOp() == Op::Neg)
    return require(A, -R);
  const UOp *B = U->getSrc(1);
  Range RangeA = current(A), RangeB = current(B);
  std::optional<Bound> ConstA = RangeA.getPoint(), ConstB = RangeB.getPoint();
  switch (U->getOp()) {
  case Op::Add:
    return require(A, R - RangeB) && require(B, R - RangeA);
  case Op::Sub:
    return require(A, R + RangeB) && require(B, RangeA - R);
  case Op::Mul:
    if (ConstB && *ConstB != 0 && !require(A, divideOut(R, *ConstB)))
      return false;
    return !ConstA || *ConstA == 0 || require(B, divideOut(R, *ConstA));
  case Op::FloorDiv: // a // c == q for a in [q*c, q*c + c - 1].
    if (!ConstB || *ConstB <= 0)
      return true;
    return require(A, R * Range::point(*ConstB) + Range{0, *ConstB - 1});
  case Op::Max:
    return require(A, {NegInf, R.Max}) && require(B, {NegInf, R.Max});
  default:
    return true;
  }
}

bool ConditionSolver::propagate(const UOp *U) {
  if (!propagatesToSources(U->getOp()))
    return true;
  Range R = current(U);
  if (U->getDType().isBool())
    return propagateBool(U, R);
  if (U->getDType().isInteger())
    return propagateInteger(U, R);
  return true;
}

bool ConditionSolver::solve(const UOp *Cond, bool Value) {
  // Users before their sources, so each UOp has all its bounds when it
  // passes them on.
  llvm::SmallVector<const UOp *, 32> Order;
  // A gate has a few dozen UOps: no allocation for the set.
  llvm::SmallPtrSet<const UOp *, 32> Seen;
  visitPostOrder(
      Cond, [&](const UOp *U) { return Seen.contains(U); },
      [](const UOp *U) { return propagatesToSources(U->getOp()); },
      [&](const UOp *U) {
        Seen.insert(U);
        Order.push_back(U);
      });
  Root = Cond;
  for (unsigned Round = 0; Round != MaxRounds; ++Round) {
    if (Round != 0)
      Ranges = &Later.emplace(Facts);
    Changed = ChangedBelowRoot = false;
    if (!require(Cond, Range::point(Value)))
      return false;
    for (const UOp *U : llvm::reverse(Order))
      if (!propagate(U))
        return false;
    // A new fact on Cond alone changes no range the next round reads (Cond
    // is no source of the UOps below it), so that round would see what this
    // one saw after its first step, and change nothing.
    if (!Changed || !ChangedBelowRoot)
      return true;
  }
  return true;
}

} // namespace

std::optional<Assumptions> tg::assumeCondition(const UOp *Cond, bool Value,
                                               const Assumptions &Outer) {
  RangeAnalysis OuterRanges(Outer);
  return assumeCondition(Cond, Value, OuterRanges);
}

std::optional<Assumptions> tg::assumeCondition(const UOp *Cond, bool Value,
                                               RangeAnalysis &OuterRanges) {
  assert(Cond->getDType().isBool() && "a condition is a bool");
  ConditionSolver Solver(OuterRanges);
  if (!Solver.solve(Cond, Value))
    return std::nullopt;
  return Solver.takeFacts();
}
