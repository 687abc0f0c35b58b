//===- CPUKernel.h - the CPU backend's kernel ABI ---------------*- C++ -*-===//
//
// What both CPU renderers (C through clang, LLVM IR through ORC) agree on: the
// entry point a rendered kernel exports, its symbol name, which range a call
// slices, and which kernels the CPU backend cannot render. Every rendered
// kernel is one C-ABI function
//
//   void <name>(void **buffers, const int64_t *vars, int64_t begin,
//               int64_t end);
//
//   buffers  the buffer parameters by `define` id (buffers[k] holds the
//            elements of `define {id = k}`, packed: a vec<T, n> element is n
//            consecutive T, bool is one byte, bf16 and f16 two);
//   vars     the values of the kernel's `define_var` parameters, in the order
//            they appear among its parameters;
//   begin, end
//            the slice [begin, end) of the outermost `global` range this call
//            runs (clamped to [0, bound)), so that a runtime may spread that
//            range over threads. A kernel without a global range ignores
//            them: a runtime must call it once.
//
// The symbol is the kernel's name with every character other than
// [A-Za-z0-9_] replaced by '_'.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_CPU_CPUKERNEL_H
#define TG_PLUGINS_CPU_CPUKERNEL_H

#include "tg/IR/Module.h"
#include "tg/LLVMGen/LLVMGen.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace tg {
namespace cpu {

using KernelEntry = void (*)(void **Buffers, const int64_t *Vars, int64_t Begin,
                             int64_t End);

/// A compiled kernel: owns whatever keeps its code alive (a JIT, a loaded
/// library) and hands out the entry point.
class LoadedCode {
public:
  virtual ~LoadedCode();
  KernelEntry getEntry() const { return Entry; }

protected:
  KernelEntry Entry = nullptr;
};

/// The entry point's symbol for `Kernel` (the rule above).
using llvmgen::getEntryName;

/// Checks that `Kernel` is a linearized kernel the CPU renderers can take
/// (no launch indices, no fp8, no images) and returns the range whose loop
/// runs [begin, end): the first `global` range of the body, or null when it
/// has none. An error names the kernel and the offending op.
llvm::Expected<const UOp *> analyzeKernel(const Function &Kernel);

/// An error "cannot render <what> in kernel @<name>: <why>".
using llvmgen::makeRenderError;

} // namespace cpu
} // namespace tg

#endif // TG_PLUGINS_CPU_CPUKERNEL_H
