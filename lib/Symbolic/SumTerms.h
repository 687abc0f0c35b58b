//===- SumTerms.h - sums as lists of (term, coefficient) ---------*- C++
//-*-===//
//
// The hooks on sums (canonicalizeSum, recombineDivMod, foldDivMod,
// foldComparison) see an integer expression as `c1*t1 + c2*t2 + ... + k`:
// flattenSum reads that form through add, sub, neg and multiplication by a
// constant (it stops at a mul whose other operand is itself a sum, so
// nothing is distributed), and buildSum writes it back in the canonical
// order: like terms combined, terms sorted by a structural key (never by
// pointer), the constant last, left-deep. Coefficient arithmetic goes
// through evalAlu in the sum's type, so fixed-width sums wrap exactly and
// index sums give up (std::nullopt) rather than overflow int64.
//
// Internal to TGSymbolic.
//
//===----------------------------------------------------------------------===//

#ifndef TG_LIB_SYMBOLIC_SUMTERMS_H
#define TG_LIB_SYMBOLIC_SUMTERMS_H

#include "tg/IR/Context.h"

#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace tg {

struct SumTerm {
  const UOp *Base;
  int64_t Coefficient;
};

struct Sum {
  llvm::SmallVector<SumTerm, 8> Terms;
  int64_t Constant = 0;
};

/// Three-way structural order of two UOps: op, dtype, argument, then the
/// sources; equal only for the same UOp. Deterministic across runs.
int compareStructurally(const UOp *A, const UOp *B);

/// `U` (an integer scalar) as a sum, like terms not yet combined; nullopt
/// when a coefficient leaves int64 (index) or U is not an integer.
std::optional<Sum> flattenSum(const UOp *U);

/// Combines like terms, drops zero coefficients and sorts the terms
/// canonically; false when a coefficient leaves int64 (index).
bool normalizeSum(Sum &S, ScalarKind Type);

/// The canonical UOp of a normalized sum of type `Type`.
const UOp *buildSum(Context &Ctx, DType Type, const Sum &S);

/// Whether buildSum(Ctx, Type, S) would return `U`, found without making
/// the UOps of the sum (only its constants are looked up).
bool isBuiltSum(Context &Ctx, const UOp *U, DType Type, const Sum &S);

/// The constant value of an integer `const`, or nullopt.
std::optional<int64_t> getIntConstant(const UOp *U);

/// Exact a+b, a*b and negation in scalar type `Type` (wrapping for
/// fixed-width types); nullopt for an index result outside int64.
std::optional<int64_t> addIn(ScalarKind Type, int64_t A, int64_t B);
std::optional<int64_t> mulIn(ScalarKind Type, int64_t A, int64_t B);

} // namespace tg

#endif // TG_LIB_SYMBOLIC_SUMTERMS_H
