//===- Walk.h - the UOps a root reaches -------------------------*- C++ -*-===//

#ifndef TG_IR_WALK_H
#define TG_IR_WALK_H

#include "tg/IR/UOp.h"

#include "llvm/ADT/DenseMap.h"

#include <vector>

namespace tg {

/// Every UOp `Root` reaches through its sources, each once, `Root` first and
/// the others breadth-first (nearest the root first). Iterative: kernels can
/// be chains 100k UOps deep.
std::vector<const UOp *> collectUOps(const UOp *Root);

class Context;

/// `U` rebuilt in `Ctx` with every UOp of `Map` replaced by its value,
/// memoized in `Memo` (which may be shared by calls with the same Map).
/// Recursive: meant for address and value expressions, not whole kernels.
const UOp *substituteUOps(Context &Ctx, const UOp *U,
                          const llvm::DenseMap<const UOp *, const UOp *> &Map,
                          llvm::DenseMap<const UOp *, const UOp *> &Memo);

} // namespace tg

#endif // TG_IR_WALK_H
