// RUN: tg-tblgen -gen-op-defs -I %td_dir %td_dir/UOps.td | FileCheck %s
// The real op set generates an enum and a table row per op, in file order.

// CHECK-LABEL: #ifdef GET_OP_ENUM
// CHECK-NEXT:    Sink,
// CHECK-NEXT:    Group,
// CHECK:         FloorDiv,
// CHECK-NEXT:    FloorMod,
// CHECK-NEXT:    TruncDiv,
// CHECK-NEXT:    TruncMod,

// CHECK-LABEL: #ifdef GET_OP_ARG_FIELDS
// CHECK:         {"axis", ArgType::Int}, // range
// CHECK-NEXT:    {"kind", ArgType::AxisKind}, // range

// CHECK-LABEL: #ifdef GET_OP_INFO
// CHECK:         {"store", unsigned(OpTrait::KernelLevel) | unsigned(OpTrait::SideEffect), 2, 2, {{[0-9]+}}, 0, false, ResultConstraint::Void,
// CHECK:         {"add", unsigned(OpTrait::Elementwise) | unsigned(OpTrait::Binary) | unsigned(OpTrait::Commutative) | unsigned(OpTrait::Associative), 2, 2, {{[0-9]+}}, 0, false, ResultConstraint::SameAsOperands, "a + b; fixed-width integers wrap (two's complement)"},
