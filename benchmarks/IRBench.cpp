//===- IRBench.cpp - speed and memory of the IR core ----------------------===//
//
// BM_BuildDAG: interning N fresh UOps through a new Context (target for
// N = 2^20: at most 200 ms and 100 MB).
// BM_ParseVerifyPrint: parse, verify and print a kernel of N UOps (target:
// at least 1M UOps/s).
// Every iteration starts from a fresh Context: nothing is warm.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Context.h"
#include "tg/IR/Parser.h"
#include "tg/IR/Printer.h"
#include "tg/IR/Verifier.h"

#include "benchmark/benchmark.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace tg;

namespace {

/// Builds about `N` distinct UOps: an index expression DAG where each node
/// combines the two previous ones, as a long symbolic computation would.
const UOp *buildDAG(Context &Ctx, int64_t N) {
  DType Index = Ctx.getScalar(ScalarKind::Index);
  static const Op Ops[] = {Op::Add, Op::Mul, Op::FloorDiv, Op::FloorMod,
                           Op::Max};
  const UOp *Prev = Ctx.getConst(Index, 1);
  const UOp *Last = Ctx.getConst(Index, 2);
  for (int64_t I = 2; I < N; I += 2) {
    const UOp *C = Ctx.getConst(Index, I);
    const UOp *Next = Ctx.get(Ops[I % 5], Index, {Last, I % 3 ? C : Prev});
    Prev = Last;
    Last = Next;
  }
  return Last;
}

void BM_BuildDAG(benchmark::State &State) {
  size_t Bytes = 0, UOps = 0;
  for (auto _ : State) {
    auto Ctx = std::make_unique<Context>();
    benchmark::DoNotOptimize(buildDAG(*Ctx, State.range(0)));
    Bytes = Ctx->getMemoryUsage();
    UOps = Ctx->getNumUOps();
    State.PauseTiming(); // the Context's destruction is not building
    Ctx.reset();
    State.ResumeTiming();
  }
  State.SetItemsProcessed(int64_t(State.iterations()) * int64_t(UOps));
  State.counters["uops"] = double(UOps);
  State.counters["MB"] = double(Bytes) / (1 << 20);
  State.counters["bytes/uop"] = double(Bytes) / double(UOps);
}

/// A kernel of about `N` UOps: an elementwise body unrolled over many loads.
std::string makeKernelText(int64_t N) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << "kernel @big(%out: ptr<f32, global, 1048576>, %in: ptr<f32, global, "
        "1048576>) {\n";
  OS << "  %n = const 1024 : index\n";
  OS << "  %i = range(%n) {axis = 0, kind = global} : index\n";
  OS << "  %acc0 = const 0.0 : f32\n";
  int64_t Lines = 4;
  int64_t K = 0;
  for (; Lines + 6 < N; Lines += 6, ++K) {
    OS << "  %c" << K << " = const " << K + 1 << " : index\n";
    OS << "  %o" << K << " = add(%i, %c" << K << ") : index\n";
    OS << "  %p" << K << " = index(%in, %o" << K
       << ") : ptr<f32, global, 1048576>\n";
    OS << "  %x" << K << " = load(%p" << K << ") : f32\n";
    OS << "  %m" << K << " = mul(%x" << K << ", %x" << K << ") : f32\n";
    OS << "  %acc" << K + 1 << " = add(%acc" << K << ", %m" << K << ") : f32\n";
  }
  OS << "  %q = index(%out, %i) : ptr<f32, global, 1048576>\n";
  OS << "  %s = store(%q, %acc" << K << ") : void\n";
  OS << "  %e = end(%s, %i) : void\n";
  OS << "  sink(%e) : void\n}\n";
  return S;
}

void BM_ParseVerifyPrint(benchmark::State &State) {
  std::string Text = makeKernelText(State.range(0));
  size_t UOps = 0;
  for (auto _ : State) {
    llvm::SourceMgr SM;
    unsigned ID = SM.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBuffer(Text, "bench.tg"), llvm::SMLoc());
    DiagnosticEngine Diag(SM);
    Context Ctx;
    std::unique_ptr<Module> M = parseModule(ID, Ctx, Diag);
    if (!M || failed(verifyModule(*M, Diag))) {
      State.SkipWithError("the benchmark kernel does not parse and verify");
      return;
    }
    std::string Out;
    Out.reserve(Text.size());
    llvm::raw_string_ostream OS(Out);
    printModule(*M, OS);
    benchmark::DoNotOptimize(Out.data());
    UOps = Ctx.getNumUOps();
  }
  State.SetItemsProcessed(int64_t(State.iterations()) * int64_t(UOps));
  State.SetBytesProcessed(int64_t(State.iterations()) * int64_t(Text.size()));
  State.counters["uops"] = double(UOps);
}

} // namespace

BENCHMARK(BM_BuildDAG)->Arg(1024)->Arg(1 << 20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseVerifyPrint)
    ->Arg(1024)
    ->Arg(1 << 16)
    ->Arg(1 << 20)
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
