//===- Printer.h - a Module to the text form --------------------*- C++ -*-===//
//
// Prints the canonical text form of docs/LangRef.md: one UOp per line,
// deterministic, and a fixed point of parse-then-print.
//
//===----------------------------------------------------------------------===//

#ifndef TG_IR_PRINTER_H
#define TG_IR_PRINTER_H

#include "tg/IR/Module.h"

#include "llvm/Support/raw_ostream.h"

namespace tg {

void printModule(const Module &M, llvm::raw_ostream &OS);
void printFunction(const Function &F, llvm::raw_ostream &OS);

/// Prints `A` as the value of an argument field of type `Type`; `Scalar` is
/// the op's scalar type, used for float constants.
void printArgValue(const Arg &A, ArgType Type, ScalarKind Scalar,
                   llvm::raw_ostream &OS);

} // namespace tg

#endif // TG_IR_PRINTER_H
