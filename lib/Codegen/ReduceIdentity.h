//===- ReduceIdentity.h - what a reduction starts from ----------*- C++ -*-===//

#ifndef TG_LIB_CODEGEN_REDUCEIDENTITY_H
#define TG_LIB_CODEGEN_REDUCEIDENTITY_H

#include "tg/IR/Context.h"

namespace tg {

/// The identity of the reduce op `O` (add, mul, max, and, or, xor) on `T`,
/// in every lane of a vector: 0, 1, the type's least value (-inf for
/// floats), every bit set. Combining it with any value gives the value.
const UOp *getReduceIdentity(Context &Ctx, Op O, DType T);

} // namespace tg

#endif // TG_LIB_CODEGEN_REDUCEIDENTITY_H
