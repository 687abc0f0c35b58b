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
// threads, the global axes also get local splits (the GPU pipeline maps
// them to threads): up to 256 threads in an elementwise kernel, 128 in one
// that reduces, innermost axis first (neighbouring threads take
// neighbouring vectors; on an H100, c = a + b over 2^28 floats ran at
// 3040 GB/s with 256 threads of 4 floats each).
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
// On an arch with work-group threads and local memory, a kernel whose
// reductions are small next to their output (at most 2048 outputs, at
// least 4 reduced elements per output, or at most 16384 outputs of at least
// 1024) is grouped instead, as tinygrad's GROUPTOP: no output upcasts or
// local splits; the innermost reduce range of each reduction is unrolled by
// one vector of the arch (16 bytes: 4 f32), the first reduce range
// (innermost first) that a power of two from 256 down to 16 divides after
// that is `group`ed by the largest such, and what each thread has left of
// it is unrolled by 4 or 2. `group` puts the threads innermost, so for a
// contiguous reduction each copy is a vector load and consecutive threads
// read consecutive vectors (coalesced), with several loads in flight per
// thread. Several reductions share the threads (the fewest any takes), and
// a loop after them (a softmax's output loop) is upcast by a vector and
// spread over the same threads, so that a row softmax or a layernorm is one
// work-group per row in one kernel. When the reductions and the loop each
// run over one range of the same length and the row fits in registers (at
// most 64 floats a thread over the 128 threads), every part is unrolled
// whole over the same threads and vectors instead: the parts then load the
// same elements, which become the same loads (the row is read once).
//
// On an arch with tensor cores, a matmul (one add reduction of a product of
// two loads whose types one of them takes) uses one: `tc` first, then each
// warp computes up to 4 x 8 instruction tiles (upcasts of the outer N and M
// ranges) and a work-group holds up to 2 x 2 warps (local splits).
//
//===----------------------------------------------------------------------===//

#include "tg/Codegen/Passes.h"

#include "tg/Codegen/RangeScope.h"

#include "LoopIterations.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Context.h"
#include "tg/IR/WMMA.h"
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
  // Only instructions whose fragment layout tg knows (include/tg/IR/WMMA.h).
  for (const TensorCoreInfo &T : A.getTensorCores())
    if (T.In == X->getDType().getScalarKind() &&
        T.Acc == Reduce->getDType().getScalarKind() && lookupWMMALayout(T.Name))
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
  // On NV (mma.sync), each step of the reduction copies the work-group's
  // tiles of A and B into shared memory (`stage`), two instruction steps
  // (32 of K) at a time, so that the warps along M and N share what they
  // read; with cp.async (sm_80 and later) into three buffers, the next
  // steps' copies in flight while this one computes, and the fragments read
  // with ldmatrix. On an H100 (4096^3 f16, benchmarks/kernels/gpu/NOTES.md),
  // 128 x 128 x 32 tiles of 2 x 2 warps with 3 buffers ran at 331 TFLOP/s,
  // 2 buffers at 307, 128 x 256 and 256 x 128 tiles at 285 and 278, without
  // staging 113.
  int64_t Steps = K->getSrc(0)->getArg()->getInt() / TC->K;
  if (llvm::StringRef(TC->Name).starts_with("mma.") && A.LocalMemory > 0 &&
      Steps > 1) {
    int64_t Axis = K->getArgField(0)->getInt();
    int64_t PerStep = 1;
    if (Steps % 2 == 0 && Steps > 2) {
      Add(OptKind::Unroll, Axis, 2);
      PerStep = 2;
    }
    // The tiles of A (the work-group's N x the step's K) and B (K x M);
    // `stage` pads a row by a vector unless its vectors are a power of two.
    int64_t TileN = N->getSrc(0)->getArg()->getInt() / Tiles[0];
    int64_t TileM = M->getSrc(0)->getArg()->getInt() / Tiles[1];
    int64_t TileK = PerStep * TC->K, Element = getScalarInfo(TC->In).Bits / 8;
    int64_t Vector = 16 / Element;
    auto Row = [&](int64_t Width) {
      return llvm::isPowerOf2_64(Width / Vector) ? Width : Width + Vector;
    };
    int64_t Bytes = (TileN * Row(TileK) + TileK * Row(TileM)) * Element;
    int64_t Buffers = A.AsyncCopy ? 3 : 1;
    while (Buffers > 1 && Buffers * Bytes > A.LocalMemory)
      --Buffers;
    if (Buffers * Bytes <= A.LocalMemory)
      Add(OptKind::Stage, Axis, Buffers);
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

  // Grouped reductions: every reduction over constant reduce ranges of its
  // own, inside no range but global ones (a loop's iterations would reuse
  // its local buffer), at most one loop range, whose iterations are
  // independent (it is spread over the same threads), and a small output
  // next to the reductions.
  RangeScope Scope;
  int64_t OutSize = 1, ReduceSize = 0;
  for (const RangeInfo &R : Outputs)
    if (R.Kind == AxisKind::Global)
      OutSize *= R.Size;
  llvm::SmallVector<RangeInfo *, 2> Loops;
  for (RangeInfo &R : Outputs)
    if (R.Kind == AxisKind::Loop)
      Loops.push_back(&R);
  // Each reduction's ranges, innermost (last in the body) last.
  llvm::SmallVector<llvm::SmallVector<RangeInfo *, 2>, 2> Reductions;
  bool Group = A->hasLocals() && A->LocalMemory > 0 && !Reduces.empty() &&
               Loops.size() <= 1;
  llvm::SmallPtrSet<const UOp *, 4> Claimed;
  for (const UOp *U : F.getBody()) {
    if (!Group || U->getOp() != Op::Reduce)
      continue;
    llvm::SmallVector<RangeInfo *, 2> &Ranges = Reductions.emplace_back();
    int64_t Size = 1;
    for (RangeInfo &R : Reduces)
      if (llvm::is_contained(U->getSrcs().drop_front(), R.Range)) {
        Group &= Claimed.insert(R.Range).second;
        Ranges.push_back(&R);
        Size *= R.Size;
      }
    Group &= Ranges.size() + 1 == U->getNumSrcs();
    llvm::SmallBitVector Open = Scope.getOpen(U);
    for (unsigned N : Open.set_bits())
      Group &=
          Scope.getRange(N)->getArgField(1)->getAxisKind() == AxisKind::Global;
    ReduceSize = ReduceSize ? std::min(ReduceSize, Size) : Size;
  }
  Group &= !Reductions.empty();
  if (Group && !Loops.empty())
    Group = !whyDependentIterations(F, Loops.front()->Range);
  Group &= OutSize <= 2048 || ReduceSize >= 4 * OutSize ||
           (OutSize <= 16384 && ReduceSize >= 1024);
  // A grouped reduction unrolls its innermost reduce range by one vector
  // of the arch (16 bytes: 4 f32), groups the first range (innermost
  // first) that a power of two from 256 down to 16 divides after that, and
  // unrolls what each thread has left of it by 4 or 2: each copy is then a
  // vector load, and in each one consecutive threads read consecutive
  // vectors. Sibling reductions and the loop share the work-group: the
  // threads are the fewest any of them takes, and the loop is upcast by a
  // vector and spread over them the same way.
  unsigned Bits = 32;
  for (const UOp *U : F.getBody())
    if (U->getOp() == Op::Load) {
      Bits = std::max(8u, U->getDType().getScalarBits());
      break;
    }
  auto VectorFor = [&](int64_t Size) {
    for (int64_t By = std::min<int64_t>(8, A->MaxVectorBytes * 8 / Bits);
         By > 1; By /= 2)
      if (Size % By == 0)
        return By;
    return int64_t(1);
  };
  // The size of a range once its vector is unrolled.
  auto Left = [&](const llvm::SmallVector<RangeInfo *, 2> &Ranges,
                  const RangeInfo *R) {
    return R == Ranges.back() ? R->Size / VectorFor(R->Size) : R->Size;
  };
  auto Fits = [&](int64_t Threads) {
    return Threads <= A->MaxLocalSize && Threads <= A->MaxLocalDims[0];
  };
  int64_t GroupThreads = Group ? 256 : 0;
  for (const auto &Ranges : Reductions) {
    int64_t Most = 0;
    for (auto It = Ranges.rbegin(); Group && It != Ranges.rend() && !Most; ++It)
      for (int64_t Threads : {256, 128, 64, 32, 16})
        if (Left(Ranges, *It) % Threads == 0 && Fits(Threads)) {
          Most = Threads;
          break;
        }
    GroupThreads = std::min(GroupThreads, Most);
  }
  int64_t LoopBy = 1;
  if (GroupThreads && !Loops.empty()) {
    LoopBy = VectorFor(Loops.front()->Size);
    while (GroupThreads >= 16 && (Loops.front()->Size / LoopBy) % GroupThreads)
      GroupThreads /= 2;
    if (GroupThreads < 16)
      GroupThreads = 0;
  }
  Group = GroupThreads != 0;
  // A fused kernel (a row's reductions, then a loop writing the row over
  // the same threads) runs its parts one after another, separated by
  // barriers, and reads the row again in each part: smaller work-groups
  // (128 threads) let more rows overlap on a multiprocessor (on an H100 a
  // softmax of 8192-wide rows ran 0.373 ms over 128 threads, 0.392 ms over
  // 256, 1.04 ms over 512).
  if (Group && !Loops.empty())
    GroupThreads = std::min<int64_t>(GroupThreads, 128);
  // Unless the row fits in registers: when each reduction and the loop run
  // over one range of the same size N (a row softmax), and the 128 threads
  // divide N into whole vectors, at most 64 elements a thread, every part
  // is unrolled whole per thread with the same thread and vector layout.
  // Each part then reads the same addresses, which `expand` and `symbolic`
  // make the same loads: the row is read once into registers, and its
  // exponentials computed once. On an H100 a softmax of 8192 x 8192 f32
  // ran 0.259 ms this way over 128 threads of 64 floats (PyTorch: 0.300
  // ms; the looping form above: 0.374 ms), but 0.425 ms over 256 threads
  // of 32, 0.97 ms over 512 and 3.88 ms over 1024: combining the grouped
  // reductions' partials costs more the more threads there are, so more
  // threads are not used for longer rows.
  int64_t ResidentThreads = 0, ResidentBy = 1;
  if (Group && !Loops.empty() && GroupThreads == 128) {
    int64_t N = Loops.front()->Size;
    bool SameRows = llvm::all_of(Reductions, [&](const auto &Ranges) {
      return Ranges.size() == 1 && Ranges.front()->Size == N;
    });
    ResidentBy = VectorFor(N);
    if (SameRows && N % (GroupThreads * ResidentBy) == 0 &&
        N / GroupThreads <= 64)
      ResidentThreads = GroupThreads;
  }
  // Each reduction's grouped range (the first, innermost first, that the
  // threads divide) and what each thread has left of it.
  auto GroupedRange = [&](const llvm::SmallVector<RangeInfo *, 2> &Ranges)
      -> std::pair<const RangeInfo *, int64_t> {
    for (auto It = Ranges.rbegin(); It != Ranges.rend(); ++It)
      if (Left(Ranges, *It) % GroupThreads == 0)
        return {*It, Left(Ranges, *It) / GroupThreads};
    return {nullptr, 0};
  };

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
  if (ResidentThreads) {
    int64_t Each = Loops.front()->Size / (ResidentThreads * ResidentBy);
    for (const auto &Ranges : Reductions) {
      int64_t Axis = Ranges.front()->Axis;
      if (ResidentBy > 1)
        Add(OptKind::Unroll, Axis, ResidentBy, ResidentBy);
      Add(OptKind::Group, Axis, ResidentThreads, 1);
      if (Each > 1)
        Add(OptKind::Unroll, Axis, 0, Each);
    }
    int64_t Axis = Loops.front()->Axis;
    if (ResidentBy > 1)
      Add(OptKind::Upcast, Axis, ResidentBy, ResidentBy);
    Add(OptKind::Local, Axis, ResidentThreads, 1);
    if (Each > 1)
      Add(OptKind::Upcast, Axis, 0, Each);
  } else if (Group) {
    for (const auto &Ranges : Reductions) {
      const RangeInfo *Inner = Ranges.back();
      if (int64_t By = VectorFor(Inner->Size); By > 1)
        Add(OptKind::Unroll, Inner->Axis, By, By);
      auto [Grouped, Each] = GroupedRange(Ranges);
      Add(OptKind::Group, Grouped->Axis, GroupThreads, 1);
      for (int64_t By : {4, 2})
        if (Each % By == 0) {
          Add(OptKind::Unroll, Grouped->Axis, Each == By ? 0 : By, By);
          break;
        }
    }
    if (!Loops.empty()) {
      if (LoopBy > 1)
        Add(OptKind::Upcast, Loops.front()->Axis, LoopBy, LoopBy);
      Add(OptKind::Local, Loops.front()->Axis, GroupThreads, 1);
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
  // Work-group threads on GPUs: up to 256 (elementwise) or 128 (kernels
  // that reduce, with more registers per thread), the innermost global axis
  // first so that neighbouring threads take neighbouring elements (each one
  // a vector after the upcast above), then the next axes out with what is
  // left, at most three axes. They are applied outermost first: the
  // innermost axis's threads get the highest axis, which `gpudims` makes
  // dimension 0, the one consecutive threads (a warp) run along.
  if (A->hasLocals() && !Group) {
    int64_t Budget =
        std::min<int64_t>(Reduces.empty() ? 256 : 128, A->MaxLocalSize);
    llvm::SmallVector<std::pair<int64_t, int64_t>, 3> Locals;
    for (auto It = Outputs.rbegin(); It != Outputs.rend() && Locals.size() < 3;
         ++It) {
      if (It->Kind != AxisKind::Global)
        continue;
      for (int64_t Threads = Budget; Threads >= 2; Threads /= 2)
        if (It->Size % Threads == 0 &&
            Threads <= A->MaxLocalDims[Locals.size()]) {
          Locals.push_back({It->Axis, Threads});
          Budget /= Threads;
          break;
        }
    }
    for (auto [Axis, Threads] : llvm::reverse(Locals))
      Add(OptKind::Local, Axis, Threads, 1);
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
