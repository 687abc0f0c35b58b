//===- TestPasses.h - passes for the Pass library's unit tests --*- C++ -*-===//
//
// Small passes registered once for every test in this folder: one with an
// option of each kind, and passes that record, fail or break the IR.
//
//===----------------------------------------------------------------------===//

#ifndef TG_UNITTESTS_PASS_TESTPASSES_H
#define TG_UNITTESTS_PASS_TESTPASSES_H

#include "tg/Pass/Pass.h"

#include <string>
#include <vector>

namespace tg::test {

enum class ModeKind { Fast, Exact };

struct OptionsPass : Pass {
  Option<bool> Flag{*this, "flag", "a bool", false};
  Option<int> Count{*this, "count", "an int", 1};
  Option<unsigned> Size{*this, "size", "an unsigned", 8};
  Option<std::string> Label{*this, "label", "a string", "none"};
  Option<ModeKind> Mode{*this,
                        "mode",
                        "an enum",
                        ModeKind::Fast,
                        {{ModeKind::Fast, "fast"}, {ModeKind::Exact, "exact"}}};

  llvm::StringRef getArgument() const override { return "test-options"; }
  llvm::StringRef getDescription() const override { return "has options"; }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt("a test");
  }
  LogicalResult run(Module &, PassContext &) override { return success(); }
};

/// Appends its argument to a log the test reads.
struct RecordPass : Pass {
  static std::vector<std::string> &getLog() {
    static std::vector<std::string> Log;
    return Log;
  }
  llvm::StringRef getArgument() const override { return "test-record"; }
  llvm::StringRef getDescription() const override { return "records a run"; }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::z3();
  }
  LogicalResult run(Module &, PassContext &) override {
    getLog().push_back("run");
    return success();
  }
};

/// Fails without reporting anything.
struct FailPass : Pass {
  llvm::StringRef getArgument() const override { return "test-fail"; }
  llvm::StringRef getDescription() const override { return "fails"; }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt("a test");
  }
  LogicalResult run(Module &, PassContext &) override { return failure(); }
};

/// Replaces each function's root by an `add` with one operand, which the
/// verifier rejects.
struct BreakIRPass : FunctionPass {
  llvm::StringRef getArgument() const override { return "test-break-ir"; }
  llvm::StringRef getDescription() const override { return "breaks the IR"; }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt("a test");
  }
  LogicalResult runOnFunction(Function &F, PassContext &) override;
};

/// Registers the passes above and the core passes (once per process).
void registerTestPasses();

} // namespace tg::test

#endif // TG_UNITTESTS_PASS_TESTPASSES_H
