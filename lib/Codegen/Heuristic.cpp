//===- Heuristic.cpp - the `heuristic` pass: opts chosen by hand rules ----===//
//
// Chooses opts for each kernel without measuring, in the spirit of
// tinygrad's hand-coded optimizations, and appends them to its `opts` for
// the `opt` pass to apply:
//   - in a kernel that reduces, up to two output axes divisible by 4 along
//     which some load is reused (a matmul's, a convolution's) are upcast by
//     4: each iteration computes a 4 x 4 tile, reusing each loaded value;
//   - a reduce range of at most 4 iterations is unrolled whole, a longer one
//     by 8 or 4 (independent partial results), within the copies left;
//   - in an elementwise kernel, the innermost output axis divisible by 4 is
//     upcast by 4, so that neighbouring elements become neighbouring lanes.
// The total number of copies stays at most 64. On an arch with work-group
// threads, the outermost global axis also gets a local split of up to 16
// (the GPU pipeline maps it to threads).
//
// On an arch without work-group threads (the CPU, which spreads the
// outermost global axis over host threads), the copies of an upcast or
// unroll become vector instructions (LLVM's SLP vectorizer packs them), so
// the rules aim at vector registers instead:
//   - a register tile: in a kernel that reduces, up to two output axes
//     along which a reduction reuses a load (a load inside a reduce whose
//     result depends on the axis, while the load itself does not) are
//     upcast, the innermost by 32, 16, 8 or 4 (a row of B: several vector
//     loads), the next by 8, 4 or 2 (rows of A, broadcast): a matmul gets
//     an 8 x 32 tile of independent accumulators, 16 zmm registers with
//     AVX-512 (AVX2 hosts spill part of it, and still run it faster than a
//     4 x 16 tile that fits);
//   - every reduce range that no tile multiplies is unrolled by 16, 8 or 4
//     (each reduce in a row kernel such as softmax, not only the last);
//   - an output loop range with no reuse (softmax's loop writing the row)
//     and an elementwise kernel's innermost output axis are upcast by 16,
//     8 or 4 (vectors of neighbouring elements), where divisible.
// Sizes are powers of two dividing the range, leaving at least two
// iterations.
//
// On an arch with work-group threads and local memory, a kernel with one
// reduction whose output is small next to it (at most 2048 outputs, or at
// least 4 reduced elements per output) is grouped instead, as tinygrad's
// GROUPTOP: no output upcasts or local splits; the innermost reduce range
// is unrolled by one vector of the arch (16 bytes: 4 f32), the first
// reduce range (innermost first) that a power of two from 256 down to 16
// divides after that is `group`ed by the largest such, and what each
// thread has left of it is unrolled by 4 or 2. `group` puts the threads
// innermost, so for a contiguous reduction each copy is a vector load and
// consecutive threads read consecutive vectors (coalesced), with several
// loads in flight per thread.
//
//===----------------------------------------------------------------------===//

#include "tg/Codegen/Passes.h"

#include "tg/Codegen/RangeScope.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Context.h"
#include "tg/Target/Device.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

#include <tuple>

using namespace tg;

namespace {

struct HeuristicPass : FunctionPass {
  Option<std::string> Arch{
      *this, "arch", "The arch to choose opts for (td/Devices.td)", "x86-64"};
  Statistic NumChosen{*this, "num-chosen", "Opts chosen"};

  llvm::StringRef getArgument() const override { return "heuristic"; }
  llvm::StringRef getDescription() const override {
    return "Choose opts for each kernel by hand rules and append them to its "
           "opts";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt("changes only the opts attribute");
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override;
};

struct RangeInfo {
  int64_t Axis, Size;
  AxisKind Kind;
  const UOp *Range;
};

/// The largest of `Choices` that divides `Size` and leaves at least two
/// iterations; 0 if none does.
int64_t pickSplit(int64_t Size, std::initializer_list<int64_t> Choices) {
  for (int64_t By : Choices)
    if (Size % By == 0 && Size >= 2 * By)
      return By;
  return 0;
}

/// The opts for an arch without work-group threads (the header's CPU
/// rules), as (kind, axis, amount).
std::vector<std::tuple<OptKind, int64_t, int64_t>>
chooseForCPU(const Function &F, llvm::ArrayRef<RangeInfo> Outputs,
             llvm::ArrayRef<RangeInfo> Reduces) {
  std::vector<std::tuple<OptKind, int64_t, int64_t>> Opts;
  RangeScope Scope;
  // The loads that each reduce reads (through its source's DAG).
  llvm::SmallVector<std::pair<const UOp *, llvm::SmallVector<const UOp *, 4>>,
                    4>
      ReduceLoads;
  for (const UOp *U : F.getBody()) {
    if (U->getOp() != Op::Reduce)
      continue;
    llvm::SmallVector<const UOp *, 4> Loads;
    llvm::SmallPtrSet<const UOp *, 32> Seen;
    llvm::SmallVector<const UOp *, 32> Work{U->getSrc(0)};
    while (!Work.empty()) {
      const UOp *X = Work.pop_back_val();
      if (!Seen.insert(X).second)
        continue;
      if (X->getOp() == Op::Load)
        Loads.push_back(X);
      for (const UOp *S : X->getSrcs())
        Work.push_back(S);
    }
    ReduceLoads.push_back({U, std::move(Loads)});
  }
  auto Depends = [&](const UOp *U, const UOp *R) {
    unsigned N = Scope.getNumber(R);
    llvm::SmallBitVector Open = Scope.getOpen(U);
    return N < Open.size() && Open.test(N);
  };
  auto Reused = [&](const UOp *R) {
    for (const auto &[Reduce, Loads] : ReduceLoads)
      if (Depends(Reduce, R))
        for (const UOp *L : Loads)
          if (!Depends(L->getSrc(0), R))
            return true;
    return false;
  };

  // The register tile.
  int64_t Tiled = 1;
  unsigned TileAxes = 0;
  llvm::SmallVector<const UOp *, 2> InTile;
  if (!Reduces.empty())
    for (auto It = Outputs.rbegin(); It != Outputs.rend() && TileAxes < 2;
         ++It) {
      if (!Reused(It->Range))
        continue;
      int64_t By = TileAxes == 0 ? pickSplit(It->Size, {32, 16, 8, 4})
                                 : pickSplit(It->Size, {8, 4, 2});
      if (!By)
        continue;
      Opts.emplace_back(OptKind::Upcast, It->Axis, By);
      Tiled *= By;
      InTile.push_back(It->Range);
      ++TileAxes;
    }
  // Reductions no tile multiplies: each unrolled.
  // (A range of at most 4 iterations is unrolled whole: amount 0.)
  if (Tiled == 1)
    for (const RangeInfo &R : Reduces) {
      bool Short = R.Size > 1 && R.Size <= 4;
      int64_t By = Short ? 0 : pickSplit(R.Size, {16, 8, 4});
      if (Short || By)
        Opts.emplace_back(OptKind::Unroll, R.Axis, By);
    }
  // Vectors of neighbouring elements: the innermost output axis of an
  // elementwise kernel, and output loop ranges outside the tile.
  for (auto It = Outputs.rbegin(); It != Outputs.rend(); ++It) {
    bool Elementwise = Reduces.empty() && It == Outputs.rbegin();
    bool Loop = !Reduces.empty() && It->Kind == AxisKind::Loop &&
                !llvm::is_contained(InTile, It->Range);
    if (!Elementwise && !Loop)
      continue;
    if (int64_t By = pickSplit(It->Size, {16, 8, 4}))
      Opts.emplace_back(OptKind::Upcast, It->Axis, By);
  }
  return Opts;
}

} // namespace

LogicalResult HeuristicPass::runOnFunction(Function &F, PassContext &C) {
  if (!F.isKernel())
    return success();
  const ArchInfo *A = lookupArch(Arch.getValue());
  if (!A)
    return C.getDiag().error(F.getLoc(), "heuristic: unknown arch '" +
                                             Arch.getValue() + "'");
  // A kernel whose opts were chosen already (by hand or an earlier run)
  // keeps them.
  if (F.getAttribute("opts") || F.getAttribute("applied_opts"))
    return success();

  llvm::SmallVector<RangeInfo, 8> Outputs, Reduces;
  for (const UOp *U : F.getBody()) {
    if (U->getOp() != Op::Range || U->getSrc(0)->getOp() != Op::Const)
      continue;
    RangeInfo R{U->getArgField(0)->getInt(), U->getSrc(0)->getArg()->getInt(),
                U->getArgField(1)->getAxisKind(), U};
    if (R.Kind == AxisKind::Reduce)
      Reduces.push_back(R);
    else if (R.Kind == AxisKind::Global || R.Kind == AxisKind::Loop)
      Outputs.push_back(R);
  }
  Context &Ctx = C.getContext();
  if (!A->hasLocals()) {
    std::vector<const Arg *> Opts;
    for (auto [K, Axis, Amount] : chooseForCPU(F, Outputs, Reduces))
      Opts.push_back(
          Ctx.getOptArg(K, {Ctx.getIntArg(Axis), Ctx.getIntArg(Amount)}));
    if (Opts.empty())
      return success();
    NumChosen += Opts.size();
    F.setAttribute("opts", Ctx.getListArg(Opts));
    return success();
  }

  // A grouped reduction: one reduce over constant ranges, no loop ranges
  // (the grouped reduction's local buffer would be reused across their
  // iterations), a small output.
  unsigned NumReduceOps = 0;
  for (const UOp *U : F.getBody())
    NumReduceOps += U->getOp() == Op::Reduce;
  int64_t OutSize = 1, ReduceSize = 1;
  bool HasLoops = false;
  for (const RangeInfo &R : Outputs) {
    OutSize *= R.Size;
    HasLoops |= R.Kind == AxisKind::Loop;
  }
  for (const RangeInfo &R : Reduces)
    ReduceSize *= R.Size;
  bool Group = A->hasLocals() && A->LocalMemory > 0 && NumReduceOps == 1 &&
               !Reduces.empty() && !HasLoops &&
               (OutSize <= 2048 || ReduceSize >= 4 * OutSize);
  // A grouped reduction unrolls its innermost reduce range by one vector
  // of the arch (16 bytes: 4 f32), groups the first range (innermost
  // first) that a power of two from 256 down to 16 divides after that, and
  // unrolls what each thread has left of it by 4 or 2: each copy is then a
  // vector load, and in each one consecutive threads read consecutive
  // vectors.
  unsigned Bits = 32;
  for (const UOp *U : F.getBody())
    if (U->getOp() == Op::Load) {
      Bits = std::max(8u, U->getDType().getScalarBits());
      break;
    }
  int64_t VectorBy = 1;
  if (Group && !Reduces.empty())
    for (int64_t By = std::min<int64_t>(8, A->MaxVectorBytes * 8 / Bits);
         By > 1; By /= 2)
      if (Reduces.back().Size % By == 0) {
        VectorBy = By;
        break;
      }
  int64_t GroupAxis = -1, GroupThreads = 0, GroupLeft = 0;
  for (auto It = Reduces.rbegin(); Group && It != Reduces.rend(); ++It) {
    int64_t Size = It->Size;
    if (It == Reduces.rbegin())
      Size /= VectorBy;
    for (int64_t Threads : {256, 128, 64, 32, 16})
      if (Size % Threads == 0 && Threads <= A->MaxLocalSize &&
          Threads <= A->MaxLocalDims[0]) {
        GroupAxis = It->Axis;
        GroupThreads = Threads;
        GroupLeft = Size / Threads;
        break;
      }
    if (GroupThreads)
      break;
  }
  Group = GroupThreads != 0;

  std::vector<const Arg *> Opts;
  int64_t Copies = 1;
  auto Add = [&](OptKind K, int64_t Axis, int64_t Amount, int64_t Factor) {
    Opts.push_back(
        Ctx.getOptArg(K, {Ctx.getIntArg(Axis), Ctx.getIntArg(Amount)}));
    Copies *= Factor;
  };

  // Output tiles. In a kernel that reduces, an output axis is worth
  // upcasting when some load does not depend on it: each value loaded is
  // then reused by every copy (a matmul's A along its columns, B along its
  // rows). A plain reduction (each output reads its own row) gains nothing.
  RangeScope Scope;
  auto ReusedAlong = [&](const UOp *R) {
    unsigned N = Scope.getNumber(R);
    for (const UOp *U : F.getBody())
      if (U->getOp() == Op::Load) {
        llvm::SmallBitVector Open = Scope.getOpen(U->getSrc(0));
        if (N >= Open.size() || !Open.test(N))
          return true;
      }
    return false;
  };
  unsigned Upcasts = Group ? 0 : Reduces.empty() ? 1 : 2;
  for (auto It = Outputs.rbegin(); It != Outputs.rend() && Upcasts; ++It) {
    if (It->Size % 4 || It->Size < 8)
      continue;
    if (!Reduces.empty() && !ReusedAlong(It->Range))
      continue;
    Add(OptKind::Upcast, It->Axis, 4, 4);
    It->Size /= 4; // What the local split below sees.
    --Upcasts;
  }
  // Reductions: short ones whole; long ones by 8 (independent partial
  // results hide the latency of the accumulating add), within the copies
  // left.
  if (Group) {
    if (VectorBy > 1)
      Add(OptKind::Unroll, Reduces.back().Axis, VectorBy, VectorBy);
    Add(OptKind::Group, GroupAxis, GroupThreads, 1);
    for (int64_t By : {4, 2})
      if (GroupLeft % By == 0) {
        Add(OptKind::Unroll, GroupAxis, GroupLeft == By ? 0 : By, By);
        break;
      }
  } else if (!Reduces.empty()) {
    const RangeInfo &Inner = Reduces.back();
    if (Inner.Size <= 4 && Inner.Size > 1)
      Add(OptKind::Unroll, Inner.Axis, 0, Inner.Size);
    else
      for (int64_t By : {8, 4})
        if (Inner.Size % By == 0 && Inner.Size >= 2 * By && Copies * By <= 64) {
          Add(OptKind::Unroll, Inner.Axis, By, By);
          break;
        }
  }
  // Work-group threads on GPUs.
  if (A->hasLocals() && !Group)
    for (const RangeInfo &R : Outputs) {
      if (R.Kind != AxisKind::Global)
        continue;
      for (int64_t Threads : {16, 8, 4, 2})
        if (R.Size % Threads == 0 && R.Size / Threads >= 1 &&
            Threads <= A->MaxLocalDims[0]) {
          Add(OptKind::Local, R.Axis, Threads, 1);
          break;
        }
      break;
    }
  if (Opts.empty())
    return success();
  NumChosen += Opts.size();
  F.setAttribute("opts", Ctx.getListArg(Opts));
  return success();
}

std::unique_ptr<Pass> tg::createHeuristicPass() {
  return std::make_unique<HeuristicPass>();
}
