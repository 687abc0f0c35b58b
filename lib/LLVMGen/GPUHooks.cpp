//===- GPUHooks.cpp - what the NVPTX and AMDGPU hooks share ---------------===//

#include "GPUHooks.h"

#include "tg/IR/Arg.h"
#include "tg/IR/UOp.h"

#include "llvm/IR/GlobalVariable.h"

using namespace tg;
using namespace tg::llvmgen;

GPUHooks::GPUHooks(const llvm::TargetMachine &TM)
    : Triple(TM.getTargetTriple().str()), Layout(TM.createDataLayout()) {}

/// Why a GPU kernel cannot hold a value or buffer of type `T`, if so.
static const char *getTypeProblem(DType T) {
  if (T.isImage())
    return "image buffers are not supported by the LLVM GPU renderer";
  if (T.isPointer())
    T = T.getElement();
  if (!T.isVoid() && (T.getScalarKind() == ScalarKind::FP8E4M3 ||
                      T.getScalarKind() == ScalarKind::FP8E5M2))
    return "fp8 needs the decompose pass";
  return nullptr;
}

/// Parses `gidx<d>` or `lidx<d>` with d in 0..2.
static bool parseLaunchIndex(llvm::StringRef Name, bool &Group, unsigned &Dim) {
  Group = Name.consume_front("gidx");
  if (!Group && !Name.consume_front("lidx"))
    return false;
  return !Name.getAsInteger(10, Dim) && Dim < 3;
}

llvm::Error GPUHooks::checkKernel(const Function &Kernel) {
  if (!Kernel.isKernel())
    return makeRenderError(Kernel, nullptr, "only kernels are rendered");
  for (const UOp *P : Kernel.Params) {
    if (const char *Problem = getTypeProblem(P->getDType()))
      return makeRenderError(Kernel, P, Problem);
    if (P->getOp() == Op::Define &&
        P->getDType().getAddrSpace() != AddrSpace::Global)
      return makeRenderError(Kernel, P, "a buffer parameter must be global");
  }
  llvm::SmallVector<const UOp *, 8> Open; // Ranges open at this point.
  for (const UOp *U : Kernel.getBody()) {
    if (const char *Problem = getTypeProblem(U->getDType()))
      return makeRenderError(Kernel, U, Problem);
    if (U->getOp() == Op::Reduce)
      return makeRenderError(Kernel, U,
                             "run remove-reduce and linearize first");
    bool Group;
    unsigned Dim;
    if (U->getOp() == Op::Special &&
        parseLaunchIndex(U->getArg()->getString(), Group, Dim) && !Group &&
        U->getSrc(0)->getOp() != Op::Const)
      return makeRenderError(Kernel, U,
                             "a work-group's size must be a constant");
    if (U->getOp() == Op::Range)
      Open.push_back(U);
    if (U->getOp() != Op::End)
      continue;
    if (U->getNumSrcs() != 2 || Open.empty() || Open.back() != U->getSrc(1))
      return makeRenderError(Kernel, U,
                             "does not close the innermost open range; run "
                             "linearize first");
    Open.pop_back();
  }
  if (!Open.empty())
    return makeRenderError(Kernel, Open.back(), "the range is never closed");
  return llvm::Error::success();
}

void GPUHooks::prepareModule(llvm::Module &M) {
  M.setTargetTriple(Triple);
  M.setDataLayout(Layout);
}

llvm::Function *GPUHooks::createEntry(llvm::Module &M, const Function &Kernel) {
  llvm::SmallVector<llvm::Type *, 8> Params;
  for (const UOp *P : Kernel.Params)
    Params.push_back(
        P->getOp() == Op::Define
            ? llvm::PointerType::get(M.getContext(),
                                     getAddrSpace(AddrSpace::Global))
            : getScalarType(M.getContext(), P->getDType().getScalarKind()));
  llvm::Function *F = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getVoidTy(M.getContext()), Params,
                              false),
      llvm::Function::ExternalLinkage, getEntryName(Kernel), M);
  F->addFnAttr(llvm::Attribute::NoUnwind);
  for (unsigned I = 0; I != Params.size(); ++I)
    F->getArg(I)->setName(Kernel.getName(Kernel.Params[I]));
  return F;
}

void GPUHooks::loadParams(llvm::IRBuilder<> &, llvm::Function &F,
                          const Function &Kernel,
                          llvm::DenseMap<const UOp *, llvm::Value *> &Values) {
  for (unsigned I = 0; I != Kernel.Params.size(); ++I)
    Values[Kernel.Params[I]] = F.getArg(I);
}

unsigned GPUHooks::getAddrSpace(AddrSpace Space) const {
  switch (Space) {
  case AddrSpace::Global:
    return 1;
  case AddrSpace::Local:
    return 3;
  default:
    return Layout.getAllocaAddrSpace();
  }
}

llvm::Value *GPUHooks::createLocal(llvm::IRBuilder<> &, llvm::Module &M,
                                   const UOp *U, llvm::ArrayType *Type) {
  // Shared memory cannot be initialized; kernels store before they load.
  auto *Memory = new llvm::GlobalVariable(
      M, Type, /*isConstant=*/false, llvm::GlobalValue::InternalLinkage,
      llvm::PoisonValue::get(Type),
      "local" + llvm::Twine(U->getArgField(0)->getInt()), nullptr,
      llvm::GlobalValue::NotThreadLocal, getAddrSpace(AddrSpace::Local));
  Memory->setAlignment(llvm::Align(16));
  return Memory;
}

llvm::Expected<llvm::Value *> GPUHooks::launchIndex(llvm::IRBuilder<> &B,
                                                    llvm::Module &,
                                                    llvm::StringRef Name) {
  bool Group;
  unsigned Dim;
  if (!parseLaunchIndex(Name, Group, Dim))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "unknown launch index '" + Name +
                                       "' (gidx0-2 and lidx0-2 are known)");
  return B.CreateIntrinsic(getLaunchIntrinsic(Group, Dim), {}, {});
}

void GPUHooks::finishKernel(llvm::Module &M, llvm::Function &F,
                            const Function &Kernel) {
  std::array<int64_t, 3> Threads = {1, 1, 1};
  for (const UOp *U : Kernel.getBody()) {
    bool Group;
    unsigned Dim;
    if (U->getOp() != Op::Special ||
        !parseLaunchIndex(U->getArg()->getString(), Group, Dim) || Group)
      continue;
    if (U->getSrc(0)->getOp() == Op::Const)
      Threads[Dim] = std::max(Threads[Dim], U->getSrc(0)->getArg()->getInt());
  }
  annotate(M, F, Threads);
}
