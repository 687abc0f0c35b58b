//===- Matcher.cpp - backtracking pattern matching ------------------------===//
//
// Continuation-passing: matching a node checks it, binds its name, then
// matches its sources left to right, each with a continuation that matches
// the rest; the innermost continuation is the caller's. So a choice made for
// one source (an order of commutative sources, an alternative) is revisited
// when anything after it fails, including the caller's guard and action.
//
//===----------------------------------------------------------------------===//

#include "tg/Rewrite/Matcher.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <numeric>

using namespace tg;

/// Whether `P`'s node alone accepts `U` (op, type, argument). Most nodes ask
/// nothing of the argument: that case makes no call.
static bool fitsNode(const Pattern &P, const UOp *U) {
  return P.Ops.contains(U->getOp()) && P.Types.contains(U->getDType()) &&
         (P.Argument.getKind() == ArgMatch::Kind::Any ||
          P.Argument.matches(U->getArg()));
}

namespace {

using Continuation = llvm::function_ref<bool()>;

/// Pattern sources lined up with UOp sources: pattern I goes with UOp
/// source Order[I] (or I without an order).
struct SourcePairs {
  llvm::ArrayRef<Pattern> Patterns;
  llvm::ArrayRef<const UOp *> Srcs;
  const uint8_t *Order;
};

class Matcher {
public:
  explicit Matcher(Bindings &B) : B(B) {}

  bool match(const Pattern &P, const UOp *U, Continuation K);

private:
  bool matchSources(const Pattern &P, const UOp *U, Continuation K);
  bool matchPairs(const SourcePairs &Pairs, unsigned I, Continuation K);
  bool matchEach(const Pattern &P, llvm::ArrayRef<const UOp *> Srcs,
                 Continuation K);
  bool matchPermutations(const Pattern &P, llvm::ArrayRef<const UOp *> Srcs,
                         Continuation K);

  Bindings &B;
};

} // namespace

bool Matcher::match(const Pattern &P, const UOp *U, Continuation K) {
  if (!fitsNode(P, U))
    return false;
  bool Bound = false;
  if (P.Slot != Pattern::NoSlot) {
    if (const UOp *Previous = B[P.Slot]) {
      if (Previous != U)
        return false;
    } else {
      B.bind(P.Slot, U);
      Bound = true;
    }
  }
  if (matchSources(P, U, K))
    return true;
  if (Bound)
    B.unbind(P.Slot);
  return false;
}

bool Matcher::matchSources(const Pattern &P, const UOp *U, Continuation K) {
  if (P.IsAlternatives) {
    for (const Pattern &Alternative : P.Sources)
      if (match(Alternative, U, K))
        return true;
    return false;
  }
  llvm::ArrayRef<const UOp *> Srcs = U->getSrcs();
  size_t N = P.Sources.size();
  switch (P.Mode) {
  case SourceMode::Any:
    return K();
  case SourceMode::Exact:
    return Srcs.size() == N && matchPairs({P.Sources, Srcs, nullptr}, 0, K);
  case SourceMode::Prefix:
    return Srcs.size() >= N && matchPairs({P.Sources, Srcs, nullptr}, 0, K);
  case SourceMode::Each:
    return matchEach(P.Sources[0], Srcs, K);
  case SourceMode::Permutations:
    return Srcs.size() == N && matchPermutations(P, Srcs, K);
  }
  llvm_unreachable("unknown source mode");
}

bool Matcher::matchPairs(const SourcePairs &Pairs, unsigned I, Continuation K) {
  if (I == Pairs.Patterns.size())
    return K();
  const UOp *Src = Pairs.Srcs[Pairs.Order ? Pairs.Order[I] : I];
  return match(Pairs.Patterns[I], Src,
               [&] { return matchPairs(Pairs, I + 1, K); });
}

/// A UOp may have any number of sources (a sink of 100k stores), so each
/// source is matched on its own, in a loop, by its first match: no
/// backtracking across the sources and no recursion on their count.
bool Matcher::matchEach(const Pattern &P, llvm::ArrayRef<const UOp *> Srcs,
                        Continuation K) {
  Bindings Saved = B;
  for (const UOp *Src : Srcs) {
    if (!match(P, Src, [] { return true; })) {
      B = Saved;
      return false;
    }
  }
  if (K())
    return true;
  B = Saved;
  return false;
}

bool Matcher::matchPermutations(const Pattern &P,
                                llvm::ArrayRef<const UOp *> Srcs,
                                Continuation K) {
  size_t N = Srcs.size();
  assert(N <= MaxPermutedSources && "too many sources to match in any order");
  uint8_t Order[MaxPermutedSources];
  std::iota(Order, Order + N, 0);
  do {
    if (matchPairs({P.Sources, Srcs, Order}, 0, K))
      return true;
  } while (std::next_permutation(Order, Order + N));
  return false;
}

/// A necessary condition, checked without backtracking: the root and its
/// sources fit their pattern nodes. Most rules tried on a UOp fail here
/// (their pattern wants a constant or an op the sources do not have).
static bool mayMatch(const Pattern &P, const UOp *U) {
  if (!fitsNode(P, U))
    return false;
  if (P.IsAlternatives)
    return true;
  llvm::ArrayRef<const UOp *> Srcs = U->getSrcs();
  llvm::ArrayRef<Pattern> Children = P.Sources;
  switch (P.Mode) {
  case SourceMode::Exact:
  case SourceMode::Prefix:
    if (P.Mode == SourceMode::Exact ? Srcs.size() != Children.size()
                                    : Srcs.size() < Children.size())
      return false;
    for (size_t I = 0; I != Children.size(); ++I)
      if (!fitsNode(Children[I], Srcs[I]))
        return false;
    return true;
  case SourceMode::Permutations:
    if (Srcs.size() != Children.size())
      return false;
    if (Srcs.size() != 2)
      return true;
    return (fitsNode(Children[0], Srcs[0]) && fitsNode(Children[1], Srcs[1])) ||
           (fitsNode(Children[0], Srcs[1]) && fitsNode(Children[1], Srcs[0]));
  case SourceMode::Any:
  case SourceMode::Each:
    return true;
  }
  llvm_unreachable("unknown source mode");
}

bool tg::matchPattern(const Pattern &P, const UOp *U, Bindings &B,
                      llvm::function_ref<bool()> OnMatch) {
  return mayMatch(P, U) && Matcher(B).match(P, U, OnMatch);
}

/// A pattern node that says nothing about its sources: `$x`, `0`, `(const)`.
static bool isLeaf(const Pattern &P) {
  return !P.IsAlternatives && P.Mode == SourceMode::Any;
}

bool tg::isFlatPattern(const Pattern &P) {
  return !P.IsAlternatives &&
         (P.Mode == SourceMode::Exact || P.Mode == SourceMode::Permutations) &&
         P.Sources.size() <= MaxPermutedSources &&
         llvm::all_of(P.Sources, isLeaf);
}

/// Matches the leaf `P` against `U` as Matcher::match does; sets `Bound`
/// when it bound a slot.
static bool matchLeaf(const Pattern &P, const UOp *U, Bindings &B,
                      bool &Bound) {
  Bound = false;
  if (!fitsNode(P, U))
    return false;
  if (P.Slot == Pattern::NoSlot)
    return true;
  if (const UOp *Previous = B[P.Slot])
    return Previous == U;
  B.bind(P.Slot, U);
  Bound = true;
  return true;
}

bool tg::matchFlatPattern(const Pattern &P, const UOp *U, Bindings &B,
                          llvm::function_ref<bool()> OnMatch) {
  assert(isFlatPattern(P) && "not a flat pattern");
  llvm::ArrayRef<const UOp *> Srcs = U->getSrcs();
  size_t N = Srcs.size();
  if (!fitsNode(P, U) || N != P.Sources.size())
    return false;
  bool RootBound = false;
  if (P.Slot != Pattern::NoSlot) {
    if (const UOp *Previous = B[P.Slot]) {
      if (Previous != U)
        return false;
    } else {
      B.bind(P.Slot, U);
      RootBound = true;
    }
  }
  // The orders of matchPermutations (one for Exact), each source matched by
  // its leaf as the matcher would, bindings undone before the next order.
  uint8_t Order[MaxPermutedSources];
  std::iota(Order, Order + N, 0);
  do {
    bool Bound[MaxPermutedSources] = {};
    size_t Matched = 0;
    while (Matched != N && matchLeaf(P.Sources[Matched], Srcs[Order[Matched]],
                                     B, Bound[Matched]))
      ++Matched;
    if (Matched == N && OnMatch())
      return true;
    for (size_t I = 0; I != N; ++I)
      if (Bound[I])
        B.unbind(P.Sources[I].Slot);
  } while (P.Mode == SourceMode::Permutations &&
           std::next_permutation(Order, Order + N));
  if (RootBound)
    B.unbind(P.Slot);
  return false;
}