//===- GPUHooks.h - what the NVPTX and AMDGPU hooks share -------*- C++ -*-===//
//
// The GPU kernel ABI of LLVMGen.h (parameters in Kernel.Params order: a
// `define` is a pointer in address space 1, a `define_var` a scalar of its
// dtype), local buffers as address-space-3 globals, launch indices by name,
// and the launch's thread count for the kernel metadata. A target adds its
// intrinsics, barrier, transcendentals and annotations.
//
//===----------------------------------------------------------------------===//

#ifndef TG_LIB_LLVMGEN_GPUHOOKS_H
#define TG_LIB_LLVMGEN_GPUHOOKS_H

#include "tg/LLVMGen/LLVMGen.h"

#include "llvm/IR/DataLayout.h"

#include <array>

namespace tg {
namespace llvmgen {

class GPUHooks : public TargetHooks {
public:
  explicit GPUHooks(const llvm::TargetMachine &TM);

  llvm::Error checkKernel(const Function &Kernel) override;
  void prepareModule(llvm::Module &M) override;
  llvm::Function *createEntry(llvm::Module &M, const Function &Kernel) override;
  void loadParams(llvm::IRBuilder<> &B, llvm::Function &F,
                  const Function &Kernel,
                  llvm::DenseMap<const UOp *, llvm::Value *> &Values) override;
  unsigned getAddrSpace(AddrSpace Space) const override;
  llvm::Value *createLocal(llvm::IRBuilder<> &Allocas, llvm::Module &M,
                           const UOp *U, llvm::ArrayType *Type) override;
  llvm::Expected<llvm::Value *> launchIndex(llvm::IRBuilder<> &B,
                                            llvm::Module &M,
                                            llvm::StringRef Name) override;
  void finishKernel(llvm::Module &M, llvm::Function &F,
                    const Function &Kernel) override;

protected:
  /// The intrinsic that reads the work-group id (`Group`) or the thread id
  /// in the work-group along dimension `Dim` (0 = x).
  virtual llvm::Intrinsic::ID getLaunchIntrinsic(bool Group,
                                                 unsigned Dim) const = 0;
  /// Marks `F` as a kernel launched with `Threads` threads per work-group,
  /// `Threads[0]` along x.
  virtual void annotate(llvm::Module &M, llvm::Function &F,
                        const std::array<int64_t, 3> &Threads) = 0;

private:
  std::string Triple;
  llvm::DataLayout Layout;
};

} // namespace llvmgen
} // namespace tg

#endif // TG_LIB_LLVMGEN_GPUHOOKS_H
