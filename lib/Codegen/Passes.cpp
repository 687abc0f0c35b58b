//===- Passes.cpp - registration of the codegen passes --------------------===//

#include "tg/Codegen/Passes.h"

#include "tg/Pass/PassRegistry.h"

using namespace tg;

void tg::registerCodegenPasses() {
  static const bool Registered = [] {
    registerPass(createHeuristicPass);
    registerPass(createOptPass);
    registerPass(createExpandPass);
    registerPass(createCoalescePass);
    registerPass(createImagesPass);
    registerPass(createDevectorizePass);
    registerPass(createGPUDimsPass);
    registerPass(createLowerIndexPass);
    registerPass(createRemoveReducePass);
    registerPass(createLinearizePass);
    registerPass(createDecomposePass);
    return true;
  }();
  (void)Registered;
}
