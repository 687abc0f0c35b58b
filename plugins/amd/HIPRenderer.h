//===- HIPRenderer.h - HIP C++ source for the AMD backend -------*- C++ -*-===//
//
// The HIP dialect of CStyleRenderer (tg/Target/CStyleRenderer.h), as
// `clang-19 -x hip -nogpulib -nogpuinc` compiles it: without ROCm's headers
// or device libraries. A kernel is
//
//   extern "C" __global__ void __launch_bounds__(<threads>)
//   k_<name>(float* __restrict__ b0, ..., const int var0, ...)
//
// with its parameters in Kernel.Params order, a `define` buffer as a pointer
// to its scalar element and a `define_var` as a value of its scalar type:
// the ABI of the `llvm` compiler, so that one HIP runtime launches both.
//
// The prelude spells HIP's keywords as the clang attributes its headers
// use: `__global__`, `__device__`, `__shared__`, `__launch_bounds__(n)` (a
// flat work-group size of at most n) and `__syncthreads()` (a work-group
// release fence, s_barrier, an acquire fence). Launch indices are
// `__builtin_amdgcn_workgroup_id_x()` (gidx) and
// `__builtin_amdgcn_workitem_id_x()` (lidx); math is clang's builtins
// (`__builtin_sqrtf`, `__builtin_fma`, ...), which LLVM's AMDGPU backend
// lowers without a library. f16 is `_Float16`; bf16 is its bits in an
// unsigned short, converted by integer helpers (round to nearest even).
// Vectors of 2 or 4 lanes of at most 16 bytes are ext_vector_type (`float4`,
// `int2`, `tg_f16x4`); others are aligned structs.
//
// Transcendentals: with no device math library, exp2 and log2 of f32, f16
// and bf16 compute in float through `__builtin_exp2f` / `__builtin_log2f`
// (LLVM's llvm.exp2.f32 and llvm.log2.f32, v_exp_f32 / v_log_f32 with
// denormal scaling: within 1 ulp of f32, as the `llvm` compiler computes
// them, not the double-then-round of docs/Semantics.md). sin, pow and f64
// exp2 / log2 have no lowering without the library (`__builtin_exp2` on a
// double fails in the backend: "no libcall available for fexp2"), so they
// are refused with a pointer to `decompose{ops=...}`.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_AMD_HIPRENDERER_H
#define TG_PLUGINS_AMD_HIPRENDERER_H

#include "tg/Target/CStyleRenderer.h"

namespace tg {
namespace amd {

class HIPRenderer : public CStyleRenderer {
public:
  llvm::StringRef getLanguage() const override { return "hip"; }

  std::string getPrelude(const CStyleFeatures &Uses) const override;
  std::string getHelperQualifier() const override;
  std::string getScalarTypeName(ScalarKind K) const override;
  std::string getVectorTypeName(ScalarKind K, unsigned Lanes) const override;
  std::string getVectorTypeDecl(ScalarKind K, unsigned Lanes) const override;
  std::string makeVector(llvm::StringRef Type,
                         llvm::ArrayRef<std::string> Lanes) const override;
  std::string getKernelPrefix(const Function &Kernel,
                              int64_t Threads) const override;
  std::string getBufferParam(llvm::StringRef Element,
                             llvm::StringRef Name) const override;
  std::string getLocalDecl(llvm::StringRef Element, llvm::StringRef Name,
                           int64_t Count) const override;
  std::string getBarrier() const override;
  std::string getWMMAHelper(llvm::StringRef Name, llvm::StringRef Function,
                            llvm::StringRef A, llvm::StringRef B,
                            llvm::StringRef C) const override;
  std::string getLaunchIndex(bool IsGroup, unsigned Dim) const override;
  std::string widenToFloat(ScalarKind K, llvm::StringRef X) const override;
  std::string narrowFloat(ScalarKind K, llvm::StringRef X,
                          bool FromF64) const override;
  std::string callMath(llvm::StringRef Name, bool IsF64,
                       llvm::ArrayRef<std::string> Args) const override;
  llvm::Expected<MathPrecision> getMathPrecision(llvm::StringRef Name,
                                                 ScalarKind K) const override;
};

} // namespace amd
} // namespace tg

#endif // TG_PLUGINS_AMD_HIPRENDERER_H
