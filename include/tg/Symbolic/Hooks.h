//===- Hooks.h - the C++ hooks of the symbolic rule sets --------*- C++ -*-===//
//
// Most symbolic rules are rows of td/patterns/Symbolic.td. These are the
// ones that need code, named by HookRule records there (tg-tblgen declares
// them again in the generated .inc). Each hook looks at M.getRoot() and
// decides everything itself; the td pattern only narrows the root op. A hook
// returns nullptr when it has nothing to change, never the root itself.
//
// Hooks that reason about values read the analyses from the rewrite's state:
// run them with a RewriteAnalyses (tg/Rewrite/Declarative.h) as
// RewriteOptions::State. Every hook is linear in the size of its root's
// own expression (a sum's terms), never in the size of the DAG above it.
// docs/Symbolic.md says why each one is not a declarative rule.
//
//===----------------------------------------------------------------------===//

#ifndef TG_SYMBOLIC_HOOKS_H
#define TG_SYMBOLIC_HOOKS_H

#include "tg/Rewrite/RuleSet.h"

namespace tg::hooks {

/// An Elementwise op of scalar constants -> its constant, computed by
/// evalAlu (no rewrite where evalAlu has no value: UB, index overflow).
/// One hook serves every op and dtype, where rows would need one per op.
const UOp *foldConstants(const Match &M);

/// An index op whose range is one value -> that constant (a variable in
/// [1, 1], (a - 7) for a in [10, 10]). The value comes from the range
/// analysis, which a rule's result cannot name.
const UOp *foldSingleValue(const Match &M);

/// An integer `add` -> the canonical form of the whole sum under it: read
/// through add, sub, neg and mul-by-constant, like terms combined
/// (x*2 + x*3 -> x*5, x + -x -> 0), constants folded, terms in a structural
/// order with the constant last, rebuilt left-deep. A pattern cannot match a
/// sum of any length.
const UOp *canonicalizeSum(const Match &M);

/// floordiv / floormod of index by a positive constant c, using ranges:
/// a quotient that is the same over x's range folds; x%c -> x on [0, c);
/// a sum's multiples of c leave the division ((a*c + b)//c -> a + b//c);
/// a common gcd of the terms and c cancels ((4x + 8y)//12 -> (x + 2y)//3);
/// (x//a)//b -> x//(a*b) and (x%(a*k))%a -> x%a. Needs all terms at once.
const UOp *foldDivMod(const Match &M);

/// An index `add` whose terms hold x//c*k*c and x%c*k -> x*k, and
/// (x//a)%b*k*a with x%a*k -> x%(a*b)*k (the GPU index split undone),
/// wherever the two terms sit in the sum.
const UOp *recombineDivMod(const Match &M);

/// cmplt / cmpne / cmpeq: decided by ranges -> a bool constant; over index,
/// `sum + k < c` moves k to the right and divides by the gcd of the terms
/// when the terms not divisible by it fit in one step
/// (idx*4 + f < 512 -> idx < 128 for f in [0, 3]; a*k < c -> a < ceil(c/k)).
const UOp *foldComparison(const Match &M);

/// where(c, a, b): c decided by ranges -> a or b; otherwise a is simplified
/// with the `symbolic` rule set where c holds and b where it does not
/// (assumeCondition): simplification under the gate.
const UOp *simplifyWhere(const Match &M);

} // namespace tg::hooks

#endif // TG_SYMBOLIC_HOOKS_H
