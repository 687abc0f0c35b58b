//===- Rules.cpp - the rule sets of td/patterns/Symbolic.td ---------------===//
//
// The generated tables and their registrar; the hooks they name are in
// Hooks*.cpp.
//
//===----------------------------------------------------------------------===//

#include "tg/Rewrite/Declarative.h"
#include "tg/Rewrite/RuleSetRegistry.h"
#include "tg/Symbolic/Hooks.h"
#include "tg/Symbolic/Passes.h"

#include "tg/Symbolic/Symbolic.inc"

void tg::registerSymbolicRuleSets() {
  static const bool Registered = [] {
    registerSymbolicRules(RuleSetRegistry::get());
    return true;
  }();
  (void)Registered;
}
