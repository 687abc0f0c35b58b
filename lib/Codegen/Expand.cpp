//===- Expand.cpp - the `expand` pass: upcast and unroll ranges unrolled --===//
//
// An `upcast` or `unroll` range of constant size K is not a loop: `expand`
// computes everything that depends on it K times, once per value 0..K-1,
// in place of the range, and
//   - an `end` that closes it ends the group of the K effects;
//   - a `reduce` over it combines the K values with its op (a balanced
//     tree folding halves: value i with value i + K/2, as a vector
//     reduction does) and reduces what remains over its other ranges;
//     with `lane-accumulators`, a reduce of a scalar that still has a
//     range left to loop over reduces the vector of its K copies instead
//     (a `vectorize`), lane by lane over the other ranges, and the K lanes
//     of the result are combined (the same tree) once after the loop:
//     `remove-reduce` gives it a vector accumulator, and an iteration
//     updates K independent lanes (vector ops on the CPU) instead of
//     folding its K values into one (a horizontal reduction, whose last
//     step also waits for the previous iteration's). A reduce of a vector
//     (expanded already over another range) combines its copies lane by
//     lane as before. This reorders the combination: exact for max and
//     integer add and mul; float add and mul are reassociated (as the tree
//     already does), which `--check` accepts within its per-dtype
//     tolerance;
//   - a `contract` over it is the vector of the K values, and the copy J of
//     an `unroll` by it is lane J of its vector (tensor-core fragments).
// The copies are scalars; consecutive ones become vector accesses later
// (coalesce). UOps that do not depend on the range are shared, so loop
// invariants stay computed once.
//
//===----------------------------------------------------------------------===//

#include "tg/Codegen/Passes.h"

#include "BodyBuilder.h"
#include "tg/Codegen/RangeScope.h"
#include "tg/IR/Arg.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace tg;

namespace {

/// The most copies one range may make.
constexpr int64_t MaxExpansion = 256;

struct ExpandPass : FunctionPass {
  Option<bool> LaneAccumulators{
      *this, "lane-accumulators",
      "A reduce of a scalar over an expanded range and a loop accumulates "
      "the vector of its copies, whose lanes are combined after the loop, "
      "instead of combining the copies in every iteration",
      false};
  Statistic NumExpanded{*this, "num-expanded", "Ranges expanded"};
  Statistic NumVectorReduces{*this, "num-vector-reduces",
                             "Reduces turned into reduces of the vector of "
                             "their copies"};

  llvm::StringRef getArgument() const override { return "expand"; }
  llvm::StringRef getDescription() const override {
    return "Unroll upcast and unroll ranges into copies of what depends on "
           "them";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt(
        "replaces a loop by its copies; the interpreter checks it");
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override;
};

bool isExpandable(const UOp *U) {
  if (U->getOp() != Op::Range)
    return false;
  AxisKind K = U->getArgField(1)->getAxisKind();
  return K == AxisKind::Upcast || K == AxisKind::Unroll;
}

/// `Values` combined with `O`, as a balanced tree whose levels combine
/// value i with value i + n/2 (the middle one of an odd n waits for the next
/// level): as a vector reduction folds halves, so that on the CPU each level
/// is one vector op on neighbouring lanes.
const UOp *combine(Context &Ctx, BodyBuilder &Body, Op O,
                   llvm::ArrayRef<const UOp *> Values) {
  llvm::SmallVector<const UOp *, 16> Level(Values.begin(), Values.end());
  while (Level.size() > 1) {
    size_t Half = Level.size() / 2, Upper = Level.size() - Half;
    llvm::SmallVector<const UOp *, 16> Next;
    for (size_t I = 0; I != Half; ++I)
      Next.push_back(Body.add(
          Ctx.get(O, Level[I]->getDType(), {Level[I], Level[I + Upper]})));
    if (Upper != Half)
      Next.push_back(Level[Half]);
    Level = std::move(Next);
  }
  return Level.front();
}

/// Expands the range `U` of `F`. With `LaneAccumulators`, a reduce of a
/// scalar over `U` and a range that stays a loop reduces the vector of its
/// copies (counted in `NumVectorReduces`).
LogicalResult expandRange(Function &F, PassContext &C, const UOp *U,
                          bool LaneAccumulators,
                          PassStatistic &NumVectorReduces) {
  Context &Ctx = C.getContext();
  if (U->getSrc(0)->getOp() != Op::Const)
    return C.getDiag().error(F.getLocOrDefault(U),
                             "expand: an upcast or unroll range needs a "
                             "constant size");
  int64_t K = U->getSrc(0)->getArg()->getInt();
  if (K < 1 || K > MaxExpansion)
    return C.getDiag().error(F.getLocOrDefault(U),
                             "expand: a range of " + llvm::Twine(K) +
                                 " would make that many copies; at most " +
                                 llvm::Twine(MaxExpansion));
  RangeScope Scope;
  unsigned Number = Scope.getNumber(U);
  auto InLane = [&](const UOp *X) {
    llvm::SmallBitVector Open = Scope.getOpen(X);
    return Number < Open.size() && Open.test(Number);
  };

  BodyBuilder Body(F, Ctx);
  llvm::DenseMap<const UOp *, llvm::SmallVector<const UOp *, 8>> Lanes;
  auto LaneOf = [&](const UOp *X, int64_t J) {
    auto It = Lanes.find(X);
    return It == Lanes.end() ? Body.lookup(X) : It->second[J];
  };
  DType Index = Ctx.getScalar(ScalarKind::Index);
  DType Void = Ctx.getScalar(ScalarKind::Void);
  for (const UOp *Old : F.getBody()) {
    if (Old == U) {
      auto &L = Lanes[Old];
      for (int64_t J = 0; J != K; ++J)
        L.push_back(Body.addWithSources(Ctx.getConst(Index, J)));
      continue;
    }
    if (Old->getOp() == Op::Contract && Old->getSrc(1) == U) {
      llvm::SmallVector<const UOp *, 8> Values;
      for (int64_t J = 0; J != K; ++J)
        Values.push_back(LaneOf(Old->getSrc(0), J));
      Body.replace(Old,
                   Body.add(Ctx.get(Op::Vectorize, Old->getDType(), Values)));
      continue;
    }
    if (Old->getOp() == Op::Unroll && Old->getSrc(1) == U) {
      auto &L = Lanes[Old];
      for (int64_t J = 0; J != K; ++J)
        L.push_back(Body.add(Ctx.get(Op::GEP, Old->getDType(),
                                     {LaneOf(Old->getSrc(0), J)},
                                     Ctx.getIntListArg({J}))));
      continue;
    }
    bool Closes = (Old->getOp() == Op::End || Old->getOp() == Op::Reduce) &&
                  llvm::is_contained(Old->getSrcs().drop_front(), U);
    if (Closes) {
      llvm::SmallVector<const UOp *, 8> Values;
      for (int64_t J = 0; J != K; ++J)
        Values.push_back(LaneOf(Old->getSrc(0), J));
      bool Loops = llvm::any_of(Old->getSrcs().drop_front(), [&](const UOp *R) {
        return R != U && !isExpandable(R);
      });
      DType T = Old->getDType();
      if (LaneAccumulators && Old->getOp() == Op::Reduce && K > 1 && Loops &&
          T.isScalar()) {
        // The copies as one vector, reduced lane by lane over the other
        // ranges; its lanes combined afterwards.
        DType Vector = Ctx.getVector(T, K);
        llvm::SmallVector<const UOp *, 6> Srcs{
            Body.add(Ctx.get(Op::Vectorize, Vector, Values))};
        for (const UOp *R : Old->getSrcs().drop_front())
          if (R != U)
            Srcs.push_back(Body.lookup(R));
        const UOp *Partial =
            Body.add(Ctx.get(Op::Reduce, Vector, Srcs, Old->getArg()));
        llvm::SmallVector<const UOp *, 8> Lanes;
        for (int64_t J = 0; J != K; ++J)
          Lanes.push_back(
              Body.add(Ctx.get(Op::GEP, T, {Partial}, Ctx.getIntListArg({J}))));
        Body.replace(Old,
                     combine(Ctx, Body, Old->getArgField(0)->getOp(), Lanes));
        ++NumVectorReduces;
        continue;
      }
      const UOp *Value =
          Old->getOp() == Op::End
              ? (K == 1 ? Values[0]
                        : Body.add(Ctx.get(Op::Group, Void, Values)))
              : combine(Ctx, Body, Old->getArgField(0)->getOp(), Values);
      llvm::SmallVector<const UOp *, 6> Srcs{Value};
      for (const UOp *R : Old->getSrcs().drop_front())
        if (R != U)
          Srcs.push_back(Body.lookup(R));
      Body.replace(Old, Srcs.size() == 1
                            ? Value
                            : Body.add(Ctx.get(Old->getOp(), Old->getDType(),
                                               Srcs, Old->getArg())));
      continue;
    }
    if (!InLane(Old)) {
      Body.rebuild(Old);
      continue;
    }
    if (Old->getOp() == Op::Range)
      return C.getDiag().error(F.getLocOrDefault(Old),
                               "expand: this range's size depends on the "
                               "range being expanded");
    auto &L = Lanes[Old];
    for (int64_t J = 0; J != K; ++J) {
      llvm::SmallVector<const UOp *, 4> Srcs;
      for (const UOp *S : Old->getSrcs())
        Srcs.push_back(LaneOf(S, J));
      L.push_back(Body.add(
          Ctx.get(Old->getOp(), Old->getDType(), Srcs, Old->getArg())));
    }
  }
  if (Lanes.count(F.getRoot()))
    return C.getDiag().error(F.getLoc(),
                             "expand: an upcast or unroll range is never "
                             "closed by an 'end' or a 'reduce'");
  Body.finish();
  return success();
}

} // namespace

LogicalResult ExpandPass::runOnFunction(Function &F, PassContext &C) {
  if (!F.isKernel() || !F.getRoot())
    return success();
  for (;;) {
    auto It = llvm::find_if(F.getBody(), isExpandable);
    if (It == F.getBody().end())
      return success();
    if (failed(expandRange(F, C, *It, LaneAccumulators, NumVectorReduces)))
      return failure();
    ++NumExpanded;
  }
}

std::unique_ptr<Pass> tg::createExpandPass() {
  return std::make_unique<ExpandPass>();
}
