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

} // namespace

const WMMALayout *tg::lookupWMMALayout(llvm::ArrayRef<int64_t> Dims,
                                       int64_t Threads) {
  const WMMALayout &L = MmaM16N8K16;
  if (Dims.size() == 3 && Dims[0] == L.N && Dims[1] == L.M && Dims[2] == L.K &&
      Threads == L.Threads)
    return &L;
  return nullptr;
}
