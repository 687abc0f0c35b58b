//===- RangeAnalysis.h - value ranges of integer UOps -----------*- C++ -*-===//
//
// RangeAnalysis gives every integer and bool UOp a Range holding each value
// it may take (tinygrad's vmin/vmax), for the guards of symbolic rules and
// for lower-index's choice of widths. `index` ranges are exact interval
// arithmetic on mathematical integers and may be unbounded; a fixed-width
// op whose mathematical result may leave its type wraps (mayWrap), and its
// range is the wrapped interval when that is one interval, else the whole
// type. Values of other types (floats, pointers) are not tracked: their
// range is unbounded. The per-op rules are listed in docs/Analysis.md.
//
// An analysis object caches what it computes, so ask one object about many
// UOps of one DAG; the walk uses an explicit stack, so chains of any depth
// are fine. Built with Assumptions (see ValidAnalysis.h), it gives ranges
// where those hold: each assumed UOp's range is intersected with its
// assumption, and everything computed from it sees the tighter range.
//
// An empty range means the UOp is never evaluated (it depends on the
// variable of a loop that never runs): every check of it holds vacuously.
//
//===----------------------------------------------------------------------===//

#ifndef TG_ANALYSIS_RANGEANALYSIS_H
#define TG_ANALYSIS_RANGEANALYSIS_H

#include "tg/Analysis/Range.h"
#include "tg/IR/UOp.h"
#include "tg/IR/UOpIndexMap.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace tg {

/// Facts assumed about UOps: wherever they hold, each UOp's value lies in
/// its range. Keyed by pointer; never iterate it into output.
using Assumptions = llvm::DenseMap<const UOp *, Range>;

class RangeAnalysis {
public:
  RangeAnalysis() = default;
  explicit RangeAnalysis(Assumptions Assumed) : Assumed(std::move(Assumed)) {}

  Range getRange(const UOp *U) { return lookupOrCompute(U).TheRange; }
  Bound getMin(const UOp *U) { return getRange(U).Min; }
  Bound getMax(const UOp *U) { return getRange(U).Max; }
  /// U is a fixed-width integer op whose mathematical result may lie
  /// outside its type, so its value may be that result wrapped.
  bool mayWrap(const UOp *U) { return lookupOrCompute(U).MayWrap; }

  bool isKnownNonNegative(const UOp *U) { return getMin(U) >= 0; }
  bool isKnownPositive(const UOp *U) { return getMin(U) > 0; }
  bool isKnownNegative(const UOp *U) { return getMax(U) < 0; }

  const Assumptions &getAssumptions() const { return Assumed; }
  /// How many UOps this analysis has computed a range for; each is
  /// computed once.
  unsigned getNumComputed() const { return NumComputed; }

private:
  struct Entry {
    Range TheRange;
    bool MayWrap;
  };
  const Entry &lookupOrCompute(const UOp *U);
  /// U's cached entry, or nullptr. Valid until the next insert.
  const Entry *lookup(const UOp *U) const;
  const Entry &insert(const UOp *U, Entry E);
  /// Stores the entry of the UOp whose Index slot is Entries.size().
  const Entry &append(Entry E);
  /// Appends the ranges of U's sources that U's rule reads (none for some
  /// ops); false when one is not cached yet.
  bool getCachedSourceRanges(const UOp *U,
                             llvm::SmallVectorImpl<Range> &SrcRanges) const;
  Entry compute(const UOp *U, llvm::ArrayRef<Range> SrcRanges);
  /// getCachedSourceRanges, except that an uncached source whose range
  /// reads no sources (a variable, a constant) is computed into NewLeaves
  /// (not cached, each once); false, with nothing computed, when another
  /// source is uncached (it needs the walk).
  bool gatherSourceRanges(
      const UOp *U, llvm::SmallVectorImpl<Range> &SrcRanges,
      llvm::SmallVectorImpl<std::pair<const UOp *, Entry>> &NewLeaves);

  /// Each UOp's position in Entries. One analysis caches every UOp of a
  /// rewrite, so the map holds small buckets and the entries lie apart.
  UOpIndexMap Index;
  std::vector<Entry> Entries;
  Assumptions Assumed;
  unsigned NumComputed = 0;
};

} // namespace tg

#endif // TG_ANALYSIS_RANGEANALYSIS_H
