//===- RewriteBench.cpp - speed of graphRewrite ---------------------------===//
//
// A sum of N terms, left-deep (tinygrad's worst case: its 1000-term sum takes
// 26 s) and balanced, rewritten bottom-up with four simple rules: x+0 -> x,
// x*1 -> x, constant folding, and (x+c1)+c2 -> x+(c1+c2). The terms repeat
// `v*1, c, c` so every rule has work. Each iteration builds the sum in a
// fresh Context (not timed) and rewrites it (timed); items/s counts the UOps
// of the input.
//
//===----------------------------------------------------------------------===//

#include "tg/Rewrite/GraphRewrite.h"

#include "benchmark/benchmark.h"

#include <memory>

using namespace tg;
using namespace tg::pattern;

namespace {

const UOp *returnX(const Match &M) { return M["x"]; }

int64_t constValue(const UOp *U) { return U->getArg()->getInt(); }

const UOp *foldBinary(const Match &M) {
  int64_t A = constValue(M["a"]), B = constValue(M["b"]);
  const UOp *Root = M.getRoot();
  return M.getContext().getConst(Root->getDType(),
                                 Root->getOp() == Op::Add ? A + B : A * B);
}

const UOp *reassociate(const Match &M) {
  Context &Ctx = M.getContext();
  DType T = M.getRoot()->getDType();
  const UOp *Sum = Ctx.getConst(T, constValue(M["c1"]) + constValue(M["c2"]));
  return Ctx.get(Op::Add, T, {M["x"], Sum});
}

const RuleSet &getRules() {
  static const RuleSet Rules(
      "bench",
      {Rule("add-zero", op(Op::Add, {var("x"), constant(0)}).anyOrder(),
            returnX),
       Rule("mul-one", op(Op::Mul, {var("x"), constant(1)}).anyOrder(),
            returnX),
       Rule("fold",
            ops({Op::Add, Op::Mul},
                {anyConstant("a", TypeSet::integers()), anyConstant("b")}),
            foldBinary),
       Rule("reassociate",
            op(Op::Add,
               {op(Op::Add, {var("x"), anyConstant("c1")}), anyConstant("c2")}),
            reassociate)});
  return Rules;
}

/// Term I of the sum: `v*1`, then two constants, over 16 variables.
const UOp *makeTerm(Context &Ctx, int64_t I) {
  DType Index = Ctx.getScalar(ScalarKind::Index);
  if (I % 3 != 0)
    return Ctx.getConst(Index, I);
  const Arg *Name = Ctx.getStringArg("v" + std::to_string(I % 16));
  const UOp *V =
      Ctx.get(Op::DefineVar, Index, {},
              Ctx.getListArg({Name, Ctx.getIntArg(0), Ctx.getIntArg(99)}));
  return Ctx.get(Op::Mul, Index, {V, Ctx.getConst(Index, 1)});
}

const UOp *buildLeftDeep(Context &Ctx, int64_t N) {
  const UOp *Sum = makeTerm(Ctx, 0);
  for (int64_t I = 1; I < N; ++I)
    Sum = Ctx.get(Op::Add, Sum->getDType(), {Sum, makeTerm(Ctx, I)});
  return Sum;
}

/// The N terms summed pairwise, level by level: a balanced tree.
const UOp *buildBalanced(Context &Ctx, int64_t N) {
  std::vector<const UOp *> Level;
  for (int64_t I = 0; I < N; ++I)
    Level.push_back(makeTerm(Ctx, I));
  while (Level.size() > 1) {
    std::vector<const UOp *> Next;
    for (size_t I = 0; I + 1 < Level.size(); I += 2)
      Next.push_back(
          Ctx.get(Op::Add, Level[I]->getDType(), {Level[I], Level[I + 1]}));
    if (Level.size() % 2)
      Next.push_back(Level.back());
    Level = std::move(Next);
  }
  return Level[0];
}

template <const UOp *(*Build)(Context &, int64_t)>
void BM_Rewrite(benchmark::State &State) {
  const RuleSet &Rules = getRules();
  size_t InputUOps = 0;
  for (auto _ : State) {
    State.PauseTiming();
    auto Ctx = std::make_unique<Context>();
    const UOp *Root = Build(*Ctx, State.range(0));
    InputUOps = Ctx->getNumUOps();
    State.ResumeTiming();
    llvm::Expected<const UOp *> Result = graphRewrite(*Ctx, Root, Rules);
    if (!Result) {
      State.SkipWithError(llvm::toString(Result.takeError()).c_str());
      break;
    }
    benchmark::DoNotOptimize(*Result);
    State.PauseTiming(); // destroying the Context is not rewriting
    Ctx.reset();
    State.ResumeTiming();
  }
  State.SetItemsProcessed(int64_t(State.iterations()) * int64_t(InputUOps));
  State.counters["uops"] = double(InputUOps);
}

void BM_LeftDeepSum(benchmark::State &State) {
  BM_Rewrite<buildLeftDeep>(State);
}
void BM_BalancedSum(benchmark::State &State) {
  BM_Rewrite<buildBalanced>(State);
}

} // namespace

BENCHMARK(BM_LeftDeepSum)->Arg(1000)->RangeMultiplier(8)->Range(1024, 1 << 18);
BENCHMARK(BM_BalancedSum)->Arg(1000)->RangeMultiplier(8)->Range(1024, 1 << 18);
BENCHMARK_MAIN();
