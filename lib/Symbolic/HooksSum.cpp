//===- HooksSum.cpp - constant folding and sums ---------------------------===//
//
// foldConstants, canonicalizeSum and recombineDivMod (tg/Symbolic/Hooks.h).
//
//===----------------------------------------------------------------------===//

#include "HookSupport.h"
#include "SumTerms.h"

#include "tg/IR/Eval.h"
#include "tg/Rewrite/Declarative.h"
#include "tg/Symbolic/Hooks.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

using namespace tg;

const UOp *tg::hooks::foldConstants(const Match &M) {
  const UOp *Root = M.getRoot();
  // Most UOps tried have a source that is no constant: the cheapest test
  // first.
  if (llvm::any_of(Root->getSrcs(),
                   [](const UOp *Src) { return Src->getOp() != Op::Const; }))
    return nullptr;
  if (!Root->hasTrait(OpTrait::Elementwise) || !Root->getDType().isScalar() ||
      Root->getNumSrcs() == 0)
    return nullptr;
  llvm::SmallVector<ConstValue, 3> Operands;
  for (const UOp *Src : Root->getSrcs()) {
    if (!Src->getDType().isScalar())
      return nullptr;
    Operands.push_back(ConstValue::fromArg(*Src->getArg()));
  }
  ScalarKind ResultType = Root->getDType().getScalarKind();
  std::optional<ConstValue> V =
      evalAlu(Root->getOp(), ResultType,
              Root->getSrc(0)->getDType().getScalarKind(), Operands);
  if (!V)
    return nullptr;
  Context &Ctx = M.getContext();
  return Ctx.get(Op::Const, Root->getDType(), {}, V->toArg(Ctx, ResultType));
}

const UOp *tg::hooks::foldSingleValue(const Match &M) {
  const UOp *Root = M.getRoot();
  if (!isIndexType(Root->getDType()) || Root->getOp() == Op::Const)
    return nullptr;
  std::optional<Bound> Value = getRanges(M).getRange(Root).getPoint();
  if (!Value)
    return nullptr;
  return M.getContext().getConst(Root->getDType(), int64_t(*Value));
}

/// The canonical form of `U`'s sum, or nullptr when it cannot be computed.
static const UOp *getCanonicalSum(Context &Ctx, const UOp *U) {
  std::optional<Sum> S = flattenSum(U);
  if (!S || !normalizeSum(*S, U->getDType().getScalarKind()))
    return nullptr;
  // Most sums asked about are canonical already: tell without rebuilding.
  if (isBuiltSum(Ctx, U, U->getDType(), *S))
    return U;
  return buildSum(Ctx, U->getDType(), *S);
}

/// The base of `U` as a term of a canonical sum (x for x and for x*c with c
/// not 0 or 1), or nullptr when U may flatten into more than one term.
static const UOp *getSimpleTermBase(const UOp *U) {
  auto IsAtom = [](const UOp *X) {
    Op O = X->getOp();
    return O != Op::Add && O != Op::Sub && O != Op::Neg && O != Op::Mul &&
           O != Op::Const;
  };
  if (IsAtom(U))
    return U;
  if (U->getOp() != Op::Mul || !IsAtom(U->getSrc(0)))
    return nullptr;
  std::optional<int64_t> C = getIntConstant(U->getSrc(1));
  return C && *C != 0 && *C != 1 ? U->getSrc(0) : nullptr;
}

/// Whether `add(P, T)` is canonical because P is a sum this hook built or
/// checked (`Canonical`) or a single term, and T is one term that sorts
/// after the last term of P. This keeps a sum's rewrite linear: a rebuilt
/// sum is accepted in O(1) instead of flattened again. P must be known
/// canonical: a partial sum inside a bigger one is not rewritten on its own
/// (isInsideSum), so `x + y + x` is no canonical prefix of `x + y + x + y`.
static bool extendsCanonicalSum(const UOp *Root,
                                const llvm::DenseSet<const UOp *> &Canonical) {
  const UOp *P = Root->getSrc(0);
  if (P->getOp() == Op::Add && !Canonical.contains(P))
    return false;
  const UOp *Last = P->getOp() == Op::Add ? P->getSrc(1) : P;
  const UOp *LastBase = getSimpleTermBase(Last);
  const UOp *NewBase = getSimpleTermBase(Root->getSrc(1));
  if (!LastBase || !NewBase)
    return false;
  return compareStructurally(LastBase, NewBase) < 0;
}

/// Whether `Root` is a partial sum that its user, an add this hook also
/// canonicalizes, will flatten anyway.
static bool isInsideSum(const UOp *Root, const UOp *Parent) {
  return Parent && Parent->getOp() == Op::Add &&
         Parent->getDType() == Root->getDType();
}

const UOp *tg::hooks::canonicalizeSum(const Match &M) {
  const UOp *Root = M.getRoot();
  // Sorting every partial sum of a left-deep chain is quadratic: sort once,
  // at the top of the sum (the rebuilt prefixes then pass in O(1)).
  if (Root->getOp() != Op::Add || isInsideSum(Root, M.getParent()))
    return nullptr;
  llvm::DenseSet<const UOp *> &Known =
      M.getState<RewriteAnalyses>().CanonicalSums;
  if (extendsCanonicalSum(Root, Known)) {
    Known.insert(Root);
    return nullptr;
  }
  const UOp *Canonical = getCanonicalSum(M.getContext(), Root);
  if (!Canonical)
    return nullptr;
  // The built sum's prefixes are canonical sums too.
  for (const UOp *P = Canonical;
       P->getOp() == Op::Add && Known.insert(P).second; P = P->getSrc(0))
    ;
  return Canonical == Root ? nullptr : Canonical;
}

/// `U` as floordiv or floormod (by `O`) of some x by a positive constant.
static bool isDivModByPositive(const UOp *U, Op O, const UOp *&X, int64_t &C) {
  if (U->getOp() != O)
    return false;
  std::optional<int64_t> Divisor = getIntConstant(U->getSrc(1));
  if (!Divisor || *Divisor <= 0)
    return false;
  X = U->getSrc(0);
  C = *Divisor;
  return true;
}

/// Whether the terms hold a floormod and a floordiv by positive constants,
/// as every pair that recombines does (combining like terms, which keeps the
/// bases, is not needed to tell).
static bool mayRecombine(llvm::ArrayRef<SumTerm> Terms) {
  bool HasQuotient = false, HasRemainder = false;
  for (const SumTerm &T : Terms) {
    const UOp *X;
    int64_t C;
    if (isDivModByPositive(T.Base, Op::FloorDiv, X, C))
      HasQuotient = true;
    else if (isDivModByPositive(T.Base, Op::FloorMod, X, C)) {
      HasRemainder = true;
      // (x//c)%b is the quotient of the nested form.
      HasQuotient |= X->getOp() == Op::FloorDiv;
    }
  }
  return HasQuotient && HasRemainder;
}

using DivModKey = std::pair<const UOp *, int64_t>;

/// Combines one pair of terms that recombine; false when none does.
static bool recombineOnePair(Context &Ctx, DType Type, Sum &S) {
  // x//c terms, and (x//c)%b terms, by (x, c).
  llvm::SmallDenseMap<DivModKey, unsigned, 8> Quotients, QuotientsMod;
  for (unsigned I = 0; I < S.Terms.size(); ++I) {
    const UOp *X;
    int64_t C, B;
    const UOp *Base = S.Terms[I].Base;
    if (isDivModByPositive(Base, Op::FloorDiv, X, C))
      Quotients.try_emplace({X, C}, I);
    else if (isDivModByPositive(Base, Op::FloorMod, X, B) &&
             isDivModByPositive(X, Op::FloorDiv, X, C))
      QuotientsMod.try_emplace({X, C}, I);
  }
  for (SumTerm &Term : S.Terms) {
    const UOp *X;
    int64_t C;
    if (!isDivModByPositive(Term.Base, Op::FloorMod, X, C))
      continue;
    std::optional<int64_t> Scaled =
        mulIn(ScalarKind::Index, Term.Coefficient, C);
    if (!Scaled)
      continue;
    // x//c*(k*c) + x%c*k -> x*k
    auto Q = Quotients.find({X, C});
    if (Q != Quotients.end() && S.Terms[Q->second].Coefficient == *Scaled) {
      S.Terms[Q->second].Coefficient = 0;
      Term.Base = X;
      return true;
    }
    // (x//c)%b*(k*c) + x%c*k -> x%(c*b)*k
    auto QM = QuotientsMod.find({X, C});
    if (QM == QuotientsMod.end() || S.Terms[QM->second].Coefficient != *Scaled)
      continue;
    const UOp *ModOfQuotient = S.Terms[QM->second].Base;
    std::optional<int64_t> Modulus =
        mulIn(ScalarKind::Index, C, *getIntConstant(ModOfQuotient->getSrc(1)));
    if (!Modulus)
      continue;
    S.Terms[QM->second].Coefficient = 0;
    Term.Base = Ctx.get(Op::FloorMod, Type, {X, Ctx.getConst(Type, *Modulus)});
    return true;
  }
  return false;
}

const UOp *tg::hooks::recombineDivMod(const Match &M) {
  const UOp *Root = M.getRoot();
  if (Root->getOp() != Op::Add || !isIndexType(Root->getDType()))
    return nullptr;
  // Sources are at a fixed point: a new pair needs the last term.
  const UOp *Last = Root->getSrc(1);
  const UOp *LastBase = Last->getOp() == Op::Mul ? Last->getSrc(0) : Last;
  if (Root->getSrc(0)->getOp() == Op::Add &&
      LastBase->getOp() != Op::FloorDiv && LastBase->getOp() != Op::FloorMod)
    return nullptr;
  std::optional<Sum> S = flattenSum(Root);
  if (!S || !mayRecombine(S->Terms) || !normalizeSum(*S, ScalarKind::Index))
    return nullptr;
  Context &Ctx = M.getContext();
  bool Changed = false;
  while (recombineOnePair(Ctx, Root->getDType(), *S)) {
    Changed = true;
    if (!normalizeSum(*S, ScalarKind::Index))
      return nullptr;
  }
  if (!Changed)
    return nullptr;
  return buildSum(Ctx, Root->getDType(), *S);
}
