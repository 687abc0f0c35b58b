//===- Diagnostics.cpp ----------------------------------------------------===//

#include "tg/Support/Diagnostics.h"

using namespace tg;

static llvm::SourceMgr::DiagKind toDiagKind(DiagnosticSeverity Severity) {
  switch (Severity) {
  case DiagnosticSeverity::Error:
    return llvm::SourceMgr::DK_Error;
  case DiagnosticSeverity::Warning:
    return llvm::SourceMgr::DK_Warning;
  case DiagnosticSeverity::Note:
    return llvm::SourceMgr::DK_Note;
  case DiagnosticSeverity::Remark:
    return llvm::SourceMgr::DK_Remark;
  }
  llvm_unreachable("unknown severity");
}

void DiagnosticEngine::emit(DiagnosticSeverity Severity, llvm::SMLoc Loc,
                            const llvm::Twine &Message) {
  if (Severity == DiagnosticSeverity::Error)
    ++NumErrors;
  if (Custom) {
    Custom(Diagnostic{Severity, Loc, Message.str()});
    return;
  }
  SM.PrintMessage(Loc, toDiagKind(Severity), Message);
}
