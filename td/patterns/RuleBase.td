//===- RuleBase.td - the language of rewrite rules ----------*- tablegen -*-===//
//
// Rewrite rules are data, in a DRR-like form (MLIR's Declarative Rewrite
// Rules): a source pattern, a result, a guard beside them, and a comment with
// the algebra. tg-tblgen -gen-rewrite-rules compiles every Rule of a file
// into rule sets with a dispatch indexed by op, and keeps each declarative
// rule as data (pattern, result, guard) so that tg-opt --verify-rules can
// prove it with Z3. A rule that needs code names a C++ hook instead of a
// result (HookRule); hooks are checked by instances, never "proved".
//
// Patterns (the `Pattern` dag):
//   (Add $x, $y)            an op record of td/UOps.td as the operator; its
//                           operands are patterns. Commutative ops match
//                           their operands in either order.
//   $x                      any UOp, bound to x. A name used twice must bind
//                           the same UOp both times: (Add $x, $x).
//   (Add:$s $x, $y)         binds the matched UOp itself to s.
//   (Const 0), (Const -1)   a constant with that integer value (any type
//                           the rule's Types allow).
//   (Const $c)              any constant, bound to c (its value is `$c` in
//                           results and guards).
//   (AnyOf<[Add, Mul]> $x, $y)  one of several ops with these operands.
//
// Results (the `Result` dag):
//   (use $x)                the bound UOp x itself.
//   (Mul $x, (Const 0))     a new UOp; its type is the root's type unless an
//                           operand fixes it (comparisons give bool).
//   (Const 0)               a constant of the root's type.
//   (fold Mul, $c1, $c2)    the constant op(c1, c2) computed by evalAlu in
//                           the root's type; the rule does not fire when
//                           evalAlu has no value (UB, overflow of index).
// A new result UOp takes the type of the root, except comparisons (bool).
//
// Guards (the `Guard` dag, default: always): integer expressions over the
// bindings, evaluated with exact integers (no overflow):
//   $c                      the value of constant c
//   (vmin $x), (vmax $x)    the range analysis' bounds of x
//   (factor $x)             the largest constant known to divide x
//   (add a, b) (sub a, b) (mul a, b) (fdiv a, b) (fmod a, b) (neg a)
//                           exact integer arithmetic (floor division, floor
//                           modulo; a zero divisor makes the guard false)
//   (gcd a, b)
//   (eq a, b) (ne a, b) (lt a, b) (le a, b) (gt a, b) (ge a, b)
//   (all g...) (any g...) (not g)
//
// Types (`Types`, default IntegerTypes): the dtypes of the root a rule
// applies to. Rules over `index` never reason about overflow; a rule that is
// only true without wraparound must say IndexType.
//
//===----------------------------------------------------------------------===//

include "UOps.td"

//===----------------------------------------------------------------------===//
// Rule sets
//===----------------------------------------------------------------------===//

class RuleSet<string name, string summary, list<RuleSet> includes = []> {
  string Name = name;
  string Summary = summary;
  // Rules of these sets are tried after this set's own, in this order.
  list<RuleSet> Includes = includes;
}

//===----------------------------------------------------------------------===//
// Pattern and result vocabulary (ops come from UOps.td)
//===----------------------------------------------------------------------===//

// One of several ops, with the same operands: (AnyOf<[Add, Mul]> $x, $y).
class AnyOf<list<UOp> ops> { list<UOp> Ops = ops; }

// Result operators.
def use;
def fold;

// Guard operators.
def vmin;
def vmax;
def factor;
def add;
def sub;
def mul;
def fdiv;
def fmod;
def neg;
def gcd;
def eq;
def ne;
def lt;
def le;
def gt;
def ge;
def all;
def any;
def not;
def always;

//===----------------------------------------------------------------------===//
// Types a rule applies to
//===----------------------------------------------------------------------===//

class RuleTypes<string summary> { string Summary = summary; }
def IndexType    : RuleTypes<"index only (unbounded: no overflow)">;
def IntegerTypes : RuleTypes<"index and fixed-width integers (wrapping)">;
def BoolType     : RuleTypes<"bool">;
def IntOrBool    : RuleTypes<"index, fixed-width integers and bool">;
def FloatTypes   : RuleTypes<"floating point types">;
def AnyTypes     : RuleTypes<"every value type">;

//===----------------------------------------------------------------------===//
// Rules
//===----------------------------------------------------------------------===//

class RuleBase<string name, dag pattern> {
  string Name = name;      // unique within its file, kebab-case
  dag Pattern = pattern;
  dag Guard = (always);
  RuleTypes Types = IntegerTypes;
  RuleSet Set = ?;         // usually given by `let Set = ... in { }`
}

// A declarative rule: Pattern -> Result when Guard holds.
class Rule<string name, dag pattern, dag result> : RuleBase<name, pattern> {
  dag Result = result;
}

// A rule whose result needs code: `Hook` names a C++ function
// `const tg::UOp *Hook(const tg::Match &)` (nullptr: no rewrite); `Why` says
// why the declarative form was not enough.
class HookRule<string name, dag pattern, string hook, string why>
    : RuleBase<name, pattern> {
  string Hook = hook;
  string Why = why;
}
