//===- Passes.h - the symbolic simplifier as passes -------------*- C++ -*-===//
//
// `symbolic-simple`, `symbolic` and `symbolic-stage` each run the rule set
// of the same name (td/patterns/Symbolic.td) to a fixed point, bottom-up,
// over each function's root, with a fresh RewriteAnalyses as state. A rule
// set that does not terminate is an error at the function.
//
// tg-opt's --rewrite-stats and --debug-rewrite reach the passes through
// getSymbolicPassOptions(), set once before any pass runs.
//
//===----------------------------------------------------------------------===//

#ifndef TG_SYMBOLIC_PASSES_H
#define TG_SYMBOLIC_PASSES_H

#include "tg/Pass/Pass.h"
#include "tg/Rewrite/Trace.h"

#include <memory>

namespace tg {

struct SymbolicPassOptions {
  /// Where every symbolic pass run counts its rules; none when null.
  RewriteStatistics *Statistics = nullptr;
  /// Called for every rule application; none when empty.
  RewriteTracer Tracer;
};

/// The process-wide options of the symbolic passes.
SymbolicPassOptions &getSymbolicPassOptions();

/// Registers the rule sets of td/patterns/Symbolic.td in the
/// RuleSetRegistry (once per process).
void registerSymbolicRuleSets();

/// Registers the rule sets and the passes (once per process).
void registerSymbolicPasses();

} // namespace tg

#endif // TG_SYMBOLIC_PASSES_H
