//===- TranslationValidationTestPass.cpp - a deliberately wrong pass ------===//
//
// `test-miscompile` turns the first integer `add` of each function into a
// `sub` and claims, falsely, to be provable: the negative test of
// --verify-each=z3 (test/Verify/tv-miscompile.tg). It is registered under a
// `test-` name and does nothing useful.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Context.h"
#include "tg/Verify/Passes.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

using namespace tg;

namespace {

/// `Root` with `From` replaced by `To` everywhere below it.
const UOp *replaceAll(Context &Ctx, const UOp *Root, const UOp *From,
                      const UOp *To,
                      llvm::DenseMap<const UOp *, const UOp *> &Memo) {
  if (Root == From)
    return To;
  if (auto It = Memo.find(Root); It != Memo.end())
    return It->second;
  llvm::SmallVector<const UOp *, 4> Srcs;
  bool Changed = false;
  for (const UOp *Src : Root->getSrcs()) {
    Srcs.push_back(replaceAll(Ctx, Src, From, To, Memo));
    Changed |= Srcs.back() != Src;
  }
  const UOp *Result =
      Changed ? Ctx.get(Root->getOp(), Root->getDType(), Srcs, Root->getArg())
              : Root;
  Memo[Root] = Result;
  return Result;
}

class TestMiscompilePass : public FunctionPass {
public:
  llvm::StringRef getArgument() const override { return "test-miscompile"; }
  llvm::StringRef getDescription() const override {
    return "Test only: turns the first integer add into a sub (wrongly)";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::z3();
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override {
    for (const UOp *U : F.getBody()) {
      if (U->getOp() != Op::Add || !U->getDType().isInteger())
        continue;
      const UOp *Sub =
          C.getContext().get(Op::Sub, U->getDType(), U->getSrcs(), U->getArg());
      llvm::DenseMap<const UOp *, const UOp *> Memo;
      F.setRoot(replaceAll(C.getContext(), F.getRoot(), U, Sub, Memo));
      return success();
    }
    return success();
  }
};

} // namespace

std::unique_ptr<Pass> tg::createTestMiscompilePass() {
  return std::make_unique<TestMiscompilePass>();
}
