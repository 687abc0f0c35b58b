//===- Walk.cpp - the UOps a root reaches ---------------------------------===//

#include "tg/IR/Walk.h"

#include "llvm/ADT/DenseSet.h"

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
