//===- WMMA.h - the fragment layouts of the `wmma` op -----------*- C++ -*-===//
//
// A `wmma` computes D (N x M) = A (N x K) * B (K x M) + C over the threads
// of a warp, each holding fixed elements of A, B, C and D in registers: its
// fragment, one vector per operand. Which elements a thread holds is the
// instruction's layout, given here as data, so that the `opt` pass (which
// makes each thread load its elements) and the interpreter (which runs the
// instruction) read one definition. A row or column is a sum of terms
// (X / Div) % Mod * Scale, X the thread's lane in the warp or the element's
// lane in the fragment.
//
//===----------------------------------------------------------------------===//

#ifndef TG_IR_WMMA_H
#define TG_IR_WMMA_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <utility>

namespace tg {

/// (X / Div) % Mod * Scale, X the lane of the thread or of the element.
struct FragmentTerm {
  bool OfThread;
  int64_t Div, Mod, Scale;
};

/// A row or a column: the sum of its terms.
struct FragmentCoordinate {
  FragmentTerm Terms[3];
  unsigned NumTerms;

  llvm::ArrayRef<FragmentTerm> getTerms() const { return {Terms, NumTerms}; }
  int64_t evaluate(int64_t Thread, int64_t Element) const;
};

/// Where each element of one operand's fragment lies in its matrix.
struct FragmentLayout {
  unsigned Elements; ///< Per thread.
  FragmentCoordinate Row, Col;

  std::pair<int64_t, int64_t> getPosition(int64_t Thread,
                                          int64_t Element) const {
    return {Row.evaluate(Thread, Element), Col.evaluate(Thread, Element)};
  }
};

/// The layout of a tensor-core instruction of shape [N, M, K] over Threads
/// threads. C and D share one.
struct WMMALayout {
  unsigned N, M, K, Threads;
  FragmentLayout A, B, C;
};

/// The layout of the tensor-core instruction `Name` (td/Devices.td), or
/// null when tg knows none: NVIDIA's mma.m16n8k16, RDNA3's wmma, CDNA3's
/// mfma 16x16x16 and Metal's 8x8 simdgroup matrices have one.
const WMMALayout *lookupWMMALayout(llvm::StringRef Name);

} // namespace tg

#endif // TG_IR_WMMA_H
