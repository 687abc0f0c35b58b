//===- Pass.cpp - pass options, statistics, FunctionPass ------------------===//

#include "tg/Pass/Pass.h"

using namespace tg;

void TranslationValidation::print(llvm::raw_ostream &OS) const {
  if (isExempt())
    OS << "exempt: " << Reason;
  else
    OS << "z3";
}

PassOptionBase::PassOptionBase(Pass &Owner, llvm::StringRef Name,
                               llvm::StringRef Description)
    : Name(Name), Description(Description) {
  Owner.Options.push_back(this);
}

PassStatistic::PassStatistic(Pass &Owner, llvm::StringRef Name,
                             llvm::StringRef Description)
    : Name(Name), Description(Description) {
  Owner.Statistics.push_back(this);
}

PassOptionBase *Pass::lookupOption(llvm::StringRef Name) const {
  for (PassOptionBase *O : Options)
    if (O->getName() == Name)
      return O;
  return nullptr;
}

LogicalResult FunctionPass::run(Module &M, PassContext &C) {
  bool Failed = false;
  for (const std::unique_ptr<Function> &F : M.Functions)
    Failed |= failed(runOnFunction(*F, C));
  return failure(Failed);
}
