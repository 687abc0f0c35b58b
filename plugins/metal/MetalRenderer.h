//===- MetalRenderer.h - Metal Shading Language source ----------*- C++ -*-===//
//
// The Metal dialect of CStyleRenderer (tg/Target/CStyleRenderer.h). A kernel
// is
//
//   #include <metal_stdlib>
//   using namespace metal;
//   #pragma clang fp contract(off)
//   kernel void k_<name>(device float* b0 [[buffer(0)]], ...,
//                        constant int& var0 [[buffer(<buffers>)]], ...,
//                        uint3 gid [[threadgroup_position_in_grid]],
//                        uint3 lid [[thread_position_in_threadgroup]])
//
// with the buffer and variable indices of MetalLaunch.h, the ABI the runtime
// binds. Launch indices are gid (gidx) and lid (lidx); local memory is a
// `threadgroup` array and the barrier threadgroup_barrier; f16 is `half`
// and bf16 `bfloat` (MSL 3.1) on the arches whose dtypes have bf16, both
// computed in float. Elsewhere decompose has moved bf16 arithmetic to f32
// and bf16 is stored as its bits in a ushort: widened by a shift, narrowed
// to nearest even by integer arithmetic. Metal has no double: transcendentals
// compute in float through metal::precise, which is correct to a few ulp
// whatever the fast-math setting. Vectors of 2 to 4 lanes are Metal's
// (float4, uint2, ...), wider ones CStyleRenderer's structs; a 3-lane one is
// read and written lane by lane, since Metal's occupies four lanes of memory.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_METAL_METALRENDERER_H
#define TG_PLUGINS_METAL_METALRENDERER_H

#include "tg/Target/CStyleRenderer.h"

namespace tg {
namespace metal {

class MetalRenderer : public CStyleRenderer {
public:
  llvm::StringRef getLanguage() const override { return "metal"; }
  /// Renders `Kernel` for `Arch`, which says whether bf16 is `bfloat`.
  llvm::Expected<std::string> render(const Function &Kernel,
                                     const ArchInfo &Arch) override;

  std::string getPrelude(const CStyleFeatures &Uses) const override;
  std::string getHelperQualifier() const override;
  std::string getScalarTypeName(ScalarKind K) const override;
  std::string getPointerTypeName(llvm::StringRef Element,
                                 AddrSpace Space) const override;
  std::string getVectorTypeName(ScalarKind K, unsigned Lanes) const override;
  std::string getVectorTypeDecl(ScalarKind K, unsigned Lanes) const override;
  unsigned getVectorAlignment(ScalarKind K, unsigned Lanes) const override;
  std::string makeVector(llvm::StringRef Type,
                         llvm::ArrayRef<std::string> Lanes) const override;
  std::string getKernelPrefix(const Function &Kernel,
                              int64_t Threads) const override;
  std::string getBufferParam(llvm::StringRef Element,
                             llvm::StringRef Name) const override;
  std::string getVarParam(llvm::StringRef Type,
                          llvm::StringRef Name) const override;
  llvm::SmallVector<std::string, 2> getLaunchParams() const override;
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
  std::string floatToBits(ScalarKind K, llvm::StringRef X) const override;
  std::string bitsToFloat(ScalarKind K, llvm::StringRef X) const override;
  std::string callMath(llvm::StringRef Name, bool IsF64,
                       llvm::ArrayRef<std::string> Args) const override;
  bool hasDoubleMath() const override;
  std::string getIntConstant(int64_t Value, ScalarKind K) const override;

private:
  /// The kernel being rendered has this many buffers: its first variable's
  /// [[buffer]] index.
  unsigned NumBuffers = 0;
  /// Whether the arch has `bfloat`; without it bf16 is stored as ushort.
  bool NativeBF16 = false;
};

} // namespace metal
} // namespace tg

#endif // TG_PLUGINS_METAL_METALRENDERER_H
