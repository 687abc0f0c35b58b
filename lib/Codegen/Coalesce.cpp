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

  // Body positions, and the first position that uses each UOp.
  llvm::DenseMap<const UOp *, unsigned> Position, FirstUse;
  for (unsigned I = 0, E = F.getBody().size(); I != E; ++I) {
    const UOp *U = F.getBody()[I];
    Position[U] = I;
    for (const UOp *S : U->getSrcs())
      FirstUse.try_emplace(S, I);
  }

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
          // A store run must not be used before its last store.
          Last = ByOffset[Start];
          for (int64_t I = 1; I < W; ++I)
            if (Position[ByOffset[Start + I]] > Position[Last])
              Last = ByOffset[Start + I];
          bool UsedEarly = false;
          for (int64_t I = 0; I < W && G == &Stores; ++I) {
            auto Use = FirstUse.find(ByOffset[Start + I]);
            UsedEarly |= Use != FirstUse.end() && Use->second < Position[Last];
          }
          if (!UsedEarly) {
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
  // A vector load comes where its first lane in body order was, and the
  // address of its lowest lane may come later (symbolic orders the terms of
  // the lanes' sums): that address, and what it needs, is rebuilt first.
  llvm::DenseSet<const UOp *> Built;
  std::function<const UOp *(const UOp *)> Ensure = [&](const UOp *Old) {
    if (!Built.insert(Old).second)
      return Body.lookup(Old);
    for (const UOp *S : Old->getSrcs())
      Ensure(S);
    return Body.rebuild(Old);
  };
  for (const UOp *P : F.Params)
    Built.insert(P);
  for (const UOp *Old : F.getBody()) {
    if (!Built.insert(Old).second)
      continue;
    auto It = RunOf.find(Old);
    if (It == RunOf.end()) {
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
        continue;
      }
      Body.rebuild(Old);
      continue;
    }
    const Lane &L = It->second;
    if (Old->getOp() == Op::Load) {
      const UOp *&V = Vectors[L.First];
      if (!V) {
        ++NumLoads;
        V = Body.add(Ctx.get(Op::Load, Ctx.getVector(Old->getDType(), L.Width),
                             {Ensure(L.First->getSrc(0))}));
      }
      Body.replace(Old, Body.add(Ctx.get(Op::GEP, Old->getDType(), {V},
                                         Ctx.getIntListArg({L.Index}))));
      continue;
    }
    // A store run is written once, at its last store in body order.
    if (Old != L.Last)
      continue;
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
    for (unsigned I = 0; I != L.Width; ++I)
      Body.replace(Run[Addr->Offset + I], Merged);
  }
  Body.finish();
  return success();
}

std::unique_ptr<Pass> tg::createCoalescePass() {
  return std::make_unique<CoalescePass>();
}
