//===- PassManager.cpp - running passes with instrumentation --------------===//

#include "tg/Pass/PassManager.h"

#include "llvm/ADT/STLExtras.h"

using namespace tg;

LogicalResult PassManager::run(Module &M, DiagnosticEngine &Diag) {
  PassContext C(M.getContext(), Diag);
  for (const std::unique_ptr<Pass> &P : Passes) {
    for (const std::unique_ptr<PassInstrumentation> &PI : Instrumentations)
      PI->runBeforePass(*P, M, C);
    unsigned ErrorsBefore = Diag.getNumErrors();
    if (failed(P->run(M, C))) {
      for (const std::unique_ptr<PassInstrumentation> &PI :
           llvm::reverse(Instrumentations))
        PI->runAfterPassFailed(*P, M, C);
      if (Diag.getNumErrors() == ErrorsBefore)
        Diag.emit(DiagnosticSeverity::Error, llvm::SMLoc(),
                  "pass '" + P->getArgument() + "' failed");
      return failure();
    }
    bool AfterFailed = false;
    for (const std::unique_ptr<PassInstrumentation> &PI :
         llvm::reverse(Instrumentations))
      AfterFailed |= failed(PI->runAfterPass(*P, M, C));
    if (AfterFailed)
      return failure();
  }
  return success();
}

void PassManager::printStatistics(llvm::raw_ostream &OS) const {
  OS << "===" << std::string(73, '-') << "===\n"
     << "                         ... Pass statistics report ...\n"
     << "===" << std::string(73, '-') << "===\n";
  for (const std::unique_ptr<Pass> &P : Passes) {
    if (P->getStatistics().empty())
      continue;
    OS << P->getArgument() << "\n";
    for (const PassStatistic *S : P->getStatistics())
      OS << "  (" << S->getName() << ") " << S->getValue() << " - "
         << S->getDescription() << "\n";
  }
}
