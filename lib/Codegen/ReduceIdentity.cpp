//===- ReduceIdentity.cpp - what a reduction starts from ------------------===//

#include "ReduceIdentity.h"

#include "llvm/ADT/SmallVector.h"

#include <limits>

using namespace tg;

const UOp *tg::getReduceIdentity(Context &Ctx, Op O, DType T) {
  DType Scalar = T.getScalarType();
  bool IsFloat = Scalar.isFloat();
  auto Get = [&](int64_t Int, double Float) {
    return IsFloat ? Ctx.getFloatConst(Scalar, Float)
                   : Ctx.getConst(Scalar, Int);
  };
  unsigned Bits = Scalar.getScalarBits();
  const UOp *Value;
  switch (O) {
  case Op::Mul:
    Value = Get(1, 1.0);
    break;
  case Op::And:
    // Every bit set: true, -1, or the largest unsigned value.
    Value = Scalar.isUnsigned() && Bits < 64
                ? Ctx.getConst(Scalar, int64_t((uint64_t(1) << Bits) - 1))
                : Ctx.getConst(Scalar, -1);
    break;
  case Op::Max:
    if (IsFloat)
      Value =
          Ctx.getFloatConst(Scalar, -std::numeric_limits<double>::infinity());
    else if (Scalar.isSigned())
      Value = Ctx.getConst(Scalar, -(int64_t(1) << (Bits - 1)));
    else if (Scalar.isIndex())
      Value = Ctx.getConst(Scalar, std::numeric_limits<int64_t>::min());
    else
      Value = Ctx.getConst(Scalar, 0);
    break;
  default: // add, or, xor
    Value = Get(0, 0.0);
    break;
  }
  if (T.getCount() == 1)
    return Value;
  llvm::SmallVector<const UOp *, 8> Lanes(T.getCount(), Value);
  return Ctx.get(Op::Vectorize, T, Lanes);
}
