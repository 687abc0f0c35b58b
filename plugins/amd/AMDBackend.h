//===- AMDBackend.h - the AMD device's compiler and runtime -----*- C++ -*-===//
//
// The AMD device of td/Devices.td: the `llvm` compiler (a code object from
// LLVM's AMDGPU backend, CodeObjectCompiler.cpp) and a HIP runtime
// (HIPRuntime.cpp). Devices.td also lists `hip` (HIP C++ through
// clang/hiprtc), which this backend does not build: asking for it is an
// error naming the compilers it has.
//
// The kernel ABI is the GPU ABI of tg/LLVMGen/LLVMGen.h: the parameters in
// Kernel.Params order, a `define` as a global pointer, a `define_var` as a
// scalar of its dtype; the launch is the kernel's gidx sizes in work-groups
// of its lidx sizes.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_AMD_AMDBACKEND_H
#define TG_PLUGINS_AMD_AMDBACKEND_H

#include "tg/Target/Target.h"

#include <memory>

namespace tg {
namespace amd {

/// The `llvm` compiler for `Arch`; an error when LLVM cannot target it.
llvm::Expected<std::unique_ptr<Compiler>>
createCodeObjectCompiler(const ArchInfo &Arch);

/// The HIP runtime on this machine's first AMD GPU; an error when
/// libamdhip64.so or a device is missing.
llvm::Expected<std::unique_ptr<Runtime>> createHIPRuntime();

} // namespace amd
} // namespace tg

#endif // TG_PLUGINS_AMD_AMDBACKEND_H
