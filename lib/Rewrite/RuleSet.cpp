//===- RuleSet.cpp - rules, binding slots and the dispatch table ----------===//

#include "tg/Rewrite/RuleSet.h"
#include "tg/Rewrite/Declarative.h"

#include "llvm/ADT/STLExtras.h"

using namespace tg;

const UOp *Match::operator[](llvm::StringRef Name) const {
  unsigned Slot = TheRule.lookupSlot(Name);
  assert(Slot != Pattern::NoSlot && "the rule's pattern binds no such name");
  return B[Slot];
}

/// Gives each distinct name of `P` a slot, in preorder.
static void assignSlots(Pattern &P,
                        llvm::SmallVectorImpl<std::string> &SlotNames) {
  if (!P.Name.empty()) {
    auto It = llvm::find(SlotNames, P.Name);
    if (It == SlotNames.end()) {
      assert(SlotNames.size() < MaxBindings && "too many names in a pattern");
      SlotNames.push_back(P.Name);
      It = SlotNames.end() - 1;
    }
    P.Slot = uint8_t(It - SlotNames.begin());
  }
  for (Pattern &Src : P.Sources)
    assignSlots(Src, SlotNames);
}

/// Rule::isSettledByFilter for `P` (slots assigned). The filter tells the
/// counts of sources 0 to 3 apart (CandidateFilter's arity rows), and checks
/// the root's ops and types; a named root binds as the matcher binds it.
static bool settlesByFilter(const Pattern &P, bool DecidesFromRoot) {
  if (!isFlatPattern(P) || P.Argument.getKind() != ArgMatch::Kind::Any ||
      P.Sources.size() > 3)
    return false;
  if (P.Mode != SourceMode::Exact &&
      !(P.Mode == SourceMode::Permutations && DecidesFromRoot))
    return false;
  llvm::SmallVector<uint8_t, 4> Slots;
  if (P.Slot != Pattern::NoSlot)
    Slots.push_back(P.Slot);
  for (const Pattern &Src : P.Sources) {
    // isFlatPattern: Src is a leaf (not alternatives, sources not matched).
    if (!Src.Ops.isAll() || !Src.Types.isAny() ||
        Src.Argument.getKind() != ArgMatch::Kind::Any)
      return false;
    if (Src.Slot == Pattern::NoSlot)
      continue;
    if (llvm::is_contained(Slots, Src.Slot))
      return false; // `(add $x, $x)`: the same UOp twice.
    Slots.push_back(Src.Slot);
  }
  return true;
}

Rule::Rule(std::string Name, Pattern P, RewriteAction Action,
           RewriteGuard Guard, const declarative::RuleData *Data)
    : Name(std::move(Name)), ThePattern(std::move(P)), Action(Action),
      Guard(Guard), Data(Data),
      RuleTypes(Data ? declarative::getTypeSet(Data->Types) : TypeSet::any()),
      FlatPattern(isFlatPattern(ThePattern)) {
  assert(Action && "a rule needs an action");
  assignSlots(ThePattern, SlotNames);
  SettledByFilter = settlesByFilter(ThePattern, decidesFromRoot());
  if (SettledByFilter) {
    NumSettledSources = uint8_t(ThePattern.Sources.size());
    for (unsigned I = 0; I != NumSettledSources; ++I)
      SettledSlots[I] = ThePattern.Sources[I].Slot;
  }
  if (!FlatPattern)
    collectRepeatedNames();
  GuardSettledByFilter =
      Data && Guard == declarative::checkGuard &&
      Data->Guard[0].Kind == declarative::GuardNodeKind::Always;
}

void Rule::collectRepeatedNames() {
  const Pattern &P = ThePattern;
  // The root's sources line up with the pattern's in order, or in either
  // order of two; other modes are left to the matcher.
  bool Ordered = P.Mode == SourceMode::Exact || P.Mode == SourceMode::Prefix;
  bool Swappable = P.Mode == SourceMode::Permutations && P.Sources.size() == 2;
  if (P.IsAlternatives || !(Ordered || Swappable) ||
      P.Sources.size() > MaxPermutedSources)
    return;
  llvm::SmallVector<RepeatedName, 4> BySlot(SlotNames.size());
  for (unsigned C = 0; C != P.Sources.size(); ++C) {
    const Pattern &Child = P.Sources[C];
    if (Child.IsAlternatives)
      continue;
    if (Child.Slot != Pattern::NoSlot)
      BySlot[Child.Slot].push_back({uint8_t(C), Occurrence::Self});
    bool ChildOrdered =
        Child.Mode == SourceMode::Exact || Child.Mode == SourceMode::Prefix;
    bool ChildPermuted = Child.Mode == SourceMode::Permutations;
    if (!ChildOrdered && !ChildPermuted)
      continue;
    for (unsigned G = 0; G != Child.Sources.size(); ++G) {
      const Pattern &GrandChild = Child.Sources[G];
      if (GrandChild.IsAlternatives || GrandChild.Slot == Pattern::NoSlot)
        continue;
      BySlot[GrandChild.Slot].push_back(
          {uint8_t(C), ChildOrdered ? uint8_t(G) : Occurrence::AnySource});
    }
  }
  for (RepeatedName &Occurrences : BySlot)
    if (Occurrences.size() >= 2)
      RepeatedNames.push_back(std::move(Occurrences));
}

llvm::ArrayRef<const UOp *> Rule::getCandidates(const UOp *const &Child,
                                                const Occurrence &O) {
  if (O.GrandChild == Occurrence::Self)
    return llvm::ArrayRef<const UOp *>(Child);
  llvm::ArrayRef<const UOp *> Srcs = Child->getSrcs();
  if (O.GrandChild == Occurrence::AnySource)
    return Srcs;
  if (O.GrandChild >= Srcs.size())
    return {};
  return Srcs.slice(O.GrandChild, 1);
}

bool Rule::checkRepeatedNames(const UOp *U, const uint8_t *Order) const {
  llvm::ArrayRef<const UOp *> Srcs = U->getSrcs();
  for (const RepeatedName &Occurrences : RepeatedNames) {
    // Some candidate of the first occurrence is a candidate of every other.
    const Occurrence &First = Occurrences[0];
    bool Found = false;
    for (const UOp *Candidate :
         getCandidates(Srcs[Order[First.Child]], First)) {
      Found = llvm::all_of(
          llvm::ArrayRef(Occurrences).drop_front(), [&](const Occurrence &O) {
            return llvm::is_contained(getCandidates(Srcs[Order[O.Child]], O),
                                      Candidate);
          });
      if (Found)
        break;
    }
    if (!Found)
      return false;
  }
  return true;
}

bool Rule::checkRepeatedNames(const UOp *U) const {
  // The source counts are the matcher's to check; an order needs them.
  size_t N = ThePattern.Sources.size();
  if (ThePattern.Mode == SourceMode::Prefix ? U->getNumSrcs() < N
                                            : U->getNumSrcs() != N)
    return true;
  static constexpr uint8_t InOrder[MaxPermutedSources] = {0, 1, 2, 3};
  static constexpr uint8_t Swapped[2] = {1, 0};
  if (checkRepeatedNames(U, InOrder))
    return true;
  return ThePattern.Mode == SourceMode::Permutations &&
         checkRepeatedNames(U, Swapped);
}

bool Rule::isDeclarative() const { return Data && !Data->isHook(); }

bool Rule::decidesFromRoot() const { return Data && Data->isHook(); }

unsigned Rule::lookupSlot(llvm::StringRef SlotName) const {
  auto It = llvm::find(SlotNames, SlotName);
  return It == SlotNames.end() ? Pattern::NoSlot
                               : unsigned(It - SlotNames.begin());
}

RuleSet::RuleSet(std::string Name, std::vector<Rule> NewRules)
    : Name(std::move(Name)) {
  for (Rule &R : NewRules)
    add(std::move(R));
}

RuleSet &RuleSet::add(Rule R) {
  unsigned Index = unsigned(Rules.size());
  OpSet Roots = R.getPattern().getRootOps();
  for (unsigned O = 0; O != NumOps; ++O)
    if (Roots.contains(Op(O))) {
      Dispatch[O].push_back(Index);
      Filters[O].add(R, Op(O));
    }
  Rules.push_back(std::move(R));
  return *this;
}

RuleSet &RuleSet::include(const RuleSet &Other) {
  assert(&Other != this && "a rule set cannot include itself");
  for (const Rule &R : Other.Rules)
    add(R);
  return *this;
}
