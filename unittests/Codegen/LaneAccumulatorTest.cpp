//===- LaneAccumulatorTest.cpp - one accumulator per copy, against loops --===//
//
// The kernels of examples/ go through the CPU pipeline (heuristic, opt,
// expand with lane-accumulators, symbolic, coalesce, lower-index,
// decompose, remove-reduce, linearize for x86-64), as the heuristic chooses
// and with explicit unrolls that leave a loop, and run in the reference
// interpreter. Every buffer each kernel writes must match the same kernel
// lowered with no opts (remove-reduce, linearize) on the same inputs: the
// inputs are small multiples of 1/4, so that sums in any order are exact,
// and the split reductions must give the same values (max and min exactly,
// integer sums exactly). Each case also checks whether some reduction (of
// the kernel given opts, if any) accumulates a vector (the plain lowering
// never does).
//
//===----------------------------------------------------------------------===//

#include "../Common/CompareLowerings.h"

#include "tg/Codegen/Passes.h"
#include "tg/IR/Context.h"
#include "tg/Interp/Interpreter.h"
#include "tg/Symbolic/Passes.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

#include <cmath>
#include <memory>
#include <string>
#include <vector>

using namespace tg;

namespace {

constexpr const char *CPUPipeline =
    "heuristic{arch=x86-64},opt{arch=x86-64},expand{lane-accumulators=true},"
    "symbolic,coalesce{arch=x86-64},lower-index,decompose{arch=x86-64 "
    "ops=exp2 types=f32},remove-reduce,linearize";
constexpr const char *PlainPipeline = "remove-reduce,linearize";

struct OptSpec {
  OptKind Kind;
  int64_t Axis, Amount;
};

struct Case {
  const char *Name;
  const char *File;   ///< Under examples/.
  const char *Kernel; ///< The kernel that gets `Opts` (none: the heuristic).
  std::vector<OptSpec> Opts;
  bool Int32 = false; ///< Every f32 of the file becomes i32.
  /// Whether some reduction accumulates a vector of its copies.
  bool Vectors = true;
};

/// Whether some register accumulator of `F` (a `define` in the reg address
/// space) holds vectors.
bool hasVectorAccumulator(const Function &F) {
  return llvm::any_of(F.getBody(), [](const UOp *U) {
    return U->getOp() == Op::Define &&
           U->getDType().getAddrSpace() == AddrSpace::Reg &&
           U->getDType().getElement().isVector();
  });
}

class LaneAccumulatorTest : public ::testing::TestWithParam<Case> {};

TEST_P(LaneAccumulatorTest, MatchesPlainLoops) {
  const Case &C = GetParam();
  std::string Text = unittest::readExample(C.File);
  ASSERT_FALSE(Text.empty()) << "cannot read examples/" << C.File;
  if (C.Int32) {
    llvm::SmallVector<llvm::StringRef, 64> Parts;
    llvm::StringRef(Text).split(Parts, "f32");
    Text = llvm::join(Parts, "i32");
  }
  registerCodegenPasses();
  registerSymbolicPasses();
  unittest::KernelLowering Plain, CPU;
  ASSERT_TRUE(Plain.tryLower(Text, PlainPipeline)) << Plain.Errors;
  ASSERT_TRUE(CPU.tryLower(Text, CPUPipeline, [&](Module &M) {
    if (!C.Kernel)
      return;
    for (auto &F : M.Functions)
      if (F->getName() == C.Kernel) {
        std::vector<const Arg *> Opts;
        for (const OptSpec &O : C.Opts)
          Opts.push_back(
              CPU.Ctx.getOptArg(O.Kind, {CPU.Ctx.getIntArg(O.Axis),
                                         CPU.Ctx.getIntArg(O.Amount)}));
        F->setAttribute("opts", CPU.Ctx.getListArg(Opts));
      }
  })) << CPU.Errors;

  bool Vector = false;
  for (auto &PF : Plain.M->Functions) {
    if (!PF->isKernel())
      continue;
    Function *CF = CPU.getFunction(PF->getName());
    ASSERT_TRUE(CF) << PF->getName().str();
    EXPECT_FALSE(hasVectorAccumulator(*PF)) << PF->getName().str();
    if (!C.Kernel || PF->getName() == C.Kernel)
      Vector |= hasVectorAccumulator(*CF);
    unittest::expectSameOutputs(Plain, *PF, CPU, *CF);
  }
  EXPECT_EQ(Vector, C.Vectors)
      << (Vector ? "a reduction accumulates a vector"
                 : "no reduction accumulates a vector");
}

const Case Cases[] = {
    // The heuristic's choices: every reduction whose range is longer than
    // one unroll keeps its loop. A matmul's register tile multiplies its
    // reduce range, which is not unrolled: nothing to split.
    {"HeuristicReductions", "reductions.tg", nullptr, {}},
    {"HeuristicReductionsI32", "reductions.tg", nullptr, {}, true},
    {"HeuristicSoftmax", "softmax.tg", nullptr, {}},
    {"HeuristicLayernorm", "layernorm.tg", nullptr, {}},
    {"HeuristicMatmul", "matmul.tg", nullptr, {}, false, false},
    // An unroll of a whole range leaves no loop: the copies are combined,
    // no vector.
    {"SoftmaxMaxWhole",
     "softmax.tg",
     "reduce_max",
     {{OptKind::Unroll, 0, 0}},
     false,
     false},
    // Explicit unrolls: a max, a sum of i32, two unrolls of one range (a
    // vector of the first's copies, the second's added lane by lane) and an
    // upcast output beside an unroll (a vector accumulator per output).
    {"SoftmaxMaxUnroll", "softmax.tg", "reduce_max", {{OptKind::Unroll, 0, 8}}},
    {"RowSumsUnrollI32",
     "reductions.tg",
     "row_sums",
     {{OptKind::Unroll, 1, 4}},
     true},
    {"SumAllTwoUnrolls",
     "reductions.tg",
     "sum_all",
     {{OptKind::Unroll, 0, 4}, {OptKind::Unroll, 0, 2}}},
    {"MatmulUpcastUnroll",
     "matmul.tg",
     "matmul",
     {{OptKind::Upcast, 1, 4}, {OptKind::Unroll, 2, 4}}},
};

INSTANTIATE_TEST_SUITE_P(Examples, LaneAccumulatorTest,
                         ::testing::ValuesIn(Cases),
                         [](const ::testing::TestParamInfo<Case> &Info) {
                           return std::string(Info.param.Name);
                         });

} // namespace
