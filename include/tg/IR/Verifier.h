//===- Verifier.h - the spec of tg's IR -------------------------*- C++ -*-===//
//
// Checks a Module against the rules of td/UOps.td (operand counts, argument
// fields, result constraints) and the structural rules written in
// lib/IR/Verifier.cpp (STORE is void, INDEX takes a pointer, END closes the
// ranges it encloses, ...). docs/IRSpec.md lists every rule and its message.
// Errors point at the offending UOp's line; the cost is linear in the size
// of the module.
//
//===----------------------------------------------------------------------===//

#ifndef TG_IR_VERIFIER_H
#define TG_IR_VERIFIER_H

#include "tg/IR/Module.h"
#include "tg/Support/Diagnostics.h"

namespace tg {

/// Reports every violation found (not only the first); fails if any.
LogicalResult verifyModule(const Module &M, DiagnosticEngine &Diag);
LogicalResult verifyFunction(const Function &F, DiagnosticEngine &Diag);

} // namespace tg

#endif // TG_IR_VERIFIER_H
