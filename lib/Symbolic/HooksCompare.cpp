//===- HooksCompare.cpp - comparisons and where ---------------------------===//
//
// foldComparison and simplifyWhere (tg/Symbolic/Hooks.h).
//
//===----------------------------------------------------------------------===//

#include "HookSupport.h"
#include "SumTerms.h"

#include "tg/Analysis/ValidAnalysis.h"
#include "tg/Rewrite/Declarative.h"
#include "tg/Rewrite/GraphRewrite.h"
#include "tg/Rewrite/RuleSetRegistry.h"
#include "tg/Symbolic/Hooks.h"

#include "llvm/ADT/SmallPtrSet.h"

#include <limits>

using namespace tg;

/// The value of comparison `O` on operands in ranges A and B when the ranges
/// decide it.
static std::optional<bool> decideByRanges(Op O, const Range &A,
                                          const Range &B) {
  if (A.isEmpty() || B.isEmpty())
    return std::nullopt;
  if (O == Op::CmpLT) {
    if (A.Max < B.Min)
      return true;
    if (A.Min >= B.Max)
      return false;
    return std::nullopt;
  }
  bool Equal = A.getPoint() && B.getPoint() && *A.getPoint() == *B.getPoint();
  bool Disjoint = A.Max < B.Min || B.Max < A.Min;
  if (!Equal && !Disjoint)
    return std::nullopt;
  return (O == Op::CmpEQ) == Equal;
}

namespace {

/// A comparison over index with one side a sum S + K and the other a
/// constant, being folded.
struct LinearComparison {
  Context &Ctx;
  RangeAnalysis &Ranges;
  const UOp *Root;
  DType Type; ///< index

  const UOp *make(const UOp *A, const UOp *B) const {
    return Ctx.get(Root->getOp(), Root->getDType(), {A, B});
  }
  const UOp *constant(int64_t V) const { return Ctx.getConst(Type, V); }
  /// S with every coefficient divided by D (which divides each).
  const UOp *divided(Sum S, int64_t D) const {
    for (SumTerm &T : S.Terms)
      T.Coefficient /= D;
    S.Constant = 0;
    return buildSum(Ctx, Type, S);
  }

  const UOp *foldAllZero(const Sum &S, int64_t C) const;
  const UOp *foldLessThan(const Sum &S, int64_t C) const;
  const UOp *foldGreaterThan(int64_t C, const Sum &S) const;
  const UOp *foldEquality(const Sum &S, int64_t C) const;
};

} // namespace

static int64_t gcdOfCoefficients(llvm::ArrayRef<SumTerm> Terms) {
  int64_t G = 0;
  for (const SumTerm &T : Terms)
    G = gcdOf(G, T.Coefficient);
  return G;
}

/// S < C with C > 0, every coefficient >= C and every base >= 0 holds only
/// where every base is 0: (a*3 + b*4 < 1) -> (a + b < 1).
const UOp *LinearComparison::foldAllZero(const Sum &S, int64_t C) const {
  if (C <= 0)
    return nullptr;
  bool Changed = false;
  Sum Bases;
  for (const SumTerm &T : S.Terms) {
    Range R = Ranges.getRange(T.Base);
    if (T.Coefficient < C || R.isEmpty() || R.Min < 0)
      return nullptr;
    Changed |= T.Coefficient != 1 || C != 1;
    Bases.Terms.push_back({T.Base, 1});
  }
  return Changed ? make(buildSum(Ctx, Type, Bases), constant(1)) : nullptr;
}

/// S < C (S without its constant; C already moved): with S = d*A + B and B
/// in [0, d) where d divides C, S < C <=> A < C/d; with B = 0,
/// d*A < C <=> A < ceil(C/d).
const UOp *LinearComparison::foldLessThan(const Sum &S, int64_t C) const {
  if (const UOp *Zero = foldAllZero(S, C))
    return Zero;
  Sum Big, Small;
  for (const SumTerm &T : S.Terms)
    (T.Coefficient == 1 ? Small : Big).Terms.push_back(T);
  if (Small.Terms.empty()) {
    int64_t D = gcdOfCoefficients(S.Terms);
    if (D <= 1)
      return make(buildSum(Ctx, Type, S), constant(C));
    return make(divided(S, D), constant(-floorDiv(-C, D)));
  }
  int64_t D = gcdOf(gcdOfCoefficients(Big.Terms), C);
  Range SmallRange = Range::point(0);
  for (const SumTerm &T : Small.Terms)
    SmallRange = SmallRange + Ranges.getRange(T.Base);
  if (Big.Terms.empty() || D <= 1 || SmallRange.isEmpty() ||
      SmallRange.Min < 0 || SmallRange.Max >= D)
    return make(buildSum(Ctx, Type, S), constant(C));
  return make(divided(Big, D), constant(C / D));
}

/// C < S <=> C < d*A <=> floor(C/d) < A, when d divides every term.
const UOp *LinearComparison::foldGreaterThan(int64_t C, const Sum &S) const {
  int64_t D = gcdOfCoefficients(S.Terms);
  if (D <= 1)
    return make(constant(C), buildSum(Ctx, Type, S));
  return make(constant(floorDiv(C, D)), divided(S, D));
}

/// S == C and S != C: d*A == C has no solution unless d divides C.
const UOp *LinearComparison::foldEquality(const Sum &S, int64_t C) const {
  int64_t D = gcdOfCoefficients(S.Terms);
  if (D > 1 && C % D != 0)
    return Ctx.getConst(Root->getDType(), Root->getOp() == Op::CmpNE);
  if (D <= 1)
    return make(buildSum(Ctx, Type, S), constant(C));
  return make(divided(S, D), constant(C / D));
}

/// The rewrite of a comparison over index with a constant side.
static const UOp *foldLinearComparison(const LinearComparison &L) {
  const UOp *A = L.Root->getSrc(0), *B = L.Root->getSrc(1);
  bool ConstantLeft = getIntConstant(A).has_value();
  if (ConstantLeft && L.Root->getOp() != Op::CmpLT) {
    std::swap(A, B);
    ConstantLeft = false;
  }
  std::optional<int64_t> C = getIntConstant(ConstantLeft ? A : B);
  std::optional<Sum> S = flattenSum(ConstantLeft ? B : A);
  if (!C || !S || !normalizeSum(*S, ScalarKind::Index) || S->Terms.empty())
    return nullptr;
  int64_t K = S->Constant;
  S->Constant = 0;
  // Move K to the constant side: S + K < C <=> S < C - K.
  std::optional<int64_t> Moved = addIn(ScalarKind::Index, *C, -K);
  if (!Moved || K == std::numeric_limits<int64_t>::min())
    return nullptr;
  if (L.Root->getOp() != Op::CmpLT)
    return L.foldEquality(*S, *Moved);
  if (ConstantLeft)
    return L.foldGreaterThan(*Moved, *S);
  return L.foldLessThan(*S, *Moved);
}

const UOp *tg::hooks::foldComparison(const Match &M) {
  const UOp *Root = M.getRoot();
  Op O = Root->getOp();
  if ((O != Op::CmpLT && O != Op::CmpNE && O != Op::CmpEQ) ||
      !Root->getDType().isScalar())
    return nullptr;
  const UOp *A = Root->getSrc(0), *B = Root->getSrc(1);
  DType T = A->getDType();
  if (!T.isScalar() || !(isIntegerType(T) || T.isBool()))
    return nullptr;
  RangeAnalysis &Ranges = getRanges(M);
  Context &Ctx = M.getContext();
  if (std::optional<bool> Value =
          decideByRanges(O, Ranges.getRange(A), Ranges.getRange(B)))
    return Ctx.getConst(Root->getDType(), *Value);
  if (!isIndexType(T))
    return nullptr;
  const UOp *Folded = foldLinearComparison({Ctx, Ranges, Root, T});
  return Folded == Root ? nullptr : Folded;
}

/// `U` rewritten by the `symbolic` rule set where `Assumed` holds; U itself
/// when there is nothing to do or the rewrite fails.
static const UOp *simplifyAssuming(const Match &M, const UOp *U,
                                   Assumptions Assumed) {
  const RuleSet *Rules = RuleSetRegistry::get().lookup("symbolic");
  if (!Rules || U->getNumSrcs() == 0)
    return U;
  RewriteAnalyses Inner;
  Inner.Ranges = RangeAnalysis(std::move(Assumed));
  RewriteOptions Options;
  Options.State = &Inner;
  llvm::Expected<const UOp *> Result =
      graphRewrite(M.getContext(), U, *Rules, Options);
  if (!Result) {
    llvm::consumeError(Result.takeError());
    return U;
  }
  return *Result;
}

/// Whether `U` may have no value (docs/Semantics.md) although its operands
/// have one: a divisor that may be 0, a truncdiv of INT_MIN by -1, a shift
/// amount out of range, or an index result outside int64.
static bool mayHaveNoValue(const UOp *U, RangeAnalysis &Ranges) {
  DType T = U->getDType();
  Op O = U->getOp();
  if (O == Op::FloorDiv || O == Op::FloorMod || O == Op::TruncDiv ||
      O == Op::TruncMod) {
    Range Divisor = Ranges.getRange(U->getSrc(1));
    if (Divisor.contains(0))
      return true;
    if (O == Op::TruncDiv && T.isSigned() && Divisor.contains(-1) &&
        Ranges.getRange(U->getSrc(0)).contains(Range::ofType(T).Min))
      return true;
  }
  if (O == Op::Shl || O == Op::Shr) {
    Range Amount = Ranges.getRange(U->getSrc(1));
    Bound Limit = T.isIndex() ? PosInf : Bound(T.getScalarBits());
    if (!Amount.isEmpty() && (Amount.Min < 0 || Amount.Max >= Limit))
      return true;
  }
  if (!T.isIndex())
    return false;
  Range R = Ranges.getRange(U);
  return !R.isEmpty() && (R.Min < std::numeric_limits<int64_t>::min() ||
                          R.Max > std::numeric_limits<int64_t>::max());
}

/// Whether `New`, a rewrite of the branch `Old` under a gate, has a UOp that
/// `Old` lacks and that may have no value by the ranges outside the gate.
/// `where` evaluates both branches, so such a UOp would take the value of
/// the lanes where the gate is off away (an operand folded to 0 by the
/// gate's bounds and then used as a divisor).
static bool mayLoseValueOffGate(const UOp *Old, const UOp *New,
                                RangeAnalysis &Ranges) {
  // Branches are small: no allocation for the sets.
  llvm::SmallPtrSet<const UOp *, 32> Kept;
  llvm::SmallVector<const UOp *, 16> Stack = {Old};
  while (!Stack.empty())
    for (const UOp *Src : Stack.pop_back_val()->getSrcs())
      if (Kept.insert(Src).second)
        Stack.push_back(Src);
  Kept.insert(Old);
  llvm::SmallPtrSet<const UOp *, 32> Seen = {New};
  Stack = {New};
  while (!Stack.empty()) {
    const UOp *U = Stack.pop_back_val();
    if (Kept.count(U))
      continue;
    if (mayHaveNoValue(U, Ranges))
      return true;
    for (const UOp *Src : U->getSrcs())
      if (Seen.insert(Src).second)
        Stack.push_back(Src);
  }
  return false;
}

const UOp *tg::hooks::simplifyWhere(const Match &M) {
  const UOp *Root = M.getRoot();
  if (Root->getOp() != Op::Where || !Root->getDType().isScalar())
    return nullptr;
  const UOp *Cond = Root->getSrc(0), *A = Root->getSrc(1), *B = Root->getSrc(2);
  RangeAnalysis &Ranges = getRanges(M);
  if (std::optional<Bound> Known = Ranges.getRange(Cond).getPoint())
    return *Known ? A : B;
  std::optional<Assumptions> Inside = assumeCondition(Cond, true, Ranges);
  if (!Inside)
    return B;
  std::optional<Assumptions> Outside = assumeCondition(Cond, false, Ranges);
  if (!Outside)
    return A;
  const UOp *NewA = simplifyAssuming(M, A, std::move(*Inside));
  const UOp *NewB = simplifyAssuming(M, B, std::move(*Outside));
  if (mayLoseValueOffGate(A, NewA, Ranges))
    NewA = A;
  if (mayLoseValueOffGate(B, NewB, Ranges))
    NewB = B;
  if (NewA == A && NewB == B)
    return nullptr;
  return M.getContext().get(Op::Where, Root->getDType(), {Cond, NewA, NewB});
}
