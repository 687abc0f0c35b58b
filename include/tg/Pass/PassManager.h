//===- PassManager.h - running a pipeline of passes -------------*- C++ -*-===//
//
// A PassManager runs its passes in order over a Module and stops at the first
// failure. PassInstrumentations observe each run: before it, after it (an
// instrumentation may fail the pipeline there, as --verify-each does), and
// after a failed run. Before-hooks run in the order the instrumentations
// were added, after-hooks in reverse, so the first added encloses the rest.
//
// parsePassPipeline() reads the textual form
//   `dce, print-stats{json=true}`
// (comma-separated registered pass names, each with optional space-separated
// `key=value` options in braces; a value with spaces is written in quotes).
//
//===----------------------------------------------------------------------===//

#ifndef TG_PASS_PASSMANAGER_H
#define TG_PASS_PASSMANAGER_H

#include "tg/Pass/Pass.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <vector>

namespace tg {

class PassInstrumentation {
public:
  virtual ~PassInstrumentation() = default;

  virtual void runBeforePass(Pass &, Module &, PassContext &) {}
  /// Runs after a pass succeeded; failing here fails the pipeline.
  virtual LogicalResult runAfterPass(Pass &, Module &, PassContext &) {
    return success();
  }
  virtual void runAfterPassFailed(Pass &, Module &, PassContext &) {}
};

class PassManager {
public:
  void addPass(std::unique_ptr<Pass> P) { Passes.push_back(std::move(P)); }
  void addInstrumentation(std::unique_ptr<PassInstrumentation> PI) {
    Instrumentations.push_back(std::move(PI));
  }
  llvm::ArrayRef<std::unique_ptr<Pass>> getPasses() const { return Passes; }

  /// Runs every pass in order; stops at the first that fails (a failing pass
  /// that reported nothing gets a generic error).
  LogicalResult run(Module &M, DiagnosticEngine &Diag);

  /// The statistics of every pass that has some, in pipeline order.
  void printStatistics(llvm::raw_ostream &OS) const;

private:
  std::vector<std::unique_ptr<Pass>> Passes;
  std::vector<std::unique_ptr<PassInstrumentation>> Instrumentations;
};

/// Appends the passes of `Pipeline` to `PM`. On a syntax error, an unknown
/// pass or option, or a bad option value, prints the error with a caret
/// under the pipeline text to `Errs` and fails.
LogicalResult parsePassPipeline(llvm::StringRef Pipeline, PassManager &PM,
                                llvm::raw_ostream &Errs);

} // namespace tg

#endif // TG_PASS_PASSMANAGER_H
