//===- CRenderer.h - C source for the CPU backend ---------------*- C++ -*-===//
//
// The CPU's C dialect of CStyleRenderer (include/tg/Target/CStyleRenderer.h):
// a kernel that `remove-reduce,linearize` have lowered, as C11 with clang
// extensions (ext_vector_type, __builtin_bit_cast, _Float16), exporting the
// entry point of CPUKernel.h:
//
//   void <name>(void **buffers, const int64_t *vars, int64_t begin,
//               int64_t end);
//
// Everything that makes the code exact (docs/Semantics.md) is
// CStyleRenderer's and shared with the GPU dialects. What is the CPU's: the
// entry point, which takes its buffers and variables from arrays; the loop
// of the outermost global range, which runs [begin, end) so that a runtime
// can spread it over threads; a work-group of one thread (local arrays are
// plain arrays, barriers vanish, launch indices do not exist); vectors as
// clang's ext_vector_type aligned to one lane, so every vector access is one
// (unaligned) vector load or store; bf16 as its bits, converted by integer
// code so no runtime library is needed; transcendentals through libm
// (`__builtin_exp2` on doubles).
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_CPU_CRENDERER_H
#define TG_PLUGINS_CPU_CRENDERER_H

#include "tg/IR/Module.h"
#include "tg/Target/CStyleRenderer.h"

#include "llvm/Support/Error.h"

#include <string>

namespace tg {
namespace cpu {

class CRenderer final : public CStyleRenderer {
public:
  llvm::StringRef getLanguage() const override { return "c"; }
  /// The C source of `Kernel`, or an error naming the kernel and the op
  /// that cannot be rendered (launch indices, fp8, an op with no C form).
  llvm::Expected<std::string> render(const Function &Kernel,
                                     const ArchInfo &Arch) override;
  llvm::Expected<std::string> render(const Function &Kernel);

  std::string getEntryName(const Function &Kernel) const override;
  std::string getPrelude(const CStyleFeatures &Uses) const override;
  std::string getScalarTypeName(ScalarKind K) const override;
  std::string getVectorTypeDecl(ScalarKind K, unsigned Lanes) const override;
  unsigned getVectorAlignment(ScalarKind K, unsigned Lanes) const override;
  std::string getLane(llvm::StringRef Vector, unsigned Lanes,
                      unsigned Lane) const override;
  std::string getKernelPrefix(const Function &Kernel,
                              int64_t Threads) const override;
  std::string getSignature(const Function &Kernel, int64_t Threads,
                           llvm::ArrayRef<KernelParam> Params) const override;
  std::string getLoopHeader(const UOp *Range, llvm::StringRef Type,
                            llvm::StringRef Name,
                            llvm::StringRef Bound) const override;
  std::string getLocalDecl(llvm::StringRef Element, llvm::StringRef Name,
                           int64_t Count) const override;
  std::string getBarrier() const override;
  std::string getLaunchIndex(bool IsGroup, unsigned Dim) const override;
  std::string widenToFloat(ScalarKind K, llvm::StringRef X) const override;
  std::string narrowFloat(ScalarKind K, llvm::StringRef X,
                          bool FromF64) const override;
  std::string callMath(llvm::StringRef Name, bool IsF64,
                       llvm::ArrayRef<std::string> Args) const override;
  std::string getVectorExpr(Op O, ScalarKind K, llvm::StringRef A,
                            llvm::StringRef B) const override;

private:
  /// The range whose loop runs [begin, end) in the kernel being rendered.
  const UOp *Sliced = nullptr;
};

/// CRenderer().render(Kernel).
llvm::Expected<std::string> renderC(const Function &Kernel);

} // namespace cpu
} // namespace tg

#endif // TG_PLUGINS_CPU_CRENDERER_H
