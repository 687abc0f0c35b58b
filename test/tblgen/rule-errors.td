// Malformed rules get a diagnostic at the rule's record and exit 1.
// RUN: split-file %s %t
// RUN: not tg-tblgen -gen-rewrite-rules -I %td_dir %t/pattern-op.td 2>&1 | FileCheck %s --check-prefix=PATTERN-OP
// RUN: not tg-tblgen -gen-rewrite-rules -I %td_dir %t/result-op.td 2>&1 | FileCheck %s --check-prefix=RESULT-OP
// RUN: not tg-tblgen -gen-rewrite-rules -I %td_dir %t/count.td 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not tg-tblgen -gen-rewrite-rules -I %td_dir %t/fold-count.td 2>&1 | FileCheck %s --check-prefix=FOLD-COUNT
// RUN: not tg-tblgen -gen-rewrite-rules -I %td_dir %t/unbound-result.td 2>&1 | FileCheck %s --check-prefix=UNBOUND-RESULT
// RUN: not tg-tblgen -gen-rewrite-rules -I %td_dir %t/unbound-guard.td 2>&1 | FileCheck %s --check-prefix=UNBOUND-GUARD
// RUN: not tg-tblgen -gen-rewrite-rules -I %td_dir %t/guard-op.td 2>&1 | FileCheck %s --check-prefix=GUARD-OP
// RUN: not tg-tblgen -gen-rewrite-rules -I %td_dir %t/guard-arity.td 2>&1 | FileCheck %s --check-prefix=GUARD-ARITY
// RUN: not tg-tblgen -gen-rewrite-rules -I %td_dir %t/guard-sort.td 2>&1 | FileCheck %s --check-prefix=GUARD-SORT
// RUN: not tg-tblgen -gen-rewrite-rules -I %td_dir %t/no-set.td 2>&1 | FileCheck %s --check-prefix=NO-SET
// RUN: not tg-tblgen -gen-rewrite-rules -I %td_dir %t/duplicate.td 2>&1 | FileCheck %s --check-prefix=DUPLICATE
// RUN: not tg-tblgen -gen-rewrite-rules -I %td_dir %t/empty-hook.td 2>&1 | FileCheck %s --check-prefix=EMPTY-HOOK
// RUN: not tg-tblgen -gen-rewrite-rules -I %td_dir %t/mixed.td 2>&1 | FileCheck %s --check-prefix=MIXED

//--- pattern-op.td
include "patterns/RuleBase.td"
def S : RuleSet<"s", "test">;
let Set = S in def R : Rule<"r", (add $x, $y), (use $x)>;
// PATTERN-OP: pattern-op.td:3:20: error: rule 'r': 'add' is not an op of td/UOps.td or AnyOf

//--- result-op.td
include "patterns/RuleBase.td"
def S : RuleSet<"s", "test">;
let Set = S in def R : Rule<"r", (Add $x, $y), (vmin $x)>;
// RESULT-OP: result-op.td:3:20: error: rule 'r': 'vmin' is not an op of td/UOps.td, use, fold or Const

//--- count.td
include "patterns/RuleBase.td"
def S : RuleSet<"s", "test">;
let Set = S in def R : Rule<"r", (Add $x), (use $x)>;
// COUNT: count.td:3:20: error: rule 'r': 'Add' takes 2 operand(s), not 1

//--- fold-count.td
include "patterns/RuleBase.td"
def S : RuleSet<"s", "test">;
let Set = S in def R : Rule<"r", (Neg (Const $c)), (fold Neg, $c, $c)>;
// FOLD-COUNT: fold-count.td:3:20: error: rule 'r': 'Neg' takes 1 operand(s), not 2

//--- unbound-result.td
include "patterns/RuleBase.td"
def S : RuleSet<"s", "test">;
let Set = S in def R : Rule<"r", (Add $x, $y), (Mul $x, $z)>;
// UNBOUND-RESULT: unbound-result.td:3:20: error: rule 'r': '$z' in the result is not bound by the pattern

//--- unbound-guard.td
include "patterns/RuleBase.td"
def S : RuleSet<"s", "test">;
let Set = S in def R : Rule<"r", (Add $x, $y), (use $x)> {
  let Guard = (eq (vmax $w), 0);
}
// UNBOUND-GUARD: unbound-guard.td:3:20: error: rule 'r': '$w' in the guard is not bound by the pattern

//--- guard-op.td
include "patterns/RuleBase.td"
def S : RuleSet<"s", "test">;
let Set = S in def R : Rule<"r", (Add $x, $y), (use $x)> {
  let Guard = (Add $x, 0);
}
// GUARD-OP: guard-op.td:3:20: error: rule 'r': 'Add' is not a guard operator

//--- guard-arity.td
include "patterns/RuleBase.td"
def S : RuleSet<"s", "test">;
let Set = S in def R : Rule<"r", (Add $x, (Const $c)), (use $x)> {
  let Guard = (lt $c);
}
// GUARD-ARITY: guard-arity.td:3:20: error: rule 'r': guard operator 'lt' takes 2 operand(s), not 1

//--- guard-sort.td
include "patterns/RuleBase.td"
def S : RuleSet<"s", "test">;
let Set = S in def R : Rule<"r", (Add $x, (Const $c)), (use $x)> {
  let Guard = (not $c);
}
// GUARD-SORT: guard-sort.td:3:20: error: rule 'r': operand 1 of guard operator 'not' must be a condition

//--- no-set.td
include "patterns/RuleBase.td"
def R : Rule<"r", (Add $x, $y), (use $x)>;
// NO-SET: no-set.td:2:5: error: rule 'r' has no Set

//--- duplicate.td
include "patterns/RuleBase.td"
def S : RuleSet<"s", "test">;
let Set = S in {
def R1 : Rule<"r", (Add $x, $y), (use $x)>;
def R2 : Rule<"r", (Mul $x, $y), (use $x)>;
}
// DUPLICATE: duplicate.td:5:5: error: rule name 'r' is used twice

//--- empty-hook.td
include "patterns/RuleBase.td"
def S : RuleSet<"s", "test">;
let Set = S in def R : HookRule<"r", (Add $x, $y), "", "no reason">;
// EMPTY-HOOK: empty-hook.td:3:20: error: rule 'r' has an empty Hook name

//--- mixed.td
include "patterns/RuleBase.td"
def S : RuleSet<"s", "test">;
let Set = S in def R : Rule<"r", (AnyOf<[Add, Sub]> $x, $y), (use $x)>;
// MIXED: mixed.td:3:20: error: rule 'r': AnyOf mixes commutative and other ops; write two rules
