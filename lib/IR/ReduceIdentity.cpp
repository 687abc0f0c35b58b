//===- ReduceIdentity.cpp - what a reduction starts from ------------------===//

#include "tg/IR/ReduceIdentity.h"

#include "llvm/ADT/SmallVector.h"

#include <limits>

using namespace tg;

ConstValue tg::getReduceIdentityValue(Op O, DType T) {
  DType Scalar = T.getScalarType();
  bool IsFloat = Scalar.isFloat();
  auto Get = [&](int64_t Int, double Float) {
    return IsFloat ? ConstValue::getFloat(Float) : ConstValue::getInt(Int);
  };
  unsigned Bits = Scalar.getScalarBits();
  switch (O) {
  case Op::Mul:
    return Get(1, 1.0);
  case Op::And:
    // Every bit set: true, -1, or the largest unsigned value.
    return Scalar.isUnsigned() && Bits < 64
               ? ConstValue::getInt(int64_t((uint64_t(1) << Bits) - 1))
               : ConstValue::getInt(-1);
  case Op::Max:
    if (IsFloat)
      return ConstValue::getFloat(-std::numeric_limits<double>::infinity());
    if (Scalar.isSigned())
      return ConstValue::getInt(-(int64_t(1) << (Bits - 1)));
    if (Scalar.isIndex())
      return ConstValue::getInt(std::numeric_limits<int64_t>::min());
    return ConstValue::getInt(0);
  default: // add, or, xor
    return Get(0, 0.0);
  }
}

const UOp *tg::getReduceIdentity(Context &Ctx, Op O, DType T) {
  DType Scalar = T.getScalarType();
  ConstValue V = getReduceIdentityValue(O, Scalar);
  const UOp *Value = Scalar.isFloat() ? Ctx.getFloatConst(Scalar, V.getFloat())
                                      : Ctx.getConst(Scalar, V.getInt());
  if (T.getCount() == 1)
    return Value;
  llvm::SmallVector<const UOp *, 8> Lanes(T.getCount(), Value);
  return Ctx.get(Op::Vectorize, T, Lanes);
}
