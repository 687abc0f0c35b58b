//===- AnalysisTestBase.h - UOp builders for the analysis tests -*- C++ -*-===//

#ifndef TG_UNITTESTS_ANALYSIS_ANALYSISTESTBASE_H
#define TG_UNITTESTS_ANALYSIS_ANALYSISTESTBASE_H

#include "tg/Analysis/Range.h"
#include "tg/IR/Context.h"

#include "gtest/gtest.h"

#include <ostream>
#include <type_traits>

namespace tg {
/// gtest prints Ranges as `[lo, hi]`.
inline void PrintTo(const Range &R, std::ostream *OS) { *OS << R.str(); }
} // namespace tg

namespace tg::test {

class AnalysisTestBase : public ::testing::Test {
protected:
  Context Ctx;
  DType Index = Ctx.getScalar(ScalarKind::Index);
  DType Bool = Ctx.getScalar(ScalarKind::Bool);
  DType I8 = Ctx.getScalar(ScalarKind::I8);
  DType I32 = Ctx.getScalar(ScalarKind::I32);
  DType I64 = Ctx.getScalar(ScalarKind::I64);
  DType U8 = Ctx.getScalar(ScalarKind::U8);
  DType U32 = Ctx.getScalar(ScalarKind::U32);
  DType U64 = Ctx.getScalar(ScalarKind::U64);
  DType F32 = Ctx.getScalar(ScalarKind::F32);

  const UOp *var(llvm::StringRef Name, int64_t Min, int64_t Max) {
    return var(Name, Min, Max, Index);
  }
  const UOp *var(llvm::StringRef Name, int64_t Min, int64_t Max, DType T) {
    const Arg *A = Ctx.getListArg(
        {Ctx.getStringArg(Name), Ctx.getIntArg(Min), Ctx.getIntArg(Max)});
    return Ctx.get(Op::DefineVar, T, {}, A);
  }
  const UOp *c(int64_t V) { return Ctx.getConst(Index, V); }
  const UOp *c(int64_t V, DType T) { return Ctx.getConst(T, V); }
  const UOp *boolean(bool V) { return Ctx.getConst(Bool, V); }
  /// A binary op; comparisons give bool, others their operands' type.
  const UOp *op(Op O, const UOp *A, const UOp *B) {
    DType T = hasTrait(O, OpTrait::Comparison) ? Bool : A->getDType();
    return Ctx.get(O, T, {A, B});
  }
  /// The integer operand becomes a constant of A's type (a template, so
  /// that a literal 0 is not taken for a null UOp).
  template <typename IntT,
            typename = std::enable_if_t<std::is_integral_v<IntT>>>
  const UOp *op(Op O, const UOp *A, IntT B) {
    return op(O, A, Ctx.getConst(A->getDType(), int64_t(B)));
  }
  const UOp *neg(const UOp *A) { return Ctx.get(Op::Neg, A->getDType(), {A}); }
  const UOp *where(const UOp *C, const UOp *A, const UOp *B) {
    return Ctx.get(Op::Where, A->getDType(), {C, A, B});
  }
  const UOp *cast(const UOp *A, DType T) { return Ctx.get(Op::Cast, T, {A}); }
  const UOp *loop(const UOp *N, int64_t Axis = 0) {
    const Arg *A = Ctx.getListArg(
        {Ctx.getIntArg(Axis), Ctx.getAxisKindArg(AxisKind::Loop)});
    return Ctx.get(Op::Range, Index, {N}, A);
  }
  const UOp *lt(const UOp *A, const UOp *B) { return op(Op::CmpLT, A, B); }
  template <typename IntT,
            typename = std::enable_if_t<std::is_integral_v<IntT>>>
  const UOp *lt(const UOp *A, IntT B) {
    return op(Op::CmpLT, A, B);
  }
  /// `A >= B` the way tinygrad writes it: `(A < B) != true`.
  const UOp *ge(const UOp *A, int64_t B) {
    return op(Op::CmpNE, lt(A, B), boolean(true));
  }
  const UOp *both(const UOp *A, const UOp *B) { return op(Op::And, A, B); }
};

} // namespace tg::test

#endif // TG_UNITTESTS_ANALYSIS_ANALYSISTESTBASE_H
