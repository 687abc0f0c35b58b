//===- Coalesce.cpp - the `coalesce` pass: consecutive accesses as vectors
//-===//
//
// After `expand`, an upcast axis leaves runs of scalar accesses to
// neighbouring elements: `load(index(b, x + 0))`, `load(index(b, x + 1))`,
// ... . `coalesce` turns each aligned run of 2, 4 or 8 (as wide as the arch's
// widest vector access allows) into one vector access:
//
//   %v = load(index(b, x + c)) : vec<f32, 4>     each old load: gep(%v, [i])
//   store(index(b, x + c), vectorize(v0, v1, v2, v3))    for 4 stores
//
// Accesses of one run share the buffer, the non-constant part x of their
// address, their gate and their type; the run starts at a constant c
// divisible by its length, and x is known (by divisibility analysis) to be
// divisible by it, so the vector access is aligned. A load with a value for
// when its gate is off is left alone.
//
// When stores may merge. Effects are ordered only by the graph: a UOp that
// uses a store (`group`, `end`, `after`, `barrier`, ...) happens after it,
// and stores that do not depend on one another happen in no order. The
// vector store does every lane's write at once and each use of a lane
// becomes a use of it: whatever waited for one lane now waits for all of
// them, which no program can tell apart (the other lanes were unordered
// with respect to it), unless a lane's value or address itself waits for
// another lane's store (through an `after`, or a load behind a `barrier`):
// then the vector store would wait for itself. Two runs could also wait
// for each other, so the rule is stricter: a run merges only if no lane's
// value or address waits for a store that comes after the run's first
// store in body order (of any cycle of runs waiting for each other, the
// one whose first store comes first would wait for such a store).
// Otherwise that run is left scalar. The vector store goes where the run's
// last store was; a UOp before it that uses an earlier lane (an `expand`ed
// `group` of the copies of a store) moves after it, with what uses that
// UOp in turn.
//
//===----------------------------------------------------------------------===//

#include "tg/Codegen/Passes.h"

#include "BodyBuilder.h"
#include "tg/Analysis/Divisibility.h"
#include "tg/Analysis/RangeAnalysis.h"
#include "tg/IR/Arg.h"
#include "tg/Target/Device.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

#include <functional>
#include <map>
#include <tuple>

using namespace tg;

namespace {

struct CoalescePass : FunctionPass {
  Option<std::string> Arch{*this, "arch",
                           "The arch whose widest vector access applies "
                           "(td/Devices.td)",
                           "x86-64"};
  Statistic NumLoads{*this, "num-vector-loads", "Vector loads made"};
  Statistic NumStores{*this, "num-vector-stores", "Vector stores made"};

  llvm::StringRef getArgument() const override { return "coalesce"; }
  llvm::StringRef getDescription() const override {
    return "Turn aligned runs of scalar loads and stores of neighbouring "
           "elements into vector accesses";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt(
        "accesses the same elements as vectors; the interpreter checks it");
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override;
};

/// Where a scalar access goes: `index(Buffer, Base + Offset [, Gate])`.
struct Address {
  const UOp *Buffer, *Base, *Gate;
  int64_t Offset;
};

/// The address of `Pointer` in that form, if it has it.
std::optional<Address> decompose(const UOp *Pointer) {
  if (Pointer->getOp() != Op::Index)
    return std::nullopt;
  llvm::ArrayRef<const UOp *> Srcs = Pointer->getSrcs();
  const UOp *Gate = nullptr;
  if (Srcs.back()->getDType().isBool()) {
    Gate = Srcs.back();
    Srcs = Srcs.drop_back();
  }
  if (Srcs.size() != 2)
    return std::nullopt;
  const UOp *Off = Srcs[1];
  if (Off->getOp() == Op::Const)
    return Address{Srcs[0], nullptr, Gate, Off->getArg()->getInt()};
  if (Off->getOp() == Op::Add && Off->getSrc(1)->getOp() == Op::Const)
    return Address{Srcs[0], Off->getSrc(0), Gate,
                   Off->getSrc(1)->getArg()->getInt()};
  return Address{Srcs[0], Off, Gate, 0};
}

/// Accesses grouped by everything but their constant offset.
using Key = std::tuple<const UOp *, const UOp *, const UOp *, DType>;
struct KeyLess {
  bool operator()(const Key &A, const Key &B) const {
    auto Ptr = [](const Key &K) {
      return std::make_tuple(std::get<0>(K), std::get<1>(K), std::get<2>(K),
                             std::get<3>(K).getImpl());
    };
    return Ptr(A) < Ptr(B);
  }
};
using Groups = std::map<Key, std::map<int64_t, const UOp *>, KeyLess>;

} // namespace

LogicalResult CoalescePass::runOnFunction(Function &F, PassContext &C) {
  if (!F.isKernel() || !F.getRoot())
    return success();
  const ArchInfo *A = lookupArch(Arch.getValue());
  if (!A)
    return C.getDiag().error(F.getLoc(), "coalesce: unknown arch '" +
                                             Arch.getValue() + "'");
  Context &Ctx = C.getContext();
  RangeAnalysis Ranges;
  DivisibilityAnalysis Factors(Ranges);

  Groups Loads, Stores;
  for (const UOp *U : F.getBody()) {
    bool IsLoad = U->getOp() == Op::Load && U->getNumSrcs() == 1;
    bool IsStore = U->getOp() == Op::Store;
    if (!IsLoad && !IsStore)
      continue;
    DType T = IsLoad ? U->getDType() : U->getSrc(1)->getDType();
    if (!T.isScalar() || T.isIndex() || T.isBool())
      continue;
    std::optional<Address> Addr = decompose(U->getSrc(0));
    if (!Addr || Addr->Buffer->getDType().getElement() != T)
      continue;
    (IsLoad ? Loads
            : Stores)[{Addr->Buffer, Addr->Base, Addr->Gate, T}][Addr->Offset] =
        U;
  }

  // Body positions.
  llvm::DenseMap<const UOp *, unsigned> Position;
  for (unsigned I = 0, E = F.getBody().size(); I != E; ++I)
    Position[F.getBody()[I]] = I;
  // Whether the value or address of a store of the run of `W` stores at
  // `Start` waits for a store after the run's first (another of the run's,
  // or one that could wait for it): the search stops before the first.
  auto waitsForLaterStore = [&](const std::map<int64_t, const UOp *> &ByOffset,
                                int64_t Start, int64_t W) {
    llvm::SmallPtrSet<const UOp *, 8> Lanes;
    unsigned First = ~0u;
    for (int64_t I = 0; I < W; ++I) {
      const UOp *S = ByOffset.at(Start + I);
      Lanes.insert(S);
      First = std::min(First, Position[S]);
    }
    llvm::DenseSet<const UOp *> Seen;
    llvm::SmallVector<const UOp *, 32> Work;
    for (const UOp *S : Lanes)
      llvm::append_range(Work, S->getSrcs());
    while (!Work.empty()) {
      const UOp *U = Work.pop_back_val();
      auto Pos = Position.find(U);
      if (Pos == Position.end() || Pos->second < First ||
          !Seen.insert(U).second)
        continue;
      if (U->getOp() == Op::Store)
        return true;
      llvm::append_range(Work, U->getSrcs());
    }
    return false;
  };

  // Each access in a run: its run's first access (by offset), its lane, and
  // for stores the run's last store in body order, where the vector store
  // goes (every value stored exists there).
  struct Lane {
    const UOp *First, *Last;
    unsigned Width, Index;
  };
  llvm::DenseMap<const UOp *, Lane> RunOf;
  for (Groups *G : {&Loads, &Stores})
    for (auto &[K, ByOffset] : *G) {
      DType T = std::get<3>(K);
      const UOp *Base = std::get<1>(K);
      int64_t MaxLanes = std::max<int64_t>(
          1, A->MaxVectorBytes / std::max(1u, T.getScalarBits() / 8));
      for (auto It = ByOffset.begin(); It != ByOffset.end();) {
        int64_t Start = It->first;
        unsigned Width = 0;
        const UOp *Last = nullptr;
        for (int64_t W : {8, 4, 2}) {
          if (W > MaxLanes || Start % W || (Base && !Factors.divides(Base, W)))
            continue;
          bool All = true;
          for (int64_t I = 1; I < W && All; ++I)
            All = ByOffset.count(Start + I);
          if (!All)
            continue;
          // A store run must not wait for itself.
          Last = ByOffset[Start];
          for (int64_t I = 1; I < W; ++I)
            if (Position[ByOffset[Start + I]] > Position[Last])
              Last = ByOffset[Start + I];
          if (G != &Stores || !waitsForLaterStore(ByOffset, Start, W)) {
            Width = W;
            break;
          }
        }
        if (!Width) {
          ++It;
          continue;
        }
        for (unsigned I = 0; I != Width; ++I)
          RunOf[ByOffset[Start + I]] = {It->second, Last, Width, I};
        std::advance(It, Width);
      }
    }
  if (RunOf.empty())
    return success();

  BodyBuilder Body(F, Ctx);
  llvm::DenseMap<const UOp *, const UOp *> Vectors; // First access -> vector.
  // The old UOps whose new versions are in the body (a store of a run once
  // its vector store is), and those waiting for a vector store.
  llvm::DenseSet<const UOp *> Built;
  llvm::SmallVector<const UOp *, 16> Pending;
  llvm::DenseSet<const UOp *> IsPending;
  for (const UOp *P : F.Params)
    Built.insert(P);
  auto IsStoreLane = [&](const UOp *U) {
    return U->getOp() == Op::Store && RunOf.count(U);
  };
  // Whether `Old` can be built now: its sources are built, or (those not
  // reached in body order yet) can be, without a store of a run.
  llvm::DenseSet<const UOp *> Buildable; // Known to; stays so.
  std::function<bool(const UOp *)> CanBuild = [&](const UOp *Old) {
    if (Built.contains(Old))
      return true;
    if (IsPending.contains(Old))
      return false;
    if (Buildable.contains(Old))
      return true;
    if (IsStoreLane(Old) || !llvm::all_of(Old->getSrcs(), CanBuild))
      return false;
    Buildable.insert(Old);
    return true;
  };
  // A vector load comes where its first lane in body order was, and the
  // address of its lowest lane may come later (symbolic orders the terms of
  // the lanes' sums): that address, and what it needs, is rebuilt first.
  std::function<const UOp *(const UOp *)> Ensure = [&](const UOp *Old) {
    if (!Built.insert(Old).second)
      return Body.lookup(Old);
    for (const UOp *S : Old->getSrcs())
      Ensure(S);
    return Body.rebuild(Old);
  };
  // Builds `Old`, whose sources can be built; false for a store of a run
  // that is not its last (the vector store is made at the last).
  auto Build = [&](const UOp *Old) {
    auto It = RunOf.find(Old);
    if (It == RunOf.end()) {
      Built.insert(Old);
      // A group of merged stores names each once.
      if (Old->getOp() == Op::Group) {
        llvm::SmallVector<const UOp *, 8> Srcs;
        for (const UOp *S : Old->getSrcs())
          if (!llvm::is_contained(Srcs, Body.lookup(S)))
            Srcs.push_back(Body.lookup(S));
        Body.replace(Old,
                     Srcs.size() == 1
                         ? Srcs[0]
                         : Body.add(Ctx.get(Op::Group, Old->getDType(), Srcs)));
        return;
      }
      Body.rebuild(Old);
      return;
    }
    const Lane &L = It->second;
    if (Old->getOp() == Op::Load) {
      Built.insert(Old);
      const UOp *&V = Vectors[L.First];
      if (!V) {
        ++NumLoads;
        V = Body.add(Ctx.get(Op::Load, Ctx.getVector(Old->getDType(), L.Width),
                             {Ensure(L.First->getSrc(0))}));
      }
      Body.replace(Old, Body.add(Ctx.get(Op::GEP, Old->getDType(), {V},
                                         Ctx.getIntListArg({L.Index}))));
      return;
    }
    // A store run is written once, at its last store in body order.
    ++NumStores;
    std::optional<Address> Addr = decompose(L.First->getSrc(0));
    auto &Run = Stores[{Addr->Buffer, Addr->Base, Addr->Gate,
                        Old->getSrc(1)->getDType()}];
    llvm::SmallVector<const UOp *, 8> Values;
    for (unsigned I = 0; I != L.Width; ++I)
      Values.push_back(Body.lookup(Run[Addr->Offset + I]->getSrc(1)));
    DType VecT = Ctx.getVector(Old->getSrc(1)->getDType(), L.Width);
    const UOp *Vec = Body.add(Ctx.get(Op::Vectorize, VecT, Values));
    const UOp *Merged = Body.add(Ctx.get(
        Op::Store, Old->getDType(), {Body.lookup(L.First->getSrc(0)), Vec}));
    for (unsigned I = 0; I != L.Width; ++I) {
      Body.replace(Run[Addr->Offset + I], Merged);
      Built.insert(Run[Addr->Offset + I]);
    }
  };
  // Whether the vector store of the run whose last store is `Last` can be
  // made: every lane's sources can be built.
  auto CanBuildRun = [&](const UOp *Last) {
    const Lane &L = RunOf.find(Last)->second;
    std::optional<Address> Addr = decompose(L.First->getSrc(0));
    auto &Run = Stores[{Addr->Buffer, Addr->Base, Addr->Gate,
                        Last->getSrc(1)->getDType()}];
    for (unsigned I = 0; I != L.Width; ++I)
      if (!llvm::all_of(Run[Addr->Offset + I]->getSrcs(), CanBuild))
        return false;
    return true;
  };
  auto Ready = [&](const UOp *Old) {
    auto It = RunOf.find(Old);
    if (It != RunOf.end() && Old->getOp() == Op::Store)
      return CanBuildRun(Old);
    if (It != RunOf.end() && !CanBuild(It->second.First->getSrc(0)))
      return false;
    return llvm::all_of(Old->getSrcs(), CanBuild);
  };
  // Builds what waits and can be built now, in body order, until nothing
  // more can.
  auto Flush = [&] {
    for (bool Progress = true; Progress;) {
      Progress = false;
      for (auto It = Pending.begin(); It != Pending.end();) {
        if (!Ready(*It)) {
          ++It;
          continue;
        }
        const UOp *Old = *It;
        It = Pending.erase(It);
        IsPending.erase(Old);
        Build(Old);
        Progress = true;
      }
    }
  };
  for (const UOp *Old : F.getBody()) {
    if (Built.contains(Old))
      continue;
    auto It = RunOf.find(Old);
    // A store of a run before its last waits for the vector store.
    if (It != RunOf.end() && Old->getOp() == Op::Store &&
        Old != It->second.Last)
      continue;
    if (!Ready(Old)) {
      Pending.push_back(Old);
      IsPending.insert(Old);
      continue;
    }
    Build(Old);
    if (It != RunOf.end() && Old->getOp() == Op::Store)
      Flush();
  }
  Flush();
  if (!Pending.empty())
    return C.getDiag().error(F.getLocOrDefault(Pending.front()),
                             "coalesce: internal error: this UOp waits for a "
                             "vector store that waits for it");
  Body.finish();
  return success();
}

std::unique_ptr<Pass> tg::createCoalescePass() {
  return std::make_unique<CoalescePass>();
}
