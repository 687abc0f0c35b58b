//===- Eval.h - the value of every elementwise op on constants --*- C++ -*-===//
//
// evalAlu is the one definition of what each Elementwise op of td/UOps.td
// computes on one lane of constants. Constant folding, the reference
// interpreter and the checks of the Z3 encoding all call it, so it is exact:
// fixed-width integers wrap at their width, index never overflows (a result
// outside int64 is refused, not wrapped), and floats are rounded once to
// their type with LLVM's APFloat. docs/Semantics.md states every op on every
// dtype family and every case that has no value.
//
//===----------------------------------------------------------------------===//

#ifndef TG_IR_EVAL_H
#define TG_IR_EVAL_H

#include "tg/IR/DType.h"
#include "tg/IR/Op.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <cassert>
#include <cstdint>
#include <cstring>
#include <optional>

namespace tg {

class Arg;
class Context;

/// One lane of a constant, stored as a `const` Arg stores it: an integer for
/// bool (0 or 1), index and fixed-width types, or a float (a double holding a
/// value of the lane's type exactly, nan payloads included). Fixed-width
/// integers are normalized: signed ones sign-extended, unsigned ones
/// zero-extended, and u64 kept as its two's-complement bit pattern. Equality
/// is bitwise, so -0.0 != 0.0 and a nan equals the same nan.
class ConstValue {
public:
  /// The integer 0.
  ConstValue() : ConstValue(false, 0) {}
  static ConstValue getInt(int64_t Value) { return {false, uint64_t(Value)}; }
  static ConstValue getBool(bool Value) { return getInt(Value); }
  static ConstValue getFloat(double Value) {
    uint64_t Bits;
    std::memcpy(&Bits, &Value, sizeof(Bits));
    return {true, Bits};
  }
  /// The value of a `const` argument (an Int, Bool or Float Arg).
  static ConstValue fromArg(const Arg &A);
  /// The argument of a `const` of scalar type `Type` with this value.
  const Arg *toArg(Context &Ctx, ScalarKind Type) const;

  bool isFloat() const { return IsFloat; }
  int64_t getInt() const {
    assert(!IsFloat && "not an integer constant");
    return int64_t(Bits);
  }
  double getFloat() const {
    assert(IsFloat && "not a float constant");
    double Value;
    std::memcpy(&Value, &Bits, sizeof(Value));
    return Value;
  }

  bool operator==(ConstValue Other) const {
    return IsFloat == Other.IsFloat && Bits == Other.Bits;
  }
  bool operator!=(ConstValue Other) const { return !(*this == Other); }

private:
  ConstValue(bool IsFloat, uint64_t Bits) : IsFloat(IsFloat), Bits(Bits) {}

  bool IsFloat;
  uint64_t Bits; ///< The integer, or the double's bits.
};

/// The value of the Elementwise op `O` on one lane of constant operands.
/// `ResultType` is the result's scalar type and `OperandType` the first
/// operand's; they differ only for comparisons (the result is bool), `where`
/// (the condition is bool, the other operands have the result type), `cast`
/// and `bitcast`. Returns std::nullopt when the value is undefined (division
/// by zero, a shift amount out of range, a float out of an integer type's
/// range, ...), when an index result lies outside int64, and when `O` is not
/// elementwise or not defined on these types (sqrt on an integer).
std::optional<ConstValue> evalAlu(Op O, ScalarKind ResultType,
                                  ScalarKind OperandType,
                                  llvm::ArrayRef<ConstValue> Operands);

class UOp;

/// The value of the scalar UOp `U` where it depends only on constants and on
/// leaves `Leaf` gives a value (a define_var's value for one run): a launch
/// size, a loop bound. std::nullopt when it depends on anything else or has
/// no value.
std::optional<ConstValue>
evalScalar(const UOp *U,
           llvm::function_ref<std::optional<ConstValue>(const UOp *)> Leaf);

} // namespace tg

#endif // TG_IR_EVAL_H
