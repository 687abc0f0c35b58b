//===- Walk.cpp - the UOps a root reaches ---------------------------------===//

#include "tg/IR/Walk.h"

#include "tg/IR/Context.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

using namespace tg;

std::vector<const UOp *> tg::collectUOps(const UOp *Root) {
  std::vector<const UOp *> Nodes = {Root};
  llvm::DenseSet<const UOp *> Seen = {Root};
  for (size_t I = 0; I != Nodes.size(); ++I)
    for (const UOp *Src : Nodes[I]->getSrcs())
      if (Seen.insert(Src).second)
        Nodes.push_back(Src);
  return Nodes;
}

const UOp *
tg::substituteUOps(Context &Ctx, const UOp *U,
                   const llvm::DenseMap<const UOp *, const UOp *> &Map,
                   llvm::DenseMap<const UOp *, const UOp *> &Memo) {
  if (const UOp *New = Map.lookup(U))
    return New;
  if (const UOp *Done = Memo.lookup(U))
    return Done;
  llvm::SmallVector<const UOp *, 4> Srcs;
  bool Changed = false;
  for (const UOp *S : U->getSrcs()) {
    Srcs.push_back(substituteUOps(Ctx, S, Map, Memo));
    Changed |= Srcs.back() != S;
  }
  const UOp *New =
      Changed ? Ctx.get(U->getOp(), U->getDType(), Srcs, U->getArg()) : U;
  Memo[U] = New;
  return New;
}
