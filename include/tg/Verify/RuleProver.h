//===- RuleProver.h - proving rewrite rules with Z3 -------------*- C++ -*-===//
//
// tg-opt --verify-rules. A declarative rule (Declarative.h) is proved, for
// every dtype its RuleTypes admits, when
//
//   bounds & guard & !UB(lhs) & (UB(rhs) | rhs != lhs)
//
// is unsat, with its bindings and constants free and its guard's vmin, vmax
// and factor as free integers tied to the bound values. A rule with a C++
// hook is checked by instances: random UOp DAGs that its pattern matches are
// rewritten by the hook, and each (input, output) pair is proved equal the
// same way. docs/Verification.md says exactly what each result means.
//
// Solving is budgeted by Z3's resource limit (rlimit), never by time, so the
// results are the same on every machine.
//
//===----------------------------------------------------------------------===//

#ifndef TG_VERIFY_RULEPROVER_H
#define TG_VERIFY_RULEPROVER_H

#include "tg/Rewrite/RuleSet.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>

namespace tg {

struct RuleProverOptions {
  /// Z3's rlimit for one query (one rule on one dtype, or one instance).
  unsigned ResourceLimit = 2000000;
  /// Random DAGs built for each hook rule.
  unsigned InstancesPerHook = 200;
  uint64_t Seed = 1;
  /// When set, the time each rule took, one line per rule in rule order
  /// (`time symbolic/add-zero: 12 ms`), goes there after the results.
  llvm::raw_ostream *Times = nullptr;
};

struct RuleProofSummary {
  unsigned Proved = 0;
  unsigned Failed = 0;
  unsigned CheckedByInstances = 0;
};

/// Proves or checks every distinct rule of `Sets` (a rule included in
/// several sets once), printing one line per rule and, for each failure,
/// the dtype, a counterexample and the SMT-LIB2 query to `OS`; ends with
/// `verify-rules: N proved, N failed, N checked by instances`.
RuleProofSummary verifyRules(llvm::ArrayRef<const RuleSet *> Sets,
                             llvm::raw_ostream &OS,
                             const RuleProverOptions &Options = {});

} // namespace tg

#endif // TG_VERIFY_RULEPROVER_H
