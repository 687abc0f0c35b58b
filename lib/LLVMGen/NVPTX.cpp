//===- NVPTX.cpp - the NVPTX target's hooks -------------------------------===//
//
// Kernels as `nvvm.annotations` mark them, with their thread count as
// maxntid; launch indices from the PTX special registers (%ctaid, %tid);
// barriers as bar.sync 0. Transcendentals call libdevice's double functions
// (__nv_exp2, ...), which the `ptx` compiler links from CUDA's
// nvvm/libdevice: as exact as the CPU's libm calls.
//
//===----------------------------------------------------------------------===//

#include "GPUHooks.h"

#include "llvm/IR/IntrinsicsNVPTX.h"
#include "llvm/IR/Metadata.h"

using namespace tg;
using namespace tg::llvmgen;

namespace {

class NVPTXHooks final : public GPUHooks {
public:
  using GPUHooks::GPUHooks;

  void barrier(llvm::IRBuilder<> &B, llvm::Module &) override {
    B.CreateIntrinsic(llvm::Intrinsic::nvvm_barrier0, {}, {});
  }

  llvm::Expected<llvm::Value *>
  transcendental(llvm::IRBuilder<> &B, llvm::Module &M, Op O, ScalarKind,
                 llvm::ArrayRef<llvm::Value *> Args) override {
    const char *Name = O == Op::Exp2   ? "__nv_exp2"
                       : O == Op::Log2 ? "__nv_log2"
                       : O == Op::Sin  ? "__nv_sin"
                                       : "__nv_pow";
    llvm::SmallVector<llvm::Type *, 2> Params(Args.size(), B.getDoubleTy());
    llvm::FunctionCallee Callee = M.getOrInsertFunction(
        Name, llvm::FunctionType::get(B.getDoubleTy(), Params, false));
    return B.CreateCall(Callee, Args);
  }

protected:
  llvm::Intrinsic::ID getLaunchIntrinsic(bool Group,
                                         unsigned Dim) const override {
    static const llvm::Intrinsic::ID Groups[] = {
        llvm::Intrinsic::nvvm_read_ptx_sreg_ctaid_x,
        llvm::Intrinsic::nvvm_read_ptx_sreg_ctaid_y,
        llvm::Intrinsic::nvvm_read_ptx_sreg_ctaid_z};
    static const llvm::Intrinsic::ID Threads[] = {
        llvm::Intrinsic::nvvm_read_ptx_sreg_tid_x,
        llvm::Intrinsic::nvvm_read_ptx_sreg_tid_y,
        llvm::Intrinsic::nvvm_read_ptx_sreg_tid_z};
    return Group ? Groups[Dim] : Threads[Dim];
  }

  void annotate(llvm::Module &M, llvm::Function &F,
                const std::array<int64_t, 3> &Threads) override {
    llvm::LLVMContext &Ctx = M.getContext();
    llvm::NamedMDNode *Annotations =
        M.getOrInsertNamedMetadata("nvvm.annotations");
    auto Add = [&](llvm::StringRef Key, int64_t Value) {
      llvm::Metadata *Operands[] = {
          llvm::ValueAsMetadata::get(&F), llvm::MDString::get(Ctx, Key),
          llvm::ConstantAsMetadata::get(
              llvm::ConstantInt::get(llvm::Type::getInt32Ty(Ctx), Value))};
      Annotations->addOperand(llvm::MDNode::get(Ctx, Operands));
    };
    Add("kernel", 1);
    Add("maxntidx", Threads[0]);
    Add("maxntidy", Threads[1]);
    Add("maxntidz", Threads[2]);
  }
};

} // namespace

std::unique_ptr<TargetHooks>
llvmgen::createNVPTXHooks(const llvm::TargetMachine &TM) {
  return std::make_unique<NVPTXHooks>(TM);
}
