//===- Semantics.h - the meaning of UOps as Z3 terms ------------*- C++ -*-===//
//
// The Z3 encoding of tg's values, the ground every proof of lib/Verify stands
// on: rule proofs, translation validation, in-bounds proofs and the symbolic
// fuzzer all build their queries from these functions. Each elementwise op
// means here exactly what evalAlu (tg/IR/Eval.h) computes on constants,
// including when it has no value because of undefined behaviour;
// unittests/Verify cross-checks the two on random constants.
//
// Sorts: `index` is an Int (unbounded: nothing overflows), a fixed-width
// integer a bit-vector of its width (wrapping; signedness lives in the ops),
// `bool` a Bool, f16 bf16 f32 f64 fp8e5m2 Z3 floating point (round to nearest
// even), and fp8e4m3 (no infinities, so not IEEE) an opaque 8-bit
// bit-vector that only `where` and `neg` compute on. docs/Verification.md
// lists the encoding of every op.
//
// Bounded index: where every `index` value of the expressions at hand lies
// within known bounds, `index` may instead be encoded as a signed
// bit-vector of `IndexBits` bits wide enough to hold every value
// (getExactIndexBits). The encoding is then exact, not an approximation:
// a defined value fits, so no op wraps, and Z3 solves by bit-blasting
// instead of nonlinear integer arithmetic. `IndexBits` 0 (the default of
// every function below) is the Int encoding.
//
// Every value comes with its UB: a Bool that is true where the value is
// undefined (division by zero, an out-of-range shift, ...). UB propagates
// from operands to results; `where` evaluates both branches, as LLVM's
// select does, so it is undefined when either is. An op that Z3 cannot
// express exactly (exp2, log2, sin, pow, ...) is an error, never a guess.
//
// The functions throw nothing: they catch z3::exception and return it as an
// llvm::Error. Callers use Z3's C++ API and so compile with exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef TG_VERIFY_SEMANTICS_H
#define TG_VERIFY_SEMANTICS_H

#include "tg/IR/DType.h"
#include "tg/IR/Eval.h"
#include "tg/IR/Op.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Error.h"

#include <z3++.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tg {

class UOp;

/// One lane of a value: the term and when it is undefined.
struct Z3Value {
  z3::expr Value;
  z3::expr UB; ///< A Bool: true where Value is undefined.
};

/// The sort of values of `Kind` (not void).
z3::sort sortOf(z3::context &Ctx, ScalarKind Kind, unsigned IndexBits = 0);

/// The term of the constant `V` of type `Kind`, as evalAlu reads it.
z3::expr encodeConst(z3::context &Ctx, ScalarKind Kind, ConstValue V,
                     unsigned IndexBits = 0);

/// A fresh free constant of type `Kind` named `Name`.
z3::expr makeFreeConst(z3::context &Ctx, ScalarKind Kind,
                       const std::string &Name, unsigned IndexBits = 0);

/// The integer value of `Value` of the integer or bool type `Kind` as an Int
/// term: itself for index, the signed reading for iN, the unsigned one for
/// uN, 0 or 1 for bool. This is what range analysis bounds.
z3::expr toInt(z3::expr Value, ScalarKind Kind);

/// `Min <= Value <= Max` for `Value` of the integer or bool type `Kind`,
/// as integers (signed for iN, unsigned for uN), without converting a
/// bit-vector to an Int (which Z3 solves slowly).
z3::expr inRange(const z3::expr &Value, ScalarKind Kind, int64_t Min,
                 int64_t Max);

/// The elementwise op `O` applied to `Operands`, with the types evalAlu
/// takes: `ResultType` is the result's scalar type, `OperandType` the first
/// operand's. The UB of the result includes the operands'. An error when
/// the op is not elementwise, not defined on these types, or not exactly
/// expressible in Z3.
llvm::Expected<Z3Value> encodeOp(z3::context &Ctx, Op O, ScalarKind ResultType,
                                 ScalarKind OperandType,
                                 llvm::ArrayRef<Z3Value> Operands,
                                 unsigned IndexBits = 0);

/// The bits of a bit-vector holding every `index` value the encoding of
/// `Roots` computes, by range analysis (the values of every index UOp they
/// reach and the product inside mulacc), wherever it is defined; nothing
/// when one is unbounded. An encoding with IndexBits this wide is exact
/// within the bounds of the variables.
std::optional<unsigned> getExactIndexBits(llvm::ArrayRef<const UOp *> Roots);

/// Encodes whole DAGs of scalar UOps, each UOp once.
///
/// A `const` is its value and an elementwise op its encodeOp. What else the
/// encoder meets is a leaf: the leaf callback decides first; if it returns
/// nothing, a `define_var` becomes a free constant within [min, max], a
/// `range` or `special` a free constant within [0, n), and anything else
/// (a load, a custom op, ...) a free constant with no constraint, recorded
/// with the reason.
class ValueEncoder {
public:
  using LeafFn = std::function<std::optional<Z3Value>(const UOp *)>;

  /// A free constant the encoder introduced for a leaf.
  struct FreeConstant {
    const UOp *Leaf;
    z3::expr Const;
    std::string Reason; ///< e.g. "define_var in [0, 15]", "load: not encoded"
  };

  /// `IndexBits` as for encodeOp; a leaf callback returns values of that
  /// encoding.
  explicit ValueEncoder(z3::context &Ctx, LeafFn Leaf = nullptr,
                        unsigned IndexBits = 0)
      : Ctx(Ctx), Leaf(std::move(Leaf)), IndexBits(IndexBits), Bounds(Ctx) {}

  /// The encoding of `U` (a scalar value, not a vector or pointer).
  llvm::Expected<Z3Value> encode(const UOp *U);

  /// Every constraint on the free constants (ranges of variables, loops and
  /// launch indices).
  const z3::expr_vector &getBounds() const { return Bounds; }
  /// The free constants, in the order they were made.
  llvm::ArrayRef<FreeConstant> getFreeConstants() const { return Free; }
  z3::context &getContext() const { return Ctx; }

private:
  llvm::Expected<Z3Value> encodeNode(const UOp *U);
  llvm::Expected<Z3Value> encodeLeaf(const UOp *U);
  z3::expr makeLeafConst(const UOp *U, std::string Reason);

  z3::context &Ctx;
  LeafFn Leaf;
  unsigned IndexBits;
  z3::expr_vector Bounds;
  std::vector<FreeConstant> Free;
  std::vector<Z3Value> Values;
  llvm::DenseMap<const UOp *, unsigned> Index; ///< Into Values.
};

} // namespace tg

#endif // TG_VERIFY_SEMANTICS_H
