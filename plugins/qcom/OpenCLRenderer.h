//===- OpenCLRenderer.h - kernels as OpenCL C 1.2 ---------------*- C++ -*-===//
//
// The QCOM device's renderer: the C-family renderer (CStyleRenderer.h) in
// the OpenCL C 1.2 dialect. `__kernel void k_<name>(...)` with `__global`
// buffers (bool buffers as uchar), `const` scalar variables (index as long),
// `__local` arrays, barrier(CLK_LOCAL_MEM_FENCE), get_group_id and
// get_local_id for gidx and lidx, OpenCL's vector types (float4, ...) where
// they exist and structs elsewhere, aligned vector accesses through vector
// pointers, and FP_CONTRACT off so a*b+c is never fused behind tg's back.
//
// Images: `read_only`/`write_only image2d_t`, read with read_imagef (or
// read_imageh) through one sampler, CLK_NORMALIZED_COORDS_FALSE |
// CLK_ADDRESS_CLAMP | CLK_FILTER_NEAREST (texel coordinates, zero outside
// the image), and written with write_imagef (write_imageh).
//
// Half: one source serves devices with and without cl_khr_fp16, chosen by
// the macro OpenCL C defines for the device's extensions. With it, f16 is
// `half` (the extension enabled by its pragma, read_imageh/write_imageh);
// without it, f16 values are their bits in a ushort and convert through
// vload_half/vstore_half_rte (and f16 images through read_imagef and
// write_imagef), so half is storage only. Either way f16 arithmetic computes
// in float and rounds to nearest even once per op. bf16 (no OpenCL type) is
// held as its bits and rounded by integer code.
//
// No double math: exp2, log2, sin and pow compute in float (Adreno has no
// fp64); the runtime builds with correctly rounded division and sqrt.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_QCOM_OPENCLRENDERER_H
#define TG_PLUGINS_QCOM_OPENCLRENDERER_H

#include "tg/Target/CStyleRenderer.h"

namespace tg {
namespace qcom {

class OpenCLRenderer final : public CStyleRenderer {
public:
  llvm::StringRef getLanguage() const override { return "opencl"; }

  std::string getPrelude(const CStyleFeatures &Uses) const override;
  std::string getScalarTypeName(ScalarKind K) const override;
  std::string getPointerTypeName(llvm::StringRef Element,
                                 AddrSpace Space) const override;
  std::string getVectorTypeName(ScalarKind K, unsigned Lanes) const override;
  std::string getVectorTypeDecl(ScalarKind K, unsigned Lanes) const override;
  std::string getLaneName(unsigned Lanes, unsigned Lane) const override;
  std::string makeVector(llvm::StringRef Type,
                         llvm::ArrayRef<std::string> Lanes) const override;
  std::string getKernelPrefix(const Function &Kernel,
                              int64_t Threads) const override;
  std::string getLocalDecl(llvm::StringRef Element, llvm::StringRef Name,
                           int64_t Count) const override;
  std::string getBarrier() const override;
  std::string getLaunchIndex(bool IsGroup, unsigned Dim) const override;
  std::string widenToFloat(ScalarKind K, llvm::StringRef X) const override;
  std::string narrowFloat(ScalarKind K, llvm::StringRef X,
                          bool FromF64) const override;
  std::string floatToBits(ScalarKind K, llvm::StringRef X) const override;
  std::string bitsToFloat(ScalarKind K, llvm::StringRef X) const override;
  std::string callMath(llvm::StringRef Name, bool IsF64,
                       llvm::ArrayRef<std::string> Args) const override;
  bool hasDoubleMath() const override { return false; }
  std::string getIntConstant(int64_t Value, ScalarKind K) const override;
  std::string getImageParam(ScalarKind Texel, llvm::StringRef Name,
                            bool Written) const override;
  std::string readImage(ScalarKind Texel, llvm::StringRef Image,
                        llvm::StringRef X, llvm::StringRef Y) const override;
  std::string writeImage(ScalarKind Texel, llvm::StringRef Image,
                         llvm::StringRef X, llvm::StringRef Y,
                         llvm::StringRef Value) const override;
};

} // namespace qcom
} // namespace tg

#endif // TG_PLUGINS_QCOM_OPENCLRENDERER_H
