//===- ClangCompiler.h - C kernels through clang ----------------*- C++ -*-===//
//
// The CPU backend's second compiler: writes renderC's source to a temporary
// file and compiles it to an object file with
//
//   clang-19 -O3 -march=native -fwrapv -ffp-contract=off -fPIC -c
//
// (clang-19 from PATH, else /usr/lib/llvm-19/bin/clang); ORC loads the
// object like the LLVM path's (JIT.h).
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_CPU_CLANGCOMPILER_H
#define TG_PLUGINS_CPU_CLANGCOMPILER_H

#include "CPUKernel.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <vector>

namespace tg {
namespace cpu {

/// Where clang-19 is, or an error saying where it was looked for.
llvm::Expected<std::string> findClang();

/// Compiles `Source` (from renderC) to an object file. Errors name
/// `KernelName` and carry clang's diagnostics.
llvm::Expected<std::vector<char>> compileCToObject(llvm::StringRef Source,
                                                   llvm::StringRef KernelName);

/// compileCToObject, then loadObject (JIT.h) of its entry `EntryName`.
llvm::Expected<std::unique_ptr<LoadedCode>>
compileWithClang(llvm::StringRef Source, llvm::StringRef EntryName,
                 llvm::StringRef KernelName);

/// renderC, then compileWithClang.
llvm::Expected<std::unique_ptr<LoadedCode>>
compileWithClang(const Function &Kernel);

} // namespace cpu
} // namespace tg

#endif // TG_PLUGINS_CPU_CLANGCOMPILER_H
