//===- LoopIterations.h - may a loop's iterations run at once? --*- C++ -*-===//
//
// A `loop` range is a sequential loop; spreading it over threads (`local` on
// a loop axis) is sound when its iterations are independent. `opt` checks
// that before applying the split and the heuristic before choosing it.
//
//===----------------------------------------------------------------------===//

#ifndef TG_LIB_CODEGEN_LOOPITERATIONS_H
#define TG_LIB_CODEGEN_LOOPITERATIONS_H

#include "tg/Codegen/RangeScope.h"
#include "tg/IR/Module.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace tg {

/// Why the iterations of the loop range `R` of `F` may not run at the same
/// time, or nothing when they may: only `end`s close it, every store in it
/// writes an address that depends on it (no two iterations write the same
/// element), and no load in it reads a buffer it writes.
inline std::optional<std::string> whyDependentIterations(const Function &F,
                                                         const UOp *R) {
  // The buffer an address points into: the address without its indexing.
  auto GetBuffer = [](const UOp *Ptr) {
    while ((Ptr->getOp() == Op::Index || Ptr->getOp() == Op::After) &&
           Ptr->getNumSrcs() > 0)
      Ptr = Ptr->getSrc(0);
    return Ptr;
  };
  RangeScope Scope;
  unsigned Number = Scope.getNumber(R);
  auto Inside = [&](const UOp *U) {
    llvm::SmallBitVector Open = Scope.getOpen(U);
    return Number < Open.size() && Open.test(Number);
  };
  llvm::SmallVector<const UOp *, 4> Written;
  for (const UOp *U : F.getBody()) {
    if (U->getOp() == Op::Reduce &&
        llvm::is_contained(U->getSrcs().drop_front(), R))
      return std::string("it is closed by a reduction, not only by 'end's");
    if (U->getOp() != Op::Store || !Inside(U))
      continue;
    // The address operands of the store's index, without its gate.
    const UOp *Addr = U->getSrc(0);
    llvm::ArrayRef<const UOp *> Operands = Addr->getSrcs().drop_front();
    if (!Operands.empty() && Operands.back()->getDType().isBool())
      Operands = Operands.drop_back();
    if (Addr->getOp() != Op::Index || llvm::none_of(Operands, Inside))
      return std::string(
          "a store in it writes the same address in every iteration");
    Written.push_back(GetBuffer(U->getSrc(0)));
  }
  for (const UOp *U : F.getBody())
    if (U->getOp() == Op::Load && Inside(U) &&
        llvm::is_contained(Written, GetBuffer(U->getSrc(0))))
      return std::string("a load in it reads a buffer it writes");
  return std::nullopt;
}

} // namespace tg

#endif // TG_LIB_CODEGEN_LOOPITERATIONS_H
