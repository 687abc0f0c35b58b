//===- Verify.cpp - the `verify` pass -------------------------------------===//
//
// The spec verifier as a pipeline step, so a pipeline can check the IR at a
// chosen point even under --verify-each=none.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Verifier.h"
#include "tg/Pass/Passes.h"

using namespace tg;

namespace {

struct VerifyPass : Pass {
  llvm::StringRef getArgument() const override { return "verify"; }
  llvm::StringRef getDescription() const override {
    return "Check the IR against the spec; fail on any violation";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt("does not change the IR");
  }
  LogicalResult run(Module &M, PassContext &C) override {
    return verifyModule(M, C.getDiag());
  }
};

} // namespace

std::unique_ptr<Pass> tg::createVerifyPass() {
  return std::make_unique<VerifyPass>();
}
