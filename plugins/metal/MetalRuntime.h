//===- MetalRuntime.h - the Metal device's runtime --------------*- C++ -*-===//
//
// Apple GPUs through the Metal API, in Objective-C++ (MetalRuntime.mm), built
// only on Apple platforms. The runtime uses the system's default MTLDevice
// and one command queue:
//   - buffers are MTLBuffers in shared storage, copied with memcpy;
//   - load builds a kernel's `metal-source` binary with newLibraryWithSource
//     (fast math off: the source computes what docs/Semantics.md says) and
//     makes a compute pipeline of its entry function;
//   - launch binds buffers and variables as MetalLaunch.h says, dispatches
//     the kernel's threadgroups, waits, and returns the command buffer's GPU
//     time (GPUEndTime - GPUStartTime).
// Every failing call is an error naming the call, Metal's description and
// the kernel.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_METAL_METALRUNTIME_H
#define TG_PLUGINS_METAL_METALRUNTIME_H

#include "tg/Target/Target.h"

#include <memory>

namespace tg {
namespace metal {

/// A runtime on the system's default Metal device, for the newest of
/// Devices.td's metal arches its GPU family supports. An error says why
/// there is none: no Metal device, or a GPU older than Apple family 7.
llvm::Expected<std::unique_ptr<Runtime>> createMetalRuntime();

} // namespace metal
} // namespace tg

#endif // TG_PLUGINS_METAL_METALRUNTIME_H
