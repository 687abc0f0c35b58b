//===- CUDARenderer.h - CUDA C++ source for the NV backend ------*- C++ -*-===//
//
// The CUDA dialect of CStyleRenderer (tg/Target/CStyleRenderer.h), as NVRTC
// compiles it. A kernel is
//
//   extern "C" __global__ void __launch_bounds__(<threads>)
//   k_<name>(float* __restrict__ b0, ..., const int var0, ...)
//
// with its parameters in the order of the kernel's parameters: a `define`
// buffer is a pointer to its scalar element, a `define_var` a value of its
// own scalar type. That order and those types are the ABI the CUDA runtime
// packs (CUDARuntime.h). Launch indices are blockIdx (gidx) and threadIdx
// (lidx); local memory is `__shared__`; f16 is cuda_fp16.h's `half` and bf16
// cuda_bf16.h's `__nv_bfloat16`, both computed in float.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_NV_CUDARENDERER_H
#define TG_PLUGINS_NV_CUDARENDERER_H

#include "tg/Target/CStyleRenderer.h"

namespace tg {
namespace nv {

class CUDARenderer : public CStyleRenderer {
public:
  llvm::StringRef getLanguage() const override { return "cuda"; }

  std::string getPrelude(const CStyleFeatures &Uses) const override;
  std::string getHelperQualifier() const override;
  std::string getScalarTypeName(ScalarKind K) const override;
  std::string getVectorTypeName(ScalarKind K, unsigned Lanes) const override;
  std::string getVectorTypeDecl(ScalarKind K, unsigned Lanes) const override;
  std::string getAlignAttribute(unsigned Bytes) const override;
  std::string makeVector(llvm::StringRef Type,
                         llvm::ArrayRef<std::string> Lanes) const override;
  std::string getKernelPrefix(const Function &Kernel,
                              int64_t Threads) const override;
  std::string getBufferParam(llvm::StringRef Element,
                             llvm::StringRef Name) const override;
  std::string getLocalDecl(llvm::StringRef Element, llvm::StringRef Name,
                           int64_t Count) const override;
  std::string getRegisterDecl(llvm::StringRef Element, llvm::StringRef Name,
                              int64_t Count) const override;
  std::string getBarrier() const override;
  std::string getLaunchIndex(bool IsGroup, unsigned Dim) const override;
  std::string getAsyncCopy(llvm::StringRef To, llvm::StringRef From,
                           unsigned Bytes, llvm::StringRef Gate) const override;
  std::string getAsyncCommit() const override;
  std::string getAsyncWait(int64_t Pending) const override;
  std::string getLoadMatrixHelper(llvm::StringRef Function,
                                  llvm::StringRef Element,
                                  llvm::StringRef Vector, unsigned Matrices,
                                  bool Transpose) const override;
  std::string getWMMAHelper(llvm::StringRef Name, llvm::StringRef Function,
                            llvm::StringRef A, llvm::StringRef B,
                            llvm::StringRef C) const override;
  llvm::Expected<MathPrecision> getMathPrecision(llvm::StringRef Name,
                                                 ScalarKind K) const override;
  std::string widenToFloat(ScalarKind K, llvm::StringRef X) const override;
  std::string narrowFloat(ScalarKind K, llvm::StringRef X,
                          bool FromF64) const override;
};

} // namespace nv
} // namespace tg

#endif // TG_PLUGINS_NV_CUDARENDERER_H
