//===- CPUBackend.h - the CPU device's backend ------------------*- C++ -*-===//
//
// The CPU backend as tg's Target interfaces see it (tg/Target/Target.h):
//   compilers  `llvm` (renderLLVM, optimized and emitted by LLVM for the
//              host) and `clang` (renderC through clang-19), both giving an
//              ELF object;
//   runtime    host memory, ORC's LLJIT to link the object in process, and
//              the outermost global range spread over the host's threads.
// It is built into tg-run (the default device) and is also a loadable
// plugin, libtg-backend-cpu.so; registering it twice registers it once.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_CPU_CPUBACKEND_H
#define TG_PLUGINS_CPU_CPUBACKEND_H

namespace tg {
namespace cpu {

/// Adds the CPU backend to TargetRegistry as `PluginName`'s.
void registerBackend(const char *PluginName = "built-in");

} // namespace cpu
} // namespace tg

#endif // TG_PLUGINS_CPU_CPUBACKEND_H
