//===- ReduceIdentity.h - what a reduction starts from ----------*- C++ -*-===//
//
// Shared by remove-reduce and opt (accumulators) and by translation
// validation (the exact encoding of a reduce).
//
//===----------------------------------------------------------------------===//

#ifndef TG_IR_REDUCEIDENTITY_H
#define TG_IR_REDUCEIDENTITY_H

#include "tg/IR/Context.h"
#include "tg/IR/Eval.h"

namespace tg {

/// The identity of the reduce op `O` (add, mul, max, and, or, xor) on `T`,
/// in every lane of a vector: 0, 1, the type's least value (-inf for
/// floats), every bit set. Combining it with any value gives the value.
const UOp *getReduceIdentity(Context &Ctx, Op O, DType T);
/// The same identity as one scalar value of `T`'s element type.
ConstValue getReduceIdentityValue(Op O, DType T);

} // namespace tg

#endif // TG_IR_REDUCEIDENTITY_H
