//===- CodegenBench.cpp - compile speed: kernel to source -----------------===//
//
// Issue 5's compile-speed figures: the time from a kernel's IR to its
// rendered source, through the whole CPU pipeline (heuristic, opt, expand,
// symbolic, coalesce, lower-index, decompose, remove-reduce, linearize) and
// a renderer (C, or
// LLVM IR built and printed). LLVM's own compile of that source is not
// included. Cold: each iteration parses the example into a fresh Context
// (not timed), then lowers and renders it (timed by hand, as SymbolicBench
// does).
//
//   tg-bench-codegen --benchmark_repetitions=3
//
//===----------------------------------------------------------------------===//

#include "CRenderer.h"
#include "LLVMRenderer.h"

#include "tg/Codegen/Passes.h"
#include "tg/IR/Parser.h"
#include "tg/Pass/PassManager.h"
#include "tg/Symbolic/Passes.h"

#include "benchmark/benchmark.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <string>

using namespace tg;

namespace {

enum class Language { C, LLVM };

void BM_KernelToSource(benchmark::State &State, const char *Example,
                       Language Lang) {
  registerCodegenPasses();
  registerSymbolicPasses();
  std::string Path = std::string(TG_SOURCE_DIR) + "/examples/" + Example;
  auto File = llvm::MemoryBuffer::getFile(Path);
  if (!File) {
    State.SkipWithError(("cannot read " + Path).c_str());
    return;
  }
  // tg-run's default pipeline for the CPU.
  const char *Pipeline = "heuristic,opt,expand,symbolic,coalesce,lower-index,"
                         "decompose,remove-reduce,linearize";
  size_t Bytes = 0;
  for (auto _ : State) {
    Context Ctx;
    llvm::SourceMgr SM;
    DiagnosticEngine Diag(SM);
    unsigned Id = SM.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBuffer((*File)->getBuffer(), Path),
        llvm::SMLoc());
    std::unique_ptr<Module> M = parseModule(Id, Ctx, Diag);
    PassManager PM;
    if (!M || failed(parsePassPipeline(Pipeline, PM, llvm::errs()))) {
      State.SkipWithError("cannot parse the example or the pipeline");
      return;
    }
    auto Start = std::chrono::steady_clock::now();
    if (failed(PM.run(*M, Diag))) {
      State.SkipWithError("the pipeline failed");
      return;
    }
    for (const auto &F : M->Functions) {
      if (!F->isKernel())
        continue;
      if (Lang == Language::C) {
        llvm::Expected<std::string> Source = cpu::renderC(*F);
        if (!Source) {
          State.SkipWithError(llvm::toString(Source.takeError()).c_str());
          return;
        }
        Bytes = Source->size();
      } else {
        llvm::LLVMContext LLVMCtx;
        auto LM = cpu::renderLLVM(*F, LLVMCtx);
        if (!LM) {
          State.SkipWithError(llvm::toString(LM.takeError()).c_str());
          return;
        }
        std::string Text;
        llvm::raw_string_ostream OS(Text);
        (*LM)->print(OS, nullptr);
        Bytes = Text.size();
      }
    }
    State.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
            .count());
  }
  State.counters["source_bytes"] = double(Bytes);
}

} // namespace

BENCHMARK_CAPTURE(BM_KernelToSource, Elementwise_C, "add_one.tg", Language::C)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_KernelToSource, Elementwise_LLVM, "add_one.tg",
                  Language::LLVM)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_KernelToSource, Matmul64_C, "matmul.tg", Language::C)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_KernelToSource, Matmul64_LLVM, "matmul.tg", Language::LLVM)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_KernelToSource, Conv3x3_C, "conv3x3.tg", Language::C)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_KernelToSource, Conv3x3_LLVM, "conv3x3.tg", Language::LLVM)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
