//===- Declarative.h - rewrite rules kept as data ---------------*- C++ -*-===//
//
// tg-tblgen -gen-rewrite-rules compiles each Rule and HookRule record of
// td/patterns/*.td into one RuleData: plain tables of pattern, result and
// guard nodes that the rewrite engine interprets here and that the Z3 prover
// reads to prove the rule. Nothing in a table is code except a HookRule's
// hook. The same tables can be written by hand (unittests do).
//
// Every table is a tree stored in an array: node 0 is the root, and the
// children of a node are the NumChildren nodes from FirstChild on, in order.
// A binding is named by Name (without `$`, for people and the prover) and by
// Slot (for the interpreter): slots number the distinct names of the pattern
// in preorder of their first occurrence, as tg::Rule numbers them.
//
// Semantics (docs/Rewrite.md, "Declarative rules"):
//  - Types: the rule applies when the dtype of the root, looking through
//    vectors, is in its RuleTypes; for a comparison root (always bool) the
//    dtype of its first operand is checked instead. Checked before the guard.
//  - Results: each node is built with an expected type. The root expects the
//    root's dtype. A new op takes the expected type and passes it to its
//    operands (`where` passes bool to its condition), except a comparison:
//    its operand type is the type of its first operand whose type does not
//    depend on context (a `use`, or a new op or fold with such an operand),
//    and its own type is bool with that type's lanes. A fold computes
//    evalAlu over its operands, which must be `const` UOps.
//  - Guards: exact integers; see GuardNodeKind.
//
// Passes running declarative rules must pass a RewriteAnalyses as
// RewriteOptions::State, so that vmin/vmax/factor are cached across the
// whole rewrite. With no State each guard evaluation builds a fresh one:
// correct but slower.
//
//===----------------------------------------------------------------------===//

#ifndef TG_REWRITE_DECLARATIVE_H
#define TG_REWRITE_DECLARATIVE_H

#include "tg/Analysis/Divisibility.h"
#include "tg/Analysis/RangeAnalysis.h"
#include "tg/Rewrite/RuleSet.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>

namespace tg {

/// The analyses guards of declarative rules ask; pass one as
/// RewriteOptions::State.
struct RewriteAnalyses {
  RewriteAnalyses() : Factors(Ranges) {}
  RewriteAnalyses(const RewriteAnalyses &) = delete;
  RewriteAnalyses &operator=(const RewriteAnalyses &) = delete;

  RangeAnalysis Ranges;
  DivisibilityAnalysis Factors;
  /// Sums the symbolic `canonicalize-sum` hook built or found canonical: a
  /// sum that adds one term sorting last to one of them is canonical too,
  /// which the hook then tells in O(1) instead of flattening again.
  llvm::DenseSet<const UOp *> CanonicalSums;
};

namespace declarative {

/// The dtypes a rule applies to; the enumerators are RuleTypes records of
/// td/patterns/RuleBase.td.
enum class RuleTypes : uint8_t {
  IndexType,    ///< index only
  IntegerTypes, ///< index and fixed-width integers
  BoolType,     ///< bool
  IntOrBool,    ///< index, fixed-width integers and bool
  FloatTypes,   ///< floating point types
  AnyTypes,     ///< every value type (not pointers or void)
};

/// Whether `T` (a vector: its lanes) is one of `Types`.
bool typesContain(RuleTypes Types, DType T);
/// `Types` as a TypeSet: contains(T) == typesContain(Types, T).
TypeSet getTypeSet(RuleTypes Types);

inline constexpr uint8_t NoSlot = 0xff;

enum class PatternNodeKind : uint8_t {
  Op,           ///< A UOp with one of Ops; children: its operands, in order
                ///< (either order when every op is commutative). Name, if
                ///< any, binds the UOp itself (`(Add:$s ...)`).
  Binding,      ///< Any UOp, bound to Name (`$x`).
  ConstValue,   ///< A `const` numerically equal to Value (`(Const 0)`).
  ConstBinding, ///< Any `const`, bound to Name (`(Const $c)`).
};

struct PatternNode {
  PatternNodeKind Kind;
  const Op *Ops; ///< Op: the ops, NumOps of them.
  uint8_t NumOps;
  int64_t Value;    ///< ConstValue.
  const char *Name; ///< The binding name, or nullptr.
  uint8_t Slot;     ///< The slot of Name, or NoSlot.
  uint16_t FirstChild, NumChildren;
};

enum class ResultNodeKind : uint8_t {
  Use,   ///< The bound UOp (`(use $x)`, `$x`, `(Const $c)`).
  NewOp, ///< A new UOp of op TheOp on the children (`(Mul $x, $y)`).
  Const, ///< A `const` of the expected type with Value (`(Const 0)`).
  Fold,  ///< The `const` evalAlu(TheOp, children) (`(fold Mul, $a, $b)`);
         ///< no rewrite when a child is not a `const` or evalAlu has none.
};

struct ResultNode {
  ResultNodeKind Kind;
  Op TheOp;         ///< NewOp, Fold.
  int64_t Value;    ///< Const.
  const char *Name; ///< Use: the binding.
  uint8_t Slot;
  uint16_t FirstChild, NumChildren;
};

/// Guard nodes. Integer nodes have exact values (no overflow); bool nodes
/// are 0 or 1. A value that is not defined makes the whole guard false:
/// arithmetic on an unbounded vmin/vmax (comparing one is fine), a result
/// beyond 127 bits, a zero divisor, the value of a binding that is not an
/// integer `const`. Operands are evaluated left to right; all/any stop at
/// the first false/true operand.
enum class GuardNodeKind : uint8_t {
  Always,  ///< true; no children
  Literal, ///< the integer Value
  Value,   ///< the value of the `const` bound to Name (`$c`)
  VMin,    ///< the range analysis' lower bound of the binding Name
  VMax,    ///< its upper bound
  Factor,  ///< DivisibilityAnalysis' constant factor of the binding Name
  Add,
  Sub,
  Mul,
  FDiv, ///< floor division
  FMod, ///< floor modulo (the sign of the divisor)
  Neg,
  Gcd, ///< non-negative; gcd(0, 0) = 0
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  All, ///< one or more bool children
  Any,
  Not,
};

struct GuardNode {
  GuardNodeKind Kind;
  int64_t Value;    ///< Literal.
  const char *Name; ///< Value, VMin, VMax, Factor: the binding.
  uint8_t Slot;
  uint16_t FirstChild, NumChildren;
};

/// One Rule or HookRule record.
struct RuleData {
  const char *Name;
  const char *Set; ///< The Name of the rule's RuleSet.
  RuleTypes Types;
  const PatternNode *Pattern; ///< Node 0 is the root.
  const GuardNode *Guard;     ///< Node 0 is the root; `(always)` by default.
  const ResultNode *Result;   ///< Node 0 is the root; nullptr for a hook.
  RewriteAction Hook;         ///< A HookRule's hook, else nullptr.

  bool isHook() const { return Hook != nullptr; }
};

/// The pattern of `R`, for tg::Rule.
Pattern buildPattern(const RuleData &R);
/// A tg::Rule running `R` (which must outlive it): the pattern, checkGuard
/// as its guard and applyResult (or the hook) as its action.
Rule buildRule(const RuleData &R);
/// A set of the rules `Rules[I]` for I in `Order`.
std::unique_ptr<RuleSet> buildRuleSet(llvm::StringRef Name,
                                      llvm::ArrayRef<RuleData> Rules,
                                      llvm::ArrayRef<unsigned> Order);

/// The guard of a rule made by buildRule: its Types, then its Guard.
bool checkGuard(const Match &M);
/// The action of a declarative rule made by buildRule: its Result.
const UOp *applyResult(const Match &M);

} // namespace declarative
} // namespace tg

#endif // TG_REWRITE_DECLARATIVE_H
