//===- NVRTCCompiler.h - the NV device's `nvrtc` compiler -------*- C++ -*-===//
//
// The first compiler of the NV device (td/Devices.td): the kernel rendered as
// CUDA C++ (CUDARenderer.h) and compiled by NVRTC to a cubin for one arch
// (`--gpu-architecture=sm_90`). libnvrtc is loaded with dlopen on first use
// (libnvrtc.so.13, .12 or libnvrtc.so, from the library path or
// $CUDA_PATH, $CUDA_HOME or /usr/local/cuda under lib64), so that a build
// without CUDA still renders. NVRTC is told not to contract a*b+c into fma
// (`--fmad=false`), which docs/Semantics.md forbids; its other defaults
// (IEEE division and square root, denormals kept) are what tg needs.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_NV_NVRTCCOMPILER_H
#define TG_PLUGINS_NV_NVRTCCOMPILER_H

#include "tg/Target/Target.h"

#include <memory>
#include <string>

namespace tg {
namespace nv {

/// The `nvrtc` compiler; its binaries are `cubin`s.
std::unique_ptr<Compiler> createNVRTCCompiler();

/// The directory holding cuda_fp16.h and cuda_bf16.h, which kernels using
/// f16 or bf16 include: $CUDA_PATH/include, $CUDA_HOME/include,
/// /usr/local/cuda/include or the include directory beside libnvrtc; empty
/// when none has them.
std::string findCUDAIncludeDir();

} // namespace nv
} // namespace tg

#endif // TG_PLUGINS_NV_NVRTCCOMPILER_H
