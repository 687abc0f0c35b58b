//===- HooksDivMod.cpp - floor division and modulo by constants -----------===//
//
// foldDivMod (tg/Symbolic/Hooks.h), after tinygrad's div_and_mod_folding.
// Every step is exact for floor semantics over index: with integer A,
// floor((c*A + B) / c) = A + floor(B / c) and (c*A + B) mod c = B mod c.
//
//===----------------------------------------------------------------------===//

#include "HookSupport.h"
#include "SumTerms.h"

#include "tg/Symbolic/Hooks.h"

using namespace tg;

namespace {

/// One floordiv or floormod of X by the positive constant C, being folded.
struct DivMod {
  Context &Ctx;
  RangeAnalysis &Ranges;
  DType Type;
  bool IsDiv;
  const UOp *X;
  int64_t C;

  const UOp *constant(int64_t V) const { return Ctx.getConst(Type, V); }
  const UOp *build(Op O, const UOp *A, int64_t B) const {
    return Ctx.get(O, Type, {A, constant(B)});
  }
  /// S + K as a canonical sum, or nullptr on overflow.
  const UOp *sumPlus(Sum S, int64_t K) const {
    std::optional<int64_t> NewConstant =
        addIn(ScalarKind::Index, S.Constant, K);
    if (!NewConstant)
      return nullptr;
    S.Constant = *NewConstant;
    return buildSum(Ctx, Type, S);
  }

  const UOp *foldByRange() const;
  const UOp *foldNested() const;
  const UOp *foldSum() const;
  const UOp *cancelGcd(const Sum &S) const;
  const UOp *extractQuotient(const Sum &S) const;
};

} // namespace

/// The quotient is one value over x's range: x//c -> q, x%c -> x - q*c.
const UOp *DivMod::foldByRange() const {
  Range R = Ranges.getRange(X);
  if (R.isEmpty() || !isFinite(R.Min) || !isFinite(R.Max))
    return nullptr;
  Bound Q = floorDivBound(R.Min, C);
  if (Q != floorDivBound(R.Max, C))
    return nullptr;
  if (IsDiv)
    return constant(int64_t(Q));
  if (Q == 0)
    return X;
  std::optional<Sum> S = flattenSum(X);
  std::optional<int64_t> Shift = mulIn(ScalarKind::Index, int64_t(Q), -C);
  if (!S || !Shift || !normalizeSum(*S, ScalarKind::Index))
    return nullptr;
  return sumPlus(*S, *Shift);
}

/// (y//a)//c -> y//(a*c); (y%(c*k))%c -> y%c.
const UOp *DivMod::foldNested() const {
  std::optional<int64_t> Inner =
      X->getNumSrcs() == 2 ? getIntConstant(X->getSrc(1)) : std::nullopt;
  if (!Inner || *Inner <= 0)
    return nullptr;
  const UOp *Y = X->getSrc(0);
  if (IsDiv && X->getOp() == Op::FloorDiv) {
    std::optional<int64_t> Product = mulIn(ScalarKind::Index, *Inner, C);
    return Product ? build(Op::FloorDiv, Y, *Product) : nullptr;
  }
  if (!IsDiv && X->getOp() == Op::FloorMod && *Inner % C == 0)
    return build(Op::FloorMod, Y, C);
  return nullptr;
}

/// (g*S')//(g*c') -> S'//c' and (g*S')%(g*c') -> (S'%c')*g.
const UOp *DivMod::cancelGcd(const Sum &S) const {
  int64_t G = gcdOf(C, S.Constant);
  for (const SumTerm &T : S.Terms)
    G = gcdOf(G, T.Coefficient);
  if (G <= 1)
    return nullptr;
  Sum Reduced = S;
  Reduced.Constant /= G;
  for (SumTerm &T : Reduced.Terms)
    T.Coefficient /= G;
  const UOp *Inner = buildSum(Ctx, Type, Reduced);
  if (G == C)
    return IsDiv ? Inner : constant(0);
  if (IsDiv)
    return build(Op::FloorDiv, Inner, C / G);
  return build(Op::Mul, build(Op::FloorMod, Inner, C / G), G);
}

/// Writes x = c*Q + R with every coefficient of R in [0, c): then
/// x//c = Q + R//c and x%c = R%c, and R//c folds when R's range allows.
const UOp *DivMod::extractQuotient(const Sum &S) const {
  Sum Quotient, Remainder;
  Quotient.Constant = floorDiv(S.Constant, C);
  Remainder.Constant = floorMod(S.Constant, C);
  Range RemainderRange = Range::point(Remainder.Constant);
  for (const SumTerm &T : S.Terms) {
    if (int64_t Q = floorDiv(T.Coefficient, C))
      Quotient.Terms.push_back({T.Base, Q});
    if (int64_t R = floorMod(T.Coefficient, C)) {
      Remainder.Terms.push_back({T.Base, R});
      RemainderRange =
          RemainderRange + Range::point(R) * Ranges.getRange(T.Base);
    }
  }
  bool RemainderFolds = !RemainderRange.isEmpty() &&
                        isFinite(RemainderRange.Min) &&
                        isFinite(RemainderRange.Max) &&
                        floorDivBound(RemainderRange.Min, C) ==
                            floorDivBound(RemainderRange.Max, C);
  if (RemainderFolds) {
    int64_t K = int64_t(floorDivBound(RemainderRange.Min, C));
    std::optional<int64_t> Shift = mulIn(ScalarKind::Index, K, -C);
    if (!Shift)
      return nullptr;
    return IsDiv ? sumPlus(Quotient, K) : sumPlus(Remainder, *Shift);
  }
  // Otherwise only the multiples of c (and the constant's) leave it.
  Sum Multiples, Rest;
  Multiples.Constant = Quotient.Constant;
  Rest.Constant = Remainder.Constant;
  for (const SumTerm &T : S.Terms) {
    if (T.Coefficient % C == 0)
      Multiples.Terms.push_back({T.Base, T.Coefficient / C});
    else
      Rest.Terms.push_back(T);
  }
  if (Multiples.Terms.empty() && Multiples.Constant == 0)
    return nullptr;
  const UOp *RestUOp = buildSum(Ctx, Type, Rest);
  if (!IsDiv)
    return build(Op::FloorMod, RestUOp, C);
  Multiples.Terms.push_back({build(Op::FloorDiv, RestUOp, C), 1});
  if (!normalizeSum(Multiples, ScalarKind::Index))
    return nullptr;
  return buildSum(Ctx, Type, Multiples);
}

const UOp *DivMod::foldSum() const {
  std::optional<Sum> S = flattenSum(X);
  if (!S || !normalizeSum(*S, ScalarKind::Index) || S->Terms.empty())
    return nullptr;
  if (const UOp *Folded = cancelGcd(*S))
    return Folded;
  return extractQuotient(*S);
}

const UOp *tg::hooks::foldDivMod(const Match &M) {
  const UOp *Root = M.getRoot();
  Op O = Root->getOp();
  if ((O != Op::FloorDiv && O != Op::FloorMod) || !Root->getDType().isIndex())
    return nullptr;
  std::optional<int64_t> C = getIntConstant(Root->getSrc(1));
  if (!C || *C <= 0)
    return nullptr;
  DivMod D{M.getContext(),    getRanges(M),    Root->getDType(),
           O == Op::FloorDiv, Root->getSrc(0), *C};
  if (*C == 1)
    return D.IsDiv ? D.X : D.constant(0);
  for (const UOp *(DivMod::*Step)() const :
       {&DivMod::foldByRange, &DivMod::foldNested, &DivMod::foldSum})
    if (const UOp *Result = (D.*Step)())
      return Result == Root ? nullptr : Result;
  return nullptr;
}
