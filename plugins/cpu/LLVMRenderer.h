//===- LLVMRenderer.h - LLVM IR for the CPU backend -------------*- C++ -*-===//
//
// The CPU's hooks for the shared LLVM IR renderer (tg/LLVMGen/LLVMGen.h): a
// kernel becomes one function, the entry point of CPUKernel.h,
//
//   void <name>(ptr buffers, ptr vars, i64 begin, i64 end)
//
// whose outermost global range runs [begin, end). A CPU work-group is one
// thread: barriers are nothing, local buffers are zeroed allocas, and
// exp2/log2/sin/pow call libm in double.
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
