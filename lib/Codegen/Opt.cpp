//===- Opt.cpp - the `opt` pass: OptOps applied to a kernel's ranges ------===//
//
// A kernel's optimizations are data: `attributes {opts = [upcast(0, 4)]}`.
// `opt` applies them in order, each with its legality checks, moves them to
// `applied_opts`, and leaves `opts` empty, so a pipeline is reproducible from
// the text alone. Each opt names a range by its `axis`:
//
//   upcast(a, n)  an output range (global, local, loop) of size N splits
//                 into a range of N/n (same axis and kind) and a new `upcast`
//                 range of n: i = i' * n + u. `expand` unrolls it.
//   unroll(a, n)  the same for a `reduce` range, the new range `unroll`.
//   local(a, n)   a `global` range splits into global * n + a new `local`
//                 range of n (work-group threads; the arch must have them).
//                 A `loop` range splits the same way, its iterations spread
//                 over the threads: each store in it must write an address
//                 that depends on it, and no load in it may read a buffer
//                 it writes (its iterations must be independent).
//   padto(a, n)   a range of N runs to the next multiple of n; accesses its
//                 extra iterations would make are gated off, and a reduction
//                 over it sees the identity there.
//   swap(a, b)    two global ranges exchange axes (and so nesting order).
//   nolocals()    the kernel uses no local ranges; a later local is refused.
//   group(a, n)   a `reduce` range of N splits into a reduce range of N/n
//                 and a new `group_reduce` range of n, the threads of a
//                 work-group: i = i' * n + t, so neighbouring threads read
//                 neighbouring elements in each iteration (coalesced).
//   grouptop(a, n) the same with the threads the high part (tinygrad's
//                 GROUPTOP): i = t * N/n + i', a contiguous slice each.
// The amounts must divide the range (padto makes them divide). A group, or
// a local on a loop, runs on threads the kernel has already when a range
// of threads (local or group_reduce) of the same size is free where the
// split range is: none of the UOps inside the split range's loop depends
// on it. Sibling reductions and loops (a softmax's max, sum and output
// loop) then share one work-group of n threads instead of multiplying
// their sizes. Once every opt is applied, each `reduce` over group ranges
// (any range of threads) becomes
//
//   %p   = reduce(%x, <its other ranges>)        each thread's partial
//   %buf = define {id = K} : ptr<T, local, S>
//   %st  = store(index(%buf, <element>), %p)
//   %e   = end(%st, <group, upcast, unroll ranges>)
//   %b   = barrier(%e)
//   %r   = reduce(load(index(after(%buf, %b), <element, group ranges
//                  replaced by new ranges>)), <the new ranges>)
//
// where the element is the row-major position in (the other local ranges,
// the group ranges, the upcast and unroll ranges open at the value), so
// that every thread and every copy `expand` makes has its own. A group
// range of n threads (4 dividing n, n >= 8) is read as j * 4 + u, a reduce
// range j of n/4 and an unroll range u of 4: four independent loads per
// iteration (one vector load where they are consecutive) instead of a
// chain of n. Every thread
// computes the result; a store that depends on it is gated to the first
// thread along each group range its address does not depend on (one that
// depends on all of them, as in a loop spread over the same threads, is
// each thread's own). The group ranges then become `local` ranges, which
// `gpudims` maps to thread indices. `thread` needs a lowering later stages do
// not have yet and is refused with that reason.
//
//   tc(k, c)      the reduction over `reduce` range k of a product of two
//                 loads (`reduce(add, mul(cast(load a), cast(load b)))`, or
//                 the cast outside the mul, or none when the types agree)
//                 runs on the arch's tensor core for the loads' type and
//                 the reduction's (td/Devices.td). The output range that
//                 only a reads is N, the one only b reads is M (c picks
//                 among several pairs, innermost first); N, M and k must
//                 divide by the instruction's shape. Each splits into an
//                 outer range and the instruction's part, which becomes
//                 the fragment layout of include/tg/IR/WMMA.h: a `warp`
//                 range of its threads, an `upcast` range over D's elements
//                 and an `unroll` range over each of A's and B's:
//
//     %fa = contract(<a, n = n' * N + row_A(lane, ea), k = k' * K + ...>, %ea)
//     %fb = contract(<b, k and m from the layout of B>, %eb)
//     %d  = reduce(wmma(%fa, %fb, 0.0) {name, dims = [N, M, K], threads}, k')
//     %r  = unroll(%d, %ec)                        D's element ec
//
//                 and every other use of n and m reads the element ec of D
//                 that the thread holds (n = n' * N + row_C(lane, ec), ...).
//
//   stage(k, s)   each iteration of `reduce` range k first copies the tiles
//                 of the global loads inside it that the work-group reads
//                 into local memory (16-byte copies spread over its
//                 threads, between two barriers) and the loads read them
//                 there; s is the number of buffers (above 1: filled by
//                 asynchronous copies a step ahead). lib/Codegen/Stage.cpp.
//
//===----------------------------------------------------------------------===//

#include "tg/Codegen/Passes.h"

#include "BodyBuilder.h"
#include "LoopIterations.h"
#include "Stage.h"
#include "tg/Codegen/RangeScope.h"
#include "tg/IR/Arg.h"
#include "tg/IR/ReduceIdentity.h"
#include "tg/IR/WMMA.h"
#include "tg/IR/Walk.h"
#include "tg/Target/Device.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace tg;

namespace {

struct OptPass : FunctionPass {
  Option<std::string> Arch{*this, "arch",
                           "The arch the opts are checked against "
                           "(td/Devices.td)",
                           "x86-64"};
  Statistic NumApplied{*this, "num-applied", "Opts applied"};

  llvm::StringRef getArgument() const override { return "opt"; }
  llvm::StringRef getDescription() const override {
    return "Apply each kernel's opts (upcast, unroll, local, group, grouptop, "
           "padto, swap, tc, stage) to its ranges";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt(
        "changes the loops a value is computed in; the interpreter checks it");
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override;
};

/// Applies opts to one kernel.
class Optimizer {
public:
  Optimizer(Function &F, PassContext &C, const ArchInfo &Arch)
      : F(F), C(C), Ctx(C.getContext()), Arch(Arch) {}

  LogicalResult apply(const Arg &Opt);

private:
  LogicalResult split(const Arg &Opt, const UOp *R, int64_t Amount,
                      AxisKind NewKind, bool Top = false,
                      const UOp *Reuse = nullptr);
  /// A range of threads (local or group_reduce) of `Size` that `R` can be
  /// split over as well: no UOp inside `R`'s loop depends on it.
  const UOp *findFreeThreads(const UOp *R, int64_t Size);
  /// Checks that the iterations of the loop range `R` are independent.
  LogicalResult checkIndependentLoop(const Arg &Opt, const UOp *R);
  LogicalResult group(const Arg &Opt, const UOp *R, int64_t Amount, bool Top);
  /// The threads of a work-group: the product of the local and group_reduce
  /// ranges' sizes.
  int64_t getWorkGroupSize() const;

public:
  /// Lowers every reduction over group_reduce ranges, once every opt is
  /// applied (later opts change the ranges a partial result depends on).
  LogicalResult lowerGroups();

private:
  LogicalResult lowerGroup(const UOp *Reduce, int64_t &LocalBytes);
  LogicalResult padTo(const Arg &Opt, const UOp *R, int64_t Multiple);
  LogicalResult swap(const Arg &Opt, const UOp *A, const UOp *B);
  LogicalResult tensorCore(const Arg &Opt, const UOp *R, int64_t Choice);

  /// The one range with axis `Axis`.
  const UOp *findRange(const Arg &Opt, int64_t Axis);
  /// The range's bound, which must be a constant.
  std::optional<int64_t> getConstantSize(const Arg &Opt, const UOp *R);
  int64_t getNextAxis() const;
  /// What replaces a range: `Value` where it is used as a value, `Ranges`
  /// where an `end` or a `reduce` names it.
  struct RangeReplacement {
    const UOp *Range, *Value;
    llvm::SmallVector<const UOp *, 2> Ranges;
  };
  /// Rebuilds the body with every replacement made at once (a swap makes
  /// ranges equal to the ones they replace, so one at a time would merge
  /// them), and `Old` replaced by `New` when given.
  void replaceRanges(llvm::ArrayRef<RangeReplacement> Replacements,
                     const UOp *Old = nullptr, const UOp *New = nullptr);
  void replaceRange(const UOp *R, const UOp *Value,
                    llvm::ArrayRef<const UOp *> Ranges) {
    replaceRanges({{R, Value, {Ranges.begin(), Ranges.end()}}});
  }
  const UOp *makeRange(int64_t Size, int64_t Axis, AxisKind Kind);

  LogicalResult error(const Arg &Opt, const llvm::Twine &Message) {
    std::string Text;
    llvm::raw_string_ostream OS(Text);
    Opt.print(OS);
    return C.getDiag().error(F.getLoc(), "opt " + Text + " on @" + F.getName() +
                                             ": " + Message);
  }
  std::string describeRanges() const;

  Function &F;
  PassContext &C;
  Context &Ctx;
  const ArchInfo &Arch;
  bool NoLocals = false;
  /// Bytes of local memory the staged loads take.
  int64_t StagedBytes = 0;
};

} // namespace

static bool isOutputKind(AxisKind K) {
  return K == AxisKind::Global || K == AxisKind::Local || K == AxisKind::Loop;
}

std::string Optimizer::describeRanges() const {
  std::vector<std::string> Parts;
  for (const UOp *U : F.getBody())
    if (U->getOp() == Op::Range) {
      std::string Size = "?";
      if (U->getSrc(0)->getOp() == Op::Const)
        Size = std::to_string(U->getSrc(0)->getArg()->getInt());
      Parts.push_back(std::to_string(U->getArgField(0)->getInt()) + " " +
                      getMnemonic(U->getArgField(1)->getAxisKind()).str() +
                      " " + Size);
    }
  return Parts.empty() ? "none" : llvm::join(Parts, ", ");
}

const UOp *Optimizer::findRange(const Arg &Opt, int64_t Axis) {
  const UOp *Found = nullptr;
  for (const UOp *U : F.getBody()) {
    if (U->getOp() != Op::Range || U->getArgField(0)->getInt() != Axis)
      continue;
    if (Found) {
      (void)error(Opt, "two ranges have axis " + llvm::Twine(Axis));
      return nullptr;
    }
    Found = U;
  }
  if (!Found)
    (void)error(Opt, "no range has axis " + llvm::Twine(Axis) +
                         " (the kernel's ranges: " + describeRanges() + ")");
  return Found;
}

std::optional<int64_t> Optimizer::getConstantSize(const Arg &Opt,
                                                  const UOp *R) {
  if (R->getSrc(0)->getOp() == Op::Const)
    return R->getSrc(0)->getArg()->getInt();
  (void)error(Opt, "the size of axis " +
                       llvm::Twine(R->getArgField(0)->getInt()) +
                       " is not a constant");
  return std::nullopt;
}

int64_t Optimizer::getNextAxis() const {
  int64_t Next = 0;
  for (const UOp *U : F.getBody())
    if (U->getOp() == Op::Range)
      Next = std::max(Next, U->getArgField(0)->getInt() + 1);
  return Next;
}

const UOp *Optimizer::makeRange(int64_t Size, int64_t Axis, AxisKind Kind) {
  DType Index = Ctx.getScalar(ScalarKind::Index);
  return Ctx.get(
      Op::Range, Index, {Ctx.getConst(Index, Size)},
      Ctx.getListArg({Ctx.getIntArg(Axis), Ctx.getAxisKindArg(Kind)}));
}

void Optimizer::replaceRanges(llvm::ArrayRef<RangeReplacement> Replacements,
                              const UOp *OldUOp, const UOp *NewUOp) {
  auto Find = [&](const UOp *U) -> const RangeReplacement * {
    for (const RangeReplacement &R : Replacements)
      if (R.Range == U)
        return &R;
    return nullptr;
  };
  BodyBuilder Body(F, Ctx);
  for (const UOp *Old : F.getBody()) {
    if (Old == OldUOp) {
      Body.replace(Old, Body.addWithSources(NewUOp));
      continue;
    }
    if (const RangeReplacement *R = Find(Old)) {
      // The new ranges and the value come where the old range was.
      for (const UOp *N : R->Ranges)
        Body.addWithSources(N);
      Body.replace(Old, Body.addWithSources(R->Value));
      continue;
    }
    bool Closes = Old->getOp() == Op::End || Old->getOp() == Op::Reduce;
    if (!Closes || !llvm::any_of(Old->getSrcs().drop_front(), Find)) {
      Body.rebuild(Old);
      continue;
    }
    llvm::SmallVector<const UOp *, 6> Srcs{Body.lookup(Old->getSrc(0))};
    for (const UOp *Closed : Old->getSrcs().drop_front()) {
      if (const RangeReplacement *R = Find(Closed))
        Srcs.append(R->Ranges.begin(), R->Ranges.end());
      else
        Srcs.push_back(Body.lookup(Closed));
    }
    // An end or reduce over no range left is its operand.
    const UOp *New = Srcs.size() == 1
                         ? Srcs[0]
                         : Body.add(Ctx.get(Old->getOp(), Old->getDType(), Srcs,
                                            Old->getArg()));
    Body.replace(Old, New);
  }
  Body.finish();
}

LogicalResult Optimizer::split(const Arg &Opt, const UOp *R, int64_t Amount,
                               AxisKind NewKind, bool Top, const UOp *Reuse) {
  std::optional<int64_t> Size = getConstantSize(Opt, R);
  if (!Size)
    return failure();
  if (Amount == 0) // As in tinygrad: the whole axis.
    Amount = *Size;
  if (Amount < 2)
    return error(Opt,
                 "the amount must be at least 2, got " + llvm::Twine(Amount));
  if (*Size % Amount)
    return error(Opt, "axis " + llvm::Twine(R->getArgField(0)->getInt()) +
                          " has size " + llvm::Twine(*Size) + ", which " +
                          llvm::Twine(Amount) +
                          " does not divide (padto can make it)");
  DType Index = Ctx.getScalar(ScalarKind::Index);
  AxisKind Kind = R->getArgField(1)->getAxisKind();
  const UOp *Inner = Reuse ? Reuse : makeRange(Amount, getNextAxis(), NewKind);
  if (*Size == Amount) {
    replaceRange(R, Inner, {Inner});
    return success();
  }
  const UOp *Outer =
      makeRange(*Size / Amount, R->getArgField(0)->getInt(), Kind);
  // The new range is the low part (i' * n + new) or, for `Top`, the high
  // part (new * N/n + i').
  const UOp *Scaled =
      Top ? Ctx.get(Op::Mul, Index,
                    {Inner, Ctx.getConst(Index, *Size / Amount)})
          : Ctx.get(Op::Mul, Index, {Outer, Ctx.getConst(Index, Amount)});
  replaceRange(R, Ctx.get(Op::Add, Index, {Scaled, Top ? Outer : Inner}),
               {Outer, Inner});
  return success();
}

/// Whether `U` is a range of work-group threads.
static bool isThreadRange(const UOp *U) {
  return U->getOp() == Op::Range &&
         (U->getArgField(1)->getAxisKind() == AxisKind::Local ||
          U->getArgField(1)->getAxisKind() == AxisKind::GroupReduce);
}

const UOp *Optimizer::findFreeThreads(const UOp *R, int64_t Size) {
  llvm::SmallVector<const UOp *, 4> Candidates;
  for (const UOp *U : F.getBody())
    if (isThreadRange(U) && U->getSrc(0)->getOp() == Op::Const &&
        U->getSrc(0)->getArg()->getInt() == Size)
      Candidates.push_back(U);
  if (Candidates.empty())
    return nullptr;
  RangeScope Scope;
  unsigned Number = Scope.getNumber(R);
  for (const UOp *T : Candidates) {
    unsigned TNumber = Scope.getNumber(T);
    bool Free = llvm::none_of(F.getBody(), [&](const UOp *U) {
      llvm::SmallBitVector Open = Scope.getOpen(U);
      return Number < Open.size() && Open.test(Number) &&
             TNumber < Open.size() && Open.test(TNumber);
    });
    if (Free)
      return T;
  }
  return nullptr;
}

LogicalResult Optimizer::checkIndependentLoop(const Arg &Opt, const UOp *R) {
  if (std::optional<std::string> Why = whyDependentIterations(F, R))
    return error(Opt, "the iterations of axis " +
                          llvm::Twine(R->getArgField(0)->getInt()) +
                          " depend on each other: " + *Why);
  return success();
}

int64_t Optimizer::getWorkGroupSize() const {
  int64_t Threads = 1;
  for (const UOp *U : F.getBody())
    if ((isThreadRange(U) ||
         (U->getOp() == Op::Range &&
          U->getArgField(1)->getAxisKind() == AxisKind::Warp)) &&
        U->getSrc(0)->getOp() == Op::Const)
      Threads *= U->getSrc(0)->getArg()->getInt();
  return Threads;
}

LogicalResult Optimizer::group(const Arg &Opt, const UOp *R, int64_t Amount,
                               bool Top) {
  if (NoLocals)
    return error(Opt, "the kernel's opts include nolocals()");
  if (!Arch.hasLocals() || Arch.LocalMemory <= 0)
    return error(Opt, llvm::Twine("arch ") + Arch.Name +
                          " has no work-group threads with local memory");
  AxisKind Kind = R->getArgField(1)->getAxisKind();
  if (Kind != AxisKind::Reduce)
    return error(Opt, "a grouped reduction needs a reduce axis; axis " +
                          llvm::Twine(R->getArgField(0)->getInt()) + " is " +
                          getMnemonic(Kind));
  // Only a reduction may be split over threads: an `end` over the range
  // would run its iterations' effects in parallel.
  bool Reduced = false;
  for (const UOp *U : F.getBody()) {
    bool Closes = llvm::is_contained(U->getSrcs().drop_front(), R);
    if (U->getOp() == Op::End && Closes)
      return error(Opt, "axis " + llvm::Twine(R->getArgField(0)->getInt()) +
                            " is closed by an 'end', not only by reductions");
    Reduced |= U->getOp() == Op::Reduce && Closes;
  }
  if (!Reduced)
    return error(Opt, "no reduction is over axis " +
                          llvm::Twine(R->getArgField(0)->getInt()));
  std::optional<int64_t> Size = getConstantSize(Opt, R);
  if (!Size)
    return failure();
  if (const UOp *Free = findFreeThreads(R, Amount ? Amount : *Size))
    return split(Opt, R, Amount, AxisKind::GroupReduce, Top, Free);
  int64_t Threads = (Amount ? Amount : *Size) * getWorkGroupSize();
  if (Threads > Arch.MaxLocalSize)
    return error(Opt, "a work-group of " + llvm::Twine(Threads) +
                          " threads exceeds " + Arch.Name + "'s " +
                          llvm::Twine(Arch.MaxLocalSize));
  return split(Opt, R, Amount, AxisKind::GroupReduce, Top);
}

LogicalResult Optimizer::padTo(const Arg &Opt, const UOp *R, int64_t Multiple) {
  std::optional<int64_t> Size = getConstantSize(Opt, R);
  if (!Size)
    return failure();
  if (Multiple < 1)
    return error(Opt,
                 "the multiple must be positive, got " + llvm::Twine(Multiple));
  int64_t Padded = (*Size + Multiple - 1) / Multiple * Multiple;
  if (Padded == *Size)
    return success();
  if (Padded > 2 * *Size)
    return error(Opt, "padding axis " +
                          llvm::Twine(R->getArgField(0)->getInt()) + " from " +
                          llvm::Twine(*Size) + " to " + llvm::Twine(Padded) +
                          " more than doubles its work");
  DType Index = Ctx.getScalar(ScalarKind::Index);
  DType Bool = Ctx.getScalar(ScalarKind::Bool);
  const UOp *New = makeRange(Padded, R->getArgField(0)->getInt(),
                             R->getArgField(1)->getAxisKind());
  const UOp *Valid =
      Ctx.get(Op::CmpLT, Bool, {New, Ctx.getConst(Index, *Size)});
  replaceRange(R, New, {New});

  // Gate every access whose address depends on the new range, and feed the
  // reductions over it their identity where it runs past the end.
  RangeScope Scope;
  unsigned Number = Scope.getNumber(New);
  auto DependsOnNew = [&](const UOp *U) {
    llvm::SmallBitVector Open = Scope.getOpen(U);
    return Number < Open.size() && Open.test(Number);
  };
  BodyBuilder Body(F, Ctx);
  for (const UOp *Old : F.getBody()) {
    if (Old->getOp() == Op::Index && DependsOnNew(Old)) {
      llvm::SmallVector<const UOp *, 4> Srcs;
      for (const UOp *S : Old->getSrcs())
        Srcs.push_back(Body.lookup(S));
      if (Srcs.size() > 2 && Srcs.back()->getDType().isBool())
        Srcs.back() =
            Body.addWithSources(Ctx.get(Op::And, Bool, {Srcs.back(), Valid}));
      else
        Srcs.push_back(Body.addWithSources(Valid));
      Body.replace(Old, Body.add(Ctx.get(Op::Index, Old->getDType(), Srcs,
                                         Old->getArg())));
      continue;
    }
    if (Old->getOp() == Op::Reduce &&
        llvm::is_contained(Old->getSrcs().drop_front(), New)) {
      const UOp *X = Body.lookup(Old->getSrc(0));
      DType T = X->getDType();
      const UOp *Identity =
          getReduceIdentity(Ctx, Old->getArgField(0)->getOp(), T);
      const UOp *Masked =
          Body.addWithSources(Ctx.get(Op::Where, T, {Valid, X, Identity}));
      llvm::SmallVector<const UOp *, 4> Srcs{Masked};
      for (const UOp *S : Old->getSrcs().drop_front())
        Srcs.push_back(Body.lookup(S));
      Body.replace(Old, Body.add(Ctx.get(Op::Reduce, Old->getDType(), Srcs,
                                         Old->getArg())));
      continue;
    }
    Body.rebuild(Old);
  }
  Body.finish();
  return success();
}

LogicalResult Optimizer::swap(const Arg &Opt, const UOp *A, const UOp *B) {
  for (const UOp *R : {A, B})
    if (R->getArgField(1)->getAxisKind() != AxisKind::Global)
      return error(Opt, "axis " + llvm::Twine(R->getArgField(0)->getInt()) +
                            " is not a global range");
  if (A == B)
    return error(Opt, "an axis cannot swap with itself");
  int64_t AxisA = A->getArgField(0)->getInt();
  int64_t AxisB = B->getArgField(0)->getInt();
  const UOp *NewA =
      Ctx.get(Op::Range, A->getDType(), A->getSrcs(),
              Ctx.getListArg({Ctx.getIntArg(AxisB), A->getArgField(1)}));
  const UOp *NewB =
      Ctx.get(Op::Range, B->getDType(), B->getSrcs(),
              Ctx.getListArg({Ctx.getIntArg(AxisA), B->getArgField(1)}));
  replaceRanges({{A, NewA, {NewA}}, {B, NewB, {NewB}}});
  return success();
}

/// The operand of a cast of `V` to `T`, or `V`.
static const UOp *stripCastTo(const UOp *V, DType T) {
  return V->getOp() == Op::Cast && V->getDType() == T ? V->getSrc(0) : V;
}

LogicalResult Optimizer::tensorCore(const Arg &Opt, const UOp *K,
                                    int64_t Choice) {
  DType Index = Ctx.getScalar(ScalarKind::Index);
  if (NoLocals)
    return error(Opt, "the kernel's opts include nolocals()");
  if (Arch.getTensorCores().empty())
    return error(Opt,
                 llvm::Twine("arch ") + Arch.Name + " has no tensor cores");
  if (K->getArgField(1)->getAxisKind() != AxisKind::Reduce)
    return error(Opt, "tc needs a reduce axis; axis " +
                          llvm::Twine(K->getArgField(0)->getInt()) + " is " +
                          getMnemonic(K->getArgField(1)->getAxisKind()));
  for (const UOp *U : F.getBody())
    if (U->getOp() == Op::Range &&
        U->getArgField(1)->getAxisKind() == AxisKind::Warp)
      return error(Opt, "the kernel uses tensor cores already");

  // The reduction: add over K alone of a product of two loads.
  const UOp *Reduce = nullptr;
  for (const UOp *U : F.getBody())
    if ((U->getOp() == Op::Reduce || U->getOp() == Op::End) &&
        llvm::is_contained(U->getSrcs().drop_front(), K)) {
      if (U->getOp() != Op::Reduce || Reduce)
        return error(Opt, "axis " + llvm::Twine(K->getArgField(0)->getInt()) +
                              " must be closed by one reduction alone");
      Reduce = U;
    }
  if (!Reduce || Reduce->getNumSrcs() != 2 ||
      Reduce->getArgField(0)->getOp() != Op::Add)
    return error(Opt, "tensor cores need an add reduction over axis " +
                          llvm::Twine(K->getArgField(0)->getInt()) + " alone");
  // mul(cast(x), cast(y)), cast(mul(x, y)) or mul(x, y), the casts to the
  // reduction's type.
  DType AccType = Reduce->getDType();
  const UOp *Product = stripCastTo(Reduce->getSrc(0), AccType);
  bool CastOutside = Product != Reduce->getSrc(0);
  const UOp *X = nullptr, *Y = nullptr;
  if (Product->getOp() == Op::Mul) {
    X = CastOutside ? Product->getSrc(0)
                    : stripCastTo(Product->getSrc(0), AccType);
    Y = CastOutside ? Product->getSrc(1)
                    : stripCastTo(Product->getSrc(1), AccType);
  }
  if (!X || X->getOp() != Op::Load || Y->getOp() != Op::Load ||
      X->getDType() != Y->getDType() || !X->getDType().isScalar())
    return error(Opt, "tensor cores need the reduction of a product of two "
                      "loads of one type (with casts to the accumulator)");
  ScalarKind In = X->getDType().getScalarKind();
  ScalarKind Acc = Reduce->getDType().getScalarKind();
  const TensorCoreInfo *TC = nullptr;
  for (const TensorCoreInfo &T : Arch.getTensorCores())
    if (T.In == In && T.Acc == Acc) {
      TC = &T;
      break;
    }
  if (!TC)
    return error(Opt, llvm::Twine("arch ") + Arch.Name +
                          " has no tensor core from " +
                          getScalarInfo(In).Mnemonic + " into " +
                          getScalarInfo(Acc).Mnemonic);
  const WMMALayout *Layout = lookupWMMALayout(TC->Name);
  if (!Layout)
    return error(Opt, llvm::Twine("the fragment layout of ") + TC->Name +
                          " is not known (include/tg/IR/WMMA.h)");
  if (TC->Threads * getWorkGroupSize() > Arch.MaxLocalSize)
    return error(Opt, "a work-group of " +
                          llvm::Twine(TC->Threads * getWorkGroupSize()) +
                          " threads exceeds " + Arch.Name + "'s " +
                          llvm::Twine(Arch.MaxLocalSize));

  // N: an output range only a reads; M: one only b reads.
  RangeScope Scope;
  llvm::SmallBitVector OpenX = Scope.getOpen(X), OpenY = Scope.getOpen(Y);
  auto Reads = [&](const llvm::SmallBitVector &Open, const UOp *R) {
    unsigned N = Scope.getNumber(R);
    return N < Open.size() && Open.test(N);
  };
  if (!Reads(OpenX, K) || !Reads(OpenY, K))
    return error(Opt, "both loads must depend on axis " +
                          llvm::Twine(K->getArgField(0)->getInt()));
  llvm::SmallVector<const UOp *, 2> CandidatesN, CandidatesM;
  for (const UOp *U : llvm::reverse(F.getBody())) {
    if (U->getOp() != Op::Range ||
        !isOutputKind(U->getArgField(1)->getAxisKind()))
      continue;
    if (Reads(OpenX, U) && !Reads(OpenY, U))
      CandidatesN.push_back(U);
    if (Reads(OpenY, U) && !Reads(OpenX, U))
      CandidatesM.push_back(U);
  }
  int64_t Pairs = CandidatesN.size() * CandidatesM.size();
  if (Choice < 0 || Choice >= Pairs)
    return error(Opt, "choice " + llvm::Twine(Choice) + " is not among the " +
                          llvm::Twine(Pairs) +
                          " pairs of an output axis only the first load "
                          "reads and one only the second reads");
  const UOp *N = CandidatesN[Choice / CandidatesM.size()];
  const UOp *M = CandidatesM[Choice % CandidatesM.size()];

  // The outer ranges, and the base each range's part of the tile adds to.
  struct Split {
    const UOp *Range, *Outer, *Base;
  };
  auto SplitRange = [&](const UOp *R, int64_t Tile,
                        const char *Hint) -> std::optional<Split> {
    std::optional<int64_t> Size = getConstantSize(Opt, R);
    if (!Size)
      return std::nullopt;
    if (*Size % Tile) {
      (void)error(Opt, "axis " + llvm::Twine(R->getArgField(0)->getInt()) +
                           " has size " + llvm::Twine(*Size) + ", which " +
                           TC->Name + "'s " + llvm::Twine(Tile) +
                           " does not divide" + Hint);
      return std::nullopt;
    }
    if (*Size == Tile)
      return Split{R, nullptr, Ctx.getConst(Index, int64_t(0))};
    const UOp *Outer = makeRange(*Size / Tile, R->getArgField(0)->getInt(),
                                 R->getArgField(1)->getAxisKind());
    return Split{R, Outer,
                 Ctx.get(Op::Mul, Index, {Outer, Ctx.getConst(Index, Tile)})};
  };
  std::optional<Split> SN = SplitRange(N, TC->N, " (padto can make it)");
  std::optional<Split> SM = SplitRange(M, TC->M, " (padto can make it)");
  std::optional<Split> SK = SplitRange(K, TC->K, "");
  if (!SN || !SM || !SK)
    return failure();

  int64_t Axis = getNextAxis();
  const UOp *Lane = makeRange(TC->Threads, Axis, AxisKind::Warp);
  const UOp *EC = makeRange(Layout->C.Elements, Axis + 1, AxisKind::Upcast);
  const UOp *EA = makeRange(Layout->A.Elements, Axis + 2, AxisKind::Unroll);
  const UOp *EB = makeRange(Layout->B.Elements, Axis + 3, AxisKind::Unroll);
  // Base + the coordinate of the element `E` (of `Elements`) that the lane
  // holds.
  auto At = [&](const UOp *Base, const FragmentCoordinate &Coordinate,
                const UOp *E, int64_t Elements) {
    const UOp *Sum = Base;
    for (const FragmentTerm &T : Coordinate.getTerms()) {
      const UOp *V = T.OfThread ? Lane : E;
      int64_t Size = T.OfThread ? TC->Threads : Elements;
      if (T.Div > 1)
        V = Ctx.get(Op::FloorDiv, Index, {V, Ctx.getConst(Index, T.Div)});
      if (Size > T.Div * T.Mod)
        V = Ctx.get(Op::FloorMod, Index, {V, Ctx.getConst(Index, T.Mod)});
      if (T.Scale > 1)
        V = Ctx.get(Op::Mul, Index, {V, Ctx.getConst(Index, T.Scale)});
      Sum = Ctx.get(Op::Add, Index, {Sum, V});
    }
    return Sum;
  };
  const FragmentLayout &LA = Layout->A, &LB = Layout->B, &LC = Layout->C;
  llvm::DenseMap<const UOp *, const UOp *> MapA, MapB, Memo;
  MapA[N] = At(SN->Base, LA.Row, EA, LA.Elements);
  MapA[K] = At(SK->Base, LA.Col, EA, LA.Elements);
  MapB[K] = At(SK->Base, LB.Row, EB, LB.Elements);
  MapB[M] = At(SM->Base, LB.Col, EB, LB.Elements);
  const UOp *FragmentA =
      Ctx.get(Op::Contract, Ctx.getVector(X->getDType(), LA.Elements),
              {substituteUOps(Ctx, X, MapA, Memo), EA});
  Memo.clear();
  const UOp *FragmentB =
      Ctx.get(Op::Contract, Ctx.getVector(Y->getDType(), LB.Elements),
              {substituteUOps(Ctx, Y, MapB, Memo), EB});
  DType AccVector = Ctx.getVector(Reduce->getDType(), LC.Elements);
  const UOp *D =
      Ctx.get(Op::WMMA, AccVector,
              {FragmentA, FragmentB, Ctx.getFloatConst(AccVector, 0.0)},
              Ctx.getListArg(
                  {Ctx.getStringArg(TC->Name),
                   Ctx.getListArg({Ctx.getIntArg(TC->N), Ctx.getIntArg(TC->M),
                                   Ctx.getIntArg(TC->K)}),
                   Ctx.getIntArg(TC->Threads)}));
  // The fragments of D add up over k' (remove-reduce accumulates them in
  // the instruction's C).
  if (SK->Outer)
    D = Ctx.get(Op::Reduce, AccVector, {D, SK->Outer}, Reduce->getArg());
  const UOp *Result = Ctx.get(Op::Unroll, Reduce->getDType(), {D, EC});

  // Everything else reads the element of D the thread holds.
  llvm::SmallVector<RangeReplacement, 3> Replacements;
  auto Ranges = [](std::initializer_list<const UOp *> List) {
    llvm::SmallVector<const UOp *, 2> Out;
    for (const UOp *R : List)
      if (R)
        Out.push_back(R);
    return Out;
  };
  Replacements.push_back({N, At(SN->Base, LC.Row, EC, LC.Elements),
                          Ranges({SN->Outer, Lane, EC})});
  Replacements.push_back(
      {M, At(SM->Base, LC.Col, EC, LC.Elements), Ranges({SM->Outer})});
  // K's only user is the reduction, replaced whole.
  Replacements.push_back(
      {K, SK->Outer ? SK->Outer : SK->Base, Ranges({SK->Outer})});
  replaceRanges(Replacements, Reduce, Result);
  return success();
}

static bool isGroupRange(const UOp *U) {
  return U->getOp() == Op::Range &&
         U->getArgField(1)->getAxisKind() == AxisKind::GroupReduce;
}

LogicalResult Optimizer::lowerGroups() {
  int64_t LocalBytes = StagedBytes;
  for (;;) {
    auto It = llvm::find_if(F.getBody(), [](const UOp *U) {
      return U->getOp() == Op::Reduce &&
             llvm::any_of(U->getSrcs().drop_front(), isThreadRange);
    });
    if (It == F.getBody().end())
      break;
    if (failed(lowerGroup(*It, LocalBytes)))
      return failure();
  }
  // From here each group range is what it runs as: a work-group's threads.
  llvm::SmallVector<RangeReplacement, 2> Replacements;
  for (const UOp *U : F.getBody())
    if (isGroupRange(U)) {
      const UOp *Local =
          Ctx.get(Op::Range, U->getDType(), U->getSrcs(),
                  Ctx.getListArg({U->getArgField(0),
                                  Ctx.getAxisKindArg(AxisKind::Local)}));
      Replacements.push_back({U, Local, {Local}});
    }
  if (!Replacements.empty())
    replaceRanges(Replacements);
  return success();
}

LogicalResult Optimizer::lowerGroup(const UOp *Reduce, int64_t &LocalBytes) {
  DType Index = Ctx.getScalar(ScalarKind::Index);
  DType Bool = Ctx.getScalar(ScalarKind::Bool);
  DType Void = Ctx.getScalar(ScalarKind::Void);
  DType T = Reduce->getDType();
  auto Fail = [&](const llvm::Twine &Message) {
    return C.getDiag().error(F.getLocOrDefault(Reduce),
                             "opt: a grouped reduction of @" + F.getName() +
                                 ": " + Message);
  };
  if (!T.isScalar())
    return Fail("reduces a " + T.str() + "; grouping needs a scalar");

  llvm::SmallVector<const UOp *, 2> Groups, Others;
  for (const UOp *R : Reduce->getSrcs().drop_front())
    (isThreadRange(R) ? Groups : Others).push_back(R);

  // The partial results go to local memory, one per thread and per lane of
  // the copies `expand` makes: the element is the row-major position in
  // (the other local ranges, the group ranges, the upcast and unroll
  // ranges). Global ranges need no place: each work-group has its own
  // buffer. A range of any other kind would run the barrier once per
  // iteration with the buffer still being read.
  RangeScope Scope;
  llvm::SmallBitVector Open = Scope.getOpen(Reduce->getSrc(0));
  for (const UOp *R : Reduce->getSrcs().drop_front())
    if (unsigned N = Scope.getNumber(R); N < Open.size())
      Open.reset(N);
  llvm::SmallVector<const UOp *, 4> Locals, Lanes;
  for (unsigned N : Open.set_bits()) {
    const UOp *R = Scope.getRange(N);
    AxisKind K = R->getArgField(1)->getAxisKind();
    if (K == AxisKind::Global)
      continue;
    if (K == AxisKind::Local || K == AxisKind::GroupReduce)
      Locals.push_back(R);
    else if (K == AxisKind::Upcast || K == AxisKind::Unroll)
      Lanes.push_back(R);
    else
      return Fail("it lies inside the " + getMnemonic(K) + " range of axis " +
                  llvm::Twine(R->getArgField(0)->getInt()) +
                  ", whose iterations would share its local buffer");
  }
  auto ByAxis = [](const UOp *X, const UOp *Y) {
    return X->getArgField(0)->getInt() < Y->getArgField(0)->getInt();
  };
  llvm::sort(Locals, ByAxis);
  llvm::sort(Lanes, ByAxis);
  llvm::SmallVector<const UOp *, 8> Layout(Locals.begin(), Locals.end());
  Layout.append(Groups.begin(), Groups.end());
  Layout.append(Lanes.begin(), Lanes.end());
  int64_t Elements = 1;
  for (const UOp *R : Layout) {
    if (R->getSrc(0)->getOp() != Op::Const)
      return Fail("the size of axis " +
                  llvm::Twine(R->getArgField(0)->getInt()) +
                  " is not a constant");
    Elements *= R->getSrc(0)->getArg()->getInt();
  }
  LocalBytes += Elements * T.getScalarBits() / 8;
  if (LocalBytes > Arch.LocalMemory)
    return Fail("its partial results need " + llvm::Twine(LocalBytes) +
                " bytes of local memory (with the kernel's other grouped "
                "reductions); " +
                Arch.Name + " has " + llvm::Twine(Arch.LocalMemory));

  // The element of `Layout`'s ranges, with each group range replaced by its
  // counterpart in `Reads` when given.
  auto Element = [&](llvm::ArrayRef<const UOp *> Reads) {
    const UOp *At = nullptr;
    for (const UOp *R : Layout) {
      const UOp *V = R;
      if (!Reads.empty())
        if (const UOp *const *G = llvm::find(Groups, R); G != Groups.end())
          V = Reads[G - Groups.begin()];
      At = At ? Ctx.get(Op::Add, Index,
                        {Ctx.get(Op::Mul, Index, {At, R->getSrc(0)}), V})
              : V;
    }
    return At;
  };

  int64_t Id = 0;
  for (const UOp *U : F.Params)
    if (U->getOp() == Op::Define)
      Id = std::max(Id, U->getArgField(0)->getInt() + 1);
  for (const UOp *U : F.getBody())
    if (U->getOp() == Op::Define)
      Id = std::max(Id, U->getArgField(0)->getInt() + 1);

  // The threads of a group that store a result at `Addr`: those where
  // every group range the address does not depend on is 0.
  auto GateFor = [&](const UOp *Addr) {
    llvm::SmallBitVector AddrOpen = Scope.getOpen(Addr);
    const UOp *Gate = nullptr;
    for (const UOp *G : Groups) {
      unsigned N = Scope.getNumber(G);
      if (N < AddrOpen.size() && AddrOpen.test(N))
        continue;
      const UOp *First =
          Ctx.get(Op::CmpLT, Bool, {G, Ctx.getConst(Index, int64_t(1))});
      Gate = Gate ? Ctx.get(Op::And, Bool, {Gate, First}) : First;
    }
    return Gate;
  };

  BodyBuilder Body(F, Ctx);
  llvm::DenseSet<const UOp *> AfterFinal;
  for (const UOp *Old : F.getBody()) {
    if (Old == Reduce) {
      // Each thread reduces its slice ...
      const UOp *Partial = Body.lookup(Old->getSrc(0));
      if (!Others.empty()) {
        llvm::SmallVector<const UOp *, 4> Srcs{Partial};
        for (const UOp *R : Others)
          Srcs.push_back(Body.lookup(R));
        Partial = Body.add(Ctx.get(Op::Reduce, T, Srcs, Old->getArg()));
      }
      // ... stores it in local memory, waits for the others ...
      const UOp *Buffer =
          Ctx.get(Op::Define, Ctx.getPointer(T, AddrSpace::Local, Elements), {},
                  Ctx.getIntArg(Id));
      DType Address = Ctx.getPointer(T, AddrSpace::Local);
      const UOp *Store = Body.addWithSources(Ctx.get(
          Op::Store, Void,
          {Ctx.get(Op::Index, Address, {Buffer, Element({})}), Partial}));
      llvm::SmallVector<const UOp *, 6> Closed{Store};
      Closed.append(Groups.begin(), Groups.end());
      Closed.append(Lanes.begin(), Lanes.end());
      const UOp *Stored = Body.add(Ctx.get(Op::End, Void, Closed));
      const UOp *Barrier = Body.add(Ctx.get(Op::Barrier, Void, {Stored}));
      // ... and reduces the partial results of the group: a group of n
      // threads (n a multiple of 4, at least 8) is read 4 at a time, an
      // `unroll` range of 4 inside a `reduce` range of n/4, so that each
      // thread has 4 independent loads (one vector load where they are
      // consecutive) and a tree instead of a chain of n.
      llvm::SmallVector<const UOp *, 2> Reads, ReadRanges;
      int64_t Axis = getNextAxis();
      for (const UOp *G : Groups) {
        int64_t N = G->getSrc(0)->getArg()->getInt();
        if (N % 4 || N < 8) {
          ReadRanges.push_back(
              Body.addWithSources(makeRange(N, Axis++, AxisKind::Reduce)));
          Reads.push_back(ReadRanges.back());
          continue;
        }
        const UOp *Outer =
            Body.addWithSources(makeRange(N / 4, Axis++, AxisKind::Reduce));
        const UOp *Lane =
            Body.addWithSources(makeRange(4, Axis++, AxisKind::Unroll));
        ReadRanges.append({Outer, Lane});
        Reads.push_back(Ctx.get(
            Op::Add, Index,
            {Ctx.get(Op::Mul, Index, {Outer, Ctx.getConst(Index, int64_t(4))}),
             Lane}));
      }
      const UOp *Ready =
          Ctx.get(Op::After, Buffer->getDType(), {Buffer, Barrier});
      const UOp *Load = Body.addWithSources(Ctx.get(
          Op::Load, T, {Ctx.get(Op::Index, Address, {Ready, Element(Reads)})}));
      llvm::SmallVector<const UOp *, 4> Srcs{Load};
      Srcs.append(ReadRanges.begin(), ReadRanges.end());
      const UOp *Final = Body.add(Ctx.get(Op::Reduce, T, Srcs, Old->getArg()));
      AfterFinal.insert(Final);
      Body.replace(Old, Final);
      continue;
    }
    bool Depends = llvm::any_of(Old->getSrcs(), [&](const UOp *S) {
      return AfterFinal.contains(Body.lookup(S));
    });
    if (!Depends) {
      Body.rebuild(Old);
      continue;
    }
    if (Old->getOp() != Op::Store || Old->getSrc(0)->getOp() != Op::Index) {
      AfterFinal.insert(Body.rebuild(Old));
      continue;
    }
    // Every thread of the group has the result; one stores it, unless
    // each thread stores its own element.
    const UOp *Addr = Old->getSrc(0);
    const UOp *Gate = GateFor(Addr);
    if (!Gate) {
      AfterFinal.insert(Body.rebuild(Old));
      continue;
    }
    llvm::SmallVector<const UOp *, 4> Srcs;
    for (const UOp *S : Addr->getSrcs())
      Srcs.push_back(Body.lookup(S));
    if (Srcs.size() > 2 && Srcs.back()->getDType().isBool())
      Srcs.back() =
          Body.addWithSources(Ctx.get(Op::And, Bool, {Srcs.back(), Gate}));
    else
      Srcs.push_back(Body.addWithSources(Gate));
    const UOp *Gated =
        Body.add(Ctx.get(Op::Index, Addr->getDType(), Srcs, Addr->getArg()));
    const UOp *New =
        Body.add(Ctx.get(Op::Store, Old->getDType(),
                         {Gated, Body.lookup(Old->getSrc(1))}, Old->getArg()));
    Body.replace(Old, New);
    AfterFinal.insert(New);
  }
  Body.finish();
  return success();
}

LogicalResult Optimizer::apply(const Arg &Opt) {
  llvm::ArrayRef<const Arg *> Operands = Opt.getElements();
  auto Operand = [&](unsigned I) -> int64_t {
    return I < Operands.size() ? Operands[I]->getInt() : 0;
  };
  unsigned Want = 2;
  OptKind Kind = Opt.getOptKind();
  if (Kind == OptKind::NoLocals)
    Want = 0;
  if (Operands.size() != Want)
    return error(Opt, "expected " + llvm::Twine(Want) + " operands, got " +
                          llvm::Twine(Operands.size()));
  if (Kind == OptKind::NoLocals) {
    for (const UOp *U : F.getBody())
      if (U->getOp() == Op::Range &&
          (U->getArgField(1)->getAxisKind() == AxisKind::Local ||
           U->getArgField(1)->getAxisKind() == AxisKind::GroupReduce))
        return error(Opt, "the kernel already has local ranges");
    NoLocals = true;
    return success();
  }
  const UOp *R = findRange(Opt, Operand(0));
  if (!R)
    return failure();
  AxisKind RangeKind = R->getArgField(1)->getAxisKind();
  llvm::StringRef KindName = getMnemonic(RangeKind);
  switch (Kind) {
  case OptKind::Upcast:
    if (!isOutputKind(RangeKind))
      return error(Opt, "upcast needs an output axis (global, local or "
                        "loop); axis " +
                            llvm::Twine(Operand(0)) + " is " + KindName +
                            " (unroll splits reduce axes)");
    return split(Opt, R, Operand(1), AxisKind::Upcast);
  case OptKind::Unroll:
    if (RangeKind != AxisKind::Reduce)
      return error(Opt, "unroll needs a reduce axis; axis " +
                            llvm::Twine(Operand(0)) + " is " + KindName);
    return split(Opt, R, Operand(1), AxisKind::Unroll);
  case OptKind::Local: {
    if (NoLocals)
      return error(Opt, "the kernel's opts include nolocals()");
    if (!Arch.hasLocals())
      return error(Opt, llvm::Twine("arch ") + Arch.Name +
                            " has no work-group threads");
    if (RangeKind != AxisKind::Global && RangeKind != AxisKind::Loop)
      return error(Opt, "local needs a global or loop axis; axis " +
                            llvm::Twine(Operand(0)) + " is " + KindName);
    int64_t Amount = Operand(1);
    if (RangeKind == AxisKind::Loop) {
      if (failed(checkIndependentLoop(Opt, R)))
        return failure();
      std::optional<int64_t> Size = getConstantSize(Opt, R);
      if (!Size)
        return failure();
      if (!Amount)
        Amount = *Size;
      if (const UOp *Free = findFreeThreads(R, Amount))
        return split(Opt, R, Amount, AxisKind::Local, false, Free);
    }
    int64_t Threads = Amount * getWorkGroupSize();
    if (Threads > Arch.MaxLocalSize)
      return error(Opt, "a work-group of " + llvm::Twine(Threads) +
                            " threads exceeds " + Arch.Name + "'s " +
                            llvm::Twine(Arch.MaxLocalSize));
    return split(Opt, R, Operand(1), AxisKind::Local);
  }
  case OptKind::PadTo:
    return padTo(Opt, R, Operand(1));
  case OptKind::Swap: {
    const UOp *Other = findRange(Opt, Operand(1));
    return Other ? swap(Opt, R, Other) : failure();
  }
  case OptKind::Group:
  case OptKind::GroupTop:
    return group(Opt, R, Operand(1), Kind == OptKind::GroupTop);
  case OptKind::Thread:
    return error(Opt, "the CPU runtime spreads the outermost global axis over "
                      "threads itself; thread opts are not lowered yet");
  case OptKind::TC:
    return tensorCore(Opt, R, Operand(1));
  case OptKind::Stage:
    if (NoLocals)
      return error(Opt, "the kernel's opts include nolocals()");
    return stageLoads(
        F, Ctx, Arch, R, Operand(1), StagedBytes,
        [&](const llvm::Twine &Message) { return error(Opt, Message); });
  case OptKind::NoLocals:
    break;
  }
  return success();
}

LogicalResult OptPass::runOnFunction(Function &F, PassContext &C) {
  const Arg *Opts = F.getAttribute("opts");
  if (!F.isKernel() || !Opts)
    return success();
  const ArchInfo *A = lookupArch(Arch.getValue());
  if (!A)
    return C.getDiag().error(F.getLoc(),
                             "opt: unknown arch '" + Arch.getValue() + "'");
  Optimizer O(F, C, *A);
  std::vector<const Arg *> Applied;
  if (const Arg *Before = F.getAttribute("applied_opts"))
    Applied.assign(Before->getElements().begin(), Before->getElements().end());
  for (const Arg *Opt : Opts->getElements()) {
    if (failed(O.apply(*Opt)))
      return failure();
    Applied.push_back(Opt);
    ++NumApplied;
  }
  if (failed(O.lowerGroups()))
    return failure();
  Context &Ctx = C.getContext();
  F.setAttribute("opts", nullptr);
  F.setAttribute("applied_opts", Ctx.getListArg(Applied));
  return success();
}

std::unique_ptr<Pass> tg::createOptPass() {
  return std::make_unique<OptPass>();
}
