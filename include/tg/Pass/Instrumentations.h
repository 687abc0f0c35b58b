//===- Instrumentations.h - print-ir, verify-each, timing -------*- C++ -*-===//
//
// The instrumentations behind tg-opt's debugging flags:
//   - PrintIRInstrumentation: --print-ir-after-all, --print-ir-after=<pass>;
//   - VerifyEachInstrumentation: --verify-each=spec, the IR verifier after
//     every pass;
//   - PassTiming: --time-passes, wall time per pass and per driver stage,
//     reported as a table in pipeline order.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PASS_INSTRUMENTATIONS_H
#define TG_PASS_INSTRUMENTATIONS_H

#include "tg/Pass/PassManager.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace tg {

/// After each pass `ShouldPrint` accepts, prints
/// `// -----// IR Dump After <pass> //----- //` and the module to `OS`.
class PrintIRInstrumentation : public PassInstrumentation {
public:
  PrintIRInstrumentation(std::function<bool(const Pass &)> ShouldPrint,
                         llvm::raw_ostream &OS)
      : ShouldPrint(std::move(ShouldPrint)), OS(OS) {}

  LogicalResult runAfterPass(Pass &P, Module &M, PassContext &C) override;

private:
  std::function<bool(const Pass &)> ShouldPrint;
  llvm::raw_ostream &OS;
};

/// Runs the IR verifier after each pass and fails the pipeline, naming the
/// pass, if the pass left invalid IR behind.
class VerifyEachInstrumentation : public PassInstrumentation {
public:
  LogicalResult runAfterPass(Pass &P, Module &M, PassContext &C) override;
};

/// Wall time per pass (rows named by pass argument; repeated passes add up
/// in one row) and per stage the driver times with time(), in order of first
/// use, so the table's shape is deterministic.
class PassTiming : public PassInstrumentation {
public:
  using Clock = std::chrono::steady_clock;

  /// Times a stage outside the pipeline (parsing, printing) until destroyed;
  /// with a null `Timing` it times nothing.
  class Scope {
  public:
    Scope(PassTiming *Timing, llvm::StringRef Name);
    ~Scope();
    Scope(const Scope &) = delete;
    Scope &operator=(const Scope &) = delete;

  private:
    PassTiming *Timing;
    std::string Name;
    Clock::time_point Start;
  };

  PassTiming() : Start(Clock::now()) {}

  void runBeforePass(Pass &P, Module &M, PassContext &C) override;
  LogicalResult runAfterPass(Pass &P, Module &M, PassContext &C) override;
  void runAfterPassFailed(Pass &P, Module &M, PassContext &C) override;

  /// Adds `Seconds` to the row `Name`.
  void record(llvm::StringRef Name, double Seconds);
  /// Prints the report: every row, `Rest` (time in no row) and `Total`.
  void print(llvm::raw_ostream &OS) const;

private:
  void stopPass(const Pass &P);

  Clock::time_point Start;
  Clock::time_point PassStart;
  std::vector<std::pair<std::string, double>> Rows;
  llvm::StringMap<unsigned> RowIndex;
};

} // namespace tg

#endif // TG_PASS_INSTRUMENTATIONS_H
