//===- Symbolic.td - the symbolic simplifier's rules ---------*- tablegen -*-===//
//
// The rule sets of the symbolic simplifier, layered as tinygrad's
// (symbolic_simple, symbolic, sym):
//   symbolic-simple  identities and cheap folds, safe anywhere;
//   symbolic         everything: constants, like terms, div/mod with ranges,
//                    comparisons, max, bool algebra, where, and the C++ hooks;
//   symbolic-stage   symbolic plus the gate rules used between codegen stages.
//
// Every declarative rule holds for every dtype its Types admits: fixed-width
// integers wrap, so a rule true only without overflow says IndexType. For a
// comparison root (bool), Types names the type of the compared operands.
// Constants named in guards are their exact values; `x`, `y`, `z` are any
// UOps, `c`, `d` constants. Division by zero is UB that a rule may remove but
// never introduce, so every new divisor is guarded non-zero.
//
//===----------------------------------------------------------------------===//

include "patterns/RuleBase.td"

def SymbolicSimple : RuleSet<"symbolic-simple",
    "identities and cheap folds (tinygrad's symbolic_simple)">;
def Symbolic : RuleSet<"symbolic",
    "the full symbolic simplifier (tinygrad's symbolic)", [SymbolicSimple]>;
def SymbolicStage : RuleSet<"symbolic-stage",
    "symbolic plus gate rules used between codegen stages (tinygrad's sym)",
    [Symbolic]>;

let Set = SymbolicSimple in {

//===----------------------------------------------------------------------===//
// Constant folding (hook)
//===----------------------------------------------------------------------===//

def : HookRule<"fold-constants-unary",
               (AnyOf<[Neg, Exp2, Log2, Sin, Sqrt, Recip, Trunc, Cast,
                       Bitcast]> $x),
               "foldConstants",
               "one evalAlu call over every dtype; a rule per op and type "
               "would only repeat it"> {
  let Types = AnyTypes;
}
def : HookRule<"fold-constants-commutative",
               (AnyOf<[Add, Mul, Max, And, Or, Xor, CmpNE, CmpEQ]> $x, $y),
               "foldConstants",
               "one evalAlu call over every dtype; a rule per op and type "
               "would only repeat it"> {
  let Types = AnyTypes;
}
def : HookRule<"fold-constants-binary",
               (AnyOf<[Sub, FDiv, FloorDiv, FloorMod, TruncDiv, TruncMod, Pow,
                       Shl, Shr, Threefry, CmpLT]> $x, $y),
               "foldConstants",
               "one evalAlu call over every dtype; a rule per op and type "
               "would only repeat it"> {
  let Types = AnyTypes;
}
def : HookRule<"fold-constants-ternary",
               (AnyOf<[Where, MulAcc]> $x, $y, $z),
               "foldConstants",
               "one evalAlu call over every dtype; a rule per op and type "
               "would only repeat it"> {
  let Types = AnyTypes;
}

//===----------------------------------------------------------------------===//
// Additive identities
//===----------------------------------------------------------------------===//

// x + 0 -> x   (bool: x or false)
def : Rule<"add-zero", (Add $x, (Const 0)), (use $x)> {
  let Types = IntOrBool;
}
// x - 0 -> x
def : Rule<"sub-zero", (Sub $x, (Const 0)), (use $x)>;
// x - x -> 0
def : Rule<"sub-self", (Sub $x, $x), (Const 0)>;
// 0 - x -> -x
def : Rule<"zero-sub", (Sub (Const 0), $x), (Neg $x)>;
// -(-x) -> x   (wraps: -(-INT_MIN) == INT_MIN)
def : Rule<"neg-neg", (Neg (Neg $x)), (use $x)>;
// -(-x) -> x   (floats: neg only flips the sign bit)
def : Rule<"neg-neg-float", (Neg (Neg $x)), (use $x)> {
  let Types = FloatTypes;
}
// -(x * c) -> x * -c   (a ring: exact under wraparound too)
def : Rule<"neg-mul-const", (Neg (Mul $x, (Const $c))), (Mul $x, (fold Neg, $c))>;
// -(x + c) -> -x + -c   (a ring: exact under wraparound too)
def : Rule<"neg-add-const", (Neg (Add $x, (Const $c))),
           (Add (Neg $x), (fold Neg, $c))>;
// x - -y -> x + y
def : Rule<"sub-neg", (Sub $x, (Neg $y)), (Add $x, $y)>;
// -x + x -> 0
def : Rule<"neg-add-self", (Add (Neg $x), $x), (Const 0)>;
// -(x - y) -> y - x
def : Rule<"neg-sub", (Neg (Sub $x, $y)), (Sub $y, $x)>;

//===----------------------------------------------------------------------===//
// Multiplicative identities
//===----------------------------------------------------------------------===//

// x * 1 -> x   (bool: x and true)
def : Rule<"mul-one", (Mul $x, (Const 1)), (use $x)> {
  let Types = IntOrBool;
}
// x * 0 -> 0   (integers and bool only: nan * 0 is nan)
def : Rule<"mul-zero", (Mul $x, (Const 0)), (Const 0)> {
  let Types = IntOrBool;
}
// x // 1 -> x
def : Rule<"floordiv-one", (FloorDiv $x, (Const 1)), (use $x)>;
// x % 1 -> 0
def : Rule<"floormod-one", (FloorMod $x, (Const 1)), (Const 0)>;
// x trunc/ 1 -> x
def : Rule<"truncdiv-one", (TruncDiv $x, (Const 1)), (use $x)>;
// x trunc% 1 -> 0
def : Rule<"truncmod-one", (TruncMod $x, (Const 1)), (Const 0)>;
// x // -1 -> -x   (index: in u64, -1 would match 2^64 - 1)
def : Rule<"floordiv-minus-one", (FloorDiv $x, (Const -1)), (Neg $x)> {
  let Types = IndexType;
}
// x % -1 -> 0   (index: in u64, -1 would match 2^64 - 1)
def : Rule<"floormod-minus-one", (FloorMod $x, (Const -1)), (Const 0)> {
  let Types = IndexType;
}
// x trunc/ -1 -> -x   (index: in u64, -1 would match 2^64 - 1)
def : Rule<"truncdiv-minus-one", (TruncDiv $x, (Const -1)), (Neg $x)> {
  let Types = IndexType;
}
// x trunc% -1 -> 0   (index: in u64, -1 would match 2^64 - 1)
def : Rule<"truncmod-minus-one", (TruncMod $x, (Const -1)), (Const 0)> {
  let Types = IndexType;
}
// x // x -> 1   (x != 0: vmin(x) > 0 or vmax(x) < 0)
def : Rule<"floordiv-self", (FloorDiv $x, $x), (Const 1)> {
  let Guard = (any (gt (vmin $x), 0), (lt (vmax $x), 0));
}
// x trunc/ x -> 1   (x != 0)
def : Rule<"truncdiv-self", (TruncDiv $x, $x), (Const 1)> {
  let Guard = (any (gt (vmin $x), 0), (lt (vmax $x), 0));
}
// x % x -> 0   (x != 0)
def : Rule<"floormod-self", (FloorMod $x, $x), (Const 0)> {
  let Guard = (any (gt (vmin $x), 0), (lt (vmax $x), 0));
}
// x trunc% x -> 0   (x != 0)
def : Rule<"truncmod-self", (TruncMod $x, $x), (Const 0)> {
  let Guard = (any (gt (vmin $x), 0), (lt (vmax $x), 0));
}
// 0 // x -> 0   (x != 0)
def : Rule<"zero-floordiv", (FloorDiv (Const 0), $x), (Const 0)> {
  let Guard = (any (gt (vmin $x), 0), (lt (vmax $x), 0));
}
// 0 % x -> 0   (x != 0)
def : Rule<"zero-floormod", (FloorMod (Const 0), $x), (Const 0)> {
  let Guard = (any (gt (vmin $x), 0), (lt (vmax $x), 0));
}
// 0 trunc/ x -> 0   (x != 0)
def : Rule<"zero-truncdiv", (TruncDiv (Const 0), $x), (Const 0)> {
  let Guard = (any (gt (vmin $x), 0), (lt (vmax $x), 0));
}
// 0 trunc% x -> 0   (x != 0)
def : Rule<"zero-truncmod", (TruncMod (Const 0), $x), (Const 0)> {
  let Guard = (any (gt (vmin $x), 0), (lt (vmax $x), 0));
}
// mulacc(x, y, 0) -> x * y
def : Rule<"mulacc-zero-addend", (MulAcc $x, $y, (Const 0)), (Mul $x, $y)>;
// mulacc(x, 1, z) -> x + z
def : Rule<"mulacc-one", (MulAcc $x, (Const 1), $z), (Add $x, $z)>;
// mulacc(x, 0, z) -> z
def : Rule<"mulacc-zero", (MulAcc $x, (Const 0), $z), (use $z)>;

//===----------------------------------------------------------------------===//
// Shifts
//===----------------------------------------------------------------------===//

// x << 0 -> x
def : Rule<"shl-zero", (Shl $x, (Const 0)), (use $x)>;
// x >> 0 -> x
def : Rule<"shr-zero", (Shr $x, (Const 0)), (use $x)>;
// 0 << y -> 0   (index: y >= 0)
def : Rule<"zero-shl", (Shl (Const 0), $y), (Const 0)> {
  let Types = IndexType;
  let Guard = (ge (vmin $y), 0);
}
// 0 >> y -> 0   (index: y >= 0)
def : Rule<"zero-shr", (Shr (Const 0), $y), (Const 0)> {
  let Types = IndexType;
  let Guard = (ge (vmin $y), 0);
}

//===----------------------------------------------------------------------===//
// Bitwise and boolean identities
//===----------------------------------------------------------------------===//

// x & x -> x
def : Rule<"and-self", (And $x, $x), (use $x)> { let Types = IntOrBool; }
// x | x -> x
def : Rule<"or-self", (Or $x, $x), (use $x)> { let Types = IntOrBool; }
// x ^ x -> 0
def : Rule<"xor-self", (Xor $x, $x), (Const 0)> { let Types = IntOrBool; }
// x & 0 -> 0
def : Rule<"and-zero", (And $x, (Const 0)), (Const 0)> {
  let Types = IntOrBool;
}
// x | 0 -> x
def : Rule<"or-zero", (Or $x, (Const 0)), (use $x)> { let Types = IntOrBool; }
// x ^ 0 -> x
def : Rule<"xor-zero", (Xor $x, (Const 0)), (use $x)> {
  let Types = IntOrBool;
}
// x & -1 -> x   (-1 is all ones)
def : Rule<"and-all-ones", (And $x, (Const -1)), (use $x)>;
// x & true -> x
def : Rule<"and-true", (And $x, (Const 1)), (use $x)> { let Types = BoolType; }
// x | true -> true
def : Rule<"or-true", (Or $x, (Const 1)), (Const 1)> { let Types = BoolType; }
// x + true -> true   (bool add is or)
def : Rule<"bool-add-true", (Add $x, (Const 1)), (Const 1)> {
  let Types = BoolType;
}
// x * x -> x   (bool mul is and)
def : Rule<"bool-mul-self", (Mul $x, $x), (use $x)> { let Types = BoolType; }
// (x ^ y) ^ y -> x
def : Rule<"xor-cancel", (Xor (Xor $x, $y), $y), (use $x)> {
  let Types = IntOrBool;
}
// x & (x | y) -> x
def : Rule<"and-absorb", (And $x, (Or $x, $y)), (use $x)> {
  let Types = IntOrBool;
}
// x | (x & y) -> x
def : Rule<"or-absorb", (Or $x, (And $x, $y)), (use $x)> {
  let Types = IntOrBool;
}
// (x & y) & y -> x & y
def : Rule<"and-repeat", (And (And:$a $x, $y), $y), (use $a)> {
  let Types = IntOrBool;
}
// (x | y) | y -> x | y
def : Rule<"or-repeat", (Or (Or:$o $x, $y), $y), (use $o)> {
  let Types = IntOrBool;
}
// x & !x -> false
def : Rule<"and-not-self", (And $x, (Xor $x, (Const 1))), (Const 0)> {
  let Types = BoolType;
}
// x | !x -> true
def : Rule<"or-not-self", (Or $x, (Xor $x, (Const 1))), (Const 1)> {
  let Types = BoolType;
}
// !(x != y) -> x == y   (also for floats: nan != nan, not nan == nan)
def : Rule<"not-cmpne", (Xor (CmpNE $x, $y), (Const 1)), (CmpEQ $x, $y)> {
  let Types = BoolType;
}
// !(x == y) -> x != y
def : Rule<"not-cmpeq", (Xor (CmpEQ $x, $y), (Const 1)), (CmpNE $x, $y)> {
  let Types = BoolType;
}

//===----------------------------------------------------------------------===//
// Self comparisons, comparisons of bools, and max
//===----------------------------------------------------------------------===//

// x < x -> false
def : Rule<"cmplt-self", (CmpLT $x, $x), (Const 0)> { let Types = IntegerTypes; }
// x != x -> false   (not floats: nan != nan)
def : Rule<"cmpne-self", (CmpNE $x, $x), (Const 0)> { let Types = IntegerTypes; }
// x == x -> true   (not floats: nan == nan is false)
def : Rule<"cmpeq-self", (CmpEQ $x, $x), (Const 1)> { let Types = IntegerTypes; }
// b == true -> b   (b an equality, so both operands are bool)
def : Rule<"cmpeq-true", (CmpEQ (AnyOf<[CmpNE, CmpEQ]>:$b $x, $y),
                                (Const 1)),
           (use $b)> {
  let Types = BoolType;
}
// b == true -> b   (b a cmplt, so both operands are bool)
def : Rule<"cmpeq-true-lt", (CmpEQ (CmpLT:$b $x, $y),
                                (Const 1)),
           (use $b)> {
  let Types = BoolType;
}
// b != false -> b   (b an equality)
def : Rule<"cmpne-false", (CmpNE (AnyOf<[CmpNE, CmpEQ]>:$b $x, $y),
                                 (Const 0)),
           (use $b)> {
  let Types = BoolType;
}
// b != false -> b   (b a cmplt)
def : Rule<"cmpne-false-lt", (CmpNE (CmpLT:$b $x, $y),
                                 (Const 0)),
           (use $b)> {
  let Types = BoolType;
}
// b != true -> !b   (b an equality)
def : Rule<"cmpne-true", (CmpNE (AnyOf<[CmpNE, CmpEQ]>:$b $x, $y),
                                (Const 1)),
           (Xor $b, (Const 1))> {
  let Types = BoolType;
}
// b != true -> !b   (b a cmplt)
def : Rule<"cmpne-true-lt", (CmpNE (CmpLT:$b $x, $y),
                                (Const 1)),
           (Xor $b, (Const 1))> {
  let Types = BoolType;
}
// b == false -> !b   (b an equality)
def : Rule<"cmpeq-false", (CmpEQ (AnyOf<[CmpNE, CmpEQ]>:$b $x, $y),
                                 (Const 0)),
           (Xor $b, (Const 1))> {
  let Types = BoolType;
}
// b == false -> !b   (b a cmplt)
def : Rule<"cmpeq-false-lt", (CmpEQ (CmpLT:$b $x, $y),
                                 (Const 0)),
           (Xor $b, (Const 1))> {
  let Types = BoolType;
}
// max(x, x) -> x   (not floats: a nan's payload is not kept)
def : Rule<"max-self", (Max $x, $x), (use $x)> { let Types = IntOrBool; }
// max(max(x, y), y) -> max(x, y)
def : Rule<"max-repeat", (Max (Max:$m $x, $y), $y), (use $m)> {
  let Types = IntOrBool;
}

//===----------------------------------------------------------------------===//
// where
//===----------------------------------------------------------------------===//

// where(c, x, x) -> x
def : Rule<"where-same", (Where $c, $x, $x), (use $x)> { let Types = AnyTypes; }
// where(true, x, y) -> x
def : Rule<"where-true", (Where (Const 1), $x, $y), (use $x)> {
  let Types = AnyTypes;
}
// where(false, x, y) -> y
def : Rule<"where-false", (Where (Const 0), $x, $y), (use $y)> {
  let Types = AnyTypes;
}
// where(c, true, false) -> c
def : Rule<"where-bool-identity", (Where $c, (Const 1), (Const 0)), (use $c)> {
  let Types = BoolType;
}
// where(c, false, true) -> !c
def : Rule<"where-bool-not", (Where $c, (Const 0), (Const 1)),
           (Xor $c, (Const 1))> {
  let Types = BoolType;
}
// where(c, x, false) -> c & x
def : Rule<"where-bool-and", (Where $c, $x, (Const 0)), (And $c, $x)> {
  let Types = BoolType;
}
// where(c, true, x) -> c | x
def : Rule<"where-bool-or", (Where $c, (Const 1), $x), (Or $c, $x)> {
  let Types = BoolType;
}
// where(!c, x, y) -> where(c, y, x)
def : Rule<"where-not-cond", (Where (Xor $c, (Const 1)), $x, $y),
           (Where $c, $y, $x)> {
  let Types = AnyTypes;
}

} // let Set = SymbolicSimple

let Set = Symbolic in {

//===----------------------------------------------------------------------===//
// Hooks: sums, division and modulo, comparisons, where
//===----------------------------------------------------------------------===//

def : HookRule<"canonicalize-sum", (Add $x, $y), "canonicalizeSum",
               "flattens a whole add chain once, with a cached term list; a "
               "pattern would re-walk the chain at every node">;
def : HookRule<"fold-single-value-unary", (AnyOf<[Neg, Cast]> $x),
               "foldSingleValue",
               "the constant is the range analysis' single value, which a "
               "result cannot name"> {
  let Types = IndexType;
}
def : HookRule<"fold-single-value-commutative", (AnyOf<[Add, Mul, Max]> $x, $y),
               "foldSingleValue",
               "the constant is the range analysis' single value, which a "
               "result cannot name"> {
  let Types = IndexType;
}
def : HookRule<"fold-single-value-binary",
               (AnyOf<[Sub, FloorDiv, FloorMod, TruncDiv, TruncMod]> $x, $y),
               "foldSingleValue",
               "the constant is the range analysis' single value, which a "
               "result cannot name"> {
  let Types = IndexType;
}
def : HookRule<"fold-div-mod", (AnyOf<[FloorDiv, FloorMod]> $x, $y),
               "foldDivMod",
               "splits a sum by gcd and ranges over any number of terms">;
def : HookRule<"recombine-div-mod", (Add $x, $y), "recombineDivMod",
               "finds x//c*c and x%c anywhere in a sum, and the nested "
               "three-level GPU form">;
def : HookRule<"fold-cmplt", (CmpLT $x, $y), "foldComparison",
               "divides a whole sum by the gcd of its terms' factors"> {
  let Types = AnyTypes;
}
def : HookRule<"fold-equality", (AnyOf<[CmpNE, CmpEQ]> $x, $y),
               "foldComparison",
               "decides a whole sum against a constant by ranges"> {
  let Types = AnyTypes;
}
def : HookRule<"simplify-where", (Where $c, $x, $y), "simplifyWhere",
               "rewrites the branches under the bounds the condition implies "
               "(valid analysis), which no fixed pattern can name"> {
  let Types = AnyTypes;
}

//===----------------------------------------------------------------------===//
// Constant reassociation (a ring: exact under wraparound too)
//===----------------------------------------------------------------------===//

// (x + c1) + c2 -> x + (c1 + c2)
def : Rule<"add-add-const", (Add (Add $x, (Const $c1)), (Const $c2)),
           (Add $x, (fold Add, $c1, $c2))>;
// (x - c1) + c2 -> x + (c2 - c1)
def : Rule<"sub-add-const", (Add (Sub $x, (Const $c1)), (Const $c2)),
           (Add $x, (fold Sub, $c2, $c1))>;
// (x + c1) - c2 -> x + (c1 - c2)
def : Rule<"add-sub-const", (Sub (Add $x, (Const $c1)), (Const $c2)),
           (Add $x, (fold Sub, $c1, $c2))>;
// (x - c1) - c2 -> x - (c1 + c2)
def : Rule<"sub-sub-const", (Sub (Sub $x, (Const $c1)), (Const $c2)),
           (Sub $x, (fold Add, $c1, $c2))>;
// (c1 - x) + c2 -> (c1 + c2) - x
def : Rule<"rsub-add-const", (Add (Sub (Const $c1), $x), (Const $c2)),
           (Sub (fold Add, $c1, $c2), $x)>;
// (c1 - x) - c2 -> (c1 - c2) - x
def : Rule<"rsub-sub-const", (Sub (Sub (Const $c1), $x), (Const $c2)),
           (Sub (fold Sub, $c1, $c2), $x)>;
// c1 - (x + c2) -> (c1 - c2) - x
def : Rule<"const-sub-add", (Sub (Const $c1), (Add $x, (Const $c2))),
           (Sub (fold Sub, $c1, $c2), $x)>;
// c1 - (c2 - x) -> x + (c1 - c2)
def : Rule<"const-sub-rsub", (Sub (Const $c1), (Sub (Const $c2), $x)),
           (Add $x, (fold Sub, $c1, $c2))>;
// c1 - (x - c2) -> (c1 + c2) - x
def : Rule<"const-sub-sub", (Sub (Const $c1), (Sub $x, (Const $c2))),
           (Sub (fold Add, $c1, $c2), $x)>;
// (x * c1) * c2 -> x * (c1 * c2)
def : Rule<"mul-mul-const", (Mul (Mul $x, (Const $c1)), (Const $c2)),
           (Mul $x, (fold Mul, $c1, $c2))>;
// (x + c1) * c2 -> x * c2 + c1 * c2
def : Rule<"distribute-const", (Mul (Add $x, (Const $c1)), (Const $c2)),
           (Add (Mul $x, $c2), (fold Mul, $c1, $c2))>;
// (x & c1) & c2 -> x & (c1 & c2)
def : Rule<"and-and-const", (And (And $x, (Const $c1)), (Const $c2)),
           (And $x, (fold And, $c1, $c2))> {
  let Types = IntOrBool;
}
// (x | c1) | c2 -> x | (c1 | c2)
def : Rule<"or-or-const", (Or (Or $x, (Const $c1)), (Const $c2)),
           (Or $x, (fold Or, $c1, $c2))> {
  let Types = IntOrBool;
}
// (x ^ c1) ^ c2 -> x ^ (c1 ^ c2)
def : Rule<"xor-xor-const", (Xor (Xor $x, (Const $c1)), (Const $c2)),
           (Xor $x, (fold Xor, $c1, $c2))> {
  let Types = IntOrBool;
}
// max(max(x, c1), c2) -> max(x, max(c1, c2))
def : Rule<"max-max-const", (Max (Max $x, (Const $c1)), (Const $c2)),
           (Max $x, (fold Max, $c1, $c2))> {
  let Types = IntOrBool;
}

//===----------------------------------------------------------------------===//
// Like terms (a ring: exact under wraparound too)
//===----------------------------------------------------------------------===//

// x + x -> x * 2
def : Rule<"add-self", (Add $x, $x), (Mul $x, (Const 2))>;
// x * c + x -> x * (c + 1)
def : Rule<"mul-add-self", (Add (Mul $x, (Const $c)), $x),
           (Mul $x, (fold Add, $c, (Const 1)))>;
// x * c1 + x * c2 -> x * (c1 + c2)
def : Rule<"mul-add-mul", (Add (Mul $x, (Const $c1)), (Mul $x, (Const $c2))),
           (Mul $x, (fold Add, $c1, $c2))>;
// x * c - x -> x * (c - 1)
def : Rule<"mul-sub-self", (Sub (Mul $x, (Const $c)), $x),
           (Mul $x, (fold Sub, $c, (Const 1)))>;
// x - x * c -> x * (1 - c)
def : Rule<"self-sub-mul", (Sub $x, (Mul $x, (Const $c))),
           (Mul $x, (fold Sub, (Const 1), $c))>;
// x * c1 - x * c2 -> x * (c1 - c2)
def : Rule<"mul-sub-mul", (Sub (Mul $x, (Const $c1)), (Mul $x, (Const $c2))),
           (Mul $x, (fold Sub, $c1, $c2))>;
// (x + y) - y -> x
def : Rule<"add-sub-cancel", (Sub (Add $x, $y), $y), (use $x)>;
// (x - y) + y -> x
def : Rule<"sub-add-cancel", (Add (Sub $x, $y), $y), (use $x)>;
// x - (x + y) -> -y
def : Rule<"sub-add-left", (Sub $x, (Add $x, $y)), (Neg $y)>;
// x - (x - y) -> y
def : Rule<"sub-sub-cancel", (Sub $x, (Sub $x, $y)), (use $y)>;
// (x - y) - x -> -y
def : Rule<"sub-sub-left", (Sub (Sub $x, $y), $x), (Neg $y)>;
// (x + y) - (x + z) -> y - z
def : Rule<"add-sub-add", (Sub (Add $x, $y), (Add $x, $z)), (Sub $y, $z)>;

//===----------------------------------------------------------------------===//
// Multiplication, division and modulo by constants (index unless exact)
//===----------------------------------------------------------------------===//

// (x * c) // c -> x   (c != 0)
def : Rule<"mul-floordiv-same", (FloorDiv (Mul $x, (Const $c)), $c), (use $x)> {
  let Types = IndexType;
  let Guard = (ne $c, 0);
}
// (x * c) trunc/ c -> x   (c != 0)
def : Rule<"mul-truncdiv-same", (TruncDiv (Mul $x, (Const $c)), $c), (use $x)> {
  let Types = IndexType;
  let Guard = (ne $c, 0);
}
// (x * c1) // c2 -> x * (c1 / c2)   (c1, c2 > 0, c2 divides c1)
def : Rule<"mul-floordiv-divisor", (FloorDiv (Mul $x, (Const $c1)), (Const $c2)),
           (Mul $x, (fold FloorDiv, $c1, $c2))> {
  let Types = IndexType;
  let Guard = (all (gt $c1, 0), (gt $c2, 0), (eq (fmod $c1, $c2), 0));
}
// (x * c1) // c2 -> x // (c2 / c1)   (c1, c2 > 0, c1 divides c2)
def : Rule<"mul-floordiv-multiple", (FloorDiv (Mul $x, (Const $c1)), (Const $c2)),
           (FloorDiv $x, (fold FloorDiv, $c2, $c1))> {
  let Types = IndexType;
  let Guard = (all (gt $c1, 0), (gt $c2, 0), (eq (fmod $c2, $c1), 0));
}
// (x * c) % c -> 0   (c != 0)
def : Rule<"mul-floormod-same", (FloorMod (Mul $x, (Const $c)), $c), (Const 0)> {
  let Types = IndexType;
  let Guard = (ne $c, 0);
}
// (x * c) trunc% c -> 0   (c != 0)
def : Rule<"mul-truncmod-same", (TruncMod (Mul $x, (Const $c)), $c), (Const 0)> {
  let Types = IndexType;
  let Guard = (ne $c, 0);
}
// (x * c1) % c2 -> 0   (c2 != 0 divides c1)
def : Rule<"mul-floormod-divisor", (FloorMod (Mul $x, (Const $c1)), (Const $c2)),
           (Const 0)> {
  let Types = IndexType;
  let Guard = (all (ne $c2, 0), (eq (fmod $c1, $c2), 0));
}
// x // c -> 0   (0 <= vmin(x), vmax(x) < c)
def : Rule<"floordiv-small", (FloorDiv $x, (Const $c)), (Const 0)> {
  let Guard = (all (ge (vmin $x), 0), (lt (vmax $x), $c));
}
// x // c -> -1   (-c <= vmin(x), vmax(x) < 0, c > 0)
def : Rule<"floordiv-small-negative", (FloorDiv $x, (Const $c)), (Const -1)> {
  let Types = IndexType;
  let Guard = (all (gt $c, 0), (ge (vmin $x), (neg $c)), (lt (vmax $x), 0));
}
// x % c -> x   (0 <= vmin(x), vmax(x) < c)
def : Rule<"floormod-small", (FloorMod $x, (Const $c)), (use $x)> {
  let Guard = (all (ge (vmin $x), 0), (lt (vmax $x), $c));
}
// x trunc/ c -> 0   (0 <= vmin(x), vmax(x) < c)
def : Rule<"truncdiv-small", (TruncDiv $x, (Const $c)), (Const 0)> {
  let Guard = (all (ge (vmin $x), 0), (lt (vmax $x), $c));
}
// x trunc/ c -> 0   (|x| < c)
def : Rule<"truncdiv-small-signed", (TruncDiv $x, (Const $c)), (Const 0)> {
  let Types = IndexType;
  let Guard = (all (gt $c, 0), (gt (vmin $x), (neg $c)), (lt (vmax $x), $c));
}
// x trunc% c -> x   (0 <= vmin(x), vmax(x) < c)
def : Rule<"truncmod-small", (TruncMod $x, (Const $c)), (use $x)> {
  let Guard = (all (ge (vmin $x), 0), (lt (vmax $x), $c));
}
// x trunc% c -> x   (|x| < c)
def : Rule<"truncmod-small-signed", (TruncMod $x, (Const $c)), (use $x)> {
  let Types = IndexType;
  let Guard = (all (gt $c, 0), (gt (vmin $x), (neg $c)), (lt (vmax $x), $c));
}
// x trunc/ y -> x // y   (x >= 0, y > 0: both round the same way)
def : Rule<"truncdiv-nonneg", (TruncDiv $x, $y), (FloorDiv $x, $y)> {
  let Guard = (all (ge (vmin $x), 0), (gt (vmin $y), 0));
}
// x trunc% y -> x % y   (x >= 0, y > 0)
def : Rule<"truncmod-nonneg", (TruncMod $x, $y), (FloorMod $x, $y)> {
  let Guard = (all (ge (vmin $x), 0), (gt (vmin $y), 0));
}
// x trunc/ c -> -((-x) // c)   (x <= 0, c > 0: truncation mirrors the floor)
def : Rule<"truncdiv-nonpos", (TruncDiv $x, (Const $c)),
           (Neg (FloorDiv (Neg $x), $c))> {
  let Types = IndexType;
  let Guard = (all (le (vmax $x), 0), (gt $c, 0));
}
// x trunc% c -> -((-x) % c)   (x <= 0, c > 0)
def : Rule<"truncmod-nonpos", (TruncMod $x, (Const $c)),
           (Neg (FloorMod (Neg $x), $c))> {
  let Types = IndexType;
  let Guard = (all (le (vmax $x), 0), (gt $c, 0));
}
// x trunc/ c -> -(x trunc/ -c)   (c < 0)
def : Rule<"truncdiv-negative-divisor", (TruncDiv $x, (Const $c)),
           (Neg (TruncDiv $x, (fold Neg, $c)))> {
  let Types = IndexType;
  let Guard = (lt $c, 0);
}
// x trunc% c -> x trunc% -c   (c < 0: the remainder has the sign of x)
def : Rule<"truncmod-negative-divisor", (TruncMod $x, (Const $c)),
           (TruncMod $x, (fold Neg, $c))> {
  let Types = IndexType;
  let Guard = (lt $c, 0);
}
// x trunc/ c -> x // c   (c divides x: both are exact)
def : Rule<"truncdiv-exact", (TruncDiv $x, (Const $c)), (FloorDiv $x, $c)> {
  let Types = IndexType;
  let Guard = (all (ne $c, 0), (eq (fmod (factor $x), $c), 0));
}
// x trunc% c -> 0   (c divides x)
def : Rule<"truncmod-exact", (TruncMod $x, (Const $c)), (Const 0)> {
  let Types = IndexType;
  let Guard = (all (ne $c, 0), (eq (fmod (factor $x), $c), 0));
}
// (x % y) % y -> x % y   (x % y already has the sign of y and |x % y| < |y|)
def : Rule<"floormod-floormod-same", (FloorMod (FloorMod:$m $x, $y), $y),
           (use $m)>;
// (x trunc% y) trunc% y -> x trunc% y
def : Rule<"truncmod-truncmod-same", (TruncMod (TruncMod:$m $x, $y), $y),
           (use $m)>;
// (x % c1) % c2 -> x % c2   (c1, c2 != 0, c2 divides c1)
def : Rule<"floormod-floormod-divisor",
           (FloorMod (FloorMod $x, (Const $c1)), (Const $c2)),
           (FloorMod $x, $c2)> {
  let Guard = (all (ne $c1, 0), (ne $c2, 0), (eq (fmod $c1, $c2), 0));
}
// (x // c1) // c2 -> x // (c1 * c2)   (c1, c2 > 0)
def : Rule<"floordiv-floordiv", (FloorDiv (FloorDiv $x, (Const $c1)), (Const $c2)),
           (FloorDiv $x, (fold Mul, $c1, $c2))> {
  let Types = IndexType;
  let Guard = (all (gt $c1, 0), (gt $c2, 0));
}
// (x + y * c) % c -> x % c   (c != 0)
def : Rule<"add-mul-floormod", (FloorMod (Add $x, (Mul $y, (Const $c))), $c),
           (FloorMod $x, $c)> {
  let Types = IndexType;
  let Guard = (ne $c, 0);
}
// (x + y * c) // c -> x // c + y   (c != 0)
def : Rule<"add-mul-floordiv", (FloorDiv (Add $x, (Mul $y, (Const $c))), $c),
           (Add (FloorDiv $x, $c), $y)> {
  let Types = IndexType;
  let Guard = (ne $c, 0);
}
// (x + c1) % c2 -> x % c2   (c2 != 0 divides c1)
def : Rule<"add-const-floormod", (FloorMod (Add $x, (Const $c1)), (Const $c2)),
           (FloorMod $x, $c2)> {
  let Types = IndexType;
  let Guard = (all (ne $c1, 0), (ne $c2, 0), (eq (fmod $c1, $c2), 0));
}
// (x + c1) // c2 -> x // c2 + c1 / c2   (c2 != 0 divides c1)
def : Rule<"add-const-floordiv", (FloorDiv (Add $x, (Const $c1)), (Const $c2)),
           (Add (FloorDiv $x, $c2), (fold FloorDiv, $c1, $c2))> {
  let Types = IndexType;
  let Guard = (all (ne $c1, 0), (ne $c2, 0), (eq (fmod $c1, $c2), 0));
}
// (x // c1 + c2) // c3 -> (x + c1 * c2) // (c1 * c3)   (c1, c3 > 0)
def : Rule<"floordiv-add-floordiv",
           (FloorDiv (Add (FloorDiv $x, (Const $c1)), (Const $c2)), (Const $c3)),
           (FloorDiv (Add $x, (fold Mul, $c1, $c2)), (fold Mul, $c1, $c3))> {
  let Types = IndexType;
  let Guard = (all (gt $c1, 0), (gt $c3, 0));
}

//===----------------------------------------------------------------------===//
// Div/mod recombination (one pattern each; spread over sums: the hook)
//===----------------------------------------------------------------------===//

// x // y * y + x % y -> x   (floormod is x - y * (x // y), even wrapping)
def : Rule<"recombine-floordiv-floormod",
           (Add (Mul (FloorDiv $x, $y), $y), (FloorMod $x, $y)), (use $x)>;
// x trunc/ y * y + x trunc% y -> x
def : Rule<"recombine-truncdiv-truncmod",
           (Add (Mul (TruncDiv $x, $y), $y), (TruncMod $x, $y)), (use $x)>;
// x - x // y * y -> x % y
def : Rule<"sub-floordiv-to-floormod", (Sub $x, (Mul (FloorDiv $x, $y), $y)),
           (FloorMod $x, $y)>;
// x - x trunc/ y * y -> x trunc% y
def : Rule<"sub-truncdiv-to-truncmod", (Sub $x, (Mul (TruncDiv $x, $y), $y)),
           (TruncMod $x, $y)>;
// ((x // c1) % c2) * c1 + x % c1 -> x % (c1 * c2)   (c1, c2 > 0)
def : Rule<"recombine-nested-floormod",
           (Add (Mul (FloorMod (FloorDiv $x, (Const $c1)), (Const $c2)), $c1),
                (FloorMod $x, $c1)),
           (FloorMod $x, (fold Mul, $c1, $c2))> {
  let Types = IndexType;
  let Guard = (all (gt $c1, 0), (gt $c2, 0));
}
// (x // c1) % c2 * c1 + x % c1 + y -> x % (c1 * c2) + y is left to the hook.
// (x % (c1 * c2)) // c1 -> (x // c1) % c2   is not applied: both are one op
// deep and the hook picks the form.

//===----------------------------------------------------------------------===//
// max with ranges
//===----------------------------------------------------------------------===//

// max(x, y) -> x   (vmin(x) >= vmax(y))
def : Rule<"max-decided", (Max $x, $y), (use $x)> {
  let Types = IntOrBool;
  let Guard = (ge (vmin $x), (vmax $y));
}
// max(x + c, x) -> x + c   (c >= 0)
def : Rule<"max-add-const-above", (Max (Add:$a $x, (Const $c)), $x), (use $a)> {
  let Types = IndexType;
  let Guard = (ge $c, 0);
}
// max(x + c, x) -> x   (c <= 0)
def : Rule<"max-add-const-below", (Max (Add $x, (Const $c)), $x), (use $x)> {
  let Types = IndexType;
  let Guard = (le $c, 0);
}
// max(x * c, y * c) -> max(x, y) * c   (c >= 0)
def : Rule<"max-mul-const", (Max (Mul $x, (Const $c)), (Mul $y, $c)),
           (Mul (Max $x, $y), $c)> {
  let Types = IndexType;
  let Guard = (ge $c, 0);
}
// max(x + z, y + z) -> max(x, y) + z
def : Rule<"max-add-common", (Max (Add $x, $z), (Add $y, $z)),
           (Add (Max $x, $y), $z)> {
  let Types = IndexType;
}

//===----------------------------------------------------------------------===//
// Comparisons with ranges (Types: the compared operands' type)
//===----------------------------------------------------------------------===//

// x < y -> true   (vmax(x) < vmin(y))
def : Rule<"cmplt-true", (CmpLT $x, $y), (Const 1)> {
  let Types = IntegerTypes;
  let Guard = (lt (vmax $x), (vmin $y));
}
// x < y -> false   (vmin(x) >= vmax(y))
def : Rule<"cmplt-false", (CmpLT $x, $y), (Const 0)> {
  let Types = IntegerTypes;
  let Guard = (ge (vmin $x), (vmax $y));
}
// x != y -> true   (the ranges are disjoint)
def : Rule<"cmpne-disjoint", (CmpNE $x, $y), (Const 1)> {
  let Types = IntegerTypes;
  let Guard = (any (lt (vmax $x), (vmin $y)), (lt (vmax $y), (vmin $x)));
}
// x == y -> false   (the ranges are disjoint)
def : Rule<"cmpeq-disjoint", (CmpEQ $x, $y), (Const 0)> {
  let Types = IntegerTypes;
  let Guard = (any (lt (vmax $x), (vmin $y)), (lt (vmax $y), (vmin $x)));
}
// x != y -> false   (both are the same single value)
def : Rule<"cmpne-same-point", (CmpNE $x, $y), (Const 0)> {
  let Types = IntegerTypes;
  let Guard = (all (eq (vmin $x), (vmax $x)), (eq (vmin $y), (vmax $y)),
                   (eq (vmin $x), (vmin $y)));
}
// x == y -> true   (both are the same single value)
def : Rule<"cmpeq-same-point", (CmpEQ $x, $y), (Const 1)> {
  let Types = IntegerTypes;
  let Guard = (all (eq (vmin $x), (vmax $x)), (eq (vmin $y), (vmax $y)),
                   (eq (vmin $x), (vmin $y)));
}
// x + c1 < c2 -> x < c2 - c1
def : Rule<"cmplt-add-const", (CmpLT (Add $x, (Const $c1)), (Const $c2)),
           (CmpLT $x, (fold Sub, $c2, $c1))> {
  let Types = IndexType;
}
// c1 < x + c2 -> c1 - c2 < x
def : Rule<"const-cmplt-add", (CmpLT (Const $c1), (Add $x, (Const $c2))),
           (CmpLT (fold Sub, $c1, $c2), $x)> {
  let Types = IndexType;
}
// x - c1 < c2 -> x < c2 + c1
def : Rule<"cmplt-sub-const", (CmpLT (Sub $x, (Const $c1)), (Const $c2)),
           (CmpLT $x, (fold Add, $c2, $c1))> {
  let Types = IndexType;
}
// c1 - x < c2 -> c1 - c2 < x
def : Rule<"cmplt-rsub-const", (CmpLT (Sub (Const $c1), $x), (Const $c2)),
           (CmpLT (fold Sub, $c1, $c2), $x)> {
  let Types = IndexType;
}
// -x < c -> -c < x
def : Rule<"cmplt-neg-const", (CmpLT (Neg $x), (Const $c)),
           (CmpLT (fold Neg, $c), $x)> {
  let Types = IndexType;
}
// c < -x -> x < -c
def : Rule<"const-cmplt-neg", (CmpLT (Const $c), (Neg $x)),
           (CmpLT $x, (fold Neg, $c))> {
  let Types = IndexType;
}
// -x < -y -> y < x
def : Rule<"cmplt-neg-neg", (CmpLT (Neg $x), (Neg $y)), (CmpLT $y, $x)> {
  let Types = IndexType;
}
// x * c < d -> x < ceil(d / c) = -((-d) // c)   (c > 0)
def : Rule<"cmplt-mul-const", (CmpLT (Mul $x, (Const $c)), (Const $d)),
           (CmpLT $x, (fold Neg, (fold FloorDiv, (fold Neg, $d), $c)))> {
  let Types = IndexType;
  let Guard = (gt $c, 0);
}
// d < x * c -> d // c < x   (c > 0)
def : Rule<"const-cmplt-mul", (CmpLT (Const $d), (Mul $x, (Const $c))),
           (CmpLT (fold FloorDiv, $d, $c), $x)> {
  let Types = IndexType;
  let Guard = (gt $c, 0);
}
// x * c < d -> -d // -c < x   (c < 0)
def : Rule<"cmplt-mul-negative-const", (CmpLT (Mul $x, (Const $c)), (Const $d)),
           (CmpLT (fold FloorDiv, (fold Neg, $d), (fold Neg, $c)), $x)> {
  let Types = IndexType;
  let Guard = (lt $c, 0);
}
// d < x * c -> x < -(d // -c)   (c < 0)
def : Rule<"const-cmplt-mul-negative", (CmpLT (Const $d), (Mul $x, (Const $c))),
           (CmpLT $x, (fold Neg, (fold FloorDiv, $d, (fold Neg, $c))))> {
  let Types = IndexType;
  let Guard = (lt $c, 0);
}
// x // c < d -> x < d * c   (c > 0)
def : Rule<"cmplt-floordiv-const", (CmpLT (FloorDiv $x, (Const $c)), (Const $d)),
           (CmpLT $x, (fold Mul, $d, $c))> {
  let Types = IndexType;
  let Guard = (gt $c, 0);
}
// x * c < y * c -> x < y   (c > 0)
def : Rule<"cmplt-mul-common", (CmpLT (Mul $x, (Const $c)), (Mul $y, $c)),
           (CmpLT $x, $y)> {
  let Types = IndexType;
  let Guard = (gt $c, 0);
}
// x + z < y + z -> x < y
def : Rule<"cmplt-add-common", (CmpLT (Add $x, $z), (Add $y, $z)),
           (CmpLT $x, $y)> {
  let Types = IndexType;
}
// x + c < x -> c < 0, decided
def : Rule<"cmplt-add-self-true", (CmpLT (Add $x, (Const $c)), $x), (Const 1)> {
  let Types = IndexType;
  let Guard = (lt $c, 0);
}
// x + c < x -> false   (c >= 0)
def : Rule<"cmplt-add-self-false", (CmpLT (Add $x, (Const $c)), $x), (Const 0)> {
  let Types = IndexType;
  let Guard = (ge $c, 0);
}
// x < x + c -> true   (c > 0)
def : Rule<"cmplt-self-add-true", (CmpLT $x, (Add $x, (Const $c))), (Const 1)> {
  let Types = IndexType;
  let Guard = (gt $c, 0);
}
// x < x + c -> false   (c <= 0)
def : Rule<"cmplt-self-add-false", (CmpLT $x, (Add $x, (Const $c))), (Const 0)> {
  let Types = IndexType;
  let Guard = (le $c, 0);
}
// x + z == y + z -> x == y   (adding z is a bijection, wrapping too)
def : Rule<"cmpeq-add-common", (CmpEQ (Add $x, $z), (Add $y, $z)),
           (CmpEQ $x, $y)>;
// x + z != y + z -> x != y
def : Rule<"cmpne-add-common", (CmpNE (Add $x, $z), (Add $y, $z)),
           (CmpNE $x, $y)>;
// x + c1 == c2 -> x == c2 - c1
def : Rule<"cmpeq-add-const", (CmpEQ (Add $x, (Const $c1)), (Const $c2)),
           (CmpEQ $x, (fold Sub, $c2, $c1))>;
// x + c1 != c2 -> x != c2 - c1
def : Rule<"cmpne-add-const", (CmpNE (Add $x, (Const $c1)), (Const $c2)),
           (CmpNE $x, (fold Sub, $c2, $c1))>;
// -x == -y -> x == y
def : Rule<"cmpeq-neg-neg", (CmpEQ (Neg $x), (Neg $y)), (CmpEQ $x, $y)>;
// -x != -y -> x != y
def : Rule<"cmpne-neg-neg", (CmpNE (Neg $x), (Neg $y)), (CmpNE $x, $y)>;
// x + y * -1 == 0 -> x == y   (the canonical sum's form of x - y)
def : Rule<"cmpeq-add-neg-zero",
           (CmpEQ (Add $x, (Mul $y, (Const -1))), (Const 0)), (CmpEQ $x, $y)>;
// x + y * -1 != 0 -> x != y
def : Rule<"cmpne-add-neg-zero",
           (CmpNE (Add $x, (Mul $y, (Const -1))), (Const 0)), (CmpNE $x, $y)>;
// x - y == 0 -> x == y
def : Rule<"cmpeq-sub-zero", (CmpEQ (Sub $x, $y), (Const 0)), (CmpEQ $x, $y)>;
// x - y != 0 -> x != y
def : Rule<"cmpne-sub-zero", (CmpNE (Sub $x, $y), (Const 0)), (CmpNE $x, $y)>;

//===----------------------------------------------------------------------===//
// where with a decided condition
//===----------------------------------------------------------------------===//

// where(c, x, y) -> x   (c is always true)
def : Rule<"where-cond-true", (Where $c, $x, $y), (use $x)> {
  let Types = AnyTypes;
  let Guard = (eq (vmin $c), 1);
}
// where(c, x, y) -> y   (c is always false)
def : Rule<"where-cond-false", (Where $c, $x, $y), (use $y)> {
  let Types = AnyTypes;
  let Guard = (eq (vmax $c), 0);
}
// where(c, where(c, x, y), z) -> where(c, x, z)
def : Rule<"where-nested-then", (Where $c, (Where $c, $x, $y), $z),
           (Where $c, $x, $z)> {
  let Types = AnyTypes;
}
// where(c, x, where(c, y, z)) -> where(c, x, z)
def : Rule<"where-nested-else", (Where $c, $x, (Where $c, $y, $z)),
           (Where $c, $x, $z)> {
  let Types = AnyTypes;
}
// where(c, x, c1) + where(c, y, c2) -> where(c, x + y, c1 + c2)
def : Rule<"add-where-same-cond",
           (Add (Where $c, $x, (Const $c1)), (Where $c, $y, (Const $c2))),
           (Where $c, (Add $x, $y), (fold Add, $c1, $c2))>;
// max(where(c, x, c1), where(c, y, c2)) -> where(c, max(x, y), max(c1, c2))
def : Rule<"max-where-same-cond",
           (Max (Where $c, $x, (Const $c1)), (Where $c, $y, (Const $c2))),
           (Where $c, (Max $x, $y), (fold Max, $c1, $c2))>;

} // let Set = Symbolic

let Set = SymbolicStage in {

//===----------------------------------------------------------------------===//
// Gates (between codegen stages)
//===----------------------------------------------------------------------===//

// where(c1, where(c2, x, y), y) -> where(c1 & c2, x, y)
def : Rule<"where-merge-gates", (Where $c1, (Where $c2, $x, $y), $y),
           (Where (And $c1, $c2), $x, $y)> {
  let Types = AnyTypes;
}
// where(c1, x, where(c2, x, y)) -> where(c1 | c2, x, y)
def : Rule<"where-merge-else", (Where $c1, $x, (Where $c2, $x, $y)),
           (Where (Or $c1, $c2), $x, $y)> {
  let Types = AnyTypes;
}
// where(c, x, 0) * where(c, y, 0) -> where(c, x * y, 0)
def : Rule<"mul-same-gate", (Mul (Where $c, $x, (Const 0)), (Where $c, $y, (Const 0))),
           (Where $c, (Mul $x, $y), (Const 0))>;
// where(c, x, 0) + where(c, y, 0) -> where(c, x + y, 0)
def : Rule<"add-same-gate", (Add (Where $c, $x, (Const 0)), (Where $c, $y, (Const 0))),
           (Where $c, (Add $x, $y), (Const 0))>;
// where(c, x + z, y + z) -> where(c, x, y) + z
def : Rule<"where-add-common", (Where $c, (Add $x, $z), (Add $y, $z)),
           (Add (Where $c, $x, $y), $z)>;
// where(c, x * z, y * z) -> where(c, x, y) * z
def : Rule<"where-mul-common", (Where $c, (Mul $x, $z), (Mul $y, $z)),
           (Mul (Where $c, $x, $y), $z)>;
} // let Set = SymbolicStage
