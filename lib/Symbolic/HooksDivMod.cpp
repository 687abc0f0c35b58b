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

#include "llvm/ADT/STLExtras.h"

#include <limits>

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
  const UOp *foldRemainder(const Sum &S, llvm::ArrayRef<Range> TermRanges,
                           bool Centered) const;
  const UOp *cancelFactorOfLargeTerms(const Sum &S,
                                      llvm::ArrayRef<Range> TermRanges) const;
  const UOp *extractMultiples(const Sum &S) const;
  const UOp *negateNegativeSum(const Sum &S) const;
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

/// The k with R in [k*c, (k+1)*c), when there is one.
static std::optional<int64_t> getStep(const Range &R, int64_t C) {
  if (R.isEmpty() || !isFinite(R.Min) || !isFinite(R.Max) ||
      floorDivBound(R.Min, C) != floorDivBound(R.Max, C))
    return std::nullopt;
  return int64_t(floorDivBound(R.Min, C));
}

/// Writes x = c*Q + R and folds when R's range lies in one step of c: then
/// x//c = Q + k and x%c = R - k*c. R's coefficients lie in [0, c), or with
/// `Centered` in (-c/2, c/2] (congruence: (3 + 3*a) % 4 -> 3 - a).
/// TermRanges holds the range of each term's base.
const UOp *DivMod::foldRemainder(const Sum &S, llvm::ArrayRef<Range> TermRanges,
                                 bool Centered) const {
  Sum Quotient, Remainder;
  Quotient.Constant = floorDiv(S.Constant, C);
  Remainder.Constant = floorMod(S.Constant, C);
  Range RemainderRange = Range::point(Remainder.Constant);
  for (auto [T, TermRange] : llvm::zip_equal(S.Terms, TermRanges)) {
    int64_t Q = floorDiv(T.Coefficient, C), R = floorMod(T.Coefficient, C);
    if (Centered && R > C - R) {
      R -= C;
      ++Q;
    }
    if (Q)
      Quotient.Terms.push_back({T.Base, Q});
    if (R) {
      Remainder.Terms.push_back({T.Base, R});
      RemainderRange = RemainderRange + Range::point(R) * TermRange;
    }
  }
  std::optional<int64_t> K = getStep(RemainderRange, C);
  if (!K)
    return nullptr;
  std::optional<int64_t> Shift = mulIn(ScalarKind::Index, *K, -C);
  if (!Shift || !normalizeSum(Quotient, ScalarKind::Index))
    return nullptr;
  return IsDiv ? sumPlus(Quotient, *K) : sumPlus(Remainder, *Shift);
}

/// (g*A + R)//(g*c') -> (A + k)//c' where g divides c and the coefficients
/// of A, and R (the other terms and the constant) lies in [k*g, (k+1)*g).
const UOp *
DivMod::cancelFactorOfLargeTerms(const Sum &S,
                                 llvm::ArrayRef<Range> TermRanges) const {
  if (!IsDiv)
    return nullptr;
  int64_t G = 0;
  for (const SumTerm &T : S.Terms)
    if (gcdOf(T.Coefficient, C) > 1)
      G = gcdOf(G, T.Coefficient);
  G = gcdOf(G, C);
  if (G <= 1)
    return nullptr;
  Sum Large;
  Range SmallRange = Range::point(S.Constant);
  for (auto [T, TermRange] : llvm::zip_equal(S.Terms, TermRanges)) {
    if (T.Coefficient % G == 0)
      Large.Terms.push_back({T.Base, T.Coefficient / G});
    else
      SmallRange = SmallRange + Range::point(T.Coefficient) * TermRange;
  }
  std::optional<int64_t> K = getStep(SmallRange, G);
  if (!K)
    return nullptr;
  Large.Constant = *K;
  const UOp *Inner = buildSum(Ctx, Type, Large);
  return G == C ? Inner : build(Op::FloorDiv, Inner, C / G);
}

/// Takes out what is a multiple of c: x//c = M + (x - c*M)//c for the terms
/// with coefficients divisible by c; x%c reduces every coefficient mod c.
const UOp *DivMod::extractMultiples(const Sum &S) const {
  Sum Multiples, Rest;
  Multiples.Constant = floorDiv(S.Constant, C);
  Rest.Constant = floorMod(S.Constant, C);
  bool Changed = Multiples.Constant != 0;
  for (const SumTerm &T : S.Terms) {
    int64_t Q = floorDiv(T.Coefficient, C), R = floorMod(T.Coefficient, C);
    if (IsDiv && R != 0) {
      Rest.Terms.push_back(T);
      continue;
    }
    Changed |= Q != 0;
    if (Q)
      Multiples.Terms.push_back({T.Base, Q});
    if (R)
      Rest.Terms.push_back({T.Base, R});
  }
  if (!Changed)
    return nullptr;
  const UOp *RestUOp = buildSum(Ctx, Type, Rest);
  if (!IsDiv)
    return build(Op::FloorMod, RestUOp, C);
  Multiples.Terms.push_back({build(Op::FloorDiv, RestUOp, C), 1});
  if (!normalizeSum(Multiples, ScalarKind::Index))
    return nullptr;
  return buildSum(Ctx, Type, Multiples);
}

/// x//c -> -((-x + c - 1)//c) when every term of x has a negative
/// coefficient (floor(-y/c) = -ceil(y/c)), so the inner sum can fold.
const UOp *DivMod::negateNegativeSum(const Sum &S) const {
  if (!IsDiv)
    return nullptr;
  Sum Negated;
  for (const SumTerm &T : S.Terms) {
    if (T.Coefficient >= 0 ||
        T.Coefficient == std::numeric_limits<int64_t>::min())
      return nullptr;
    Negated.Terms.push_back({T.Base, -T.Coefficient});
  }
  std::optional<int64_t> Constant =
      S.Constant == std::numeric_limits<int64_t>::min()
          ? std::nullopt
          : addIn(ScalarKind::Index, -S.Constant, C - 1);
  if (!Constant)
    return nullptr;
  Negated.Constant = *Constant;
  const UOp *Inner = build(Op::FloorDiv, buildSum(Ctx, Type, Negated), C);
  return Ctx.get(Op::Neg, Type, {Inner});
}

const UOp *DivMod::foldSum() const {
  std::optional<Sum> S = flattenSum(X);
  if (!S || !normalizeSum(*S, ScalarKind::Index) || S->Terms.empty())
    return nullptr;
  if (const UOp *Folded = cancelGcd(*S))
    return Folded;
  // Each term's range once for the steps below, which would otherwise ask
  // the analysis for it up to three times.
  llvm::SmallVector<Range, 8> TermRanges;
  for (const SumTerm &T : S->Terms)
    TermRanges.push_back(Ranges.getRange(T.Base));
  for (bool Centered : {false, true})
    if (const UOp *Folded = foldRemainder(*S, TermRanges, Centered))
      return Folded;
  if (const UOp *Folded = cancelFactorOfLargeTerms(*S, TermRanges))
    return Folded;
  if (const UOp *Folded = extractMultiples(*S))
    return Folded;
  return negateNegativeSum(*S);
}

const UOp *tg::hooks::foldDivMod(const Match &M) {
  const UOp *Root = M.getRoot();
  Op O = Root->getOp();
  if ((O != Op::FloorDiv && O != Op::FloorMod) ||
      !isIndexType(Root->getDType()))
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
