//===- Divisibility.h - constant factors of integer UOps --------*- C++ -*-===//
//
// DivisibilityAnalysis finds a constant known to divide every value of an
// integer UOp (tinygrad's const_factor, generalized): `x*4 + y*8` has factor
// 4, `(x*8) // 2` has 4, `(x*6) % 4` has 2. Symbolic rules use it to split
// and cancel divisions. A fixed-width op that may wrap keeps only the
// power-of-two part of its factor, since wrapping subtracts multiples of
// 2^bits; the RangeAnalysis it is built on says which ops may wrap. Cached
// and iterative like RangeAnalysis. docs/Analysis.md lists the rules.
//
//===----------------------------------------------------------------------===//

#ifndef TG_ANALYSIS_DIVISIBILITY_H
#define TG_ANALYSIS_DIVISIBILITY_H

#include "tg/Analysis/RangeAnalysis.h"

#include <cstdint>

namespace tg {

class DivisibilityAnalysis {
public:
  explicit DivisibilityAnalysis(RangeAnalysis &Ranges) : Ranges(Ranges) {}

  /// The largest constant known to divide every value of U: 0 when U is
  /// always 0 (every constant divides it), 1 when nothing better is known,
  /// and 1 for anything that is not an integer.
  uint64_t getConstFactor(const UOp *U);
  /// Whether C (nonzero) is known to divide every value of U.
  bool divides(const UOp *U, int64_t C);

private:
  uint64_t compute(const UOp *U);

  RangeAnalysis &Ranges;
  llvm::DenseMap<const UOp *, uint64_t> Cache;
};

} // namespace tg

#endif // TG_ANALYSIS_DIVISIBILITY_H
