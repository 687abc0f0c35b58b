//===- Walk.h - the UOps a root reaches -------------------------*- C++ -*-===//

#ifndef TG_IR_WALK_H
#define TG_IR_WALK_H

#include "tg/IR/UOp.h"

#include <vector>

namespace tg {

/// Every UOp `Root` reaches through its sources, each once, `Root` first and
/// the others breadth-first (nearest the root first). Iterative: kernels can
/// be chains 100k UOps deep.
std::vector<const UOp *> collectUOps(const UOp *Root);

} // namespace tg

#endif // TG_IR_WALK_H
