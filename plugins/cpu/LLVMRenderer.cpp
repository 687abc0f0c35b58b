//===- LLVMRenderer.cpp - LLVM IR for the CPU backend ---------------------===//
//
// The CPU's hooks for the shared renderer (lib/LLVMGen): the entry ABI of
// CPUKernel.h, libm for transcendentals, the sliced range bounded by the
// entry's [begin, end). Every loop carries `llvm.loop.vectorize.enable
// false`: tg's opts choose what runs in vector registers (the copies of an
// upcast or unroll, which the SLP vectorizer packs), and the loop vectorizer
// would otherwise vectorize across iterations of those unrolled loops,
// loading each lane with a gather.
//
//===----------------------------------------------------------------------===//

#include "LLVMRenderer.h"

#include "CPUKernel.h"

#include "tg/LLVMGen/LLVMGen.h"

#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/PatternMatch.h"
#include "llvm/Transforms/Utils/LoopUtils.h"

using namespace tg;
using namespace tg::cpu;

namespace {

/// The entry ABI of CPUKernel.h.
class CPUHooks final : public llvmgen::TargetHooks {
public:
  llvm::Error checkKernel(const Function &Kernel) override {
    llvm::Expected<const UOp *> Analysis = analyzeKernel(Kernel);
    if (!Analysis)
      return Analysis.takeError();
    Sliced = *Analysis;
    return llvm::Error::success();
  }

  llvm::Function *createEntry(llvm::Module &M,
                              const Function &Kernel) override {
    llvm::Type *Ptr = llvm::PointerType::get(M.getContext(), 0);
    llvm::Type *I64 = llvm::Type::getInt64Ty(M.getContext());
    llvm::Function *F = llvm::Function::Create(
        llvm::FunctionType::get(llvm::Type::getVoidTy(M.getContext()),
                                {Ptr, Ptr, I64, I64}, false),
        llvm::Function::ExternalLinkage, getEntryName(Kernel), M);
    F->addFnAttr(llvm::Attribute::NoUnwind);
    Begin = F->getArg(2);
    End = F->getArg(3);
    return F;
  }

  void loadParams(llvm::IRBuilder<> &B, llvm::Function &F,
                  const Function &Kernel,
                  llvm::DenseMap<const UOp *, llvm::Value *> &Values) override {
    llvm::Type *Ptr = B.getPtrTy(), *I64 = B.getInt64Ty();
    llvm::Value *Buffers = F.getArg(0), *Vars = F.getArg(1);
    unsigned NumVars = 0;
    for (const UOp *P : Kernel.Params) {
      if (P->getOp() == Op::Define) {
        int64_t Id = P->getArgField(0)->getInt();
        Values[P] = B.CreateLoad(Ptr, B.CreateConstGEP1_64(Ptr, Buffers, Id));
        continue;
      }
      llvm::Value *V =
          B.CreateLoad(I64, B.CreateConstGEP1_64(I64, Vars, NumVars));
      Values[P] = B.CreateSExtOrTrunc(
          V, llvmgen::getScalarType(B.getContext(),
                                    P->getDType().getScalarKind()));
      ++NumVars;
    }
  }

  llvm::Expected<llvm::Value *> launchIndex(llvm::IRBuilder<> &, llvm::Module &,
                                            llvm::StringRef Name) override {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the CPU has no launch index '" + Name +
                                       "'");
  }

  void barrier(llvm::IRBuilder<> &, llvm::Module &) override {
    // A CPU work-group is one thread.
  }

  /// Selects instead of `llvm.maximum`: LLVM 19's x86 cost model prices a
  /// vector `llvm.maximum` as scalarized, so SLP would leave the copies of
  /// an unrolled max scalar (each a long sequence with a round trip through
  /// a general register); the selects vectorize, to a vector max and two
  /// blends. `A` and `BValue` are scalars or vectors. b when a > b fails (b is
  /// the larger, or b is a nan); of equal operands (only +0.0 and -0.0 differ)
  /// the AND of the bits is the larger; a when a is a nan.
  llvm::Value *floatMax(llvm::IRBuilder<> &B, llvm::Value *A,
                        llvm::Value *BValue) override {
    // Against a constant that is neither a nan nor a zero (a clamp, as in
    // decompose's exp2), one select is the whole of it: unordered (a is a
    // nan) or greater gives a. x86 does it in one vmaxps.
    auto *C = llvm::dyn_cast<llvm::Constant>(BValue);
    if (auto *CA = llvm::dyn_cast<llvm::Constant>(A); CA && !C) {
      std::swap(A, BValue);
      C = CA;
    }
    const llvm::APFloat *Value = nullptr;
    if (C &&
        llvm::PatternMatch::match(C, llvm::PatternMatch::m_APFloat(Value)) &&
        !Value->isNaN() && !Value->isZero())
      return B.CreateSelect(B.CreateFCmpUGT(A, BValue), A, BValue);
    llvm::Type *T = A->getType();
    llvm::Type *Bits = T->getWithNewType(B.getIntNTy(T->getScalarSizeInBits()));
    llvm::Value *Larger = B.CreateSelect(B.CreateFCmpOGT(A, BValue), A, BValue);
    llvm::Value *Both = B.CreateBitCast(
        B.CreateAnd(B.CreateBitCast(A, Bits), B.CreateBitCast(BValue, Bits)),
        T);
    llvm::Value *Max = B.CreateSelect(B.CreateFCmpOEQ(A, BValue), Both, Larger);
    return B.CreateSelect(B.CreateFCmpUNO(A, A), A, Max);
  }

  llvm::Expected<llvm::Value *>
  transcendental(llvm::IRBuilder<> &B, llvm::Module &M, Op O, ScalarKind,
                 llvm::ArrayRef<llvm::Value *> Args) override {
    const char *Name = O == Op::Exp2   ? "exp2"
                       : O == Op::Log2 ? "log2"
                       : O == Op::Sin  ? "sin"
                                       : "pow";
    llvm::SmallVector<llvm::Type *, 2> Params(Args.size(), B.getDoubleTy());
    llvm::FunctionCallee Callee = M.getOrInsertFunction(
        Name, llvm::FunctionType::get(B.getDoubleTy(), Params, false));
    return B.CreateCall(Callee, Args);
  }

  void boundRange(llvm::IRBuilder<> &B, const UOp *U, llvm::Value *&Start,
                  llvm::Value *&Limit) override {
    if (U != Sliced)
      return;
    llvm::Type *Type = Start->getType();
    Start = B.CreateBinaryIntrinsic(llvm::Intrinsic::smax,
                                    B.CreateSExtOrTrunc(Begin, Type), Start);
    Limit = B.CreateBinaryIntrinsic(llvm::Intrinsic::smin,
                                    B.CreateSExtOrTrunc(End, Type), Limit);
  }

  void finishKernel(llvm::Module &, llvm::Function &F,
                    const Function &) override {
    llvm::DominatorTree Dominators(F);
    llvm::LoopInfo Loops(Dominators);
    for (llvm::Loop *L : Loops.getLoopsInPreorder())
      llvm::addStringMetadataToLoop(L, "llvm.loop.vectorize.enable", 0);
  }

private:
  const UOp *Sliced = nullptr;
  llvm::Value *Begin = nullptr, *End = nullptr;
};

} // namespace

llvm::Expected<std::unique_ptr<llvm::Module>>
cpu::renderLLVM(const Function &Kernel, llvm::LLVMContext &Context) {
  CPUHooks Hooks;
  return llvmgen::renderModule(Kernel, Context, Hooks);
}
