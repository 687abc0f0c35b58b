//===- KernelLowering.h - parse and lower kernels in unit tests -*- C++ -*-===//
//
// What the interpreter, codegen and CPU backend tests share: a Context, a
// DiagnosticEngine whose messages collect in `Errors`, and lower(), which
// parses a module from text, runs a pass pipeline over it and returns its
// first function (tryLower: the same without assertions, returning whether it
// worked). Tests derive from KernelLoweringTest (or, for a
// parameterized suite, from KernelLowering and a ::testing::Test base).
//
//===----------------------------------------------------------------------===//

#ifndef TG_UNITTESTS_COMMON_KERNELLOWERING_H
#define TG_UNITTESTS_COMMON_KERNELLOWERING_H

#include "tg/Codegen/Passes.h"
#include "tg/IR/Parser.h"
#include "tg/Pass/PassManager.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <memory>
#include <string>

namespace tg {
namespace unittest {

class KernelLowering {
public:
  KernelLowering() {
    Diag.setHandler(
        [this](const Diagnostic &D) { Errors += D.Message + "\n"; });
  }

  /// Parses `Text`, lowers it with `Pipeline` and keeps its first function.
  Function &lower(llvm::StringRef Text,
                  llvm::StringRef Pipeline = "remove-reduce,linearize") {
    registerCodegenPasses();
    unsigned Id = SM.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(Text, "test.tg"), llvm::SMLoc());
    M = parseModule(Id, Ctx, Diag);
    EXPECT_TRUE(M) << Errors;
    PassManager PM;
    EXPECT_TRUE(succeeded(parsePassPipeline(Pipeline, PM, llvm::errs())));
    EXPECT_TRUE(succeeded(PM.run(*M, Diag))) << Errors;
    return *M->Functions.front();
  }

  /// Parses `Text` (the module's source `Name`), lets `Edit` change the
  /// module (opts on a kernel), and lowers it with `Pipeline`; false, with
  /// the messages in `Errors`, when a step fails. Asserts nothing, for tests
  /// that lower one text twice and compare. The caller registers the passes.
  bool tryLower(llvm::StringRef Text, llvm::StringRef Pipeline,
                llvm::function_ref<void(Module &)> Edit = nullptr) {
    unsigned Id = SM.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(Text, "test.tg"), llvm::SMLoc());
    M = parseModule(Id, Ctx, Diag);
    if (!M)
      return false;
    if (Edit)
      Edit(*M);
    PassManager PM;
    llvm::raw_string_ostream OS(Errors);
    if (failed(parsePassPipeline(Pipeline, PM, OS)))
      return false;
    return succeeded(PM.run(*M, Diag));
  }

  /// The module's function `Name`, or null.
  Function *getFunction(llvm::StringRef Name) {
    for (auto &F : M->Functions)
      if (F->getName() == Name)
        return F.get();
    return nullptr;
  }

  DType type(llvm::StringRef Text) { return *parseType(Text, Ctx); }

  Context Ctx;
  llvm::SourceMgr SM;
  DiagnosticEngine Diag{SM};
  std::unique_ptr<Module> M;
  std::string Errors;
};

class KernelLoweringTest : public ::testing::Test, public KernelLowering {};

} // namespace unittest
} // namespace tg

#endif // TG_UNITTESTS_COMMON_KERNELLOWERING_H
