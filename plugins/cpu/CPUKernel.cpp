//===- CPUKernel.cpp - the CPU backend's kernel ABI -----------------------===//

#include "CPUKernel.h"

#include "tg/IR/UOp.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace tg;
using namespace tg::cpu;

LoadedCode::~LoadedCode() = default;

static bool isFP8(ScalarKind K) {
  return K == ScalarKind::FP8E4M3 || K == ScalarKind::FP8E5M2;
}

/// Why the CPU renderers cannot take a value or buffer of type `T`, if so.
static const char *getTypeProblem(DType T) {
  if (T.isImage())
    return "image buffers are not supported on the CPU";
  if (T.isPointer())
    T = T.getElement();
  if (!T.isVoid() && isFP8(T.getScalarKind()))
    return "fp8 needs the decompose pass";
  return nullptr;
}

llvm::Expected<const UOp *> cpu::analyzeKernel(const Function &Kernel) {
  if (!Kernel.isKernel())
    return makeRenderError(Kernel, nullptr, "only kernels are rendered");
  for (const UOp *P : Kernel.Params)
    if (const char *Problem = getTypeProblem(P->getDType()))
      return makeRenderError(Kernel, P, Problem);

  const UOp *Sliced = nullptr;
  llvm::SmallVector<const UOp *, 8> Open; // Ranges open at this point.
  for (const UOp *U : Kernel.getBody()) {
    if (const char *Problem = getTypeProblem(U->getDType()))
      return makeRenderError(Kernel, U, Problem);
    switch (U->getOp()) {
    case Op::Special:
      return makeRenderError(
          Kernel, U, "the CPU backend runs kernels without launch indices");
    case Op::Reduce:
      return makeRenderError(Kernel, U,
                             "run remove-reduce and linearize first");
    case Op::End:
      if (U->getNumSrcs() != 2 || Open.empty() || Open.back() != U->getSrc(1))
        return makeRenderError(Kernel, U,
                               "does not close the innermost open range; run "
                               "linearize first");
      Open.pop_back();
      break;
    case Op::Range:
      if (U->getArgField(1)->getAxisKind() == AxisKind::Global) {
        if (!Sliced)
          Sliced = U;
        else if (!llvm::is_contained(Open, Sliced))
          return makeRenderError(Kernel, U,
                                 "a second outermost global range; the CPU "
                                 "ABI slices only one");
      }
      Open.push_back(U);
      break;
    default:
      break;
    }
  }
  if (!Open.empty())
    return makeRenderError(Kernel, Open.back(), "the range is never closed");
  return Sliced;
}
