//===- PostOrder.h - iterative post-order walk over a UOp DAG ---*- C++ -*-===//
//
// The walk every analysis here uses: sources before users, with an explicit
// stack, because kernels can be chains 100k UOps deep.
//
//===----------------------------------------------------------------------===//

#ifndef TG_LIB_ANALYSIS_POSTORDER_H
#define TG_LIB_ANALYSIS_POSTORDER_H

#include "tg/IR/UOp.h"

#include "llvm/ADT/SmallVector.h"

#include <utility>

namespace tg {

/// Calls Visit on Root and on every UOp reached through the sources of UOps
/// for which Descend holds, each after its sources, skipping those for which
/// IsDone holds. Visit must make IsDone hold for its UOp.
template <typename IsDoneFn, typename DescendFn, typename VisitFn>
void visitPostOrder(const UOp *Root, IsDoneFn IsDone, DescendFn Descend,
                    VisitFn Visit) {
  if (IsDone(Root))
    return;
  llvm::SmallVector<std::pair<const UOp *, unsigned>, 32> Stack;
  Stack.push_back({Root, 0});
  while (!Stack.empty()) {
    auto [U, Next] = Stack.back();
    if (Next < U->getNumSrcs() && Descend(U)) {
      ++Stack.back().second;
      const UOp *Src = U->getSrc(Next);
      if (!IsDone(Src))
        Stack.push_back({Src, 0});
      continue;
    }
    Stack.pop_back();
    Visit(U);
  }
}

} // namespace tg

#endif // TG_LIB_ANALYSIS_POSTORDER_H
