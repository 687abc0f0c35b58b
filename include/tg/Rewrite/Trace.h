//===- Trace.h - statistics and tracing of rewrites -------------*- C++ -*-===//
//
// What graphRewrite can report besides its result: per rule set, how many
// times it ran, the UOps it visited, how often each rule was tried and fired
// and (only when asked for) the time spent; and a tracer called for every
// rule application with the UOp before and after. tg-opt exposes these as
// --rewrite-stats and --debug-rewrite. Both cost nothing when not given.
//
// printExpression writes a UOp as a compact one-line expression for traces
// and messages: `add(mul(%x, 4), 2)`.
//
//===----------------------------------------------------------------------===//

#ifndef TG_REWRITE_TRACE_H
#define TG_REWRITE_TRACE_H

#include "tg/Rewrite/RuleSet.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tg {

struct RuleCounts {
  uint64_t Tried = 0; ///< The pattern was matched against a UOp.
  uint64_t Fired = 0; ///< The action returned a replacement.
};

/// Everything counted for one rule set.
struct RuleSetStatistics {
  const RuleSet *Set = nullptr;
  std::vector<RuleCounts> Rules; ///< Indexed like Set->getRules().
  uint64_t Runs = 0;             ///< graphRewrite and rewriteOnce calls.
  uint64_t NodesVisited = 0;     ///< UOps processed (not inert leaves).
  uint64_t Rewrites = 0;         ///< Rule applications, all rules together.
  double Seconds = 0;            ///< Only with timing enabled.
};

class RewriteStatistics {
public:
  explicit RewriteStatistics(bool Timing = false) : Timing(Timing) {}

  bool isTiming() const { return Timing; }
  /// The record of `S`, made on first use (records keep that order).
  RuleSetStatistics &getOrCreate(const RuleSet &S);
  const RuleSetStatistics *lookup(const RuleSet &S) const;
  /// How often the rules of `S` named `RuleName` fired.
  uint64_t getFired(const RuleSet &S, llvm::StringRef RuleName) const;

  /// One block per rule set in order of first use, one line per rule that
  /// was tried, in rule order; times only with timing enabled, so the output
  /// is otherwise deterministic.
  void print(llvm::raw_ostream &OS) const;

private:
  bool Timing;
  std::vector<std::unique_ptr<RuleSetStatistics>> Records;
};

/// One rule application.
struct RewriteEvent {
  const RuleSet &Set;
  const Rule &TheRule;
  const UOp *Before;
  const UOp *After;
};

using RewriteTracer = std::function<void(const RewriteEvent &)>;

/// `[set] rule: before -> after`, each side printed by printExpression.
void printRewriteEvent(llvm::raw_ostream &OS, const RewriteEvent &E,
                       unsigned MaxDepth = 4);
/// A tracer that prints every event to `OS` (which must outlive it).
RewriteTracer makeStreamTracer(llvm::raw_ostream &OS, unsigned MaxDepth = 4);

/// `U` as one line: ops as `mnemonic(src, ...)`, constants by value,
/// `define_var`s as `%name`, other arguments after the sources in braces
/// (`range(16){0, reduce}`). Sources deeper than `MaxDepth` print as `...`,
/// so the output stays short even for a deep or shared DAG.
void printExpression(llvm::raw_ostream &OS, const UOp *U,
                     unsigned MaxDepth = 6);
std::string expressionToString(const UOp *U, unsigned MaxDepth = 6);

} // namespace tg

#endif // TG_REWRITE_TRACE_H
