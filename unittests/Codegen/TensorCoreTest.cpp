//===- TensorCoreTest.cpp - tensor-core matmuls against plain loops -------===//
//
// Matmuls of f16 and bf16 go through the GPU pipeline for an arch with `tc`
// (chosen by the heuristic, or given with upcasts and local splits around
// it) and run in the reference interpreter, which runs each `wmma` over the
// warp's fragments with the instruction's layout: mma.m16n8k16 (sm_90),
// RDNA3's wmma (gfx1100), CDNA3's mfma (gfx942) and Metal's simdgroup
// matrices (apple7). Every output must equal the same kernel lowered with no
// opts: the inputs are small multiples of 1/4, so every product and sum is
// exact in f32 in any order.
//
// The pass and the interpreter read one layout, so a layout that is wrong
// but still a permutation passes those runs: each layout is therefore also
// compared, element by element, with the vendor's description of the
// instruction written out independently below (the loops of PTX's fragment
// tables, AMD's RDNA3 and CDNA3 ISA guides, and the thread_elements() order
// of Metal's simdgroup matrices).
//
//===----------------------------------------------------------------------===//

#include "../Common/KernelLowering.h"

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

/// The GPU pipeline for `Arch`.
std::string getGPUPipeline(llvm::StringRef Arch) {
  std::string A = "{arch=" + Arch.str() + "}";
  return "heuristic" + A + ",opt" + A + ",expand,symbolic,coalesce" + A +
         ",gpudims" + A + ",lower-index,decompose" + A +
         ",remove-reduce,linearize";
}
constexpr const char *PlainPipeline = "remove-reduce,linearize";

struct OptSpec {
  OptKind Kind;
  int64_t Axis, Amount;
};

struct Case {
  const char *Name;
  const char *Arch;
  const char *In; ///< f16, bf16 or f32.
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
  registerCodegenPasses();
  registerSymbolicPasses();
  unittest::KernelLowering Plain, GPU;
  ASSERT_TRUE(Plain.tryLower(Text, PlainPipeline)) << Plain.Errors;
  ASSERT_TRUE(GPU.tryLower(Text, getGPUPipeline(C.Arch))) << GPU.Errors;
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

/// A and B staged in local memory with `Buffers` buffers: 2 x 2 warps of
/// 2 x 2 tiles, two steps of k per copy; 128 threads copy 64 x 32 of A (2
/// vectors each) and 32 x 32 of B (1 each).
Case staged2x2(const char *Name, int64_t Buffers) {
  return {Name,
          "sm_90",
          "f16",
          64,
          32,
          96,
          {{OptKind::TC, 2, 0},
           {OptKind::Upcast, 0, 2},
           {OptKind::Upcast, 1, 2},
           {OptKind::Local, 0, 2},
           {OptKind::Local, 1, 2},
           {OptKind::Unroll, 2, 2},
           {OptKind::Stage, 2, Buffers}}};
}

const Case Cases[] = {
    // One instruction tile: no outer ranges.
    {"OneTile", "sm_90", "f16", 16, 8, 16, {{OptKind::TC, 2, 0}}},
    {"OneTileBF16", "sm_90", "bf16", 16, 8, 16, {{OptKind::TC, 2, 0}}},
    // Outer ranges of 2 x 4 tiles and 3 steps of k.
    {"Tiles", "sm_90", "f16", 32, 32, 48, {{OptKind::TC, 2, 0}}},
    // Each warp 2 x 2 tiles, a work-group of 2 warps.
    {"UpcastsAndLocals",
     "sm_90",
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
     "sm_90",
     "f16",
     32,
     16,
     64,
     {{OptKind::TC, 2, 0}, {OptKind::Unroll, 2, 2}}},
    // N padded to a multiple of the instruction's 16: the extra rows load
    // zeros and store nothing.
    {"PaddedN",
     "sm_90",
     "f16",
     24,
     8,
     32,
     {{OptKind::PadTo, 0, 16}, {OptKind::TC, 2, 0}}},
    // The heuristic's choice (on sm_90 with `stage`).
    {"Heuristic", "sm_90", "f16", 128, 64, 32, {}},
    {"HeuristicLongK", "sm_90", "bf16", 64, 128, 96, {}},
    // A and B staged in local memory, synchronous copies.
    staged2x2("Staged", 1),
    // The same with asynchronous copies: 2 and 4 buffers over 3 iterations
    // (the copies of the iterations past the end are gated off).
    staged2x2("StagedAsync2", 2),
    staged2x2("StagedAsync4", 4),
    // Two warps: 64 threads copy 32 x 32 of A (128 vectors, 2 each) and
    // 32 x 8 of B (32 vectors: the copies of half the threads are gated
    // off).
    {"StagedGated",
     "sm_90",
     "bf16",
     32,
     8,
     64,
     {{OptKind::TC, 2, 0},
      {OptKind::Local, 0, 2},
      {OptKind::Unroll, 2, 2},
      {OptKind::Stage, 2, 1}}},
    // 3 buffers of 1 x 16 of k, 2 iterations; half the copies of B gated.
    {"StagedAsyncGated",
     "sm_90",
     "bf16",
     32,
     8,
     32,
     {{OptKind::TC, 2, 0}, {OptKind::Local, 0, 2}, {OptKind::Stage, 2, 3}}},
    // RDNA3's wmma (lanes 16-31 repeat A and B), with upcasts, a local
    // split, two steps of k and the heuristic.
    {"RDNA3OneTile", "gfx1100", "f16", 16, 16, 16, {{OptKind::TC, 2, 0}}},
    {"RDNA3Tiles",
     "gfx1100",
     "f16",
     64,
     32,
     64,
     {{OptKind::TC, 2, 0},
      {OptKind::Upcast, 0, 2},
      {OptKind::Local, 1, 2},
      {OptKind::Unroll, 2, 2}}},
    {"RDNA3Heuristic", "gfx1100", "f16", 128, 64, 32, {}},
    // CDNA3's mfma over waves of 64, f16 and bf16.
    {"CDNA3OneTile", "gfx942", "f16", 16, 16, 16, {{OptKind::TC, 2, 0}}},
    {"CDNA3TilesBF16",
     "gfx942",
     "bf16",
     32,
     64,
     48,
     {{OptKind::TC, 2, 0}, {OptKind::Upcast, 1, 2}, {OptKind::Local, 0, 2}}},
    {"CDNA3Heuristic", "gfx942", "bf16", 128, 64, 32, {}},
    // Metal's 8x8 simdgroup matrices, f16 and f32 inputs.
    {"MetalOneTile", "apple7", "f16", 8, 8, 8, {{OptKind::TC, 2, 0}}},
    {"MetalTilesF32",
     "apple7",
     "f32",
     32,
     16,
     24,
     {{OptKind::TC, 2, 0}, {OptKind::Upcast, 0, 2}, {OptKind::Local, 1, 2}}},
    {"MetalHeuristic", "apple7", "f16", 64, 64, 32, {}},
};

INSTANTIATE_TEST_SUITE_P(Matmuls, TensorCoreTest, ::testing::ValuesIn(Cases),
                         [](const ::testing::TestParamInfo<Case> &Info) {
                           return std::string(Info.param.Name);
                         });

/// Each layout places every element of its matrix equally often: once, or
/// twice for RDNA3's A and B, which lanes 16-31 repeat.
TEST(WMMALayoutTest, CoversEachMatrixEvenly) {
  for (const char *Name :
       {"mma.m16n8k16.f16", "mma.m16n8k16.bf16", "wmma.16x16x16.f16",
        "mfma.16x16x16.f16", "mfma.16x16x16.bf16", "simdgroup.8x8x8.f16",
        "simdgroup.8x8x8.f32"}) {
    const WMMALayout *L = lookupWMMALayout(Name);
    ASSERT_TRUE(L) << Name;
    const FragmentLayout *Layouts[3] = {&L->A, &L->B, &L->C};
    int64_t Rows[3] = {L->N, L->K, L->N}, Cols[3] = {L->K, L->M, L->M};
    for (unsigned I = 0; I != 3; ++I) {
      std::vector<int> Seen(Rows[I] * Cols[I]);
      for (int64_t Thread = 0; Thread != L->Threads; ++Thread)
        for (int64_t E = 0; E != Layouts[I]->Elements; ++E) {
          auto [Row, Col] = Layouts[I]->getPosition(Thread, E);
          ASSERT_LT(Row, Rows[I]) << Name;
          ASSERT_LT(Col, Cols[I]) << Name;
          ++Seen[Row * Cols[I] + Col];
        }
      int Times = L->Threads * Layouts[I]->Elements / Seen.size();
      EXPECT_GE(Times, 1) << Name;
      for (int Count : Seen)
        EXPECT_EQ(Count, Times) << Name << ", operand " << I;
    }
  }
  EXPECT_EQ(lookupWMMALayout("wmma.16x16x16.f16.gfx12"), nullptr);
}

using Position = std::pair<int64_t, int64_t>;

/// Where the vendor puts element `E` of operand `Operand` (0: A, 1: B, 2: C
/// and D) of lane `Lane`, as (row, column).
using Description = Position (*)(unsigned Operand, int64_t Lane, int64_t E);

/// PTX ISA, "Matrix Fragments for mma.m16n8k16 with floating point type".
Position describeMmaM16N8K16(unsigned Operand, int64_t Lane, int64_t E) {
  int64_t Group = Lane >> 2, InGroup = Lane % 4;
  if (Operand == 0)
    return {Group + ((E & 2) ? 8 : 0),
            InGroup * 2 + (E & 1) + (E >= 4 ? 8 : 0)};
  if (Operand == 1)
    return {InGroup * 2 + (E & 1) + (E >= 2 ? 8 : 0), Group};
  return {Group + (E >= 2 ? 8 : 0), InGroup * 2 + (E & 1)};
}

/// RDNA3 ISA, WMMA (and GPUOpen's "How to accelerate AI applications on
/// RDNA 3 using WMMA": a_frag[e] = a[16 * lane + e], b_frag[e] =
/// b[16 * e + lane], c[16 * (2 * e + lane / 16) + lane % 16] = c_frag[e]).
Position describeWmmaRDNA3(unsigned Operand, int64_t Lane, int64_t E) {
  if (Operand == 0)
    return {Lane % 16, E};
  if (Operand == 1)
    return {E, Lane % 16};
  return {2 * E + Lane / 16, Lane % 16};
}

/// CDNA3 ISA, v_mfma_f32_16x16x16_f16 (AMD's matrix instruction
/// calculator, and the ROCm blog's "AMD matrix cores" loads: a = A[16 *
/// (lane % 16) + 4 * (lane / 16) + i], b[i] = B[16 * (i + 4 * (lane / 16)) +
/// lane % 16]): A[i][k] is item k % 4 of lane i + 16 * (k / 4); B[k][j] item
/// k % 4 of lane j + 16 * (k / 4); D[i][j] item i % 4 of lane j + 16 * (i /
/// 4).
Position describeMfmaCDNA3(unsigned Operand, int64_t Lane, int64_t E) {
  int64_t Block = Lane / 16, InBlock = Lane % 16;
  if (Operand == 0)
    return {InBlock, Block * 4 + E};
  return {Block * 4 + E, InBlock};
}

/// Metal's 8x8 simdgroup matrices, as Metal FlashAttention's morton_order
/// reads them: the 32 threads form four quadrants of 4 x 4 elements (rows
/// 0-3 for threads 0-15, columns 0-3 for threads 0-7 and 16-23), each thread
/// two neighbours of a row.
Position describeSimdgroup(unsigned, int64_t Lane, int64_t E) {
  int64_t Quad = Lane / 4;
  int64_t Row = (Quad / 4) * 4 + (Lane / 2) % 4;
  int64_t Col = (Quad & 2) * 2 + (Lane % 2) * 2 + E;
  return {Row, Col};
}

/// Every element of every operand of each layout where its vendor says.
TEST(WMMALayoutTest, MatchesTheVendors) {
  const std::pair<const char *, Description> Layouts[] = {
      {"mma.m16n8k16.f16", describeMmaM16N8K16},
      {"mma.m16n8k16.bf16", describeMmaM16N8K16},
      {"wmma.16x16x16.f16", describeWmmaRDNA3},
      {"mfma.16x16x16.f16", describeMfmaCDNA3},
      {"mfma.16x16x16.bf16", describeMfmaCDNA3},
      {"simdgroup.8x8x8.f16", describeSimdgroup},
      {"simdgroup.8x8x8.f32", describeSimdgroup},
  };
  for (const auto &[Name, Describe] : Layouts) {
    const WMMALayout *L = lookupWMMALayout(Name);
    ASSERT_TRUE(L) << Name;
    const FragmentLayout *Operands[3] = {&L->A, &L->B, &L->C};
    for (unsigned Operand = 0; Operand != 3; ++Operand)
      for (int64_t Lane = 0; Lane != L->Threads; ++Lane)
        for (int64_t E = 0; E != Operands[Operand]->Elements; ++E)
          ASSERT_EQ(Operands[Operand]->getPosition(Lane, E),
                    Describe(Operand, Lane, E))
              << Name << ", operand " << Operand << ", lane " << Lane
              << ", element " << E;
  }
}

} // namespace
