//===- UOp.h - the one node of tg's IR --------------------------*- C++ -*-===//
//
// A UOp is `(op, dtype, srcs, arg)`: immutable, interned in a Context, so two
// UOps with equal fields are the same pointer, CSE is free and equality is
// `==`. Sources are stored inline after the node (one arena allocation per
// UOp). A rewrite never mutates a UOp; it asks the Context for new ones.
//
//===----------------------------------------------------------------------===//

#ifndef TG_IR_UOP_H
#define TG_IR_UOP_H

#include "tg/IR/Arg.h"
#include "tg/IR/DType.h"
#include "tg/IR/Op.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/TrailingObjects.h"

namespace tg {

class UOp final : private llvm::TrailingObjects<UOp, const UOp *> {
public:
  Op getOp() const { return TheOp; }
  DType getDType() const { return Type; }
  /// The argument; nullptr for ops without argument fields.
  const Arg *getArg() const { return TheArg; }
  llvm::ArrayRef<const UOp *> getSrcs() const {
    return {getTrailingObjects<const UOp *>(), NumSrcs};
  }
  unsigned getNumSrcs() const { return NumSrcs; }
  const UOp *getSrc(unsigned I) const {
    assert(I < NumSrcs && "source index out of range");
    return getTrailingObjects<const UOp *>()[I];
  }
  unsigned getHash() const { return Hash; }

  const OpInfo &getInfo() const { return getOpInfo(TheOp); }
  bool hasTrait(OpTrait T) const { return tg::hasTrait(TheOp, T); }

  /// Argument field `I` as declared in td/UOps.td (see Arg.h for the layout).
  const Arg *getArgField(unsigned I) const;

private:
  friend class Context;
  friend TrailingObjects;
  UOp(Op O, DType T, const Arg *A, llvm::ArrayRef<const UOp *> Srcs,
      unsigned Hash);

  Op TheOp;
  uint32_t NumSrcs;
  unsigned Hash;
  DType Type;
  const Arg *TheArg;
};

} // namespace tg

#endif // TG_IR_UOP_H
