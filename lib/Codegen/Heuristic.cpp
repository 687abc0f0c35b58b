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
// On an arch with tensor cores, a matmul (one add reduction of a product of
// two loads whose types one of them takes) uses one: `tc` first, then each
// warp computes up to 4 x 8 instruction tiles (upcasts of the outer N and M
// ranges) and a work-group holds up to 2 x 2 warps (local splits).
//
//===----------------------------------------------------------------------===//

#include "tg/Codegen/Passes.h"

#include "tg/Codegen/RangeScope.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Context.h"
#include "tg/Target/Device.h"

#include "llvm/ADT/SmallVector.h"

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

} // namespace

/// The loads of `V`, a reduction's value of type `T`: mul(cast(x), cast(y)),
/// cast(mul(x, y)) or mul(x, y) of loads x and y, the casts to T; or nulls.
static std::pair<const UOp *, const UOp *> getProductLoads(const UOp *V,
                                                           DType T) {
  auto Strip = [&](const UOp *U) {
    return U->getOp() == Op::Cast && U->getDType() == T ? U->getSrc(0) : U;
  };
  const UOp *Product = Strip(V);
  if (Product->getOp() != Op::Mul)
    return {nullptr, nullptr};
  const UOp *X = Product->getSrc(0), *Y = Product->getSrc(1);
  if (Product == V) {
    X = Strip(X);
    Y = Strip(Y);
  }
  if (X->getOp() != Op::Load || Y->getOp() != Op::Load)
    return {nullptr, nullptr};
  return {X, Y};
}

/// The opts that run `F`'s matmul on a tensor core of `A`, or none.
static std::vector<const Arg *>
chooseTensorCoreOpts(const Function &F, const ArchInfo &A, Context &Ctx) {
  const UOp *Reduce = nullptr;
  for (const UOp *U : F.getBody())
    if (U->getOp() == Op::Reduce) {
      if (Reduce)
        return {};
      Reduce = U;
    }
  if (!Reduce || Reduce->getNumSrcs() != 2 ||
      Reduce->getArgField(0)->getOp() != Op::Add)
    return {};
  auto [X, Y] = getProductLoads(Reduce->getSrc(0), Reduce->getDType());
  const UOp *K = Reduce->getSrc(1);
  if (!X || X->getDType() != Y->getDType() || !X->getDType().isScalar() ||
      K->getSrc(0)->getOp() != Op::Const)
    return {};
  const TensorCoreInfo *TC = nullptr;
  for (const TensorCoreInfo &T : A.getTensorCores())
    if (T.In == X->getDType().getScalarKind() &&
        T.Acc == Reduce->getDType().getScalarKind())
      TC = &T;
  if (!TC || K->getSrc(0)->getArg()->getInt() % TC->K)
    return {};
  // The innermost output range only X reads is N, only Y reads M (`tc`'s
  // choice 0).
  RangeScope Scope;
  llvm::SmallBitVector OpenX = Scope.getOpen(X), OpenY = Scope.getOpen(Y);
  auto Reads = [&](const llvm::SmallBitVector &Open, const UOp *R) {
    unsigned N = Scope.getNumber(R);
    return N < Open.size() && Open.test(N);
  };
  const UOp *N = nullptr, *M = nullptr;
  for (const UOp *U : llvm::reverse(F.getBody())) {
    if (U->getOp() != Op::Range || U->getSrc(0)->getOp() != Op::Const ||
        U->getArgField(1)->getAxisKind() != AxisKind::Global)
      continue;
    if (!N && Reads(OpenX, U) && !Reads(OpenY, U))
      N = U;
    if (!M && Reads(OpenY, U) && !Reads(OpenX, U))
      M = U;
  }
  if (!N || !M || N->getSrc(0)->getArg()->getInt() % TC->N ||
      M->getSrc(0)->getArg()->getInt() % TC->M)
    return {};

  std::vector<const Arg *> Opts;
  auto Add = [&](OptKind Kind, int64_t Axis, int64_t Amount) {
    Opts.push_back(
        Ctx.getOptArg(Kind, {Ctx.getIntArg(Axis), Ctx.getIntArg(Amount)}));
  };
  Add(OptKind::TC, K->getArgField(0)->getInt(), 0);
  int64_t Tiles[2] = {N->getSrc(0)->getArg()->getInt() / TC->N,
                      M->getSrc(0)->getArg()->getInt() / TC->M};
  // A warp computes up to 4 x 8 tiles (64 x 64 of C for mma.m16n8k16):
  // each fragment of A is used 8 times, each of B 4 times. On an H100 this
  // ran 1.6 times as fast as 4 x 4 tiles.
  const UOp *Ranges[2] = {N, M};
  const int64_t Upcasts[2][3] = {{4, 2, 1}, {8, 4, 2}};
  for (unsigned I = 0; I != 2; ++I)
    for (int64_t By : Upcasts[I])
      if (By > 1 && Tiles[I] % By == 0) {
        Add(OptKind::Upcast, Ranges[I]->getArgField(0)->getInt(), By);
        Tiles[I] /= By;
        break;
      }
  int64_t Threads = TC->Threads;
  for (unsigned I = 0; I != 2; ++I)
    if (Tiles[I] % 2 == 0 && Tiles[I] > 2 && 2 * Threads <= A.MaxLocalSize) {
      Add(OptKind::Local, Ranges[I]->getArgField(0)->getInt(), 2);
      Threads *= 2;
    }
  return Opts;
}

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
  if (std::vector<const Arg *> Opts =
          chooseTensorCoreOpts(F, *A, C.getContext());
      !Opts.empty()) {
    NumChosen += Opts.size();
    F.setAttribute("opts", C.getContext().getListArg(Opts));
    return success();
  }

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

  Context &Ctx = C.getContext();
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
