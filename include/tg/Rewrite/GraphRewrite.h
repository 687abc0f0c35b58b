//===- GraphRewrite.h - running a rule set over a UOp DAG -------*- C++ -*-===//
//
// graphRewrite (tinygrad's graph_rewrite) rewrites a DAG to a fixed point of
// a rule set and returns the new root:
//
//  - bottom-up (the default): a UOp's sources are rewritten first; if any
//    changed, the UOp is rebuilt on the new sources through the Context;
//    then rules are applied to it until none fires. A replacement is itself
//    processed the same way, so new sources it brings in are rewritten too.
//  - top-down: rules are applied to a UOp before its sources (a rule that
//    fires on a parent may make rewriting its children unnecessary); after
//    the sources are done, a rebuilt UOp gets the rules again.
//
// Every distinct UOp is processed once per call (results are memoized), so
// the cost is linear in the size of the DAG for a fixed rule set. The walk
// uses an explicit stack: a chain of a million UOps needs no deep recursion.
//
// Rewriting never loops: a rule set that leads from a UOp back to itself
// (A -> B -> A, or x -> f(x)) is an error naming the rules of the cycle, and
// so is one UOp being rewritten into a new UOp more than MaxRewritesPerNode
// times in a row (rewrites into existing UOps cannot go on forever without
// a cycle, so they are not counted).
//
//===----------------------------------------------------------------------===//

#ifndef TG_REWRITE_GRAPHREWRITE_H
#define TG_REWRITE_GRAPHREWRITE_H

#include "tg/Rewrite/RuleSet.h"
#include "tg/Rewrite/Trace.h"

#include "llvm/Support/Error.h"

namespace tg {

enum class RewriteOrder : uint8_t { BottomUp, TopDown };

struct RewriteOptions {
  RewriteOrder Order = RewriteOrder::BottomUp;
  /// Handed to guards and actions (Match::getState).
  void *State = nullptr;
  /// Where to count rule applications; none when null.
  RewriteStatistics *Statistics = nullptr;
  /// Called for every rule application; none when empty.
  RewriteTracer Tracer;
  /// How many rewrites in a row into new UOps one UOp may go through
  /// before the rule set is taken not to terminate.
  unsigned MaxRewritesPerNode = 1000;
};

/// Rewrites the DAG under `Root` to a fixed point of `Rules`. Fails (with the
/// rules involved in the message) if the rules do not terminate.
llvm::Expected<const UOp *> graphRewrite(Context &Ctx, const UOp *Root,
                                         const RuleSet &Rules,
                                         const RewriteOptions &Options = {});

/// The replacement of `U` by the first rule of `Rules` that fires on it, or
/// nullptr; `U`'s sources are not looked at (tinygrad's PatternMatcher
/// rewrite). Order and MaxRewritesPerNode are not used.
const UOp *rewriteOnce(Context &Ctx, const UOp *U, const RuleSet &Rules,
                       const RewriteOptions &Options = {});

} // namespace tg

#endif // TG_REWRITE_GRAPHREWRITE_H
