//===- Passes.cpp - registration of the Pass library's passes -------------===//

#include "tg/Pass/Passes.h"
#include "tg/Pass/PassRegistry.h"

using namespace tg;

void tg::registerCorePasses() {
  static const bool Registered = [] {
    registerPass(createVerifyPass);
    registerPass(createDCEPass);
    registerPass(createPrintStatsPass);
    return true;
  }();
  (void)Registered;
}
