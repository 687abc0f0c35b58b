//===- CRenderer.h - C source for the CPU backend ---------------*- C++ -*-===//
//
// Renders a kernel that `remove-reduce,linearize` have lowered as C11 with
// clang extensions (ext_vector_type, statement expressions, _Float16), one
// statement per UOp in body order, exporting the entry point of CPUKernel.h:
//
//   void <name>(void **buffers, const int64_t *vars, int64_t begin,
//               int64_t end);
//
// The code computes exactly what docs/Semantics.md says, independent of
// compiler flags: fixed-width integers wrap (arithmetic through unsigned
// types), floor division and modulo and the INT_MIN / -1 cases go through
// small helpers, float max is IEEE maximum, mulacc is fused, f16 and bf16
// compute in f32 or f64 and round once (bf16 through integer code, so no
// runtime library is needed), and transcendentals call libm in double.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_CPU_CRENDERER_H
#define TG_PLUGINS_CPU_CRENDERER_H

#include "tg/IR/Module.h"

#include "llvm/Support/Error.h"

#include <string>

namespace tg {
namespace cpu {

/// The C source of `Kernel`, or an error naming the kernel and the op that
/// cannot be rendered (launch indices, fp8, an op with no C form).
llvm::Expected<std::string> renderC(const Function &Kernel);

} // namespace cpu
} // namespace tg

#endif // TG_PLUGINS_CPU_CRENDERER_H
