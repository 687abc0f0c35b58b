//===- PassRegistry.cpp - the process-wide pass registry ------------------===//

#include "tg/Pass/PassRegistry.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

#include "llvm/Support/ErrorHandling.h"
#include <algorithm>

using namespace tg;

static llvm::StringMap<PassInfo> &getRegistry() {
  static llvm::StringMap<PassInfo> Registry;
  return Registry;
}

void tg::registerPass(llvm::StringRef Name, llvm::StringRef Description,
                      PassFactory Factory) {
  if (Factory()->getArgument() != Name)
    llvm::report_fatal_error("pass registered as '" + Name +
                             "' has another argument");
  PassInfo Info{Name.str(), Description.str(), std::move(Factory)};
  if (!getRegistry().try_emplace(Name, std::move(Info)).second)
    llvm::report_fatal_error("pass '" + Name + "' is registered twice");
}

void tg::registerPass(PassFactory Factory) {
  std::unique_ptr<Pass> P = Factory();
  registerPass(P->getArgument(), P->getDescription(), std::move(Factory));
}

const PassInfo *tg::lookupPass(llvm::StringRef Name) {
  auto It = getRegistry().find(Name);
  return It == getRegistry().end() ? nullptr : &It->second;
}

std::vector<const PassInfo *> tg::getRegisteredPasses() {
  std::vector<const PassInfo *> Infos;
  for (const auto &Entry : getRegistry())
    Infos.push_back(&Entry.second);
  llvm::sort(Infos, [](const PassInfo *A, const PassInfo *B) {
    return A->Name < B->Name;
  });
  return Infos;
}

/// Registered names within a few edits of `Name` (or starting with it),
/// closest first.
static std::vector<std::string> getClosePassNames(llvm::StringRef Name) {
  unsigned MaxDistance = std::max<unsigned>(2, Name.size() / 3);
  std::vector<std::pair<unsigned, std::string>> Close;
  for (const PassInfo *Info : getRegisteredPasses()) {
    llvm::StringRef Candidate = Info->Name;
    unsigned Distance = Name.edit_distance(Candidate);
    if (Distance <= MaxDistance || Candidate.starts_with(Name))
      Close.push_back({Distance, Info->Name});
  }
  llvm::sort(Close);
  std::vector<std::string> Names;
  for (auto &[Distance, CloseName] : Close)
    Names.push_back(std::move(CloseName));
  return Names;
}

std::string tg::getUnknownPassMessage(llvm::StringRef Name) {
  std::string Message = "'" + Name.str() + "' is not a registered pass";
  std::vector<std::string> Close = getClosePassNames(Name);
  for (size_t I = 0; I < Close.size(); ++I)
    Message += (I == 0 ? "; did you mean '" : "' or '") + Close[I];
  if (!Close.empty())
    Message += "'?";
  return Message + " (see --list-passes)";
}

void tg::printRegisteredPasses(llvm::raw_ostream &OS) {
  OS << "Passes (--pass-pipeline=name{option=value ...},...):\n";
  for (const PassInfo *Info : getRegisteredPasses()) {
    std::unique_ptr<Pass> P = Info->Factory();
    OS << "  " << Info->Name << " - " << Info->Description << "\n";
    for (const PassOptionBase *O : P->getOptions()) {
      OS << "    " << O->getName() << ": " << O->getTypeName() << " = ";
      O->printValue(OS);
      OS << " - " << O->getDescription() << "\n";
    }
    OS << "    translation validation: ";
    P->getTranslationValidation().print(OS);
    OS << "\n";
  }
}
