//===- Passes.cpp - registering the passes of the Verify library ----------===//

#include "tg/Verify/Passes.h"

#include "tg/Pass/PassRegistry.h"
#include "tg/Verify/TranslationValidation.h"

using namespace tg;

void tg::registerVerifyPasses() {
  static const bool Registered = [] {
    registerPass(createCheckOOBPass);
    registerPass(createTestMiscompilePass);
    return true;
  }();
  (void)Registered;
}

std::unique_ptr<PassInstrumentation>
tg::createTranslationValidationInstrumentation() {
  return std::make_unique<TranslationValidationInstrumentation>();
}
