//===- DCE.cpp - the `dce` pass -------------------------------------------===//
//
// Drops the body UOps of each function that its root does not reach (lines
// written in the input but never used). The surviving UOps keep their order,
// so the output differs from the input only by the dead lines.
//
//===----------------------------------------------------------------------===//

#include "tg/Pass/Passes.h"

#include "tg/IR/Walk.h"

#include "llvm/ADT/DenseSet.h"

using namespace tg;

namespace {

struct DCEPass : FunctionPass {
  Statistic NumRemoved{*this, "num-removed", "UOps removed"};

  llvm::StringRef getArgument() const override { return "dce"; }
  llvm::StringRef getDescription() const override {
    return "Remove UOps that the function's root does not reach";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt("only removes unreachable UOps");
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override;
};

} // namespace

LogicalResult DCEPass::runOnFunction(Function &F, PassContext &) {
  if (!F.getRoot())
    return success();
  std::vector<const UOp *> Nodes = collectUOps(F.getRoot());
  llvm::DenseSet<const UOp *> Reached(Nodes.begin(), Nodes.end());
  std::vector<const UOp *> Live;
  for (const UOp *U : F.getBody())
    if (Reached.contains(U))
      Live.push_back(U);
  NumRemoved += F.getBody().size() - Live.size();
  F.setBody(F.getRoot(), std::move(Live));
  return success();
}

std::unique_ptr<Pass> tg::createDCEPass() {
  return std::make_unique<DCEPass>();
}
