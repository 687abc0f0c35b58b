//===- bad-rules.td - deliberately wrong rules for --verify-rules ----------===//
//
// Built into libtg-test-bad-rules.so (test/Verify/CMakeLists.txt): each rule
// but the first is wrong, and tg-opt --verify-rules must say so with a
// counterexample (test/Verify/verify-rules-plugin.test).
//
//===----------------------------------------------------------------------===//

include "patterns/RuleBase.td"

def BadRules : RuleSet<"test-bad-rules", "deliberately wrong rules">;

let Set = BadRules in {
// x - x -> 0   (correct: proves)
def : Rule<"good-sub-self", (Sub $x, $x), (Const 0)>;
// x - y -> y - x   (wrong unless x == y)
def : Rule<"bad-sub-commute", (Sub $x, $y), (Sub $y, $x)>;
// (x * c) // c -> x   (wrong for fixed widths: x * c wraps)
def : Rule<"bad-mul-floordiv-wraps", (FloorDiv (Mul $x, (Const $c)), $c),
           (use $x)> {
  let Types = IntegerTypes;
  let Guard = (ne $c, 0);
}
// x // y -> 0   (introduces nothing undefined, but wrong when x >= y)
def : Rule<"bad-floordiv-small", (FloorDiv $x, $y), (Const 0)> {
  let Types = IndexType;
  let Guard = (all (ge (vmin $x), 0), (le (vmax $x), 10));
}
// x -> x // y   (introduces a division by zero)
def : Rule<"bad-introduces-ub", (Add $x, (Const 0)), (FloorDiv $x, $x)> {
  let Types = IndexType;
}
} // let Set = BadRules
