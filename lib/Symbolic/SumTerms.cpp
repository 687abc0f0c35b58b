//===- SumTerms.cpp - sums as lists of (term, coefficient) ----------------===//

#include "SumTerms.h"

#include "HookSupport.h"

#include "tg/IR/Eval.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace tg;

std::optional<int64_t> tg::getIntConstant(const UOp *U) {
  if (U->getOp() != Op::Const || !U->getArg()->isInt())
    return std::nullopt;
  return U->getArg()->getInt();
}

static std::optional<int64_t> evalIn(Op O, ScalarKind Type, int64_t A,
                                     int64_t B) {
  std::optional<ConstValue> V =
      evalAlu(O, Type, Type, {ConstValue::getInt(A), ConstValue::getInt(B)});
  if (!V)
    return std::nullopt;
  return V->getInt();
}

// Index arithmetic is checked int64 arithmetic (as evalAlu does it), inline
// for the hooks' many coefficient steps.
std::optional<int64_t> tg::addIn(ScalarKind Type, int64_t A, int64_t B) {
  int64_t Result;
  if (Type == ScalarKind::Index)
    return __builtin_add_overflow(A, B, &Result) ? std::nullopt
                                                 : std::optional(Result);
  return evalIn(Op::Add, Type, A, B);
}

std::optional<int64_t> tg::mulIn(ScalarKind Type, int64_t A, int64_t B) {
  int64_t Result;
  if (Type == ScalarKind::Index)
    return __builtin_mul_overflow(A, B, &Result) ? std::nullopt
                                                 : std::optional(Result);
  return evalIn(Op::Mul, Type, A, B);
}

static int compareArgs(const Arg *A, const Arg *B) {
  if (A == B)
    return 0;
  if (!A || !B)
    return A ? 1 : -1;
  if (A->getKind() != B->getKind())
    return A->getKind() < B->getKind() ? -1 : 1;
  if (A->isString())
    return A->getString().compare(B->getString());
  if (A->isList()) {
    llvm::ArrayRef<const Arg *> EA = A->getElements(), EB = B->getElements();
    for (size_t I = 0; I < std::min(EA.size(), EB.size()); ++I)
      if (int C = compareArgs(EA[I], EB[I]))
        return C;
    return EA.size() == EB.size() ? 0 : (EA.size() < EB.size() ? -1 : 1);
  }
  if (A->isFloat())
    return A->getFloatBits() == B->getFloatBits()
               ? 0
               : (A->getFloatBits() < B->getFloatBits() ? -1 : 1);
  return A->getInt() == B->getInt() ? 0 : (A->getInt() < B->getInt() ? -1 : 1);
}

int tg::compareStructurally(const UOp *A, const UOp *B) {
  if (A == B)
    return 0;
  if (A->getOp() != B->getOp())
    return A->getOp() < B->getOp() ? -1 : 1;
  if (A->getDType() != B->getDType()) {
    std::string SA, SB;
    llvm::raw_string_ostream(SA) << A->getDType();
    llvm::raw_string_ostream(SB) << B->getDType();
    return SA < SB ? -1 : 1;
  }
  if (int C = compareArgs(A->getArg(), B->getArg()))
    return C;
  if (A->getNumSrcs() != B->getNumSrcs())
    return A->getNumSrcs() < B->getNumSrcs() ? -1 : 1;
  for (unsigned I = 0; I < A->getNumSrcs(); ++I)
    if (int C = compareStructurally(A->getSrc(I), B->getSrc(I)))
      return C;
  return 0;
}

/// For `x * c` (either order, x not itself a sum): x with Scale*c, or a
/// null Base when that coefficient overflows; nullopt for any other mul.
static std::optional<SumTerm> getScaledFactor(const UOp *Mul, ScalarKind K,
                                              int64_t Scale) {
  for (unsigned I = 0; I < 2; ++I) {
    std::optional<int64_t> Factor = getIntConstant(Mul->getSrc(1 - I));
    const UOp *Other = Mul->getSrc(I);
    if (!Factor || Other->getOp() == Op::Add || Other->getOp() == Op::Sub)
      continue;
    std::optional<int64_t> NewScale = mulIn(K, Scale, *Factor);
    if (!NewScale)
      return SumTerm{nullptr, 0};
    return SumTerm{Other, *NewScale};
  }
  return std::nullopt;
}

std::optional<Sum> tg::flattenSum(const UOp *Root) {
  DType T = Root->getDType();
  if (!T.isScalar() || !isIntegerType(T))
    return std::nullopt;
  ScalarKind K = T.getScalarKind();
  Sum S;
  llvm::SmallVector<SumTerm, 16> Work{{Root, 1}};
  while (!Work.empty()) {
    auto [U, Scale] = Work.pop_back_val();
    switch (U->getOp()) {
    case Op::Const: {
      std::optional<int64_t> Scaled = mulIn(K, *getIntConstant(U), Scale);
      std::optional<int64_t> NewConstant =
          Scaled ? addIn(K, S.Constant, *Scaled) : std::nullopt;
      if (!NewConstant)
        return std::nullopt;
      S.Constant = *NewConstant;
      continue;
    }
    case Op::Add:
      Work.push_back({U->getSrc(1), Scale});
      Work.push_back({U->getSrc(0), Scale});
      continue;
    case Op::Sub:
    case Op::Neg: {
      std::optional<int64_t> Negated = mulIn(K, Scale, -1);
      if (!Negated)
        return std::nullopt;
      Work.push_back({U->getSrc(U->getNumSrcs() - 1), *Negated});
      if (U->getOp() == Op::Sub)
        Work.push_back({U->getSrc(0), Scale});
      continue;
    }
    case Op::Mul: {
      if (std::optional<SumTerm> Scaled = getScaledFactor(U, K, Scale)) {
        if (!Scaled->Base)
          return std::nullopt;
        Work.push_back(*Scaled);
        continue;
      }
      S.Terms.push_back({U, Scale});
      continue;
    }
    default:
      S.Terms.push_back({U, Scale});
    }
  }
  return S;
}

/// Where Base's term is in Combined (by the map beyond a few terms), or
/// Combined.size() after recording it there as new.
static unsigned
findOrAddBase(llvm::ArrayRef<SumTerm> Combined,
              llvm::SmallDenseMap<const UOp *, unsigned, 8> &Position,
              const UOp *Base) {
  // A scan is cheaper than the map (which allocates past 6 entries) for the
  // sums of index expressions.
  constexpr size_t MaxScanned = 16;
  if (Combined.size() < MaxScanned) {
    for (unsigned I = 0; I != Combined.size(); ++I)
      if (Combined[I].Base == Base)
        return I;
    return unsigned(Combined.size());
  }
  if (Position.empty())
    for (unsigned I = 0; I != Combined.size(); ++I)
      Position.try_emplace(Combined[I].Base, I);
  return Position.try_emplace(Base, unsigned(Combined.size())).first->second;
}

bool tg::normalizeSum(Sum &S, ScalarKind Type) {
  llvm::SmallDenseMap<const UOp *, unsigned, 8> Position;
  llvm::SmallVector<SumTerm, 8> Combined;
  for (const SumTerm &T : S.Terms) {
    unsigned I = findOrAddBase(Combined, Position, T.Base);
    if (I == Combined.size()) {
      Combined.push_back(T);
      continue;
    }
    std::optional<int64_t> C =
        addIn(Type, Combined[I].Coefficient, T.Coefficient);
    if (!C)
      return false;
    Combined[I].Coefficient = *C;
  }
  llvm::erase_if(Combined, [](const SumTerm &T) { return T.Coefficient == 0; });
  llvm::sort(Combined, [](const SumTerm &A, const SumTerm &B) {
    return compareStructurally(A.Base, B.Base) < 0;
  });
  S.Terms = std::move(Combined);
  return true;
}

const UOp *tg::buildSum(Context &Ctx, DType Type, const Sum &S) {
  const UOp *Result = nullptr;
  for (const SumTerm &T : S.Terms) {
    const UOp *Term = T.Base;
    if (T.Coefficient != 1)
      Term = Ctx.get(Op::Mul, Type, {Term, Ctx.getConst(Type, T.Coefficient)});
    Result = Result ? Ctx.get(Op::Add, Type, {Result, Term}) : Term;
  }
  const UOp *Constant = Ctx.getConst(Type, S.Constant);
  if (!Result)
    return Constant;
  if (S.Constant == 0)
    return Result;
  return Ctx.get(Op::Add, Type, {Result, Constant});
}

/// Whether `U` is `Ctx.get(O, Type, {A, B})`, without interning anything.
static bool isBinary(const UOp *U, Op O, DType Type, const UOp *A,
                     const UOp *B) {
  return U->getOp() == O && U->getDType() == Type && !U->getArg() &&
         U->getNumSrcs() == 2 && U->getSrc(0) == A && U->getSrc(1) == B;
}

bool tg::isBuiltSum(Context &Ctx, const UOp *U, DType Type, const Sum &S) {
  // buildSum's steps backwards: the constant, then the terms from the last,
  // each the right operand of an add whose left one holds the ones before.
  if (S.Terms.empty())
    return U == Ctx.getConst(Type, S.Constant);
  const UOp *Rest = U;
  if (S.Constant != 0) {
    if (Rest->getOp() != Op::Add || Rest->getNumSrcs() != 2 ||
        !isBinary(Rest, Op::Add, Type, Rest->getSrc(0),
                  Ctx.getConst(Type, S.Constant)))
      return false;
    Rest = Rest->getSrc(0);
  }
  for (size_t I = S.Terms.size(); I-- != 0;) {
    const UOp *Term = Rest;
    if (I != 0) {
      if (Rest->getOp() != Op::Add || Rest->getNumSrcs() != 2 ||
          !isBinary(Rest, Op::Add, Type, Rest->getSrc(0), Rest->getSrc(1)))
        return false;
      Term = Rest->getSrc(1);
      Rest = Rest->getSrc(0);
    }
    const SumTerm &T = S.Terms[I];
    bool Matches = T.Coefficient == 1
                       ? Term == T.Base
                       : isBinary(Term, Op::Mul, Type, T.Base,
                                  Ctx.getConst(Type, T.Coefficient));
    if (!Matches)
      return false;
  }
  return true;
}
