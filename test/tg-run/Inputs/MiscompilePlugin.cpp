//===- MiscompilePlugin.cpp - a plugin with a deliberately wrong pass -----===//
//
// libtg-test-miscompile.so registers `test-miscompile-float-add`, which turns
// the first float `add` of each kernel into a `sub`: what tg-run --check must
// catch (test/tg-run/check-mismatch.tg). Built only with the tests.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Context.h"
#include "tg/Pass/PassRegistry.h"
#include "tg/Target/Plugin.h"

#include "llvm/ADT/DenseMap.h"

using namespace tg;

namespace {

struct MiscompilePass : FunctionPass {
  llvm::StringRef getArgument() const override {
    return "test-miscompile-float-add";
  }
  llvm::StringRef getDescription() const override {
    return "Test only: turn the first float add of each kernel into a sub";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt("a deliberately wrong test pass");
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override {
    // Rebuild the body in order with the add replaced.
    llvm::DenseMap<const UOp *, const UOp *> New;
    bool Done = false;
    std::vector<const UOp *> Body;
    for (const UOp *U : F.getBody()) {
      llvm::SmallVector<const UOp *, 4> Srcs;
      for (const UOp *S : U->getSrcs())
        Srcs.push_back(New.lookup(S) ? New.lookup(S) : S);
      Op O = U->getOp();
      if (!Done && O == Op::Add && U->getDType().isFloat()) {
        O = Op::Sub;
        Done = true;
      }
      const UOp *R = C.getContext().get(O, U->getDType(), Srcs, U->getArg());
      New[U] = R;
      Body.push_back(R);
    }
    F.setBody(New.lookup(F.getRoot()), std::move(Body));
    return success();
  }
};

void registerMiscompile() { PassRegistration<MiscompilePass>(); }

} // namespace

extern "C" const tgPluginInfo *tgGetPluginInfo(void) {
  static const tgPluginInfo Info = {TG_PLUGIN_API_VERSION, "test-miscompile",
                                    "0", registerMiscompile};
  return &Info;
}
