//===- RuleSet.h - rewrite rules and named sets of them ---------*- C++ -*-===//
//
// A Rule is a pattern, the action that builds the replacement, a name (for
// statistics, traces and error messages) and an optional guard. A RuleSet is
// a named, ordered list of rules, possibly including other sets, with a
// dispatch table indexed by op: rewriting a UOp tries only the rules whose
// pattern root can have that UOp's op, in the order they were added.
//
// A CandidateFilter per op then narrows the candidates down to those that
// may match a given UOp, by bit masks computed as rules join the set.
//
// Actions and guards are plain function pointers so that generated code
// (tg-tblgen) and hand-written hooks look the same; a pass that needs state
// passes it through RewriteOptions::State and reads it with Match::getState.
//
//===----------------------------------------------------------------------===//

#ifndef TG_REWRITE_RULESET_H
#define TG_REWRITE_RULESET_H

#include "tg/IR/Context.h"
#include "tg/Rewrite/CandidateFilter.h"
#include "tg/Rewrite/Matcher.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <array>
#include <string>
#include <vector>

namespace tg {

class Rule;
namespace declarative {
struct RuleData;
} // namespace declarative

/// What a guard or an action sees of one match.
class Match {
public:
  Match(const Rule &R, const UOp *Root, const Bindings &B, Context &Ctx,
        void *State, const UOp *Parent = nullptr)
      : TheRule(R), Root(Root), B(B), Ctx(Ctx), State(State), Parent(Parent) {}

  /// The UOp the pattern's root matched.
  const UOp *getRoot() const { return Root; }
  /// The UOp bound to a slot or to a name of the rule's pattern.
  const UOp *operator[](unsigned Slot) const { return B[Slot]; }
  const UOp *operator[](llvm::StringRef Name) const;
  const Rule &getRule() const { return TheRule; }
  /// Where the action makes its replacement.
  Context &getContext() const { return Ctx; }
  /// The pass's state given in RewriteOptions::State.
  void *getState() const { return State; }
  /// The user through which graphRewrite reached the root (the first one,
  /// for a UOp with several users), or nullptr at the top of the rewrite and
  /// in rewriteOnce. A rule may leave work to that user: canonicalizeSum
  /// sorts a whole sum once at its top instead of at every partial sum.
  const UOp *getParent() const { return Parent; }
  template <typename T> T &getState() const {
    assert(State && "this rewrite was run without state");
    return *static_cast<T *>(State);
  }

private:
  const Rule &TheRule;
  const UOp *Root;
  const Bindings &B;
  Context &Ctx;
  void *State;
  const UOp *Parent;
};

/// Builds the replacement of a match; nullptr (or the root itself) means the
/// rule does not apply after all, and matching goes on.
using RewriteAction = const UOp *(*)(const Match &M);
/// A condition on a match beyond what the pattern can say.
using RewriteGuard = bool (*)(const Match &M);

class Rule {
public:
  /// Assigns a slot to each distinct name of `P` in preorder. `Data` is the
  /// td record the rule was compiled from (Declarative.h), if any.
  Rule(std::string Name, Pattern P, RewriteAction Action,
       RewriteGuard Guard = nullptr,
       const declarative::RuleData *Data = nullptr);

  llvm::StringRef getName() const { return Name; }
  const Pattern &getPattern() const { return ThePattern; }
  RewriteAction getAction() const { return Action; }
  RewriteGuard getGuard() const { return Guard; }
  /// The td record of the rule, or nullptr for a rule written in C++.
  const declarative::RuleData *getData() const { return Data; }
  /// Whether the rule's result is data (provable), not a hook or C++ code.
  bool isDeclarative() const;
  /// Binding names by slot.
  llvm::ArrayRef<std::string> getSlotNames() const { return SlotNames; }
  unsigned getNumSlots() const { return unsigned(SlotNames.size()); }
  /// The slot of `Name`, or Pattern::NoSlot.
  unsigned lookupSlot(llvm::StringRef Name) const;
  /// The types the rule applies to (Declarative.h, RuleTypes): of the root,
  /// or of its first source for a comparison root; any for C++ rules.
  const TypeSet &getRuleTypes() const { return RuleTypes; }
  /// Whether the action decides from the root alone (a HookRule's hook
  /// reads M.getRoot() and nothing bound), so that one match is enough: the
  /// other orders of commutative sources would call it again on the root.
  bool decidesFromRoot() const;
  /// Calls OnMatch for each match of the pattern on `U` (matchPattern).
  bool match(const UOp *U, Bindings &B,
             llvm::function_ref<bool()> OnMatch) const {
    if (FlatPattern)
      return matchFlatPattern(ThePattern, U, B, OnMatch);
    return mayBindRepeatsAlike(U) && matchPattern(ThePattern, U, B, OnMatch);
  }
  /// Whether a UOp that a RuleSet's CandidateFilter selects for this rule
  /// is matched, and matched once, with the root and the sources in order
  /// bound: the pattern is one op node (any argument) over at most three
  /// sources that are distinct names or `_` of any type, and its sources
  /// are matched in order, or in any order by a rule that decides from the
  /// root (the hooks' patterns). The filter checks everything else: ops,
  /// types, the number of sources.
  bool isSettledByFilter() const { return SettledByFilter; }
  /// Whether the guard is declarative::checkGuard of a rule without a guard
  /// expression, which tests only the rule's types: the filter's test too.
  bool isGuardSettledByFilter() const { return GuardSettledByFilter; }
  /// Binds what matching a UOp selected by the filter binds, for a rule
  /// that isSettledByFilter (B holds no bindings).
  void bindSettled(const UOp *U, Bindings &B) const {
    assert(SettledByFilter && "the pattern needs the matcher");
    if (ThePattern.Slot != Pattern::NoSlot)
      B.bind(ThePattern.Slot, U);
    for (unsigned I = 0; I != NumSettledSources; ++I)
      if (SettledSlots[I] != Pattern::NoSlot)
        B.bind(SettledSlots[I], U->getSrc(I));
  }

private:
  /// Where a name repeated in the top two levels of a non-flat pattern
  /// occurs: as root source Child itself (GrandChild == Self), as its source
  /// GrandChild, or as any of its sources (GrandChild == AnySource: sources
  /// in any order).
  struct Occurrence {
    static constexpr uint8_t Self = 0xff, AnySource = 0xfe;
    uint8_t Child;
    uint8_t GrandChild;
  };
  /// The occurrences of one repeated name, for mayBindRepeatsAlike.
  using RepeatedName = llvm::SmallVector<Occurrence, 2>;
  void collectRepeatedNames();
  /// A necessary condition for a match, checked before the matcher: each
  /// name repeated in the top two levels of the pattern can stand for one
  /// UOp (`(add (mul $x, c), $x)` needs the add's other source to be a
  /// source of the mul), for some order of the root's sources.
  bool mayBindRepeatsAlike(const UOp *U) const {
    return RepeatedNames.empty() || checkRepeatedNames(U);
  }
  bool checkRepeatedNames(const UOp *U) const;
  /// The UOps occurrence `O` can be, under root source `Child`.
  static llvm::ArrayRef<const UOp *> getCandidates(const UOp *const &Child,
                                                   const Occurrence &O);
  bool checkRepeatedNames(const UOp *U, const uint8_t *Order) const;

  std::string Name;
  Pattern ThePattern;
  RewriteAction Action;
  RewriteGuard Guard;
  const declarative::RuleData *Data;
  TypeSet RuleTypes;
  bool FlatPattern;
  bool SettledByFilter = false;
  bool GuardSettledByFilter = false;
  uint8_t NumSettledSources = 0;
  /// The slots of the sources, for bindSettled.
  uint8_t SettledSlots[3] = {Pattern::NoSlot, Pattern::NoSlot, Pattern::NoSlot};
  llvm::SmallVector<RepeatedName, 1> RepeatedNames;
  llvm::SmallVector<std::string, 4> SlotNames;
};

class RuleSet {
public:
  explicit RuleSet(std::string Name) : Name(std::move(Name)) {}
  RuleSet(std::string Name, std::vector<Rule> Rules);

  /// Appends a rule; it is tried after the rules already in the set.
  RuleSet &add(Rule R);
  /// Appends every rule of `Other` (a copy: later changes to Other are not
  /// seen).
  RuleSet &include(const RuleSet &Other);

  llvm::StringRef getName() const { return Name; }
  llvm::ArrayRef<Rule> getRules() const { return Rules; }
  const Rule &getRule(unsigned Index) const { return Rules[Index]; }
  /// Indices of the rules that can match a UOp of op `O`, in order.
  llvm::ArrayRef<unsigned> getCandidates(Op O) const {
    return Dispatch[unsigned(O)];
  }
  /// Sets `Mask` to the candidates of U's op that may match `U` (bit K:
  /// getCandidates(...)[K]; CandidateFilter).
  void selectCandidates(const UOp *U,
                        llvm::SmallVectorImpl<uint64_t> &Mask) const {
    Filters[unsigned(U->getOp())].select(U, Mask);
  }

private:
  std::string Name;
  std::vector<Rule> Rules;
  std::array<std::vector<unsigned>, NumOps> Dispatch;
  std::array<CandidateFilter, NumOps> Filters;
};

} // namespace tg

#endif // TG_REWRITE_RULESET_H
