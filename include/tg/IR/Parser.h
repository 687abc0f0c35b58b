//===- Parser.h - the text form to a Module ---------------------*- C++ -*-===//
//
// Parses the generic text form of docs/LangRef.md. Every error is reported
// through the DiagnosticEngine with its location; the parser never aborts.
//
//===----------------------------------------------------------------------===//

#ifndef TG_IR_PARSER_H
#define TG_IR_PARSER_H

#include "tg/IR/Module.h"
#include "tg/Support/Diagnostics.h"

#include <memory>

namespace tg {

/// Parses buffer `BufferID` of the engine's SourceMgr into a new Module.
/// Returns nullptr after reporting the first error. The module's names are
/// its own copies; its source locations point into the buffer.
std::unique_ptr<Module> parseModule(unsigned BufferID, Context &Ctx,
                                    DiagnosticEngine &Diag);

/// Parses a type such as `ptr<f32, global, 1024>`; for tools and tests.
std::optional<DType> parseType(llvm::StringRef Text, Context &Ctx);

} // namespace tg

#endif // TG_IR_PARSER_H
