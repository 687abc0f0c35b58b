//===- TensorCoreTest.cpp - tensor-core matmuls against plain loops -------===//
//
// Matmuls of f16 and bf16 go through the GPU pipeline for sm_90 with `tc`
// (chosen by the heuristic, or given with upcasts and local splits around
// it) and run in the reference interpreter, which runs each `wmma` over the
// warp's fragments with mma.m16n8k16's layout. Every output must equal the
// same kernel lowered with no opts: the inputs are small multiples of 1/4,
// so every product and sum is exact in f32 in any order. The layouts
// themselves must place every element of each matrix exactly once.
//
//===----------------------------------------------------------------------===//

#include "tg/Codegen/Passes.h"
#include "tg/IR/Context.h"
#include "tg/IR/Parser.h"
#include "tg/IR/WMMA.h"
#include "tg/Interp/Interpreter.h"
#include "tg/Pass/PassManager.h"
#include "tg/Symbolic/Passes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

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
  const char *In; ///< f16 or bf16.
  int64_t N, M, K;
  std::vector<OptSpec> Opts; ///< None: the heuristic's.
};

/// C (N x M, f32) = A (N x K) * B (K x M), accumulated in f32.
std::string getMatmul(const Case &C) {
  std::string T = C.In, N = std::to_string(C.N), M = std::to_string(C.M),
              K = std::to_string(C.K);
  std::string Opts;
  for (const OptSpec &O : C.Opts)
    Opts += (Opts.empty() ? "" : ", ") + getMnemonic(O.Kind).str() + "(" +
            std::to_string(O.Axis) + ", " + std::to_string(O.Amount) + ")";
  return "kernel @matmul(%c: ptr<f32, global, " + std::to_string(C.N * C.M) +
         ">, %a: ptr<" + T + ", global, " + std::to_string(C.N * C.K) +
         ">, %b: ptr<" + T + ", global, " + std::to_string(C.K * C.M) + ">)" +
         (Opts.empty() ? "" : " attributes {opts = [" + Opts + "]}") +
         " {\n"
         "  %n = const " +
         N +
         " : index\n"
         "  %m = const " +
         M +
         " : index\n"
         "  %kk = const " +
         K +
         " : index\n"
         "  %i = range(%n) {axis = 0, kind = global} : index\n"
         "  %j = range(%m) {axis = 1, kind = global} : index\n"
         "  %k = range(%kk) {axis = 2, kind = reduce} : index\n"
         "  %row = mul(%i, %kk) : index\n"
         "  %ai = add(%row, %k) : index\n"
         "  %kn = mul(%k, %m) : index\n"
         "  %bi = add(%kn, %j) : index\n"
         "  %pa = index(%a, %ai) : ptr<" +
         T +
         ", global>\n"
         "  %pb = index(%b, %bi) : ptr<" +
         T +
         ", global>\n"
         "  %x = load(%pa) : " +
         T +
         "\n"
         "  %y = load(%pb) : " +
         T +
         "\n"
         "  %xf = cast(%x) : f32\n"
         "  %yf = cast(%y) : f32\n"
         "  %xy = mul(%xf, %yf) : f32\n"
         "  %acc = reduce(%xy, %k) {op = add} : f32\n"
         "  %crow = mul(%i, %m) : index\n"
         "  %ci = add(%crow, %j) : index\n"
         "  %pc = index(%c, %ci) : ptr<f32, global>\n"
         "  %st = store(%pc, %acc) : void\n"
         "  %e = end(%st, %j, %i) : void\n"
         "  sink(%e) : void\n"
         "}\n";
}

/// A module parsed and lowered on its own context.
struct Lowered {
  Context Ctx;
  llvm::SourceMgr SM;
  DiagnosticEngine Diag{SM};
  std::unique_ptr<Module> M;
  std::string Errors;

  Lowered() {
    Diag.setHandler(
        [this](const Diagnostic &D) { Errors += D.Message + "\n"; });
  }

  bool lower(llvm::StringRef Text, llvm::StringRef Pipeline) {
    registerCodegenPasses();
    registerSymbolicPasses();
    unsigned Id = SM.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(Text, "matmul.tg"), llvm::SMLoc());
    M = parseModule(Id, Ctx, Diag);
    if (!M)
      return false;
    PassManager PM;
    std::string PipelineErrors;
    llvm::raw_string_ostream OS(PipelineErrors);
    if (failed(parsePassPipeline(Pipeline, PM, OS))) {
      Errors += PipelineErrors;
      return false;
    }
    return succeeded(PM.run(*M, Diag));
  }
};

/// Buffers for each `define` parameter of `F`: multiples of 1/4 in [-2, 2].
std::vector<std::unique_ptr<HostBuffer>> makeBuffers(const Function &F) {
  std::vector<std::unique_ptr<HostBuffer>> Buffers;
  for (const UOp *P : F.Params) {
    if (P->getOp() != Op::Define)
      continue;
    size_t Id = P->getArgField(0)->getInt();
    if (Buffers.size() <= Id)
      Buffers.resize(Id + 1);
    auto B = std::make_unique<HostBuffer>(P->getDType().getElement(),
                                          P->getDType().getSize());
    for (int64_t I = 0; I != B->Count; ++I)
      B->set(I, ConstValue::getFloat(
                    double((I * 37 + int64_t(Id) * 5) % 17 - 8) / 4));
    Buffers[Id] = std::move(B);
  }
  return Buffers;
}

class TensorCoreTest : public ::testing::TestWithParam<Case> {};

TEST_P(TensorCoreTest, MatchesPlainLoops) {
  const Case &C = GetParam();
  std::string Text = getMatmul(C);
  Lowered Plain, GPU;
  ASSERT_TRUE(Plain.lower(Text, PlainPipeline)) << Plain.Errors;
  ASSERT_TRUE(GPU.lower(Text, GPUPipeline)) << GPU.Errors;
  Function &PF = *Plain.M->Functions.front(), &GF = *GPU.M->Functions.front();
  unsigned NumWMMA = 0;
  for (const UOp *U : GF.getBody())
    NumWMMA += U->getOp() == Op::WMMA;
  EXPECT_GT(NumWMMA, 0u) << "the kernel does not use tensor cores";

  auto Want = makeBuffers(PF), Got = makeBuffers(GF);
  KernelArguments PlainArgs, GPUArgs;
  for (auto &B : Want)
    PlainArgs.Buffers.push_back(B.get());
  for (auto &B : Got)
    GPUArgs.Buffers.push_back(B.get());
  ASSERT_TRUE(succeeded(interpret(PF, PlainArgs, Plain.Diag))) << Plain.Errors;
  ASSERT_TRUE(succeeded(interpret(GF, GPUArgs, GPU.Diag))) << GPU.Errors;
  for (int64_t I = 0; I != Want[0]->Count; ++I)
    ASSERT_EQ(Got[0]->get(I).getFloat(), Want[0]->get(I).getFloat())
        << "C[" << I / C.M << "][" << I % C.M << "]";
}

const Case Cases[] = {
    // One instruction tile: no outer ranges.
    {"OneTile", "f16", 16, 8, 16, {{OptKind::TC, 2, 0}}},
    {"OneTileBF16", "bf16", 16, 8, 16, {{OptKind::TC, 2, 0}}},
    // Outer ranges of 2 x 4 tiles and 3 steps of k.
    {"Tiles", "f16", 32, 32, 48, {{OptKind::TC, 2, 0}}},
    // Each warp 2 x 2 tiles, a work-group of 2 warps.
    {"UpcastsAndLocals",
     "bf16",
     64,
     32,
     32,
     {{OptKind::TC, 2, 0},
      {OptKind::Upcast, 0, 2},
      {OptKind::Upcast, 1, 2},
      {OptKind::Local, 0, 2}}},
    // Two steps of k per iteration: remove-reduce chains both wmmas
    // through the accumulator.
    {"UnrolledK",
     "f16",
     32,
     16,
     64,
     {{OptKind::TC, 2, 0}, {OptKind::Unroll, 2, 2}}},
    // N padded to a multiple of the instruction's 16: the extra rows load
    // zeros and store nothing.
    {"PaddedN",
     "f16",
     24,
     8,
     32,
     {{OptKind::PadTo, 0, 16}, {OptKind::TC, 2, 0}}},
    // The heuristic's choice.
    {"Heuristic", "f16", 128, 64, 32, {}},
};

INSTANTIATE_TEST_SUITE_P(Matmuls, TensorCoreTest, ::testing::ValuesIn(Cases),
                         [](const ::testing::TestParamInfo<Case> &Info) {
                           return std::string(Info.param.Name);
                         });

/// Each layout places every element of its matrix once.
TEST(WMMALayoutTest, CoversEachMatrixOnce) {
  int64_t Dims[3] = {16, 8, 16};
  const WMMALayout *L = lookupWMMALayout(Dims, 32);
  ASSERT_TRUE(L);
  const FragmentLayout *Layouts[3] = {&L->A, &L->B, &L->C};
  int64_t Rows[3] = {L->N, L->K, L->N}, Cols[3] = {L->K, L->M, L->M};
  for (unsigned I = 0; I != 3; ++I) {
    std::vector<int> Seen(Rows[I] * Cols[I]);
    for (int64_t Thread = 0; Thread != L->Threads; ++Thread)
      for (int64_t E = 0; E != Layouts[I]->Elements; ++E) {
        auto [Row, Col] = Layouts[I]->getPosition(Thread, E);
        ASSERT_LT(Row, Rows[I]);
        ASSERT_LT(Col, Cols[I]);
        ++Seen[Row * Cols[I] + Col];
      }
    for (int Count : Seen)
      EXPECT_EQ(Count, 1) << "operand " << I;
  }
  // PTX ISA: thread 5 (group 1, thread 1 in it) holds A's a0 at row 1,
  // column 2 and a7 at row 9, column 11; B's b3 at row 11, column 1; C's
  // c2 at row 9, column 2.
  EXPECT_EQ(L->A.getPosition(5, 0), std::make_pair(int64_t(1), int64_t(2)));
  EXPECT_EQ(L->A.getPosition(5, 7), std::make_pair(int64_t(9), int64_t(11)));
  EXPECT_EQ(L->B.getPosition(5, 3), std::make_pair(int64_t(11), int64_t(1)));
  EXPECT_EQ(L->C.getPosition(5, 2), std::make_pair(int64_t(9), int64_t(2)));
  EXPECT_EQ(lookupWMMALayout(Dims, 64), nullptr);
}

} // namespace
