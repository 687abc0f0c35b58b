//===- RangeScope.h - the loops that enclose each UOp of a kernel -*- C++
//-*-===//
//
// A `range` is a loop, and a UOp lies inside the loop of every range it
// depends on, except the ranges an `end` or a `reduce` closes on the way:
//
//   %i = range(%n)            open: {%i}
//   %x = load(index(%in, %i)) open: {%i}
//   %s = reduce(%x, %i)       open: {}      (the reduce closes %i)
//   %e = end(store(..., %i))  open: {}      (so does the end)
//
// remove-reduce asks which ranges enclose a reduction (they re-initialize its
// accumulator); linearize places every UOp inside the loops open at it.
//
//===----------------------------------------------------------------------===//

#ifndef TG_CODEGEN_RANGESCOPE_H
#define TG_CODEGEN_RANGESCOPE_H

#include "tg/IR/UOp.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallBitVector.h"

#include <vector>

namespace tg {

class RangeScope {
public:
  /// The ranges open at `U`, as a set of range numbers (getRange). `U`'s
  /// sources are visited first; results are cached, so asking for every UOp
  /// of a kernel costs one walk.
  llvm::SmallBitVector getOpen(const UOp *U);

  /// The ranges seen so far, by number (in the order they were first seen).
  llvm::ArrayRef<const UOp *> getRanges() const { return Ranges; }
  const UOp *getRange(unsigned Number) const { return Ranges[Number]; }
  /// The number of the range `R`, numbering it if it is new.
  unsigned getNumber(const UOp *R);

private:
  void compute(const UOp *U);

  std::vector<const UOp *> Ranges;
  llvm::DenseMap<const UOp *, unsigned> Numbers;
  llvm::DenseMap<const UOp *, llvm::SmallBitVector> Open;
};

} // namespace tg

#endif // TG_CODEGEN_RANGESCOPE_H
