//===- DCE.cpp - the `dce` pass -------------------------------------------===//
//
// Drops the body UOps of each function that its root does not reach (lines
// written in the input but never used). The surviving UOps keep their order,
// so the output differs from the input only by the dead lines.
//
//===----------------------------------------------------------------------===//

#include "tg/Pass/Passes.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

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

/// Every UOp `Root` reaches through its sources, `Root` included.
static llvm::DenseSet<const UOp *> getReachable(const UOp *Root) {
  llvm::DenseSet<const UOp *> Reached{Root};
  llvm::SmallVector<const UOp *, 64> Worklist{Root};
  while (!Worklist.empty())
    for (const UOp *Src : Worklist.pop_back_val()->getSrcs())
      if (Reached.insert(Src).second)
        Worklist.push_back(Src);
  return Reached;
}

LogicalResult DCEPass::runOnFunction(Function &F, PassContext &) {
  if (!F.getRoot())
    return success();
  llvm::DenseSet<const UOp *> Reached = getReachable(F.getRoot());
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
