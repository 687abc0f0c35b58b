//===- MetalLaunch.cpp - how the Metal runtime calls a kernel -------------===//

#include "MetalLaunch.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Eval.h"

using namespace tg;
using namespace tg::metal;

static llvm::Error makeError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

bool MetalDims::isEmpty() const {
  for (unsigned Dim = 0; Dim != 3; ++Dim)
    if (!Groups[Dim] || !Threads[Dim])
      return true;
  return false;
}

/// Bytes of a variable of scalar type `K` as the rendered source declares
/// it (index is 64-bit).
static unsigned getVariableBytes(ScalarKind K) {
  unsigned Bits = getScalarInfo(K).Bits;
  return K == ScalarKind::Index || !Bits ? 8 : std::max(1u, Bits / 8);
}

llvm::Expected<MetalLaunch> metal::analyzeLaunch(const Function &Kernel) {
  MetalLaunch L;
  L.Name = Kernel.getName().str();
  std::vector<int64_t> BufferIds;
  for (const UOp *P : Kernel.Params) {
    if (P->getOp() == Op::Define) {
      BufferIds.push_back(P->getArgField(0)->getInt());
      continue;
    }
    L.Variables.push_back(P);
    L.VariableBytes.push_back(getVariableBytes(P->getDType().getScalarKind()));
  }
  L.NumBuffers = BufferIds.size();
  // Buffer ids index the runtime's buffers and lie below the variables'.
  for (int64_t Id : BufferIds)
    if (Id < 0 || Id >= int64_t(L.NumBuffers))
      return makeError("kernel @" + L.Name + ": buffer id " + llvm::Twine(Id) +
                       " is not below its " + llvm::Twine(L.NumBuffers) +
                       " buffers");
  for (const UOp *U : Kernel.getBody()) {
    if (U->getOp() != Op::Special)
      continue;
    llvm::StringRef Index = U->getArgField(0)->getString();
    bool IsGroup = Index.starts_with("gidx");
    unsigned Dim = 0;
    if ((!IsGroup && !Index.starts_with("lidx")) ||
        Index.drop_front(4).getAsInteger(10, Dim) || Dim > 2)
      return makeError("kernel @" + L.Name + ": unknown launch index '" +
                       Index + "'");
    (IsGroup ? L.Groups : L.Threads)[Dim] = U->getSrc(0);
  }
  return L;
}

llvm::Expected<MetalDims> metal::getLaunchDims(const MetalLaunch &L,
                                               llvm::ArrayRef<int64_t> Vars) {
  if (Vars.size() != L.Variables.size())
    return makeError("kernel @" + L.Name + " takes " +
                     llvm::Twine(L.Variables.size()) + " variable values; " +
                     llvm::Twine(Vars.size()) + " given");
  auto Leaf = [&](const UOp *U) -> std::optional<ConstValue> {
    for (size_t I = 0; I != L.Variables.size(); ++I)
      if (L.Variables[I] == U)
        return ConstValue::getInt(Vars[I]);
    return std::nullopt;
  };
  auto Size = [&](const UOp *U) -> llvm::Expected<uint64_t> {
    if (!U)
      return 1;
    std::optional<ConstValue> V = evalScalar(U, Leaf);
    if (!V)
      return makeError("kernel @" + L.Name +
                       ": a launch index's size must depend only on constants "
                       "and variables");
    if (V->getInt() < 0)
      return makeError("kernel @" + L.Name + ": a launch dimension of " +
                       llvm::Twine(V->getInt()) + " is negative");
    return uint64_t(V->getInt());
  };
  MetalDims Dims;
  for (unsigned Dim = 0; Dim != 3; ++Dim) {
    llvm::Expected<uint64_t> Groups = Size(L.Groups[Dim]);
    if (!Groups)
      return Groups.takeError();
    llvm::Expected<uint64_t> Threads = Size(L.Threads[Dim]);
    if (!Threads)
      return Threads.takeError();
    Dims.Groups[Dim] = *Groups;
    Dims.Threads[Dim] = *Threads;
  }
  return Dims;
}
