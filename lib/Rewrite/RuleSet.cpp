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
  GuardSettledByFilter =
      Data && Guard == declarative::checkGuard &&
      Data->Guard[0].Kind == declarative::GuardNodeKind::Always;
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
