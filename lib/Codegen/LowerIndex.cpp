//===- LowerIndex.cpp - the `lower-index` pass: index to i32 or i64 -------===//
//
// `index` is an unbounded integer; devices compute in i32 or i64. This pass
// gives each index value of a kernel the narrowest of the two that range
// analysis proves holds it, and its operands too:
//
//   T(U) = i32  if U's range and the types of its index operands fit i32,
//          i64  otherwise.
//
// Because every retyped UOp's own value lies within its type, and its
// operands are exact, no value wraps: fixed-width arithmetic then computes
// what index arithmetic did. Consts, ranges, launch indices and elementwise
// ops are retyped; what keeps its type (a define_var parameter, a load from
// an index buffer) is cast where a retyped UOp uses it, what keeps index
// operands (a store to an index buffer, a reduce) gets them cast back, and
// a cast to the type a value already has disappears.
//
//===----------------------------------------------------------------------===//

#include "tg/Codegen/Passes.h"

#include "BodyBuilder.h"
#include "tg/Analysis/RangeAnalysis.h"
#include "tg/IR/Arg.h"

#include "llvm/ADT/SmallVector.h"

#include <limits>

using namespace tg;

namespace {

struct LowerIndexPass : FunctionPass {
  Statistic NumI32{*this, "num-i32", "Index values lowered to i32"};
  Statistic NumI64{*this, "num-i64", "Index values lowered to i64"};

  llvm::StringRef getArgument() const override { return "lower-index"; }
  llvm::StringRef getDescription() const override {
    return "Give each index value of a kernel the type i32 or i64 that range "
           "analysis proves holds it";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt(
        "changes value types; range analysis proves no value wraps");
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override;
};

/// Whether `U`, of type index, is recomputed in the lowered type.
bool isRetyped(const UOp *U) {
  if (!U->getDType().isIndex() || !U->getDType().isScalar())
    return false;
  switch (U->getOp()) {
  case Op::Const:
  case Op::Range:
  case Op::Special:
    return true;
  default:
    return U->hasTrait(OpTrait::Elementwise) && U->getOp() != Op::Cast &&
           U->getOp() != Op::Bitcast;
  }
}

} // namespace

LogicalResult LowerIndexPass::runOnFunction(Function &F, PassContext &C) {
  if (!F.isKernel() || !F.getRoot())
    return success();
  Context &Ctx = C.getContext();
  DType I32 = Ctx.getScalar(ScalarKind::I32);
  DType I64 = Ctx.getScalar(ScalarKind::I64);
  RangeAnalysis Ranges;
  auto FitsI32 = [&](const UOp *U) {
    Range R = Ranges.getRange(U);
    return R.Min >= std::numeric_limits<int32_t>::min() &&
           R.Max <= std::numeric_limits<int32_t>::max();
  };

  BodyBuilder Body(F, Ctx);
  /// `V` (already lowered) as type `T`: itself, the constant in T, or a
  /// cast.
  auto As = [&](const UOp *V, DType T) {
    if (V->getDType() == T)
      return V;
    if (V->getOp() == Op::Const)
      return Body.add(Ctx.getConst(T, V->getArg()->getInt()));
    return Body.add(Ctx.get(Op::Cast, T, {V}));
  };
  for (const UOp *Old : F.getBody()) {
    if (isRetyped(Old)) {
      // The widest type among the result and the index operands.
      bool Wide = !FitsI32(Old);
      for (const UOp *Src : Old->getSrcs()) {
        const UOp *New = Body.lookup(Src);
        Wide |= New->getDType() == I64 ||
                (New->getDType().isIndex() && !FitsI32(Src));
      }
      DType T = Wide ? I64 : I32;
      ++(Wide ? NumI64 : NumI32);
      if (Old->getOp() == Op::Const) {
        Body.replace(Old, Body.add(Ctx.getConst(T, Old->getArg()->getInt())));
        continue;
      }
      llvm::SmallVector<const UOp *, 4> Srcs;
      for (const UOp *Src : Old->getSrcs()) {
        const UOp *New = Body.lookup(Src);
        bool IsIndexValue = Src->getDType().isIndex();
        Srcs.push_back(IsIndexValue ? As(New, T) : New);
      }
      Body.replace(Old,
                   Body.add(Ctx.get(Old->getOp(), T, Srcs, Old->getArg())));
      continue;
    }
    // Comparisons of index values compare in their common type.
    if (Old->hasTrait(OpTrait::Comparison) &&
        Old->getSrc(0)->getDType().isIndex()) {
      const UOp *A = Body.lookup(Old->getSrc(0)),
                *B = Body.lookup(Old->getSrc(1));
      DType T = A->getDType() == I64 || B->getDType() == I64 ||
                        A->getDType().isIndex() || B->getDType().isIndex()
                    ? I64
                    : I32;
      Body.replace(Old, Body.add(Ctx.get(Old->getOp(), Old->getDType(),
                                         {As(A, T), As(B, T)}, Old->getArg())));
      continue;
    }
    // A cast of an index value to the type it now has is that value.
    if (Old->getOp() == Op::Cast && Old->getSrc(0)->getDType().isIndex()) {
      const UOp *V = Body.lookup(Old->getSrc(0));
      Body.replace(Old,
                   V->getDType() == Old->getDType()
                       ? V
                       : Body.add(Ctx.get(Op::Cast, Old->getDType(), {V})));
      continue;
    }
    // Others keep their types: an index value they use as a value is cast
    // back to index. Addresses take fixed-width indices, and the ranges an
    // end or reduce closes stay ranges.
    bool Addresses = Old->getOp() == Op::Index;
    bool Closes = Old->getOp() == Op::End || Old->getOp() == Op::Reduce;
    llvm::SmallVector<const UOp *, 4> Srcs;
    for (unsigned I = 0, E = Old->getNumSrcs(); I != E; ++I) {
      const UOp *Src = Old->getSrc(I), *New = Body.lookup(Src);
      bool KeepsIndex = Src->getDType().isIndex() && !Addresses &&
                        !(Closes && I > 0) &&
                        New->getDType() != Src->getDType();
      Srcs.push_back(KeepsIndex ? As(New, Src->getDType()) : New);
    }
    Body.replace(Old, Body.add(Ctx.get(Old->getOp(), Old->getDType(), Srcs,
                                       Old->getArg())));
  }
  Body.finish();
  return success();
}

std::unique_ptr<Pass> tg::createLowerIndexPass() {
  return std::make_unique<LowerIndexPass>();
}
