//===- Passes.h - the passes of the Verify library --------------*- C++ -*-===//
//
// `check-oob` proves with Z3 that every load and store of a kernel stays
// within its buffer (a pointer type carries its size) for every value of the
// variables, ranges and launch indices, given the access's gate: a gated
// access need only be in bounds where the gate is true. A possible
// out-of-bounds access is an error at the access with a counterexample.
//
// `test-miscompile` exists only to test translation validation: it turns
// the first integer `add` of each function into a `sub`, claiming to be
// correct, so that `--verify-each=z3` must reject it.
//
//===----------------------------------------------------------------------===//

#ifndef TG_VERIFY_PASSES_H
#define TG_VERIFY_PASSES_H

#include "tg/Pass/PassManager.h"

#include <memory>

namespace tg {

std::unique_ptr<Pass> createCheckOOBPass();
std::unique_ptr<Pass> createTestMiscompilePass();

/// The instrumentation of `--verify-each=z3`: Z3 proves each run of a pass
/// that declares TranslationValidation::z3() correct on the program it ran
/// on (tg/Verify/TranslationValidation.h). This header needs no Z3.
std::unique_ptr<PassInstrumentation>
createTranslationValidationInstrumentation();

/// Registers the passes above; calling it again does nothing.
void registerVerifyPasses();

} // namespace tg

#endif // TG_VERIFY_PASSES_H
