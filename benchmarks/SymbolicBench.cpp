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

#include <chrono>
#include <memory>
#include <optional>
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

/// Rewrites `Input` with the `symbolic` set as the passes do (a fresh
/// RewriteAnalyses, which is timed); the seconds taken, or nothing after
/// reporting an error to `State`.
std::optional<double> timeRewrite(benchmark::State &State, Context &Ctx,
                                  const UOp *Input, const RuleSet &Rules,
                                  const UOp *&Result) {
  auto Start = std::chrono::steady_clock::now();
  RewriteAnalyses Analyses;
  RewriteOptions Options;
  Options.State = &Analyses;
  llvm::Expected<const UOp *> Rewritten =
      graphRewrite(Ctx, Input, Rules, Options);
  auto End = std::chrono::steady_clock::now();
  if (!Rewritten) {
    State.SkipWithError(llvm::toString(Rewritten.takeError()).c_str());
    return std::nullopt;
  }
  Result = *Rewritten;
  return std::chrono::duration<double>(End - Start).count();
}

/// Manual timing: Google Benchmark's PauseTiming/ResumeTiming cost about a
/// microsecond each (a clock syscall), more than the rewrite of a small
/// expression, so building the input is left out by timing the rewrite alone.
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
    auto Ctx = std::make_unique<Context>();
    const UOp *Input = Make(*Ctx, State.range(0));
    Nodes += int64_t(inspect(Input).first);
    const UOp *Result = nullptr;
    std::optional<double> Seconds =
        timeRewrite(State, *Ctx, Input, *Rules, Result);
    if (!Seconds)
      break;
    State.SetIterationTime(*Seconds);
    if (inspect(Result).second) {
      State.SkipWithError("the result still divides");
      break;
    }
  }
  State.SetItemsProcessed(Nodes);
}

void BM_SymbolicBalancedSum(benchmark::State &State) {
  runSymbolic(State,
              [](Context &Ctx, int64_t N) { return makeBalanced(Ctx, 0, N); });
}
BENCHMARK(BM_SymbolicBalancedSum)
    ->UseManualTime()
    ->Arg(10)
    ->Arg(1000)
    ->Unit(benchmark::kMicrosecond);

void BM_SymbolicLeftDeepSum(benchmark::State &State) {
  runSymbolic(State, makeLeftDeep);
}
BENCHMARK(BM_SymbolicLeftDeepSum)
    ->UseManualTime()
    ->Arg(10)
    ->Arg(250)
    ->Arg(1000)
    ->Arg(4000)
    ->Unit(benchmark::kMillisecond);

/// Builds index expressions over variables with one-letter names.
struct IndexBuilder {
  Context &Ctx;
  DType T = Ctx.getScalar(ScalarKind::Index);

  const UOp *var(const std::string &Name, int64_t Max) {
    return variable(Ctx, Name, Max);
  }
  const UOp *c(int64_t V) { return Ctx.getConst(T, V); }
  const UOp *op(Op O, const UOp *A, const UOp *B) {
    bool IsBool = O == Op::CmpLT || A->getDType().isBool();
    DType Type = IsBool ? Ctx.getScalar(ScalarKind::Bool) : T;
    return Ctx.get(O, Type, {A, B});
  }
  const UOp *op(Op O, const UOp *A, int64_t B) { return op(O, A, c(B)); }
};

/// The representative index expressions of issue 3 and three of tinygrad's
/// symbolic tests, by number.
const UOp *makeIndexExpression(Context &Ctx, int64_t Which) {
  IndexBuilder B{Ctx};
  auto Add = [&](auto X, auto Y) { return B.op(Op::Add, X, Y); };
  auto Mul = [&](const UOp *X, int64_t K) { return B.op(Op::Mul, X, K); };
  auto Div = [&](const UOp *X, int64_t K) { return B.op(Op::FloorDiv, X, K); };
  auto Mod = [&](const UOp *X, int64_t K) { return B.op(Op::FloorMod, X, K); };
  switch (Which) {
  case 0: { // ((g*64 + l)//256)%4*256 + (g*64 + l)//64%4*64 + (g*64 + l)%64
    const UOp *I = Add(Mul(B.var("g", 1023), 64), B.var("l", 63));
    return Add(Add(Mul(Mod(Div(I, 256), 4), 256), Mul(Mod(Div(I, 64), 4), 64)),
               Mod(I, 64));
  }
  case 1: { // ((x//4)%8)*4 + x%4
    const UOp *X = B.var("x", 100000);
    return Add(Mul(Mod(Div(X, 4), 8), 4), Mod(X, 4));
  }
  case 2: // idx*4 + f < 512
    return B.op(Op::CmpLT, Add(Mul(B.var("idx", 511), 4), B.var("f", 3)),
                B.c(512));
  case 3: { // where(i+k-1 >= 0 and i+k-1 < 32, (i+k-1)*32 + j, 0)
    const UOp *Y = Add(Add(B.var("i", 31), B.var("k", 2)), B.c(-1));
    const UOp *NotNegative =
        B.op(Op::Xor, B.op(Op::CmpLT, Y, B.c(0)),
             Ctx.getConst(Ctx.getScalar(ScalarKind::Bool), int64_t(1)));
    const UOp *Valid = B.op(Op::And, NotNegative, B.op(Op::CmpLT, Y, B.c(32)));
    return Ctx.get(Op::Where, B.T,
                   {Valid, Add(Mul(Y, 32), B.var("j", 31)), B.c(0)});
  }
  case 4: { // tinygrad: (g2*640 + g1*160 + (g0//5)*2 + l0*320 + l1*10 + l2*2 +
            // 1)//20
    const UOp *S = Add(Mul(B.var("g2", 255), 640), Mul(B.var("g1", 1), 160));
    S = Add(S, Mul(Div(B.var("g0", 24), 5), 2));
    S = Add(Add(S, Mul(B.var("l0", 1), 320)), Mul(B.var("l1", 15), 10));
    return Div(Add(Add(S, Mul(B.var("l2", 3), 2)), B.c(1)), 20);
  }
  case 5: // tinygrad: (-g*8 - l + 999) trunc/ -4 + 250
    return Add(B.op(Op::TruncDiv,
                    Add(Add(Mul(B.var("g", 124), -8), Mul(B.var("l", 7), -1)),
                        B.c(999)),
                    -4),
               B.c(250));
  default: // tinygrad: (7 + 9*x + 9*y + z) % 10
    return Mod(Add(Add(Add(Mul(B.var("x", 2), 9), Mul(B.var("y", 2), 9)),
                       B.var("z", 2)),
                   B.c(7)),
               10);
  }
}

void BM_SymbolicIndexExpression(benchmark::State &State) {
  registerSymbolicRuleSets();
  const RuleSet *Rules = RuleSetRegistry::get().lookup("symbolic");
  if (!Rules) {
    State.SkipWithError("no rule set 'symbolic'");
    return;
  }
  for (auto _ : State) {
    auto Ctx = std::make_unique<Context>();
    const UOp *Input = makeIndexExpression(*Ctx, State.range(0));
    const UOp *Result = nullptr;
    std::optional<double> Seconds =
        timeRewrite(State, *Ctx, Input, *Rules, Result);
    if (!Seconds)
      break;
    State.SetIterationTime(*Seconds);
  }
}
BENCHMARK(BM_SymbolicIndexExpression)
    ->DenseRange(0, 6)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
