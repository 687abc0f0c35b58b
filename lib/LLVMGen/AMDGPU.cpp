//===- AMDGPU.cpp - the AMDGPU target's hooks -----------------------------===//
//
// Kernels in the amdgpu_kernel calling convention with their thread count as
// "amdgpu-flat-work-group-size"; launch indices from the work-group and
// work-item id intrinsics; barriers as clang emits __syncthreads (a
// work-group release fence, s_barrier, an acquire fence).
//
// Transcendentals: there is no device math library here (ROCm's ocml is
// not installed, TOOLCHAIN.md), so exp2 and log2 of f32, f16 and bf16 use
// LLVM's llvm.exp2.f32 and llvm.log2.f32, which the AMDGPU backend lowers to
// v_exp_f32 / v_log_f32 with denormal scaling (within 1 ulp of f32, not the
// double-then-round of docs/Semantics.md). sin, pow and f64 exp2/log2 are
// refused (`decompose{ops=sin}` and the like turn them into arithmetic).
//
// Tensor cores: RDNA3's llvm.amdgcn.wmma.f32.16x16x16.f16 and CDNA3's
// llvm.amdgcn.mfma.f32.16x16x16f16 and .16x16x16bf16.1k (bf16 as its i16
// bits, as LLVMGen keeps it), with the fragments of include/tg/IR/WMMA.h.
//
//===----------------------------------------------------------------------===//

#include "GPUHooks.h"

#include "tg/IR/Op.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/IR/IntrinsicsAMDGPU.h"
#include "llvm/Target/TargetMachine.h"

#include <iterator>

using namespace tg;
using namespace tg::llvmgen;

namespace {

/// An AMD tensor-core instruction: its intrinsic and the processors (a
/// prefix of the name) that have it.
struct MatrixIntrinsic {
  const char *Name, *Processors;
  llvm::Intrinsic::ID ID;
};

const MatrixIntrinsic MatrixIntrinsics[] = {
    {"wmma.16x16x16.f16", "gfx11",
     llvm::Intrinsic::amdgcn_wmma_f32_16x16x16_f16},
    {"mfma.16x16x16.f16", "gfx94",
     llvm::Intrinsic::amdgcn_mfma_f32_16x16x16f16},
    {"mfma.16x16x16.bf16", "gfx94",
     llvm::Intrinsic::amdgcn_mfma_f32_16x16x16bf16_1k},
};

class AMDGPUHooks final : public GPUHooks {
public:
  explicit AMDGPUHooks(const llvm::TargetMachine &TM)
      : GPUHooks(TM), CPU(TM.getTargetCPU().str()) {}

  llvm::Function *createEntry(llvm::Module &M,
                              const Function &Kernel) override {
    llvm::Function *F = GPUHooks::createEntry(M, Kernel);
    F->setCallingConv(llvm::CallingConv::AMDGPU_KERNEL);
    return F;
  }

  void barrier(llvm::IRBuilder<> &B, llvm::Module &) override {
    llvm::SyncScope::ID WorkGroup =
        B.getContext().getOrInsertSyncScopeID("workgroup");
    B.CreateFence(llvm::AtomicOrdering::Release, WorkGroup);
    B.CreateIntrinsic(llvm::Intrinsic::amdgcn_s_barrier, {}, {});
    B.CreateFence(llvm::AtomicOrdering::Acquire, WorkGroup);
  }

  llvm::Expected<llvm::Value *>
  transcendental(llvm::IRBuilder<> &B, llvm::Module &, Op O, ScalarKind K,
                 llvm::ArrayRef<llvm::Value *> Args) override {
    if (O == Op::Pow)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "AMDGPU has no pow without a device math library");
    if ((O != Op::Exp2 && O != Op::Log2) || K == ScalarKind::F64)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "AMDGPU has no exact form of this op without a device math "
          "library; decompose{ops=" +
              getMnemonic(O) + "} computes it with arithmetic");
    llvm::Value *X = B.CreateFPTrunc(Args[0], B.getFloatTy());
    llvm::Value *R = B.CreateUnaryIntrinsic(
        O == Op::Exp2 ? llvm::Intrinsic::exp2 : llvm::Intrinsic::log2, X);
    return B.CreateFPExt(R, B.getDoubleTy());
  }

  llvm::Expected<llvm::Value *> wmma(llvm::IRBuilder<> &B, llvm::Module &,
                                     llvm::StringRef Name, llvm::Value *A,
                                     llvm::Value *BValue,
                                     llvm::Value *C) override {
    const MatrixIntrinsic *I =
        llvm::find_if(MatrixIntrinsics,
                      [&](const MatrixIntrinsic &M) { return Name == M.Name; });
    if (I == std::end(MatrixIntrinsics) ||
        !llvm::StringRef(CPU).starts_with(I->Processors))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     CPU + " has no tensor-core instruction '" +
                                         Name + "'");
    if (I->ID == llvm::Intrinsic::amdgcn_wmma_f32_16x16x16_f16)
      return B.CreateIntrinsic(I->ID, {C->getType(), A->getType()},
                               {A, BValue, C});
    // MFMA's cbsz, abid and blgp: no broadcast of A or B.
    llvm::Value *Zero = B.getInt32(0);
    return B.CreateIntrinsic(I->ID, {}, {A, BValue, C, Zero, Zero, Zero});
  }

protected:
  llvm::Intrinsic::ID getLaunchIntrinsic(bool Group,
                                         unsigned Dim) const override {
    static const llvm::Intrinsic::ID Groups[] = {
        llvm::Intrinsic::amdgcn_workgroup_id_x,
        llvm::Intrinsic::amdgcn_workgroup_id_y,
        llvm::Intrinsic::amdgcn_workgroup_id_z};
    static const llvm::Intrinsic::ID Threads[] = {
        llvm::Intrinsic::amdgcn_workitem_id_x,
        llvm::Intrinsic::amdgcn_workitem_id_y,
        llvm::Intrinsic::amdgcn_workitem_id_z};
    return Group ? Groups[Dim] : Threads[Dim];
  }

  void annotate(llvm::Module &, llvm::Function &F,
                const std::array<int64_t, 3> &Threads) override {
    int64_t Total = Threads[0] * Threads[1] * Threads[2];
    F.addFnAttr("amdgpu-flat-work-group-size", "1," + std::to_string(Total));
    // The runtime launches whole work-groups only.
    F.addFnAttr("uniform-work-group-size", "true");
  }

private:
  std::string CPU;
};

} // namespace

std::unique_ptr<TargetHooks>
llvmgen::createAMDGPUHooks(const llvm::TargetMachine &TM) {
  return std::make_unique<AMDGPUHooks>(TM);
}
