//===- Matcher.h - matching a pattern against a UOp -------------*- C++ -*-===//
//
// The matcher enumerates every way a Pattern matches a UOp: commutative
// sources in each order and each alternative of an anyOf, binding names to
// slots of a fixed array as it goes and unbinding them when it backtracks.
// For each complete match it calls a continuation; the continuation
// returning true ends the search (the rule fired), false asks for the next
// way to match (a guard or an action said no).
//
// Matching allocates nothing; it recurses on the depth of the pattern, never
// on the depth of the graph.
//
//===----------------------------------------------------------------------===//

#ifndef TG_REWRITE_MATCHER_H
#define TG_REWRITE_MATCHER_H

#include "tg/Rewrite/Pattern.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <array>
#include <cassert>

namespace tg {

/// How many distinct names one rule's pattern may bind.
inline constexpr unsigned MaxBindings = 16;

/// The UOps bound to a pattern's names, indexed by slot (Pattern::Slot).
/// Unbound slots are nullptr; a failed match leaves every slot unbound.
class Bindings {
public:
  const UOp *operator[](unsigned Slot) const {
    assert(Slot < MaxBindings && "binding slot out of range");
    return Slots[Slot];
  }
  bool bind(unsigned Slot, const UOp *U) {
    assert(Slot < MaxBindings && "binding slot out of range");
    if (Slots[Slot])
      return Slots[Slot] == U;
    Slots[Slot] = U;
    return true;
  }
  void unbind(unsigned Slot) { Slots[Slot] = nullptr; }
  /// Unbinds slots [0, NumSlots) (and the others, which are unbound: a
  /// fixed-size clear is a few stores where a variable one is a memset call).
  void reset(unsigned NumSlots) {
    assert(NumSlots <= MaxBindings && "binding slot out of range");
    (void)NumSlots;
    Slots.fill(nullptr);
  }

private:
  std::array<const UOp *, MaxBindings> Slots{};
};

/// Calls `OnMatch` for each way `P` matches `U` (bindings in `B`) until it
/// returns true; returns whether it did. Slots must have been assigned (see
/// Rule). Bindings made for a rejected match are undone before the next.
bool matchPattern(const Pattern &P, const UOp *U, Bindings &B,
                  llvm::function_ref<bool()> OnMatch);

/// Whether `P` is one op node whose sources say nothing of their own
/// sources (`(add $x, $y)`, `(mul $x, 1)`, the pattern of every hook): it
/// matches by checking each source in each order, with the matches of
/// matchPattern in the same order, without continuations.
bool isFlatPattern(const Pattern &P);
/// matchPattern for a pattern for which isFlatPattern holds.
bool matchFlatPattern(const Pattern &P, const UOp *U, Bindings &B,
                      llvm::function_ref<bool()> OnMatch);

} // namespace tg

#endif // TG_REWRITE_MATCHER_H
