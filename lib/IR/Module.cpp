//===- Module.cpp ---------------------------------------------------------===//

#include "tg/IR/Module.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace tg;

llvm::ArrayRef<FunctionAttributeInfo> tg::getFunctionAttributeInfos() {
  static const FunctionAttributeInfo Infos[] = {
      {"opts", ArgType::OptList,
       "opts to apply (the heuristic and BEAM append here; `opt` empties it)"},
      {"applied_opts", ArgType::OptList, "opts the `opt` pass has applied"},
  };
  return Infos;
}

void Function::setBody(const UOp *NewRoot, std::vector<const UOp *> NewBody) {
  Root = NewRoot;
  Body = std::move(NewBody);
}

void Function::setRoot(const UOp *NewRoot) {
  Root = NewRoot;
  Body.clear();
  llvm::DenseSet<const UOp *> Seen(Params.begin(), Params.end());
  // Iterative post-order: a UOp is emitted after all of its sources.
  llvm::SmallVector<std::pair<const UOp *, unsigned>, 64> Stack;
  if (Seen.insert(NewRoot).second)
    Stack.push_back({NewRoot, 0});
  while (!Stack.empty()) {
    auto &[U, Next] = Stack.back();
    if (Next < U->getNumSrcs()) {
      const UOp *Src = U->getSrc(Next++);
      if (Seen.insert(Src).second)
        Stack.push_back({Src, 0});
      continue;
    }
    Body.push_back(U);
    Stack.pop_back();
  }
}

const Arg *Function::getAttribute(llvm::StringRef AttrName) const {
  for (const FunctionAttribute &A : Attributes)
    if (A.Name == AttrName)
      return A.Value;
  return nullptr;
}

void Function::setAttribute(llvm::StringRef AttrName, const Arg *Value) {
  auto It = llvm::find_if(Attributes, [&](const FunctionAttribute &A) {
    return A.Name == AttrName;
  });
  if (!Value) {
    if (It != Attributes.end())
      Attributes.erase(It);
    return;
  }
  if (It != Attributes.end())
    It->Value = Value;
  else
    Attributes.push_back({AttrName.str(), Value});
}

llvm::SMLoc Function::getLocOrDefault(const UOp *U) const {
  llvm::SMLoc L = getLoc(U);
  return L.isValid() ? L : Loc;
}

Function *Module::lookupFunction(llvm::StringRef FnName) const {
  for (const std::unique_ptr<Function> &F : Functions)
    if (F->getName() == FnName)
      return F.get();
  return nullptr;
}

const BufferDecl *Module::lookupBuffer(llvm::StringRef BufName) const {
  for (const BufferDecl &B : Buffers)
    if (B.Name == BufName)
      return &B;
  return nullptr;
}
