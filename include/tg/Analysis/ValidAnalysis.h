//===- ValidAnalysis.h - the bounds a gate implies --------------*- C++ -*-===//
//
// In `where(c, a, b)` the value of `a` is used only where `c` is true and `b`
// only where it is false; a gated `index` is accessed only where its gate
// (the final bool operand) is true. assumeCondition turns such a condition
// into Assumptions, bounds on the UOps it mentions, and a RangeAnalysis built
// on them gives every range where the condition holds:
//
//   if (std::optional<Assumptions> Inside = assumeCondition(Gate))
//     Range R = RangeAnalysis(std::move(*Inside)).getRange(Idx);
//
// The condition is read as a tree of requirements, from the root down (what
// tinygrad's parse_valid and uop_given_valid do, and more):
//   - `and` true: both true; `or` false: both false; either with one side
//     known: the other side;
//   - `cmplt(a, b)` true: a <= max(b) - 1 and b >= min(a) + 1; false: the
//     reverse (so `x < 10`, `5 < x` and their negations bound x);
//   - `cmpeq` / `cmpne` (and `xor` on bools): equal values share a range;
//     a value unequal to a constant at the end of its range loses that end,
//     so `xor(c, true)` and `cmpne(c, true)` negate c;
//   - `cast` to bool: zero or nonzero; a cast that cannot wrap: the same
//     bounds on its operand;
//   - an integer expression with known bounds passes them to its operands
//     through add, sub, neg, mul by a constant, floordiv by a positive
//     constant and max (fixed-width ops only where they cannot wrap), so
//     `i + k - 1 >= 0` bounds i and k as well as the sum.
// Each operand's bounds use the best ranges known so far; a few rounds of
// this settle what intervals can say.
//
//===----------------------------------------------------------------------===//

#ifndef TG_ANALYSIS_VALIDANALYSIS_H
#define TG_ANALYSIS_VALIDANALYSIS_H

#include "tg/Analysis/RangeAnalysis.h"

#include <optional>

namespace tg {

/// What holds wherever the bool `Cond` evaluates to `Value`, where `Outer`
/// holds too (an enclosing gate): Outer plus the bounds Cond implies, for a
/// RangeAnalysis to use. std::nullopt when Cond can never be Value there,
/// which makes the guarded code dead.
std::optional<Assumptions>
assumeCondition(const UOp *Cond, bool Value = true,
                const Assumptions &Outer = Assumptions());

/// The same, where `OuterRanges`'s assumptions hold: its cache serves the
/// first of the solver's rounds, so the solves for both values of a
/// condition (and the caller's own queries) compute those ranges once.
std::optional<Assumptions> assumeCondition(const UOp *Cond, bool Value,
                                           RangeAnalysis &OuterRanges);

} // namespace tg

#endif // TG_ANALYSIS_VALIDANALYSIS_H
