//===- TestPasses.cpp -----------------------------------------------------===//

#include "TestPasses.h"

#include "tg/Pass/PassRegistry.h"
#include "tg/Pass/Passes.h"

using namespace tg;
using namespace tg::test;

LogicalResult BreakIRPass::runOnFunction(Function &F, PassContext &C) {
  const UOp *Root = F.getRoot();
  F.setRoot(C.getContext().get(Op::Add, Root->getDType(), {Root}));
  return success();
}

void tg::test::registerTestPasses() {
  static const bool Registered = [] {
    registerCorePasses();
    PassRegistration<OptionsPass>();
    PassRegistration<RecordPass>();
    PassRegistration<FailPass>();
    PassRegistration<BreakIRPass>();
    return true;
  }();
  (void)Registered;
}
