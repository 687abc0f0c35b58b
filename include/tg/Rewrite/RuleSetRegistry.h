//===- RuleSetRegistry.h - the named rule sets of a process -----*- C++ -*-===//
//
// Every rule set that tg-opt can list, run or prove is registered here by
// name: the sets tg-tblgen compiles from td/patterns/*.td register
// themselves through the generated registrar function, and a plugin may add
// its own. Each rule remembers whether it is declarative (its pattern,
// result and guard are data, provable by Z3) or a C++ hook (checked by
// instances only), for --list-rules and --verify-rules.
//
//===----------------------------------------------------------------------===//

#ifndef TG_REWRITE_RULESETREGISTRY_H
#define TG_REWRITE_RULESETREGISTRY_H

#include "tg/Rewrite/RuleSet.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace tg {

class RuleSetRegistry {
public:
  /// The process-wide registry.
  static RuleSetRegistry &get();

  /// Registers `Set` under its name; a second set with one name is a fatal
  /// error of the program (not of its input).
  const RuleSet &add(std::unique_ptr<RuleSet> Set, llvm::StringRef Summary);
  /// The set named `Name`, or nullptr.
  const RuleSet *lookup(llvm::StringRef Name) const;
  /// Every set, sorted by name.
  std::vector<const RuleSet *> getAll() const;
  llvm::StringRef getSummary(const RuleSet &Set) const;

  /// One line per rule of every set: `<set> <rule> declarative|hook`,
  /// sorted by set name, then in rule order (tg-opt --list-rules).
  void printRules(llvm::raw_ostream &OS) const;

private:
  struct Entry;
  std::vector<std::unique_ptr<Entry>> Entries;
};

} // namespace tg

#endif // TG_REWRITE_RULESETREGISTRY_H
