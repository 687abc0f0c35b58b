//===- Diagnostics.h - errors with a location -------------------*- C++ -*-===//
//
// Every error tg reports about an input goes through a DiagnosticEngine: it
// prints `file:line:col: error: message`, the source line and a caret through
// llvm::SourceMgr, or hands the diagnostic to a handler (tg-opt's
// --verify-diagnostics installs one). Library code returns
// `Diag.error(Loc, ...)`, which yields llvm::failure(), so an error is one
// line.
//
//===----------------------------------------------------------------------===//

#ifndef TG_SUPPORT_DIAGNOSTICS_H
#define TG_SUPPORT_DIAGNOSTICS_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/LogicalResult.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"

#include <functional>
#include <string>

namespace tg {

using llvm::failure;
using llvm::LogicalResult;
using llvm::success;

enum class DiagnosticSeverity { Error, Warning, Note, Remark };

struct Diagnostic {
  DiagnosticSeverity Severity;
  llvm::SMLoc Loc; ///< May be invalid for errors not tied to a place.
  std::string Message;
};

class DiagnosticEngine {
public:
  using Handler = std::function<void(const Diagnostic &)>;

  explicit DiagnosticEngine(llvm::SourceMgr &SM) : SM(SM) {}

  /// Replaces printing to stderr; pass nullptr to print again.
  void setHandler(Handler H) { Custom = std::move(H); }

  void emit(DiagnosticSeverity Severity, llvm::SMLoc Loc,
            const llvm::Twine &Message);

  /// Reports an error and returns failure(), for `return Diag.error(...)`.
  LogicalResult error(llvm::SMLoc Loc, const llvm::Twine &Message) {
    emit(DiagnosticSeverity::Error, Loc, Message);
    return failure();
  }
  void warning(llvm::SMLoc Loc, const llvm::Twine &Message) {
    emit(DiagnosticSeverity::Warning, Loc, Message);
  }
  void note(llvm::SMLoc Loc, const llvm::Twine &Message) {
    emit(DiagnosticSeverity::Note, Loc, Message);
  }

  unsigned getNumErrors() const { return NumErrors; }
  llvm::SourceMgr &getSourceMgr() { return SM; }

private:
  llvm::SourceMgr &SM;
  Handler Custom;
  unsigned NumErrors = 0;
};

} // namespace tg

#endif // TG_SUPPORT_DIAGNOSTICS_H
