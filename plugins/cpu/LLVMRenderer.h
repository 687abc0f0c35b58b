//===- LLVMRenderer.h - LLVM IR for the CPU backend -------------*- C++ -*-===//
//
// Renders a kernel that `remove-reduce,linearize` have lowered as an LLVM
// module with one function, the entry point of CPUKernel.h:
//
//   void <name>(ptr buffers, ptr vars, i64 begin, i64 end)
//
// built with IRBuilder: loops are blocks with a phi, ifs and gated loads
// branch, registers are zeroed allocas. It means exactly what
// docs/Semantics.md says and what renderC's C means: no nsw/nuw flags,
// guarded signed division, llvm.maximum for float max, fused mulacc, f16
// computed in f32 or f64 and rounded once, bf16 held as its bits (i16) and
// rounded by integer code (no runtime library), libm in double for
// exp2/log2/sin/pow.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_CPU_LLVMRENDERER_H
#define TG_PLUGINS_CPU_LLVMRENDERER_H

#include "tg/IR/Module.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace tg {
namespace cpu {

/// The LLVM module of `Kernel` in `Context`, or an error naming the kernel
/// and the op that cannot be rendered.
llvm::Expected<std::unique_ptr<llvm::Module>>
renderLLVM(const Function &Kernel, llvm::LLVMContext &Context);

} // namespace cpu
} // namespace tg

#endif // TG_PLUGINS_CPU_LLVMRENDERER_H
