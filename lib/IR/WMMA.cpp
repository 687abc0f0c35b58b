//===- WMMA.cpp - the fragment layouts of the `wmma` op -------------------===//

#include "tg/IR/WMMA.h"

using namespace tg;

int64_t FragmentCoordinate::evaluate(int64_t Thread, int64_t Element) const {
  int64_t Sum = 0;
  for (const FragmentTerm &T : getTerms())
    Sum += (T.OfThread ? Thread : Element) / T.Div % T.Mod * T.Scale;
  return Sum;
}

namespace {

constexpr bool Thread = true, Element = false;

/// mma.sync.aligned.m16n8k16.row.col (f16 or bf16 into f32), PTX ISA
/// "Matrix Fragments for mma.m16n8k16 with floating point type": with
/// g = lane / 4 and t = lane % 4, a thread holds
///   A (16 x 16, 8 elements e): row g + 8 * (e / 2 % 2),
///                              column 2 * t + e % 2 + 8 * (e / 4);
///   B (16 x 8, 4 elements):    row 2 * t + e % 2 + 8 * (e / 2), column g;
///   C, D (16 x 8, 4 elements): row g + 8 * (e / 2), column 2 * t + e % 2.
const WMMALayout MmaM16N8K16 = {
    16,
    8,
    16,
    32,
    {8,
     {{{Thread, 4, 8, 1}, {Element, 2, 2, 8}}, 2},
     {{{Thread, 1, 4, 2}, {Element, 1, 2, 1}, {Element, 4, 2, 8}}, 3}},
    {4,
     {{{Thread, 1, 4, 2}, {Element, 1, 2, 1}, {Element, 2, 2, 8}}, 3},
     {{{Thread, 4, 8, 1}}, 1}},
    {4,
     {{{Thread, 4, 8, 1}, {Element, 2, 2, 8}}, 2},
     {{{Thread, 1, 4, 2}, {Element, 1, 2, 1}}, 2}},
};

/// v_wmma_f32_16x16x16_f16 in wave32 (RDNA3, AMD's "RDNA3 Instruction Set
/// Architecture", WMMA; __builtin_amdgcn_wmma_f32_16x16x16_f16_w32): with
/// l = lane % 16, a thread holds
///   A (16 x 16, 16 elements e): row l, column e;
///   B (16 x 16, 16 elements):   row e, column l;
///   C, D (16 x 16, 8 elements): row 2 * e + lane / 16, column l.
/// Lanes 16-31 hold the same A and B as lanes 0-15.
const WMMALayout WmmaRDNA3 = {
    16,
    16,
    16,
    32,
    {16, {{{Thread, 1, 16, 1}}, 1}, {{{Element, 1, 16, 1}}, 1}},
    {16, {{{Element, 1, 16, 1}}, 1}, {{{Thread, 1, 16, 1}}, 1}},
    {8,
     {{{Element, 1, 8, 2}, {Thread, 16, 2, 1}}, 2},
     {{{Thread, 1, 16, 1}}, 1}},
};

/// v_mfma_f32_16x16x16_f16 and _bf16 (CDNA3, AMD's "AMD Instinct MI300
/// Instruction Set Architecture", dependent-free MFMA, 16x16x16 with one
/// block): with l = lane % 16 and g = lane / 16, a thread holds
///   A (16 x 16, 4 elements e): row l, column 4 * g + e;
///   B (16 x 16, 4 elements):   row 4 * g + e, column l;
///   C, D (16 x 16, 4 elements): row 4 * g + e, column l.
const WMMALayout MfmaCDNA3 = {
    16,
    16,
    16,
    64,
    {4,
     {{{Thread, 1, 16, 1}}, 1},
     {{{Thread, 16, 4, 4}, {Element, 1, 4, 1}}, 2}},
    {4,
     {{{Thread, 16, 4, 4}, {Element, 1, 4, 1}}, 2},
     {{{Thread, 1, 16, 1}}, 1}},
    {4,
     {{{Thread, 16, 4, 4}, {Element, 1, 4, 1}}, 2},
     {{{Thread, 1, 16, 1}}, 1}},
};

/// Metal's simdgroup_multiply_accumulate on 8x8 simdgroup matrices: every
/// operand is an 8 x 8 matrix of which a thread's thread_elements() are two
/// neighbours in a row: row 4 * (lane / 16) + lane / 2 % 4, column
/// 4 * (lane / 8 % 2) + 2 * (lane % 2) + e. Apple does not document the
/// order; this is how Metal FlashAttention (morton_order) and MLX read it.
constexpr FragmentLayout SimdgroupOperand = {
    2,
    {{{Thread, 16, 2, 4}, {Thread, 2, 4, 1}}, 2},
    {{{Thread, 8, 2, 4}, {Thread, 1, 2, 2}, {Element, 1, 2, 1}}, 3}};
const WMMALayout Simdgroup8x8 = {
    8, 8, 8, 32, SimdgroupOperand, SimdgroupOperand, SimdgroupOperand};

/// The instructions of td/Devices.td with a known layout.
const struct {
  const char *Name;
  const WMMALayout *Layout;
} Layouts[] = {
    {"mma.m16n8k16.f16", &MmaM16N8K16},
    {"mma.m16n8k16.bf16", &MmaM16N8K16},
    {"wmma.16x16x16.f16", &WmmaRDNA3},
    {"mfma.16x16x16.f16", &MfmaCDNA3},
    {"mfma.16x16x16.bf16", &MfmaCDNA3},
    {"simdgroup.8x8x8.f16", &Simdgroup8x8},
    {"simdgroup.8x8x8.f32", &Simdgroup8x8},
};

} // namespace

const WMMALayout *tg::lookupWMMALayout(llvm::StringRef Name) {
  for (const auto &Entry : Layouts)
    if (Name == Entry.Name)
      return Entry.Layout;
  return nullptr;
}
