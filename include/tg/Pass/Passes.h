//===- Passes.h - the passes of the Pass library ----------------*- C++ -*-===//
//
// Passes that need nothing beyond the IR: `verify` (the spec verifier as a
// pipeline step), `dce` (drops UOps no root reaches) and `print-stats` (UOp
// counts per op, as text or JSON, to stderr).
//
//===----------------------------------------------------------------------===//

#ifndef TG_PASS_PASSES_H
#define TG_PASS_PASSES_H

#include "tg/Pass/Pass.h"

#include <memory>

namespace tg {

std::unique_ptr<Pass> createVerifyPass();
std::unique_ptr<Pass> createDCEPass();
std::unique_ptr<Pass> createPrintStatsPass();

/// Registers the passes above; calling it again does nothing.
void registerCorePasses();

} // namespace tg

#endif // TG_PASS_PASSES_H
