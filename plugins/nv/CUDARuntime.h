//===- CUDARuntime.h - the NV device's runtime ------------------*- C++ -*-===//
//
// NVIDIA GPUs through the CUDA driver API. libcuda.so.1 is loaded with dlopen
// when a runtime is created, so the plugin loads and compiles on machines
// without a driver; there createRuntime says why it cannot run.
//
// The runtime uses device 0 through its primary context. It loads cubins and
// PTX with cuModuleLoadData and launches a kernel with the grid and block of
// its launch indices: `gidx<d>`'s size is the grid's dimension d, `lidx<d>`'s
// the block's (a constant or an expression of the kernel's variables); a
// dimension without an index is 1. The arguments follow the ABI of
// CUDARenderer.h: the kernel's parameters in order, a buffer as its device
// pointer, a variable as a value of its scalar type. Each launch is timed
// with CUDA events. Every failing driver call is an error naming the call,
// the driver's error name and text, and the kernel.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_NV_CUDARUNTIME_H
#define TG_PLUGINS_NV_CUDARUNTIME_H

#include "tg/Target/Target.h"

#include <memory>

namespace tg {
namespace nv {

/// A runtime on this machine's first NVIDIA GPU, for the nv arch matching
/// its compute capability (the newest of Devices.td's with the same major
/// version and a minor one at most the GPU's, which its cubins run on). An
/// error says why there is none: no driver, no GPU, an unknown arch.
llvm::Expected<std::unique_ptr<Runtime>> createCUDARuntime();

} // namespace nv
} // namespace tg

#endif // TG_PLUGINS_NV_CUDARUNTIME_H
