//===- GraphRewrite.cpp - the fixed-point drivers -------------------------===//
//
// Each UOp processed so far has a slot holding the fixed point it rewrites
// to (and that fixed point's slot holds itself); the slot of a UOp whose
// processing has started but not finished holds nullptr. The work is a stack
// of frames, one per UOp being processed, so the walk never recurses.
//
// A frame goes through three stages: Visit (mark in progress; top-down:
// try the rules; push the sources not yet done), Rebuild (rebuild on the
// rewritten sources; try the rules), Link (a rule fired: the replacement was
// pushed as a frame of its own, and its result becomes ours).
//
// Termination costs nothing on the normal path. Meeting a UOp that is in
// progress means a rule's result contains the UOp being rewritten: a cycle,
// and the frames between the two occurrences name its rules. Every UOp of a
// chain of rewrites at one position is in progress, so a chain that only
// moves among existing UOps cannot repeat one and ends; a chain that does
// not end must keep making new UOps. A frame pushed for a replacement counts
// the rewrites in a row at its position that made new UOps (Chain); past the
// limit, the rules of that chain are reported.
//
//===----------------------------------------------------------------------===//

#include "tg/Rewrite/GraphRewrite.h"

#include "tg/IR/UOpIndexMap.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/bit.h"

#include <chrono>

using namespace tg;

namespace {

constexpr unsigned NoRule = ~0u;

/// Applies the rules of a set to one UOp at a time.
class RuleApplier {
public:
  RuleApplier(Context &Ctx, const RuleSet &Rules, const RewriteOptions &Options,
              RuleSetStatistics *Stats)
      : Ctx(Ctx), Rules(Rules), Options(Options), Stats(Stats) {}

  /// The result of the first rule that fires on `U` (reached through
  /// `Parent`), or nullptr. Fired is set to the rule's index, and MadeUOps to
  /// whether the Context grew.
  const UOp *apply(const UOp *U, const UOp *Parent, unsigned &Fired,
                   bool &MadeUOps);

private:
  void countTried(llvm::ArrayRef<unsigned> Tried);

  Context &Ctx;
  const RuleSet &Rules;
  const RewriteOptions &Options;
  RuleSetStatistics *Stats;
  Bindings B;
  llvm::SmallVector<uint64_t, 2> Mask;
};

const UOp *RuleApplier::apply(const UOp *U, const UOp *Parent, unsigned &Fired,
                              bool &MadeUOps) {
  size_t NumUOps = Ctx.getNumUOps();
  llvm::ArrayRef<unsigned> Candidates = Rules.getCandidates(U->getOp());
  Rules.selectCandidates(U, Mask);
  for (unsigned Word = 0; Word != Mask.size(); ++Word) {
    for (uint64_t Bits = Mask[Word]; Bits != 0; Bits &= Bits - 1) {
      unsigned K = Word * 64 + unsigned(llvm::countr_zero(Bits));
      const Rule &R = Rules.getRule(Candidates[K]);
      const UOp *Result = nullptr;
      Match M(R, U, B, Ctx, Options.State, Parent);
      if (R.isSettledByFilter()) {
        // The filter selected U: the one match the matcher would find.
        R.bindSettled(U, B);
        if (R.isGuardSettledByFilter() || !R.getGuard() || R.getGuard()(M))
          Result = R.getAction()(M);
      } else {
        R.match(U, B, [&] {
          if (!R.isGuardSettledByFilter() && R.getGuard() && !R.getGuard()(M))
            return false;
          Result = R.getAction()(M);
          return R.decidesFromRoot() || (Result && Result != U);
        });
      }
      B.reset(R.getNumSlots());
      if (!Result || Result == U)
        continue;
      countTried(Candidates.take_front(K + 1));
      if (Stats) {
        ++Stats->Rules[Candidates[K]].Fired;
        ++Stats->Rewrites;
      }
      if (Options.Tracer)
        Options.Tracer(RewriteEvent{Rules, R, U, Result});
      Fired = Candidates[K];
      MadeUOps = Ctx.getNumUOps() != NumUOps;
      return Result;
    }
  }
  countTried(Candidates);
  return nullptr;
}

/// Every candidate up to the one that fired counts as tried, whether the
/// filter or the matcher turned it down.
void RuleApplier::countTried(llvm::ArrayRef<unsigned> Tried) {
  if (!Stats)
    return;
  for (unsigned I : Tried)
    ++Stats->Rules[I].Tried;
}

enum class Stage : uint8_t { Visit, Rebuild, Link };

constexpr unsigned NoSlot = ~0u;

struct Frame {
  const UOp *Node;              ///< The frame computes Node's result.
  const UOp *Parent = nullptr;  ///< The user that asked for it (Match).
  const UOp *Rebuilt = nullptr; ///< Node on rewritten sources, if different.
  unsigned NodeSlot = NoSlot;   ///< Set on Visit (before, for replacements).
  unsigned RebuiltSlot = NoSlot;
  unsigned NextSlot = NoSlot; ///< Link: the replacement's slot.
  unsigned Rule = NoRule;     ///< The rule whose result Node is.
  unsigned Chain = 0;         ///< Rewrites in a row here that made new UOps.
  Stage S = Stage::Visit;
};

class GraphRewriter {
public:
  GraphRewriter(Context &Ctx, const RuleSet &Rules,
                const RewriteOptions &Options, RuleSetStatistics *Stats)
      : Ctx(Ctx), Rules(Rules), Options(Options),
        Applier(Ctx, Rules, Options, Stats) {
    // Most rewrites are of small index expressions: no regrowth for them.
    Results.reserve(64);
    Stack.reserve(32);
  }

  llvm::Expected<const UOp *> run(const UOp *Root);
  uint64_t getNodesVisited() const { return NodesVisited; }

private:
  /// Each returns false after recording an error in Error.
  bool visit();
  bool rebuild();
  bool linkTo(const UOp *Replacement, unsigned RuleIndex, bool MadeUOps);
  void finish(const UOp *Result);
  bool reportCycle(unsigned FrameIndex, const UOp *Repeated,
                   unsigned RuleIndex);
  bool reportTooManyRewrites(const UOp *Replacement, unsigned RuleIndex);

  bool isTopDown() const { return Options.Order == RewriteOrder::TopDown; }
  /// A UOp without sources for whose op the set has no rule is its own
  /// result: it gets no slot (half the UOps of a kernel are constants).
  bool isInert(const UOp *U) const {
    return U->getNumSrcs() == 0 && Rules.getCandidates(U->getOp()).empty();
  }
  /// U's slot, or NoSlot if U was never seen.
  unsigned findSlot(const UOp *U) const {
    const unsigned *Slot = Slots.find(U);
    return Slot ? *Slot : NoSlot;
  }
  /// U's slot, made (in progress) if new; the flag says whether it was.
  std::pair<unsigned, bool> getOrCreateSlot(const UOp *U) {
    auto [Slot, Inserted] = Slots.tryEmplace(U, unsigned(Results.size()));
    if (Inserted)
      Results.push_back(nullptr);
    return {Slot, Inserted};
  }
  /// The result of a source of a UOp being rebuilt (done by then).
  const UOp *getSourceResult(const UOp *Src) const {
    if (isInert(Src))
      return Src;
    unsigned Slot = findSlot(Src);
    assert(Slot != NoSlot && Results[Slot] && "sources are done first");
    return Results[Slot];
  }

  Context &Ctx;
  const RuleSet &Rules;
  const RewriteOptions &Options;
  RuleApplier Applier;
  /// Each UOp seen gets a slot in Results: its fixed point, or nullptr
  /// while in progress. Slots let a frame store its result without hashing.
  UOpIndexMap Slots;
  std::vector<const UOp *> Results;
  std::vector<Frame> Stack;
  llvm::SmallVector<const UOp *, 8> NewSrcs;
  uint64_t NodesVisited = 0;
  std::string Error;
};

} // namespace

llvm::Expected<const UOp *> GraphRewriter::run(const UOp *Root) {
  if (isInert(Root))
    return Root;
  Stack.push_back(Frame{Root});
  while (!Stack.empty()) {
    bool Ok = true;
    switch (Stack.back().S) {
    case Stage::Visit:
      Ok = visit();
      break;
    case Stage::Rebuild:
      Ok = rebuild();
      break;
    case Stage::Link:
      finish(Results[Stack.back().NextSlot]);
      break;
    }
    if (!Ok)
      return llvm::createStringError(llvm::inconvertibleErrorCode(), Error);
  }
  return Results[findSlot(Root)];
}

bool GraphRewriter::visit() {
  Frame &F = Stack.back();
  if (F.NodeSlot == NoSlot) {
    auto [Slot, Inserted] = getOrCreateSlot(F.Node);
    if (!Inserted) {
      // Pushed twice (a UOp used twice), and done by the time we got here.
      assert(Results[Slot] && "a pending frame's UOp cannot be in progress");
      Stack.pop_back();
      return true;
    }
    F.NodeSlot = Slot;
  }
  ++NodesVisited;
  if (isTopDown()) {
    unsigned RuleIndex;
    bool MadeUOps;
    if (const UOp *R = Applier.apply(F.Node, F.Parent, RuleIndex, MadeUOps))
      return linkTo(R, RuleIndex, MadeUOps);
  }
  F.S = Stage::Rebuild;
  // Last source first, so that sources are processed in order.
  unsigned FrameIndex = unsigned(Stack.size() - 1);
  const UOp *Node = F.Node;
  for (const UOp *Src : llvm::reverse(Node->getSrcs())) {
    if (isInert(Src))
      continue;
    unsigned Slot = findSlot(Src);
    if (Slot == NoSlot) {
      Frame SrcFrame{Src};
      SrcFrame.Parent = Node;
      Stack.push_back(SrcFrame);
    } else if (!Results[Slot])
      return reportCycle(FrameIndex, Src, NoRule);
  }
  return true;
}

bool GraphRewriter::rebuild() {
  Frame &F = Stack.back();
  NewSrcs.clear();
  bool Changed = false;
  for (const UOp *Src : F.Node->getSrcs()) {
    const UOp *Result = getSourceResult(Src);
    Changed |= Result != Src;
    NewSrcs.push_back(Result);
  }
  const UOp *Current = F.Node;
  if (Changed) {
    Current =
        Ctx.get(F.Node->getOp(), F.Node->getDType(), NewSrcs, F.Node->getArg());
    auto [Slot, Inserted] = getOrCreateSlot(Current);
    if (!Inserted) {
      if (Results[Slot]) {
        finish(Results[Slot]);
        return true;
      }
      return reportCycle(unsigned(Stack.size() - 1), Current, NoRule);
    }
    F.Rebuilt = Current;
    F.RebuiltSlot = Slot;
  } else if (isTopDown()) {
    // The rules were tried on this very UOp before its sources.
    finish(Current);
    return true;
  }
  unsigned RuleIndex;
  bool MadeUOps;
  const UOp *R = Applier.apply(Current, F.Parent, RuleIndex, MadeUOps);
  if (!R) {
    finish(Current);
    return true;
  }
  return linkTo(R, RuleIndex, MadeUOps);
}

/// The top frame's UOp was rewritten to `Replacement`, which is processed in
/// a frame of its own unless it is done already.
bool GraphRewriter::linkTo(const UOp *Replacement, unsigned RuleIndex,
                           bool MadeUOps) {
  if (isInert(Replacement)) {
    finish(Replacement);
    return true;
  }
  auto [Slot, Inserted] = getOrCreateSlot(Replacement);
  if (!Inserted) {
    if (!Results[Slot])
      return reportCycle(unsigned(Stack.size() - 1), Replacement, RuleIndex);
    finish(Results[Slot]);
    return true;
  }
  Frame &F = Stack.back();
  unsigned Chain = F.Chain + (MadeUOps ? 1 : 0);
  if (Chain > Options.MaxRewritesPerNode)
    return reportTooManyRewrites(Replacement, RuleIndex);
  F.S = Stage::Link;
  F.NextSlot = Slot;
  Frame Next{Replacement};
  Next.Parent = F.Parent;
  Next.NodeSlot = Slot;
  Next.Rule = RuleIndex;
  Next.Chain = Chain;
  Stack.push_back(Next);
  return true;
}

void GraphRewriter::finish(const UOp *Result) {
  const Frame &F = Stack.back();
  Results[F.NodeSlot] = Result;
  if (F.RebuiltSlot != NoSlot)
    Results[F.RebuiltSlot] = Result;
  Stack.pop_back();
}

/// Rules by name, `a -> b -> c`.
static std::string joinRuleNames(const RuleSet &Rules,
                                 llvm::ArrayRef<unsigned> Indices,
                                 llvm::StringRef Separator) {
  std::string Joined;
  for (unsigned I : Indices) {
    if (!Joined.empty())
      Joined += Separator;
    Joined += Rules.getRule(I).getName();
  }
  return Joined;
}

/// `Repeated` is in progress in a frame below `FrameIndex`: the rules that
/// made the frames in between (and `RuleIndex`, which made the newest UOp)
/// lead from it back to itself.
bool GraphRewriter::reportCycle(unsigned FrameIndex, const UOp *Repeated,
                                unsigned RuleIndex) {
  llvm::SmallVector<unsigned, 8> Cycle;
  if (RuleIndex != NoRule)
    Cycle.push_back(RuleIndex);
  for (unsigned I = FrameIndex + 1; I-- != 0;) {
    const Frame &F = Stack[I];
    bool Pending = I != FrameIndex && F.S == Stage::Visit;
    if (Pending)
      continue;
    if (F.Node == Repeated || F.Rebuilt == Repeated)
      break;
    if (F.Rule != NoRule)
      Cycle.push_back(F.Rule);
  }
  std::reverse(Cycle.begin(), Cycle.end());
  Error = "rule set '" + Rules.getName().str() +
          "' does not terminate: rules " + joinRuleNames(Rules, Cycle, " -> ") +
          " rewrite " + expressionToString(Repeated, 4) +
          " into a term containing itself";
  return false;
}

/// The top frame is the newest of a chain of rewrites at one position.
bool GraphRewriter::reportTooManyRewrites(const UOp *Replacement,
                                          unsigned RuleIndex) {
  constexpr size_t MaxNames = 8;
  llvm::SmallVector<unsigned, MaxNames> Names{RuleIndex};
  for (size_t I = Stack.size(); I-- != 0 && Stack[I].Rule != NoRule;) {
    if (Names.size() == MaxNames)
      break;
    if (!llvm::is_contained(Names, Stack[I].Rule))
      Names.push_back(Stack[I].Rule);
  }
  Error = "rule set '" + Rules.getName().str() +
          "' does not terminate: a UOp was rewritten into a new UOp " +
          std::to_string(Options.MaxRewritesPerNode) +
          " times in a row (last into " + expressionToString(Replacement, 4) +
          ") by rules " + joinRuleNames(Rules, Names, ", ");
  return false;
}

/// The statistics record for this run, if statistics are kept.
static RuleSetStatistics *getRecord(const RuleSet &Rules,
                                    const RewriteOptions &Options) {
  return Options.Statistics ? &Options.Statistics->getOrCreate(Rules) : nullptr;
}

llvm::Expected<const UOp *> tg::graphRewrite(Context &Ctx, const UOp *Root,
                                             const RuleSet &Rules,
                                             const RewriteOptions &Options) {
  RuleSetStatistics *Stats = getRecord(Rules, Options);
  bool Timing = Stats && Options.Statistics->isTiming();
  auto Start = Timing ? std::chrono::steady_clock::now()
                      : std::chrono::steady_clock::time_point();
  GraphRewriter Rewriter(Ctx, Rules, Options, Stats);
  llvm::Expected<const UOp *> Result = Rewriter.run(Root);
  if (Stats) {
    ++Stats->Runs;
    Stats->NodesVisited += Rewriter.getNodesVisited();
  }
  if (Timing)
    Stats->Seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
            .count();
  return Result;
}

const UOp *tg::rewriteOnce(Context &Ctx, const UOp *U, const RuleSet &Rules,
                           const RewriteOptions &Options) {
  RuleSetStatistics *Stats = getRecord(Rules, Options);
  if (Stats) {
    ++Stats->Runs;
    ++Stats->NodesVisited;
  }
  unsigned RuleIndex;
  bool MadeUOps;
  return RuleApplier(Ctx, Rules, Options, Stats)
      .apply(U, /*Parent=*/nullptr, RuleIndex, MadeUOps);
}
