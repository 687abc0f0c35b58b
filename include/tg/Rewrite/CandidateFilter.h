//===- CandidateFilter.h - selecting the rules worth matching ---*- C++ -*-===//
//
// A rule set dispatches a UOp to the rules whose pattern root can have its
// op (the candidates), but most candidates fail on what a glance at the UOp
// shows: the dtype the rule's types apply to, the number of sources, the
// ops (or constant values) of the first two sources. A CandidateFilter
// holds, for the candidates of one op, bit masks indexed by those fields
// (bit K: the K-th candidate), computed once as rules join the set;
// selecting the candidates for a UOp is then a few ANDs per 64 rules
// instead of a run of the matcher for each.
//
// What the filter checks is a necessary condition for a match; the matcher
// still decides. Sources matched in any order are checked in either order
// where the pattern has two of them, and not at all where it has more.
//
//===----------------------------------------------------------------------===//

#ifndef TG_REWRITE_CANDIDATEFILTER_H
#define TG_REWRITE_CANDIDATEFILTER_H

#include "tg/IR/UOp.h"

#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <vector>

namespace tg {

class Rule;

class CandidateFilter {
public:
  /// Appends `R`, a rule whose pattern root can have op `Root`, as the next
  /// candidate.
  void add(const Rule &R, Op Root);

  /// Sets `Mask` to the candidates that may match `U` (a UOp of this
  /// filter's op): bit K of word K / 64 for the K-th candidate.
  void select(const UOp *U, llvm::SmallVectorImpl<uint64_t> &Mask) const;

private:
  /// A source is keyed by its op, except that a `const` is keyed by its
  /// value, 0, 1, -1 or another (rules such as `x * 1` ask for a value).
  enum : unsigned {
    NumValueClasses = 4,
    NumSourceKeys = NumOps + NumValueClasses
  };
  static unsigned getSourceKey(const UOp *Src);

  /// The rows: one mask of candidates per value of a field of the UOp.
  enum : unsigned {
    /// By number of sources: 0, 1, 2, 3, and 4 or more.
    ArityRows = 0,
    NumArities = 5,
    /// By dtype (a scalar kind, or NumScalarKinds for pointers): of the
    /// root, and of the first source (a comparison's rule types).
    RootTypeRows = ArityRows + NumArities,
    NumTypeRows = NumScalarKinds + 1,
    FirstSourceTypeRows = RootTypeRows + NumTypeRows,
    /// By the key of source 0 and 1 (getSourceKey); and, for a pattern
    /// with two sources in any order, by the key of source 1 and 0 (zero
    /// for other patterns).
    Source0Rows = FirstSourceTypeRows + NumTypeRows,
    Source1Rows = Source0Rows + NumSourceKeys,
    Swapped0Rows = Source1Rows + NumSourceKeys,
    Swapped1Rows = Swapped0Rows + NumSourceKeys,
    NumRows = Swapped1Rows + NumSourceKeys,
  };

  const uint64_t *getRow(unsigned Row) const {
    return &Masks[size_t(Row) * NumWords];
  }
  void setBit(unsigned Row, unsigned Candidate) {
    Masks[size_t(Row) * NumWords + Candidate / 64] |= uint64_t(1)
                                                      << (Candidate % 64);
  }
  /// Makes room for candidate `NumCandidates`.
  void grow();

  unsigned NumCandidates = 0;
  unsigned NumWords = 0;
  std::vector<uint64_t> Masks; ///< NumRows rows of NumWords words.
};

} // namespace tg

#endif // TG_REWRITE_CANDIDATEFILTER_H
