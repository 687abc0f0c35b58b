//===- Linearize.cpp - the `linearize` pass -------------------------------===//
//
// Orders a kernel's UOps into a linear program: the body, read top to bottom,
// is what runs. Each `range` opens a loop and exactly one `end` closes it;
// every UOp sits inside the loops of the ranges open at it (RangeScope), and
// a gated store becomes `if` / store / `endif`.
//
// 1. Ends closing several ranges are split, innermost first, so that each
//    `end` closes one range.
// 2. Ranges are ordered outermost first: a range whose bound depends on
//    another is inside it; otherwise by axis kind (global before local before
//    loop before reduce ...), then axis, then body position.
// 3. Loops nest: when one UOp depends on ranges A and B, the inner of the two
//    lies inside the outer one. A range is inside every range any UOp nests
//    it in, so each range has one chain of enclosing loops; ranges that no
//    UOp nests are sibling loops.
// 4. Each block (the kernel, or a loop's interior) is ordered topologically:
//    its items are its own UOps and its child loops, a loop standing for
//    everything inside it. Ties go to the earlier body position, so the
//    order is deterministic and close to the input's.
// 5. The blocks are written out, each loop as its range, its items, and one
//    `end` of its range closing every effect that ended it.
//
//===----------------------------------------------------------------------===//

#include "tg/Codegen/Passes.h"

#include "BodyBuilder.h"
#include "tg/Codegen/RangeScope.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <queue>
#include <tuple>

using namespace tg;

namespace {

struct LinearizePass : FunctionPass {
  Statistic NumLoops{*this, "num-loops", "Loops written out"};
  Statistic NumIfs{*this, "num-ifs", "Gated stores turned into if/endif"};

  llvm::StringRef getArgument() const override { return "linearize"; }
  llvm::StringRef getDescription() const override {
    return "Order each kernel into a linear program of loops and if/endif";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt(
        "reorders the program; the interpreter checks it");
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override;
};

/// How deep an axis kind's loops go: kernel-wide and launch axes outside,
/// reductions inside, upcast and unroll innermost.
unsigned getKindRank(AxisKind K) {
  switch (K) {
  case AxisKind::Outer:
    return 0;
  case AxisKind::Thread:
    return 1;
  case AxisKind::Global:
    return 2;
  case AxisKind::Warp:
    return 3;
  case AxisKind::Local:
    return 4;
  case AxisKind::Loop:
    return 5;
  case AxisKind::GroupReduce:
    return 6;
  case AxisKind::Reduce:
    return 7;
  case AxisKind::Upcast:
    return 8;
  case AxisKind::Unroll:
    return 9;
  }
  return 10;
}

/// The linearizer of one kernel.
class Linearizer {
public:
  Linearizer(Function &F, PassContext &C, LinearizePass &P)
      : F(F), C(C), P(P), Ctx(C.getContext()) {}

  LogicalResult run();

private:
  using RangeSet = llvm::SmallBitVector;

  LogicalResult checkInput();
  /// Makes `NewLive` the UOps to order, and ranks their ranges.
  void setLive(std::vector<const UOp *> NewLive);
  void splitEnds();
  void orderRanges();
  LogicalResult nestRanges();
  LogicalResult placeUOps();
  LogicalResult orderBlocks();
  void emitBlock(const UOp *Loop);
  void emit(const UOp *U);

  /// Ranges of `Set`, outermost first.
  llvm::SmallVector<unsigned, 8> sorted(const RangeSet &Set) const;
  /// The loops around `U` (outermost first); the loop of a range or an end
  /// is its own, the range last.
  llvm::ArrayRef<unsigned> getPath(const UOp *U) const {
    return Paths.find(U)->second;
  }
  LogicalResult error(const UOp *U, const llvm::Twine &Message) {
    return C.getDiag().error(F.getLocOrDefault(U), Message);
  }
  std::string name(const UOp *U) const {
    llvm::StringRef N = F.getName(U);
    return N.empty() ? "'" + getMnemonic(U->getOp()).str() + "'"
                     : ("%" + N).str();
  }

  Function &F;
  PassContext &C;
  LinearizePass &P;
  Context &Ctx;

  RangeScope Scope;
  /// The live UOps, sources first, and each one's body position.
  std::vector<const UOp *> Live;
  llvm::DenseMap<const UOp *, unsigned> Position;
  /// Range number -> rank (0 outermost); rank -> range number.
  std::vector<unsigned> Rank, ByRank;
  /// Range number -> the ranges whose loops enclose it.
  std::vector<RangeSet> Chain;
  llvm::DenseMap<const UOp *, llvm::SmallVector<unsigned, 4>> Paths;
  /// Range number -> the `end`s that close it.
  std::vector<llvm::SmallVector<const UOp *, 2>> Ends;

  /// A block is a loop (its range) or the kernel (nullptr). An item of a
  /// block is a UOp in it or a range standing for a child loop.
  llvm::DenseMap<const UOp *, std::vector<const UOp *>> Items;
  llvm::DenseMap<const UOp *, unsigned> ItemPosition;

  BodyBuilder *Out = nullptr;
};

} // namespace

LogicalResult Linearizer::checkInput() {
  for (const UOp *U : F.getBody())
    if (U->getOp() == Op::Reduce)
      return error(U, "'reduce' must be turned into a loop before linearize "
                      "(run remove-reduce first)");
  return success();
}

/// The live UOps of the body, in body order.
static std::vector<const UOp *> getLive(const Function &F) {
  llvm::DenseSet<const UOp *> Reached = getReachable(F.getRoot());
  std::vector<const UOp *> Live;
  for (const UOp *U : F.getBody())
    if (Reached.contains(U))
      Live.push_back(U);
  return Live;
}

void Linearizer::orderRanges() {
  unsigned N = Scope.getRanges().size();
  // Ranges by (kind, axis, position); then repeatedly the first one whose
  // bound needs no range left.
  std::vector<unsigned> Candidates(N);
  for (unsigned I = 0; I != N; ++I)
    Candidates[I] = I;
  auto Key = [&](unsigned I) {
    const UOp *R = Scope.getRange(I);
    return std::make_tuple(getKindRank(R->getArgField(1)->getAxisKind()),
                           R->getArgField(0)->getInt(), Position.lookup(R));
  };
  llvm::sort(Candidates,
             [&](unsigned A, unsigned B) { return Key(A) < Key(B); });
  Rank.assign(N, ~0u);
  ByRank.clear();
  while (ByRank.size() != N)
    for (unsigned I : Candidates) {
      if (Rank[I] != ~0u)
        continue;
      RangeSet Needs = Scope.getOpen(Scope.getRange(I)->getSrc(0));
      bool Ready = llvm::all_of(Needs.set_bits(),
                                [&](unsigned J) { return Rank[J] != ~0u; });
      if (!Ready)
        continue;
      Rank[I] = ByRank.size();
      ByRank.push_back(I);
      break;
    }
}

llvm::SmallVector<unsigned, 8> Linearizer::sorted(const RangeSet &Set) const {
  llvm::SmallVector<unsigned, 8> Result(Set.set_bits_begin(),
                                        Set.set_bits_end());
  llvm::sort(Result, [&](unsigned A, unsigned B) { return Rank[A] < Rank[B]; });
  return Result;
}

void Linearizer::setLive(std::vector<const UOp *> NewLive) {
  Live = std::move(NewLive);
  Position.clear();
  for (unsigned I = 0, E = Live.size(); I != E; ++I)
    Position[Live[I]] = I;
  Scope = RangeScope();
  for (const UOp *U : Live)
    Scope.getOpen(U);
  orderRanges();
}

void Linearizer::splitEnds() {
  // The input's ranges are ranked (setLive) to split its ends innermost
  // first.
  BodyBuilder Split(F, Ctx);
  for (const UOp *Old : Live) {
    if (Old->getOp() != Op::End || Old->getNumSrcs() == 2) {
      Split.rebuild(Old);
      continue;
    }
    llvm::SmallVector<const UOp *, 4> Closed(Old->getSrcs().drop_front());
    llvm::sort(Closed, [&](const UOp *A, const UOp *B) {
      return Rank[Scope.getNumber(A)] > Rank[Scope.getNumber(B)];
    });
    const UOp *Effect = Split.lookup(Old->getSrc(0));
    for (const UOp *R : Closed)
      Effect = Split.add(
          Ctx.get(Op::End, Old->getDType(), {Effect, Split.lookup(R)}));
    Split.replace(Old, Effect);
  }
  Split.finish();
  setLive(F.getBody());
}

LogicalResult Linearizer::nestRanges() {
  unsigned N = Scope.getRanges().size();
  Chain.assign(N, RangeSet(N));
  Ends.assign(N, {});
  // Every pair of ranges open at one UOp nests, the lower rank outside.
  llvm::DenseSet<RangeSet> SeenSets;
  for (const UOp *U : Live) {
    RangeSet Open = Scope.getOpen(U);
    Open.resize(N);
    if (U->getOp() == Op::End)
      Ends[Scope.getNumber(U->getSrc(1))].push_back(U);
    if (Open.count() < 2 || !SeenSets.insert(Open).second)
      continue;
    llvm::SmallVector<unsigned, 8> Order = sorted(Open);
    for (unsigned I = 1; I < Order.size(); ++I)
      for (unsigned J = 0; J < I; ++J)
        Chain[Order[I]].set(Order[J]);
  }
  // Close the chains: a range's loop lies inside the loops around its
  // enclosing loops, and its innermost enclosing loop lies inside the rest.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (unsigned R : ByRank) {
      RangeSet Before = Chain[R];
      for (unsigned Q : Before.set_bits())
        Chain[R] |= Chain[Q];
      llvm::SmallVector<unsigned, 8> Order = sorted(Chain[R]);
      if (!Order.empty()) {
        unsigned Parent = Order.back();
        RangeSet Rest = Chain[R];
        Rest.reset(Parent);
        RangeSet Old = Chain[Parent];
        Chain[Parent] |= Rest;
        Changed |= Old != Chain[Parent];
      }
      Changed |= Before != Chain[R];
    }
  }
  for (unsigned R = 0; R != N; ++R)
    if (Ends[R].empty())
      return error(Scope.getRange(R), "range " + name(Scope.getRange(R)) +
                                          " is never closed by an 'end'");
  return success();
}

LogicalResult Linearizer::placeUOps() {
  unsigned N = Scope.getRanges().size();
  auto PathOfLoop = [&](unsigned R) {
    llvm::SmallVector<unsigned, 4> Path(sorted(Chain[R]));
    Path.push_back(R);
    return Path;
  };
  for (const UOp *U : Live) {
    if (U->getOp() == Op::Range) {
      Paths[U] = PathOfLoop(Scope.getNumber(U));
      continue;
    }
    if (U->getOp() == Op::End) {
      Paths[U] = PathOfLoop(Scope.getNumber(U->getSrc(1)));
      continue;
    }
    RangeSet Open = Scope.getOpen(U);
    Open.resize(N);
    if (Open.none()) {
      Paths[U] = {};
      continue;
    }
    unsigned Inner = sorted(Open).back();
    Paths[U] = PathOfLoop(Inner);
  }
  return success();
}

LogicalResult Linearizer::orderBlocks() {
  // Items of each block and their positions: a loop's is the earliest of
  // anything inside it.
  for (const UOp *U : Live) {
    llvm::ArrayRef<unsigned> Path = getPath(U);
    unsigned Pos = Position.lookup(U);
    for (unsigned R : Path) {
      const UOp *Range = Scope.getRange(R);
      auto [It, New] = ItemPosition.try_emplace(Range, Pos);
      if (!New)
        It->second = std::min(It->second, Pos);
    }
    bool IsLoopPart = U->getOp() == Op::Range || U->getOp() == Op::End;
    if (!IsLoopPart)
      ItemPosition[U] = Pos;
  }
  for (const UOp *U : Live) {
    if (U->getOp() == Op::End)
      continue;
    llvm::ArrayRef<unsigned> Path = getPath(U);
    if (U->getOp() == Op::Range) {
      const UOp *Parent =
          Path.size() < 2 ? nullptr : Scope.getRange(Path[Path.size() - 2]);
      Items[Parent].push_back(U);
      continue;
    }
    Items[Path.empty() ? nullptr : Scope.getRange(Path.back())].push_back(U);
  }

  // Edges between items of one block: where the paths of a UOp and its
  // source part, the source's item comes first.
  llvm::DenseMap<const UOp *, llvm::SmallVector<const UOp *, 4>> Users;
  llvm::DenseMap<const UOp *, unsigned> NumDeps;
  for (const UOp *U : Live) {
    llvm::ArrayRef<unsigned> PU = getPath(U);
    for (const UOp *S : U->getSrcs()) {
      auto It = Paths.find(S);
      if (It == Paths.end()) // a parameter
        continue;
      llvm::ArrayRef<unsigned> PS = It->second;
      unsigned K = 0;
      while (K < PU.size() && K < PS.size() && PU[K] == PS[K])
        ++K;
      if (S->getOp() == Op::End && K == PS.size())
        return error(U, name(U) + " uses the end of a loop it is inside");
      // A range is its loop's first line and an end its last: nothing in
      // the loop orders against them.
      if ((S->getOp() == Op::Range && K == PS.size()) ||
          (U->getOp() == Op::End && K == PU.size()))
        continue;
      const UOp *ItemS = K < PS.size() ? Scope.getRange(PS[K]) : S;
      const UOp *ItemU = K < PU.size() ? Scope.getRange(PU[K]) : U;
      if (ItemS == ItemU)
        continue;
      Users[ItemS].push_back(ItemU);
      ++NumDeps[ItemU];
    }
  }

  // Kahn's algorithm per block, earliest position first.
  for (auto &[Block, List] : Items) {
    auto Later = [&](const UOp *A, const UOp *B) {
      return ItemPosition.lookup(A) > ItemPosition.lookup(B);
    };
    std::priority_queue<const UOp *, std::vector<const UOp *>, decltype(Later)>
        Ready(Later);
    for (const UOp *I : List)
      if (!NumDeps.lookup(I))
        Ready.push(I);
    std::vector<const UOp *> Ordered;
    while (!Ready.empty()) {
      const UOp *I = Ready.top();
      Ready.pop();
      Ordered.push_back(I);
      for (const UOp *User : Users.lookup(I))
        if (--NumDeps[User] == 0)
          Ready.push(User);
    }
    if (Ordered.size() != List.size())
      return error(Block ? Block : F.getRoot(),
                   "the loops of " +
                       (Block ? name(Block) : std::string("the kernel")) +
                       " depend on each other in a cycle");
    List = std::move(Ordered);
  }
  return success();
}

void Linearizer::emit(const UOp *U) {
  // A gated store: `if (gate) store`.
  if (U->getOp() == Op::Store) {
    const UOp *Address = Out->lookup(U->getSrc(0));
    const UOp *Gate =
        Address->getNumSrcs() > 2 ? Address->getSrcs().back() : nullptr;
    if (Address->getOp() == Op::Index && Gate && Gate->getDType().isBool()) {
      ++P.NumIfs;
      DType Void = Ctx.getScalar(ScalarKind::Void);
      const UOp *Ungated = Out->add(Ctx.get(Op::Index, Address->getDType(),
                                            Address->getSrcs().drop_back()));
      const UOp *Value = Out->lookup(U->getSrc(1));
      const UOp *If = Out->add(Ctx.get(Op::If, Void, {Gate, Ungated, Value}));
      const UOp *Store = Out->add(Ctx.get(Op::Store, Void, {Ungated, Value}));
      Out->replace(U, Out->add(Ctx.get(Op::EndIf, Void, {If, Store})), Store);
      return;
    }
  }
  Out->rebuild(U);
}

void Linearizer::emitBlock(const UOp *Loop) {
  if (Loop) {
    ++P.NumLoops;
    emit(Loop);
  }
  for (const UOp *Item : Items.lookup(Loop)) {
    if (Item->getOp() == Op::Range)
      emitBlock(Item);
    else
      emit(Item);
  }
  if (!Loop)
    return;
  // One end closes the loop, after every effect that ended it.
  llvm::ArrayRef<const UOp *> LoopEnds = Ends[Scope.getNumber(Loop)];
  llvm::SmallVector<const UOp *, 4> Effects;
  for (const UOp *E : LoopEnds)
    Effects.push_back(Out->lookup(E->getSrc(0)));
  DType Void = Ctx.getScalar(ScalarKind::Void);
  const UOp *Effect = Effects.size() == 1
                          ? Effects[0]
                          : Out->add(Ctx.get(Op::Group, Void, Effects));
  const UOp *End =
      Out->add(Ctx.get(Op::End, Void, {Effect, Out->lookup(Loop)}));
  for (const UOp *E : LoopEnds)
    Out->replace(E, End);
}

LogicalResult Linearizer::run() {
  if (failed(checkInput()))
    return failure();
  setLive(getLive(F));
  splitEnds();
  if (failed(nestRanges()) || failed(placeUOps()) || failed(orderBlocks()))
    return failure();
  BodyBuilder Builder(F, Ctx);
  Out = &Builder;
  emitBlock(nullptr);
  Builder.finish();
  return success();
}

LogicalResult LinearizePass::runOnFunction(Function &F, PassContext &C) {
  if (!F.isKernel() || !F.getRoot())
    return success();
  return Linearizer(F, C, *this).run();
}

std::unique_ptr<Pass> tg::createLinearizePass() {
  return std::make_unique<LinearizePass>();
}
