//===- GPUDims.cpp - the `gpudims` pass: ranges to launch indices ---------===//
//
// On a GPU the `global` and `local` ranges of a kernel are not loops: each
// thread of the launch runs one iteration of each. `gpudims` replaces them by
// launch indices, `special(n) {name = "gidx0"}` for work-groups and `lidx0`
// for threads within one, within the arch's limits:
//   - the innermost range of each kind becomes dimension 0 (x), the next one
//     1 (y), then 2 (z); a `warp` range (a tensor core's threads) is a
//     local range that comes first, so that its index is the lane in the
//     warp;
//   - more than three ranges of a kind: the outermost ones merge into the
//     last dimension (one index s of size N_a * N_b gives a = s // N_b and
//     b = s % N_b);
//   - a dimension larger than the arch allows, or a work-group with more
//     threads than it allows, is an error naming the limit.
// An `end` no longer closes them; one that closed only them becomes its
// effect. Kernels on arches without work-groups (CPUs) are left alone.
//
//===----------------------------------------------------------------------===//

#include "tg/Codegen/Passes.h"

#include "BodyBuilder.h"
#include "tg/IR/Arg.h"
#include "tg/Target/Device.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace tg;

namespace {

struct GPUDimsPass : FunctionPass {
  Option<std::string> Arch{*this, "arch",
                           "The arch whose launch limits apply (td/Devices.td)",
                           "sm_90"};
  Statistic NumSpecials{*this, "num-specials", "Launch indices made"};

  llvm::StringRef getArgument() const override { return "gpudims"; }
  llvm::StringRef getDescription() const override {
    return "Turn global and local ranges into launch indices within the "
           "arch's limits";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt(
        "turns loops into parallel threads; the interpreter checks it");
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override;
};

} // namespace

LogicalResult GPUDimsPass::runOnFunction(Function &F, PassContext &C) {
  if (!F.isKernel() || !F.getRoot())
    return success();
  const ArchInfo *A = lookupArch(Arch.getValue());
  if (!A)
    return C.getDiag().error(F.getLoc(),
                             "gpudims: unknown arch '" + Arch.getValue() + "'");
  if (!A->hasLocals())
    return success();
  Context &Ctx = C.getContext();
  DType Index = Ctx.getScalar(ScalarKind::Index);

  // The global and the local ranges, innermost (highest axis) first.
  llvm::SmallVector<const UOp *, 4> Kinds[2];
  for (const UOp *U : F.getBody()) {
    if (U->getOp() != Op::Range)
      continue;
    AxisKind K = U->getArgField(1)->getAxisKind();
    if (K == AxisKind::Global || K == AxisKind::Local || K == AxisKind::Warp)
      Kinds[K != AxisKind::Global].push_back(U);
  }
  for (auto &Ranges : Kinds)
    llvm::sort(Ranges, [](const UOp *X, const UOp *Y) {
      bool WarpX = X->getArgField(1)->getAxisKind() == AxisKind::Warp;
      bool WarpY = Y->getArgField(1)->getAxisKind() == AxisKind::Warp;
      if (WarpX != WarpY)
        return WarpX;
      return X->getArgField(0)->getInt() > Y->getArgField(0)->getInt();
    });

  // Each range's replacement, built in the body where the range was.
  llvm::DenseMap<const UOp *, const UOp *> Replacement;
  llvm::SmallVector<const UOp *, 8> NewUOps; // In the order they are made.
  auto Make = [&](const UOp *U) {
    NewUOps.push_back(U);
    return U;
  };
  int64_t Threads = 1;
  for (unsigned IsLocal = 0; IsLocal != 2; ++IsLocal) {
    llvm::ArrayRef<const UOp *> Ranges = Kinds[IsLocal];
    const int64_t *Limits = IsLocal ? A->MaxLocalDims : A->MaxGlobalDims;
    const char *Prefix = IsLocal ? "lidx" : "gidx";
    for (unsigned Dim = 0; Dim < 3 && Dim < Ranges.size(); ++Dim) {
      // The last dimension takes every range left.
      llvm::ArrayRef<const UOp *> Merged =
          Dim == 2 ? Ranges.drop_front(2) : Ranges.slice(Dim, 1);
      const UOp *Size = nullptr;
      for (const UOp *R : Merged)
        Size = Size ? Make(Ctx.get(Op::Mul, Index, {Size, R->getSrc(0)}))
                    : R->getSrc(0);
      // A constant size must fit the arch's limit for the dimension.
      if (Size->getOp() == Op::Const) {
        int64_t N = Size->getArg()->getInt();
        if (N > Limits[Dim])
          return C.getDiag().error(
              F.getLocOrDefault(Merged.front()),
              "gpudims: " + llvm::Twine(Prefix) + llvm::Twine(Dim) + " of " +
                  llvm::Twine(N) + " exceeds " + A->Name + "'s limit of " +
                  llvm::Twine(Limits[Dim]));
        if (IsLocal)
          Threads *= N;
      }
      const UOp *Special =
          Make(Ctx.get(Op::Special, Index, {Size},
                       Ctx.getStringArg((Prefix + llvm::Twine(Dim)).str())));
      ++NumSpecials;
      // Merged ranges: the innermost is the remainder, the others follow.
      const UOp *Rest = Special;
      for (size_t I = 0; I != Merged.size(); ++I) {
        const UOp *R = Merged[I];
        if (I + 1 == Merged.size()) {
          Replacement[R] = Rest;
          break;
        }
        Replacement[R] =
            Make(Ctx.get(Op::FloorMod, Index, {Rest, R->getSrc(0)}));
        Rest = Make(Ctx.get(Op::FloorDiv, Index, {Rest, R->getSrc(0)}));
      }
    }
  }
  if (Threads > A->MaxLocalSize)
    return C.getDiag().error(
        F.getLoc(), "gpudims: a work-group of " + llvm::Twine(Threads) +
                        " threads exceeds " + A->Name + "'s limit of " +
                        llvm::Twine(A->MaxLocalSize));
  if (Replacement.empty())
    return success();

  BodyBuilder Body(F, Ctx);
  bool Placed = false;
  for (const UOp *Old : F.getBody()) {
    if (auto It = Replacement.find(Old); It != Replacement.end()) {
      // The launch indices come where the first replaced range was.
      if (!Placed)
        for (const UOp *N : NewUOps)
          Body.addWithSources(N);
      Placed = true;
      Body.replace(Old, It->second);
      continue;
    }
    if (Old->getOp() != Op::End ||
        llvm::none_of(Old->getSrcs().drop_front(),
                      [&](const UOp *R) { return Replacement.count(R); })) {
      Body.rebuild(Old);
      continue;
    }
    llvm::SmallVector<const UOp *, 4> Srcs{Body.lookup(Old->getSrc(0))};
    for (const UOp *R : Old->getSrcs().drop_front())
      if (!Replacement.count(R))
        Srcs.push_back(Body.lookup(R));
    Body.replace(Old, Srcs.size() == 1
                          ? Srcs[0]
                          : Body.add(Ctx.get(Op::End, Old->getDType(), Srcs)));
  }
  Body.finish();
  return success();
}

std::unique_ptr<Pass> tg::createGPUDimsPass() {
  return std::make_unique<GPUDimsPass>();
}
