//===- PTXCompiler.h - the NV device's `ptx` compiler -----------*- C++ -*-===//
//
// The second compiler of the NV device (td/Devices.td): the kernel rendered
// as LLVM IR for the nvptx64 target and compiled to PTX by LLVM's NVPTX
// backend (arches up to sm_90a: an arch without an LLVM triple is refused
// with a clear error). The PTX is what the runtime loads (the driver JITs it)
// and what `--emit=binary` writes; `ptxas`, when present, checks it in the
// tests. Built only where LLVM's shared library is (not in the minimal
// configuration, which has NVRTC alone).
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_NV_PTXCOMPILER_H
#define TG_PLUGINS_NV_PTXCOMPILER_H

#include "tg/Target/Target.h"

#include <memory>

namespace tg {
namespace nv {

/// The `ptx` compiler for `Arch`; an error when LLVM cannot target it.
llvm::Expected<std::unique_ptr<Compiler>>
createPTXCompiler(const ArchInfo &Arch);

} // namespace nv
} // namespace tg

#endif // TG_PLUGINS_NV_PTXCOMPILER_H
