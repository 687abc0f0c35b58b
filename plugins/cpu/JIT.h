//===- JIT.h - CPU kernels as object files, loaded by ORC -------*- C++ -*-===//
//
// Both CPU compilers produce a relocatable ELF object (the `elf-object`
// binary format): the LLVM path optimizes a module from renderLLVM with the
// new pass manager's O3 pipeline and emits it with the target machine of
// the host (-march=native: JITTargetMachineBuilder::detectHost); the C path
// has clang emit one. ORC's LLJIT then links the object in process; libm
// and the compiler runtime resolve from the host process. A loaded kernel
// keeps its JIT alive.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_CPU_JIT_H
#define TG_PLUGINS_CPU_JIT_H

#include "CPUKernel.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <vector>

namespace tg {
namespace cpu {

/// Optimizes `M` at O3 for the host and emits it as an object file.
llvm::Expected<std::vector<char>> compileToObject(llvm::Module &M);

/// Links `Object` into a new JIT and looks up `EntryName`.
llvm::Expected<std::unique_ptr<LoadedCode>>
loadObject(llvm::ArrayRef<char> Object, llvm::StringRef EntryName);

/// compileToObject, then loadObject.
llvm::Expected<std::unique_ptr<LoadedCode>>
compileWithJIT(std::unique_ptr<llvm::Module> M,
               std::unique_ptr<llvm::LLVMContext> Context,
               llvm::StringRef EntryName);

/// renderLLVM, then compileWithJIT.
llvm::Expected<std::unique_ptr<LoadedCode>>
compileWithJIT(const Function &Kernel);

} // namespace cpu
} // namespace tg

#endif // TG_PLUGINS_CPU_JIT_H
