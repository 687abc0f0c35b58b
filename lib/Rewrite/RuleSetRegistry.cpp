//===- RuleSetRegistry.cpp - the named rule sets of a process -------------===//

#include "tg/Rewrite/RuleSetRegistry.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"

using namespace tg;

struct RuleSetRegistry::Entry {
  std::unique_ptr<RuleSet> Set;
  std::string Summary;
};

RuleSetRegistry &RuleSetRegistry::get() {
  static RuleSetRegistry Registry;
  return Registry;
}

const RuleSet &RuleSetRegistry::add(std::unique_ptr<RuleSet> Set,
                                    llvm::StringRef Summary) {
  if (lookup(Set->getName()))
    llvm::report_fatal_error(llvm::Twine("rule set '") + Set->getName() +
                             "' is registered twice");
  Entries.push_back(
      std::make_unique<Entry>(Entry{std::move(Set), Summary.str()}));
  return *Entries.back()->Set;
}

const RuleSet *RuleSetRegistry::lookup(llvm::StringRef Name) const {
  for (const std::unique_ptr<Entry> &E : Entries)
    if (E->Set->getName() == Name)
      return E->Set.get();
  return nullptr;
}

std::vector<const RuleSet *> RuleSetRegistry::getAll() const {
  std::vector<const RuleSet *> Sets;
  for (const std::unique_ptr<Entry> &E : Entries)
    Sets.push_back(E->Set.get());
  llvm::sort(Sets, [](const RuleSet *A, const RuleSet *B) {
    return A->getName() < B->getName();
  });
  return Sets;
}

llvm::StringRef RuleSetRegistry::getSummary(const RuleSet &Set) const {
  for (const std::unique_ptr<Entry> &E : Entries)
    if (E->Set.get() == &Set)
      return E->Summary;
  llvm_unreachable("the rule set is not registered here");
}

void RuleSetRegistry::printRules(llvm::raw_ostream &OS) const {
  for (const RuleSet *Set : getAll())
    for (const Rule &R : Set->getRules())
      OS << Set->getName() << ' ' << R.getName() << ' '
         << (R.isDeclarative() ? "declarative" : "hook") << '\n';
}
