//===- SymbolicBench.cpp - speed of the symbolic rule set -----------------===//
//
// The sums of issue 3, rewritten by the `symbolic` rule set as the passes
// run it (bottom-up, a fresh RewriteAnalyses). Each term is
// `(v*8 + w)//8 + (v*8 + w)%8` with v in [0, 1000] and w in [0, 7] (a new
// pair of variables per term, so 1000 terms are about 8k UOps, as in the
// issue), which simplifies to v + w; the whole sum must
// come out without a floordiv or floormod. Cold: every iteration builds the
// input in a fresh Context (not timed) and rewrites it (timed); items/s
// counts the UOps of the input.
//
//   tg-bench-symbolic --benchmark_filter=Symbolic
//
//===----------------------------------------------------------------------===//

#include "tg/Rewrite/Declarative.h"
#include "tg/Rewrite/GraphRewrite.h"
#include "tg/Rewrite/RuleSetRegistry.h"
#include "tg/Symbolic/Passes.h"

#include "benchmark/benchmark.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <memory>
#include <string>
#include <vector>

using namespace tg;

namespace {

const UOp *variable(Context &Ctx, const std::string &Name, int64_t Max) {
  return Ctx.get(Op::DefineVar, Ctx.getScalar(ScalarKind::Index), {},
                 Ctx.getListArg({Ctx.getStringArg(Name), Ctx.getIntArg(0),
                                 Ctx.getIntArg(Max)}));
}

/// `(v*8 + w)//8 + (v*8 + w)%8` over the I-th pair of variables.
const UOp *makeTerm(Context &Ctx, int64_t I) {
  DType T = Ctx.getScalar(ScalarKind::Index);
  const UOp *V = variable(Ctx, "v" + std::to_string(I), 1000);
  const UOp *W = variable(Ctx, "w" + std::to_string(I), 7);
  const UOp *Eight = Ctx.getConst(T, 8);
  const UOp *X = Ctx.get(Op::Add, T, {Ctx.get(Op::Mul, T, {V, Eight}), W});
  return Ctx.get(Op::Add, T,
                 {Ctx.get(Op::FloorDiv, T, {X, Eight}),
                  Ctx.get(Op::FloorMod, T, {X, Eight})});
}

const UOp *makeBalanced(Context &Ctx, int64_t Begin, int64_t End) {
  if (End - Begin == 1)
    return makeTerm(Ctx, Begin);
  int64_t Mid = Begin + (End - Begin) / 2;
  return Ctx.get(Op::Add, Ctx.getScalar(ScalarKind::Index),
                 {makeBalanced(Ctx, Begin, Mid), makeBalanced(Ctx, Mid, End)});
}

const UOp *makeLeftDeep(Context &Ctx, int64_t N) {
  const UOp *Sum = makeTerm(Ctx, 0);
  for (int64_t I = 1; I < N; ++I)
    Sum = Ctx.get(Op::Add, Ctx.getScalar(ScalarKind::Index),
                  {Sum, makeTerm(Ctx, I)});
  return Sum;
}

/// The UOps under `Root` and whether one is a floordiv or floormod.
std::pair<size_t, bool> inspect(const UOp *Root) {
  llvm::DenseSet<const UOp *> Seen{Root};
  llvm::SmallVector<const UOp *, 64> Work{Root};
  bool HasDivMod = false;
  while (!Work.empty()) {
    const UOp *U = Work.pop_back_val();
    HasDivMod |= U->getOp() == Op::FloorDiv || U->getOp() == Op::FloorMod;
    for (const UOp *Src : U->getSrcs())
      if (Seen.insert(Src).second)
        Work.push_back(Src);
  }
  return {Seen.size(), HasDivMod};
}

void runSymbolic(benchmark::State &State,
                 const UOp *(*Make)(Context &, int64_t)) {
  registerSymbolicRuleSets();
  const RuleSet *Rules = RuleSetRegistry::get().lookup("symbolic");
  if (!Rules) {
    State.SkipWithError("no rule set 'symbolic'");
    return;
  }
  int64_t Nodes = 0;
  for (auto _ : State) {
    State.PauseTiming();
    auto Ctx = std::make_unique<Context>();
    const UOp *Input = Make(*Ctx, State.range(0));
    Nodes += int64_t(inspect(Input).first);
    auto Analyses = std::make_unique<RewriteAnalyses>();
    RewriteOptions Options;
    Options.State = Analyses.get();
    State.ResumeTiming();
    llvm::Expected<const UOp *> Result =
        graphRewrite(*Ctx, Input, *Rules, Options);
    State.PauseTiming();
    if (!Result) {
      State.SkipWithError(llvm::toString(Result.takeError()).c_str());
      break;
    }
    if (inspect(*Result).second) {
      State.SkipWithError("the result still divides");
      break;
    }
    Analyses.reset();
    Ctx.reset();
    State.ResumeTiming();
  }
  State.SetItemsProcessed(Nodes);
}

void BM_SymbolicBalancedSum(benchmark::State &State) {
  runSymbolic(State,
              [](Context &Ctx, int64_t N) { return makeBalanced(Ctx, 0, N); });
}
BENCHMARK(BM_SymbolicBalancedSum)
    ->Arg(10)
    ->Arg(1000)
    ->Unit(benchmark::kMicrosecond);

void BM_SymbolicLeftDeepSum(benchmark::State &State) {
  runSymbolic(State, makeLeftDeep);
}
BENCHMARK(BM_SymbolicLeftDeepSum)
    ->Arg(10)
    ->Arg(250)
    ->Arg(1000)
    ->Arg(4000)
    ->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
