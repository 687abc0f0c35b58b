// Malformed op records get a diagnostic at the record and exit 1.
// RUN: split-file %s %t
// RUN: not tg-tblgen -gen-op-defs -I %S/Inputs %t/dup.td 2>&1 | FileCheck %s --check-prefix=DUP
// RUN: not tg-tblgen -gen-op-defs -I %S/Inputs %t/nosummary.td 2>&1 | FileCheck %s --check-prefix=NOSUMMARY
// RUN: not tg-tblgen -gen-op-defs -I %S/Inputs %t/counts.td 2>&1 | FileCheck %s --check-prefix=COUNTS
// RUN: not tg-tblgen -gen-op-defs -I %S/Inputs %t/arity.td 2>&1 | FileCheck %s --check-prefix=ARITY
// RUN: not tg-tblgen -gen-op-defs -I %S/Inputs %t/mnemonic.td 2>&1 | FileCheck %s --check-prefix=MNEMONIC
// RUN: not tg-tblgen -gen-op-defs -I %S/Inputs %t/inline.td 2>&1 | FileCheck %s --check-prefix=INLINE
// RUN: not tg-tblgen -gen-op-defs -I %S/Inputs %t/syntax.td 2>&1 | FileCheck %s --check-prefix=SYNTAX
// RUN: not tg-tblgen -gen-op-defs -I %S/Inputs %t/field.td 2>&1 | FileCheck %s --check-prefix=FIELD

//--- dup.td
include "MiniOps.td"
def Other : UOp<"good"> { let Summary = "clash"; }
// DUP: dup.td:2:5: error: mnemonic 'good' is already used by 'Good'

//--- nosummary.td
include "MiniOps.td"
def Silent : UOp<"silent">;
// NOSUMMARY: nosummary.td:2:5: error: op 'silent' has no Summary

//--- counts.td
include "MiniOps.td"
def Backwards : UOp<"backwards"> {
  let MinOperands = 3;
  let MaxOperands = 1;
  let Summary = "min above max";
}
// COUNTS: counts.td:2:5: error: op 'backwards' has MaxOperands below MinOperands

//--- arity.td
include "MiniOps.td"
def Lying : UOp<"lying", [Unary]> {
  let MinOperands = 2;
  let MaxOperands = 2;
  let Summary = "claims to be unary";
}
// ARITY: arity.td:2:5: error: op 'lying' has trait Unary but does not take exactly 1 operand(s)

//--- mnemonic.td
include "MiniOps.td"
def Shouty : UOp<"SHOUT"> { let Summary = "upper case"; }
// MNEMONIC: mnemonic.td:2:5: error: mnemonic 'SHOUT' of 'Shouty' must be a lower-case identifier

//--- inline.td
include "MiniOps.td"
def Inline : UOp<"inline"> {
  let InlineArg = 1;
  let Summary = "inline without a field";
}
// INLINE: inline.td:2:5: error: op 'inline' has InlineArg but not exactly one argument field

//--- syntax.td
include "MiniOps.td"
def Broken : UOp<"broken", [NoSuchTrait]> { let Summary = "x"; }
// SYNTAX: syntax.td:2:29: error: Variable not defined: 'NoSuchTrait'

//--- field.td
include "MiniOps.td"
def Twice : UOp<"twice"> {
  let Args = [ArgField<"x", IntArg>, ArgField<"x", IntArg>];
  let Summary = "two fields named x";
}
// FIELD: field.td:2:5: error: op 'twice' has two argument fields named 'x'
