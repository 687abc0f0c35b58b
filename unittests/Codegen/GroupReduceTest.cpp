//===- GroupReduceTest.cpp - grouped reductions against plain loops -------===//
//
// The kernels of examples/ go through the GPU pipeline (heuristic, opt,
// expand, symbolic, coalesce, gpudims, lower-index, decompose,
// remove-reduce, linearize for sm_90), once as the heuristic chooses and
// once with explicit group / grouptop opts on one kernel, and run in the
// reference interpreter, which runs each work-group's threads to every
// barrier together and gives each work-group its own local memory. Every
// buffer each kernel writes must match the same kernel lowered with no opts
// (remove-reduce, linearize) on the same inputs. The sizes include a group
// over a whole reduce axis and one over an eighth of it, in f32 and i32.
//
//===----------------------------------------------------------------------===//

#include "../Common/CompareLowerings.h"

#include "tg/Codegen/Passes.h"
#include "tg/IR/Context.h"
#include "tg/IR/Parser.h"
#include "tg/Interp/Interpreter.h"
#include "tg/Pass/PassManager.h"
#include "tg/Symbolic/Passes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cmath>
#include <memory>
#include <string>
#include <vector>

using namespace tg;

namespace {

constexpr const char *GPUPipeline =
    "heuristic{arch=sm_90},opt{arch=sm_90},expand,symbolic,"
    "coalesce{arch=sm_90},gpudims{arch=sm_90},lower-index,"
    "decompose{arch=sm_90},remove-reduce,linearize";
constexpr const char *PlainPipeline = "remove-reduce,linearize";

struct OptSpec {
  OptKind Kind;
  int64_t Axis, Amount;
};

struct Case {
  const char *Name;
  const char *File;   ///< Under examples/, or (in TwoKernelSum) the text.
  const char *Kernel; ///< The kernel that gets `Opts` (none: the heuristic).
  std::vector<OptSpec> Opts;
  bool Int32 = false; ///< Every f32 of the file becomes i32.
  /// Without `Kernel`: whether the heuristic groups some reduction.
  bool HeuristicGroups = false;
};

/// Lowers `Text` with `Pipeline` into `L`, with `C`'s opts set on its
/// kernel first.
bool lowerCase(unittest::KernelLowering &L, llvm::StringRef Text,
               llvm::StringRef Pipeline, const Case &C) {
  registerCodegenPasses();
  registerSymbolicPasses();
  return L.tryLower(Text, Pipeline, [&](Module &M) {
    if (!C.Kernel)
      return;
    for (auto &F : M.Functions)
      if (F->getName() == C.Kernel) {
        std::vector<const Arg *> Opts;
        for (const OptSpec &O : C.Opts)
          Opts.push_back(L.Ctx.getOptArg(
              O.Kind, {L.Ctx.getIntArg(O.Axis), L.Ctx.getIntArg(O.Amount)}));
        F->setAttribute("opts", L.Ctx.getListArg(Opts));
      }
  });
}

class GroupReduceTest : public ::testing::TestWithParam<Case> {};

/// Lowers `Text` both ways and compares every kernel's outputs.
void checkAgainstPlainLoops(const Case &C, std::string Text) {
  if (C.Int32) {
    llvm::SmallVector<llvm::StringRef, 64> Parts;
    llvm::StringRef(Text).split(Parts, "f32");
    Text = llvm::join(Parts, "i32");
  }
  unittest::KernelLowering Plain, GPU;
  ASSERT_TRUE(lowerCase(Plain, Text, PlainPipeline, Case{})) << Plain.Errors;
  ASSERT_TRUE(lowerCase(GPU, Text, GPUPipeline, C)) << GPU.Errors;

  bool Grouped = false;
  for (auto &PF : Plain.M->Functions) {
    if (!PF->isKernel())
      continue;
    Function *GF = GPU.getFunction(PF->getName());
    ASSERT_TRUE(GF) << PF->getName().str();
    for (const UOp *U : GF->getBody())
      Grouped |= U->getOp() == Op::Barrier;
    unittest::expectSameOutputs(Plain, *PF, GPU, *GF);
  }
  // An explicit group makes a grouped reduction; the heuristic makes one
  // where the output is small next to the reduction.
  EXPECT_EQ(Grouped, C.Kernel || C.HeuristicGroups)
      << (Grouped ? "a barrier" : "no barrier in any kernel");
}

TEST_P(GroupReduceTest, MatchesPlainLoops) {
  const Case &C = GetParam();
  std::string Text = unittest::readExample(C.File);
  ASSERT_FALSE(Text.empty()) << "cannot read examples/" << C.File;
  checkAgainstPlainLoops(C, Text);
}

// The shape of a large sum on a GPU: partial sums, one per work-group, then
// their sum. The heuristic groups the first kernel (each of 256 threads
// loops over four iterations of four vector loads); the second, a sum of
// 16, is too short to group.
constexpr const char *TwoKernelSum = R"(
buffer @x : ptr<f32, global, 262144>
buffer @partials : ptr<f32, global, 16>
buffer @total : ptr<f32, global, 1>

kernel @sum_partials(%out: ptr<f32, global, 16>, %in: ptr<f32, global, 262144>) {
  %groups = const 16 : index
  %n = const 16384 : index
  %g = range(%groups) {axis = 0, kind = global} : index
  %r = range(%n) {axis = 1, kind = reduce} : index
  %base = mul(%g, %n) : index
  %at = add(%base, %r) : index
  %a = index(%in, %at) : ptr<f32, global>
  %x = load(%a) : f32
  %s = reduce(%x, %r) {op = add} : f32
  %o = index(%out, %g) : ptr<f32, global>
  %st = store(%o, %s) : void
  %e = end(%st, %g) : void
  sink(%e) : void
}

kernel @sum_final(%out: ptr<f32, global, 1>, %in: ptr<f32, global, 16>) {
  %n = const 16 : index
  %r = range(%n) {axis = 0, kind = reduce} : index
  %a = index(%in, %r) : ptr<f32, global>
  %x = load(%a) : f32
  %s = reduce(%x, %r) {op = add} : f32
  %zero = const 0 : index
  %o = index(%out, %zero) : ptr<f32, global>
  %st = store(%o, %s) : void
  sink(%st) : void
}

main {
  call @sum_partials(@partials, @x)
  call @sum_final(@total, @partials)
}
)";

// A row softmax in one kernel (benchmarks/kernels/gpu/softmax.tg) with
// COLS columns: the heuristic groups the max and the sum over the same
// threads and spreads the output loop over them too, each thread writing
// its own vectors, over 128 threads. A row that fits in registers is
// unrolled whole in each part, one load of each vector (1536: 3 vectors a
// thread; 2048: 4; 8192: 16); a longer one keeps the loops (65536: 128
// vectors a thread, unrolled by 4).
constexpr const char *FusedSoftmax = R"(
kernel @softmax(%out: ptr<f32, global, SIZE>, %in: ptr<f32, global, SIZE>) {
  %rows = const 4 : index
  %cols = const COLS : index
  %log2e = const 1.442695 : f32
  %i = range(%rows) {axis = 0, kind = global} : index
  %row = mul(%i, %cols) : index
  %r1 = range(%cols) {axis = 1, kind = reduce} : index
  %a1 = add(%row, %r1) : index
  %p1 = index(%in, %a1) : ptr<f32, global>
  %x1 = load(%p1) : f32
  %m = reduce(%x1, %r1) {op = max} : f32
  %r2 = range(%cols) {axis = 2, kind = reduce} : index
  %a2 = add(%row, %r2) : index
  %p2 = index(%in, %a2) : ptr<f32, global>
  %x2 = load(%p2) : f32
  %d2 = sub(%x2, %m) : f32
  %t2 = mul(%d2, %log2e) : f32
  %e2 = exp2(%t2) : f32
  %s = reduce(%e2, %r2) {op = add} : f32
  %inv = recip(%s) : f32
  %r3 = range(%cols) {axis = 3, kind = loop} : index
  %a3 = add(%row, %r3) : index
  %p3 = index(%in, %a3) : ptr<f32, global>
  %x3 = load(%p3) : f32
  %d3 = sub(%x3, %m) : f32
  %t3 = mul(%d3, %log2e) : f32
  %e3 = exp2(%t3) : f32
  %y = mul(%e3, %inv) : f32
  %po = index(%out, %a3) : ptr<f32, global>
  %st = store(%po, %y) : void
  %end = end(%st, %i, %r3) : void
  sink(%end) : void
}
)";

TEST(GroupReduceSumTest, FusedSoftmax) {
  for (int64_t Cols : {1536, 2048, 8192, 65536}) {
    SCOPED_TRACE(Cols);
    std::string Text = FusedSoftmax;
    for (auto [Name, Value] :
         {std::pair<llvm::StringRef, int64_t>{"SIZE", 4 * Cols},
          {"COLS", Cols}})
      for (size_t At; (At = Text.find(Name.str())) != std::string::npos;)
        Text.replace(At, Name.size(), std::to_string(Value));
    checkAgainstPlainLoops(Case{"FusedSoftmax", "", nullptr, {}, false, true},
                           Text);
  }
}

TEST(GroupReduceSumTest, TwoKernelSum) {
  checkAgainstPlainLoops(Case{"TwoKernelSum", "", nullptr, {}, false, true},
                         TwoKernelSum);
}

const Case Cases[] = {
    // The heuristic's choices for every kernel: @sum_all, @reduce_max and
    // @reduce_sum have one output; a layernorm has two reductions and a
    // matmul many outputs.
    {"HeuristicReductions", "reductions.tg", nullptr, {}, false, true},
    {"HeuristicReductionsI32", "reductions.tg", nullptr, {}, true, true},
    {"HeuristicSoftmax", "softmax.tg", nullptr, {}, false, true},
    {"HeuristicLayernorm", "layernorm.tg", nullptr, {}, false, true},
    {"HeuristicMatmul", "matmul.tg", nullptr, {}},
    // A group over a whole reduce axis (amount 0: all of it).
    {"RowSumsWhole", "reductions.tg", "row_sums", {{OptKind::Group, 1, 0}}},
    {"RowSumsWholeI32",
     "reductions.tg",
     "row_sums",
     {{OptKind::Group, 1, 100}},
     true},
    {"SumAllWhole", "reductions.tg", "sum_all", {{OptKind::GroupTop, 0, 32}}},
    {"SoftmaxSumWhole",
     "softmax.tg",
     "reduce_sum",
     {{OptKind::GroupTop, 0, 256}}},
    // An eighth of a reduce axis.
    {"SumAllEighth", "reductions.tg", "sum_all", {{OptKind::Group, 0, 4}}},
    {"SumAllEighthI32",
     "reductions.tg",
     "sum_all",
     {{OptKind::GroupTop, 0, 4}},
     true},
    {"SoftmaxMaxEighth", "softmax.tg", "reduce_max", {{OptKind::Group, 0, 32}}},
    {"LayernormEighth", "layernorm.tg", "layernorm", {{OptKind::Group, 1, 8}}},
    {"MatmulEighth", "matmul.tg", "matmul", {{OptKind::Group, 2, 8}}},
    // Two group ranges in one reduction, and grouped reductions in a row.
    {"SumAllTwoAxes",
     "reductions.tg",
     "sum_all",
     {{OptKind::Group, 0, 4}, {OptKind::GroupTop, 1, 25}}},
    {"LayernormBoth",
     "layernorm.tg",
     "layernorm",
     {{OptKind::Group, 1, 16}, {OptKind::GroupTop, 2, 8}}},
    // With the other opts: the partial results of other threads (local)
    // and of the upcast and unroll copies get their own elements.
    {"RowMaxesLocal",
     "reductions.tg",
     "row_maxes",
     {{OptKind::Local, 0, 4}, {OptKind::GroupTop, 1, 20}}},
    {"RowMaxesLocalI32",
     "reductions.tg",
     "row_maxes",
     {{OptKind::Local, 0, 4}, {OptKind::GroupTop, 1, 20}},
     true},
    {"SoftmaxSumUnroll",
     "softmax.tg",
     "reduce_sum",
     {{OptKind::Unroll, 0, 4}, {OptKind::Group, 0, 64}}},
    {"LayernormUpcast",
     "layernorm.tg",
     "layernorm",
     {{OptKind::Upcast, 0, 2},
      {OptKind::Group, 1, 8},
      {OptKind::Unroll, 1, 4}}},
    // Sibling reductions and a loop on one work-group's threads: the three
    // splits of 16 share one range of threads.
    {"LayernormShared",
     "layernorm.tg",
     "layernorm",
     {{OptKind::Group, 1, 16},
      {OptKind::Group, 2, 16},
      {OptKind::Upcast, 3, 2},
      {OptKind::Local, 3, 16}}},
    {"LayernormSharedTop",
     "layernorm.tg",
     "layernorm",
     {{OptKind::Unroll, 1, 4},
      {OptKind::GroupTop, 1, 8},
      {OptKind::Group, 2, 8},
      {OptKind::Local, 3, 8}}},
    {"MatmulTiles",
     "matmul.tg",
     "matmul",
     {{OptKind::Upcast, 1, 4},
      {OptKind::Local, 0, 4},
      {OptKind::Unroll, 2, 4},
      {OptKind::Group, 2, 8}}},
};

INSTANTIATE_TEST_SUITE_P(Examples, GroupReduceTest, ::testing::ValuesIn(Cases),
                         [](const ::testing::TestParamInfo<Case> &Info) {
                           return std::string(Info.param.Name);
                         });

} // namespace
