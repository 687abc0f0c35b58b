//===- CandidateFilter.cpp - selecting the rules worth matching -----------===//

#include "tg/Rewrite/CandidateFilter.h"

#include "tg/Rewrite/RuleSet.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace tg;

namespace {

/// The value classes of a constant's source key: 0, 1, -1, anything else.
constexpr unsigned OtherValue = 3;
unsigned getValueClass(double V) {
  if (V == 0)
    return 0;
  if (V == 1)
    return 1;
  return V == -1 ? 2 : OtherValue;
}
unsigned getValueClass(int64_t V) {
  return V >= -1 && V <= 1 ? getValueClass(double(V)) : OtherValue;
}

/// Whether a pattern node accepts a UOp of some source key, looking at its
/// op and value only (an alternatives node: whether any alternative does).
bool acceptsKey(const Pattern &P, unsigned Key) {
  if (P.IsAlternatives)
    return llvm::any_of(P.Sources, [&](const Pattern &Alternative) {
      return acceptsKey(Alternative, Key);
    });
  if (Key < NumOps)
    return P.Ops.contains(Op(Key));
  if (!P.Ops.contains(Op::Const))
    return false;
  // ArgMatch::value compares numbers: equal numbers have one class.
  const ArgMatch &Argument = P.Argument;
  if (Argument.getKind() != ArgMatch::Kind::Value)
    return true;
  unsigned Class = Argument.isFloatValue()
                       ? getValueClass(Argument.getFloatValue())
                       : getValueClass(Argument.getIntValue());
  return Key == NumOps + Class;
}

/// The dtypes a pattern node accepts (an alternatives node: any
/// alternative).
TypeSet getNodeTypes(const Pattern &P) {
  if (!P.IsAlternatives)
    return P.Types;
  TypeSet Union;
  for (const Pattern &Alternative : P.Sources)
    Union = Union | getNodeTypes(Alternative);
  return Union & P.Types;
}

/// The row of a dtype among the type rows.
unsigned getTypeRow(DType T) {
  return T.isPointer() ? NumScalarKinds : unsigned(T.getScalarKind());
}

/// What a rule requires of a UOp of one op, as the filter reads it.
struct Requirements {
  TypeSet RootTypes = TypeSet::any();
  TypeSet FirstSourceTypes = TypeSet::any();
  unsigned MinSrcs = 0, MaxSrcs = ~0u;
  /// Sources[I] constrains source I for I < NumChecked (<= MinSrcs).
  unsigned NumChecked = 0;
  const Pattern *Sources[2] = {nullptr, nullptr};
  /// Two sources in any order: also Sources[0] on source 1 and Sources[1]
  /// on source 0.
  bool Swappable = false;
};

Requirements getRequirements(const Rule &R, Op Root) {
  Requirements Req;
  const Pattern &P = R.getPattern();
  Req.RootTypes = getNodeTypes(P);
  // checkGuard reads the rule's types from a comparison's first operand.
  if (hasTrait(Root, OpTrait::Comparison))
    Req.FirstSourceTypes = R.getRuleTypes();
  else
    Req.RootTypes = Req.RootTypes & R.getRuleTypes();
  if (P.IsAlternatives)
    return Req;
  unsigned NumPatterns = unsigned(P.Sources.size());
  switch (P.Mode) {
  case SourceMode::Any:
  case SourceMode::Each:
    return Req;
  case SourceMode::Exact:
    Req.MinSrcs = Req.MaxSrcs = NumPatterns;
    break;
  case SourceMode::Prefix:
    Req.MinSrcs = NumPatterns;
    break;
  case SourceMode::Permutations:
    Req.MinSrcs = Req.MaxSrcs = NumPatterns;
    // Three or more sources in any order: any source may match any pattern.
    if (NumPatterns != 2)
      return Req;
    Req.Swappable = true;
    break;
  }
  Req.NumChecked = std::min(NumPatterns, 2u);
  for (unsigned I = 0; I != Req.NumChecked; ++I)
    Req.Sources[I] = &P.Sources[I];
  return Req;
}

} // namespace

void CandidateFilter::grow() {
  if (NumCandidates < NumWords * 64)
    return;
  unsigned NewWords = NumWords + 1;
  std::vector<uint64_t> NewMasks(size_t(NumRows) * NewWords, 0);
  for (unsigned Row = 0; Row != NumRows; ++Row)
    std::copy_n(getRow(Row), NumWords, &NewMasks[size_t(Row) * NewWords]);
  Masks = std::move(NewMasks);
  NumWords = NewWords;
}

void CandidateFilter::add(const Rule &R, Op Root) {
  grow();
  unsigned K = NumCandidates++;
  Requirements Req = getRequirements(R, Root);
  for (unsigned N = 0; N != NumArities; ++N) {
    // The last row stands for every count from N on.
    bool Accepts = N + 1 == NumArities ? Req.MaxSrcs >= N
                                       : Req.MinSrcs <= N && N <= Req.MaxSrcs;
    if (Accepts)
      setBit(ArityRows + N, K);
  }
  for (unsigned T = 0; T != NumTypeRows; ++T) {
    auto Contains = [&](const TypeSet &Types) {
      return T == NumScalarKinds ? Types.containsPointers()
                                 : Types.containsScalar(ScalarKind(T));
    };
    if (Contains(Req.RootTypes))
      setBit(RootTypeRows + T, K);
    if (Contains(Req.FirstSourceTypes))
      setBit(FirstSourceTypeRows + T, K);
  }
  for (unsigned Key = 0; Key != NumSourceKeys; ++Key) {
    for (unsigned I = 0; I != 2; ++I) {
      // Only sources the pattern fixes narrow the rule down.
      bool Accepts = I < Req.NumChecked && acceptsKey(*Req.Sources[I], Key);
      if (Accepts || I >= Req.NumChecked)
        setBit((I == 0 ? Source0Rows : Source1Rows) + Key, K);
      if (Accepts && Req.Swappable)
        setBit((I == 0 ? Swapped0Rows : Swapped1Rows) + Key, K);
    }
  }
}

unsigned CandidateFilter::getSourceKey(const UOp *Src) {
  if (Src->getOp() != Op::Const)
    return unsigned(Src->getOp());
  const Arg *A = Src->getArg();
  if (A && (A->isInt() || A->isBool()))
    return NumOps + getValueClass(A->getInt());
  if (A && A->isFloat())
    return NumOps + getValueClass(A->getFloat());
  return NumOps + OtherValue;
}

void CandidateFilter::select(const UOp *U,
                             llvm::SmallVectorImpl<uint64_t> &Mask) const {
  Mask.clear();
  if (NumWords == 0)
    return;
  llvm::ArrayRef<const UOp *> Srcs = U->getSrcs();
  unsigned N = unsigned(Srcs.size());
  const uint64_t *Arity = getRow(ArityRows + std::min(N, NumArities - 1));
  const uint64_t *RootType = getRow(RootTypeRows + getTypeRow(U->getDType()));
  if (NumWords == 1) {
    // Most ops have fewer than 64 candidates: the same ANDs on one word.
    uint64_t Word = Arity[0] & RootType[0];
    if (N != 0) {
      Word &= getRow(FirstSourceTypeRows + getTypeRow(Srcs[0]->getDType()))[0];
      unsigned Key0 = getSourceKey(Srcs[0]);
      if (N == 1) {
        Word &= getRow(Source0Rows + Key0)[0];
      } else {
        unsigned Key1 = getSourceKey(Srcs[1]);
        Word &=
            (getRow(Source0Rows + Key0)[0] & getRow(Source1Rows + Key1)[0]) |
            (getRow(Swapped0Rows + Key1)[0] & getRow(Swapped1Rows + Key0)[0]);
      }
    }
    Mask.push_back(Word);
    return;
  }
  Mask.assign(Arity, Arity + NumWords);
  for (unsigned W = 0; W != NumWords; ++W)
    Mask[W] &= RootType[W];
  if (N == 0)
    return;
  const uint64_t *FirstSourceType =
      getRow(FirstSourceTypeRows + getTypeRow(Srcs[0]->getDType()));
  unsigned Key0 = getSourceKey(Srcs[0]);
  const uint64_t *Source0 = getRow(Source0Rows + Key0);
  for (unsigned W = 0; W != NumWords; ++W)
    Mask[W] &= FirstSourceType[W];
  if (N == 1) {
    for (unsigned W = 0; W != NumWords; ++W)
      Mask[W] &= Source0[W];
    return;
  }
  // Rules constraining only source 0 have every bit of the Source1 rows.
  unsigned Key1 = getSourceKey(Srcs[1]);
  const uint64_t *Source1 = getRow(Source1Rows + Key1);
  const uint64_t *Swapped0 = getRow(Swapped0Rows + Key1);
  const uint64_t *Swapped1 = getRow(Swapped1Rows + Key0);
  for (unsigned W = 0; W != NumWords; ++W)
    Mask[W] &= (Source0[W] & Source1[W]) | (Swapped0[W] & Swapped1[W]);
}
