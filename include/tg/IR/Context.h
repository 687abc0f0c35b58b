//===- Context.h - owner and interner of UOps, DTypes, Args -----*- C++ -*-===//
//
// A Context owns every UOp, DType and Arg made in it, in one arena, and
// interns them: asking twice for the same fields returns the same pointer.
// Nothing is freed before the Context is. Plugins share the host's Context
// (tg's libraries are shared libraries for that reason).
//
// Building UOps checks nothing beyond what the types enforce; run the
// Verifier on what comes from outside.
//
//===----------------------------------------------------------------------===//

#ifndef TG_IR_CONTEXT_H
#define TG_IR_CONTEXT_H

#include "tg/IR/UOp.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Allocator.h"

#include <memory>

namespace tg {

class Context {
public:
  Context();
  ~Context();
  Context(const Context &) = delete;
  Context &operator=(const Context &) = delete;

  //--- UOps ----------------------------------------------------------------//

  /// The UOp with these fields, made on first request.
  const UOp *get(Op O, DType T, llvm::ArrayRef<const UOp *> Srcs = {},
                 const Arg *A = nullptr);
  /// An integer, index or bool constant (`const Value : T`).
  const UOp *getConst(DType T, int64_t Value);
  /// A float constant; `Value` must be exact in T's scalar type.
  const UOp *getFloatConst(DType T, double Value);

  //--- DTypes --------------------------------------------------------------//

  DType getScalar(ScalarKind K) const;
  /// `vec<Scalar, Count>`; Count == 1 gives the scalar itself.
  DType getVector(DType Scalar, unsigned Count);
  /// `ptr<Element, Space, Size>`; Size -1 means unknown.
  DType getPointer(DType Element, AddrSpace Space, int64_t Size = -1);
  /// `image<Texel, Height, Width>`; Texel is f16 or f32.
  DType getImage(ScalarKind Texel, int64_t Height, int64_t Width);

  //--- Args ----------------------------------------------------------------//

  const Arg *getIntArg(int64_t Value);
  const Arg *getFloatArg(double Value);
  const Arg *getBoolArg(bool Value);
  const Arg *getStringArg(llvm::StringRef Value);
  const Arg *getAxisKindArg(AxisKind Value);
  const Arg *getOpArg(Op Value);
  const Arg *getOptArg(OptKind Kind, llvm::ArrayRef<const Arg *> Operands);
  const Arg *getListArg(llvm::ArrayRef<const Arg *> Elements);
  /// Convenience: a list of integer args.
  const Arg *getIntListArg(llvm::ArrayRef<int64_t> Values);

  //--- Statistics ----------------------------------------------------------//

  size_t getNumUOps() const;
  /// Bytes held by the arena and the intern tables.
  size_t getMemoryUsage() const;

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

} // namespace tg

#endif // TG_IR_CONTEXT_H
