//===- Devectorize.cpp - the `devectorize` pass: vector math as scalars ---===//
//
// Many devices load and store vectors but compute on scalars (a GPU thread's
// float4 is four registers). `devectorize` rewrites every elementwise op on
// vectors (but a bitcast, which may change the lane count) into one op per
// lane on `gep`s of its operands, gathered by a
// `vectorize`; a `gep` of a `vectorize` (or of a `vconst`) is the lane
// itself, so chains of such ops stay scalar throughout. Loads, stores and
// other ops keep their vector types.
//
//===----------------------------------------------------------------------===//

#include "tg/Codegen/Passes.h"

#include "BodyBuilder.h"
#include "tg/IR/Arg.h"

#include "llvm/ADT/SmallVector.h"

using namespace tg;

namespace {

struct DevectorizePass : FunctionPass {
  Statistic NumSplit{*this, "num-split", "Vector ops split into lanes"};

  llvm::StringRef getArgument() const override { return "devectorize"; }
  llvm::StringRef getDescription() const override {
    return "Split elementwise ops on vectors into one op per lane";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt(
        "computes the same lanes one by one; the interpreter checks it");
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override;
};

} // namespace

LogicalResult DevectorizePass::runOnFunction(Function &F, PassContext &C) {
  if (!F.getRoot())
    return success();
  Context &Ctx = C.getContext();
  BodyBuilder Body(F, Ctx);
  /// Lane `L` of the (new) vector `V` as a scalar.
  auto LaneOf = [&](const UOp *V, unsigned L) -> const UOp * {
    DType Scalar = V->getDType().getScalarType();
    if (V->getDType().isScalar())
      return V;
    if (V->getOp() == Op::Vectorize)
      return V->getSrc(L);
    if (V->getOp() == Op::VConst)
      return Body.add(
          Ctx.get(Op::Const, Scalar, {}, V->getArg()->getElements()[L]));
    return Body.add(Ctx.get(Op::GEP, Scalar, {V}, Ctx.getIntListArg({L})));
  };
  for (const UOp *Old : F.getBody()) {
    DType T = Old->getDType();
    bool Splits = Old->hasTrait(OpTrait::Elementwise) && T.isVector() &&
                  Old->getOp() != Op::Bitcast;
    if (Old->getOp() == Op::GEP && Old->getDType().isScalar()) {
      // A lane of a vector built from lanes is that lane.
      const UOp *V = Body.lookup(Old->getSrc(0));
      if (V->getOp() == Op::Vectorize || V->getOp() == Op::VConst) {
        Body.replace(
            Old,
            LaneOf(V, unsigned(Old->getArg()->getElements()[0]->getInt())));
        continue;
      }
    }
    if (!Splits) {
      Body.rebuild(Old);
      continue;
    }
    ++NumSplit;
    llvm::SmallVector<const UOp *, 8> Lanes;
    for (unsigned L = 0, E = T.getCount(); L != E; ++L) {
      llvm::SmallVector<const UOp *, 3> Srcs;
      for (const UOp *Src : Old->getSrcs())
        Srcs.push_back(LaneOf(Body.lookup(Src), L));
      Lanes.push_back(Body.add(
          Ctx.get(Old->getOp(), T.getScalarType(), Srcs, Old->getArg())));
    }
    Body.replace(Old, Body.add(Ctx.get(Op::Vectorize, T, Lanes)));
  }
  Body.finish();
  return success();
}

std::unique_ptr<Pass> tg::createDevectorizePass() {
  return std::make_unique<DevectorizePass>();
}
