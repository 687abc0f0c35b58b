// RUN: tg-tblgen -gen-rewrite-rules -rule-set-registrar=registerTestRules -I %td_dir %s | FileCheck %s
// Each rule becomes tables of pattern, guard and result nodes (children of a
// node are contiguous; slots number names in preorder), then one RuleData
// row; the registrar builds every set: own rules, then included ones.

include "patterns/RuleBase.td"

def Simple : RuleSet<"simple", "the simplifier">;
def Ranges : RuleSet<"ranges", "rules using ranges">;
def Everything : RuleSet<"everything", "all of it", [Simple, Ranges, Simple]>;

// CHECK:       namespace tg::hooks {
// CHECK-NEXT:  const ::tg::UOp *foldCompare(const ::tg::Match &M);
// CHECK-NEXT:  } // namespace tg::hooks

// CHECK-LABEL: namespace registerTestRulesTables {
// CHECK-NEXT:  using namespace ::tg::declarative;

let Set = Simple in {
// x + 0 -> x
def AddZero : Rule<"add-zero", (Add $x, (Const 0)), (use $x)>;
// CHECK-LABEL: // add-zero: (Add $x, (Const 0)) -> (use $x)
// CHECK-NEXT:  namespace Rule0 {
// CHECK-NEXT:  const ::tg::Op Ops0[] = {::tg::Op::Add};
// CHECK-NEXT:  const PatternNode Pattern[] = {
// CHECK-NEXT:      {PatternNodeKind::Op, Ops0, 1, 0, nullptr, NoSlot, 1, 2},
// CHECK-NEXT:      {PatternNodeKind::Binding, nullptr, 0, 0, "x", 0, 0, 0},
// CHECK-NEXT:      {PatternNodeKind::ConstValue, nullptr, 0, 0, nullptr, NoSlot, 0, 0},
// CHECK-NEXT:  };
// CHECK-NEXT:  const GuardNode Guard[] = {
// CHECK-NEXT:      {GuardNodeKind::Always, 0, nullptr, NoSlot, 0, 0},
// CHECK-NEXT:  };
// CHECK-NEXT:  const ResultNode Result[] = {
// CHECK-NEXT:      {ResultNodeKind::Use, ::tg::Op::Const, 0, "x", 0, 0, 0},
// CHECK-NEXT:  };
// CHECK-NEXT:  } // namespace Rule0

// (x * c) // c -> x   when c > 0
def MulDiv : Rule<"mul-div", (FloorDiv (Mul $x, (Const $c)), (Const $c)),
                  (use $x)> {
  let Guard = (gt $c, 0);
  let Types = IndexType;
}
// CHECK-LABEL: // mul-div: (FloorDiv (Mul $x, (Const $c)), (Const $c)) -> (use $x)
// CHECK:       const PatternNode Pattern[] = {
// CHECK-NEXT:      {PatternNodeKind::Op, Ops0, 1, 0, nullptr, NoSlot, 1, 2},
// CHECK-NEXT:      {PatternNodeKind::Op, Ops1, 1, 0, nullptr, NoSlot, 3, 2},
// CHECK-NEXT:      {PatternNodeKind::ConstBinding, nullptr, 0, 0, "c", 1, 0, 0},
// CHECK-NEXT:      {PatternNodeKind::Binding, nullptr, 0, 0, "x", 0, 0, 0},
// CHECK-NEXT:      {PatternNodeKind::ConstBinding, nullptr, 0, 0, "c", 1, 0, 0},
// CHECK-NEXT:  };
// CHECK-NEXT:  const GuardNode Guard[] = {
// CHECK-NEXT:      {GuardNodeKind::Gt, 0, nullptr, NoSlot, 1, 2},
// CHECK-NEXT:      {GuardNodeKind::Value, 0, "c", 1, 0, 0},
// CHECK-NEXT:      {GuardNodeKind::Literal, 0, nullptr, NoSlot, 0, 0},
// CHECK-NEXT:  };

// c1 + c2 -> fold, and x*2 -> x+x through a new op
def FoldAdd : Rule<"fold-add", (Add (Const $a), (Const $b)), (fold Add, $a, $b)>;
// CHECK-LABEL: // fold-add: (Add (Const $a), (Const $b)) -> (fold Add, $a, $b)
// CHECK:       const ResultNode Result[] = {
// CHECK-NEXT:      {ResultNodeKind::Fold, ::tg::Op::Add, 0, nullptr, NoSlot, 1, 2},
// CHECK-NEXT:      {ResultNodeKind::Use, ::tg::Op::Const, 0, "a", 0, 0, 0},
// CHECK-NEXT:      {ResultNodeKind::Use, ::tg::Op::Const, 0, "b", 1, 0, 0},
def MulTwo : Rule<"mul-two", (Mul $x, (Const 2)), (Add $x, $x)>;
// CHECK-LABEL: // mul-two: (Mul $x, (Const 2)) -> (Add $x, $x)
// CHECK:       {ResultNodeKind::NewOp, ::tg::Op::Add, 0, nullptr, NoSlot, 1, 2},

// An op set and a binding of the matched UOp; a hook has no result table.
def CompareHook : HookRule<"compare-hook",
    (AnyOf<[Add, Mul]>:$s $x, $y), "foldCompare", "needs the types">;
// CHECK-LABEL: // compare-hook: (AnyOf<[Add, Mul]>:$s $x, $y) -> foldCompare()
// CHECK-NEXT:  namespace Rule4 {
// CHECK-NEXT:  const ::tg::Op Ops0[] = {::tg::Op::Add, ::tg::Op::Mul};
// CHECK-NEXT:  const PatternNode Pattern[] = {
// CHECK-NEXT:      {PatternNodeKind::Op, Ops0, 2, 0, "s", 0, 1, 2},
// CHECK:       } // namespace Rule4
}

let Set = Ranges in
// x % c -> x   when 0 <= x < c
def ModSmall : Rule<"mod-small", (FloorMod $x, (Const $c)), (use $x)> {
  let Guard = (all (ge (vmin $x), 0), (lt (vmax $x), $c));
}
// CHECK-LABEL: // mod-small:
// CHECK:       const GuardNode Guard[] = {
// CHECK-NEXT:      {GuardNodeKind::All, 0, nullptr, NoSlot, 1, 2},
// CHECK-NEXT:      {GuardNodeKind::Ge, 0, nullptr, NoSlot, 3, 2},
// CHECK-NEXT:      {GuardNodeKind::Lt, 0, nullptr, NoSlot, 5, 2},
// CHECK-NEXT:      {GuardNodeKind::VMin, 0, "x", 0, 0, 0},
// CHECK-NEXT:      {GuardNodeKind::Literal, 0, nullptr, NoSlot, 0, 0},
// CHECK-NEXT:      {GuardNodeKind::VMax, 0, "x", 0, 0, 0},
// CHECK-NEXT:      {GuardNodeKind::Value, 0, "c", 1, 0, 0},
// CHECK-NEXT:  };

// CHECK-LABEL: const RuleData Rules[] = {
// CHECK-NEXT:      {"add-zero", "simple", RuleTypes::IntegerTypes, Rule0::Pattern, Rule0::Guard, Rule0::Result, nullptr},
// CHECK-NEXT:      {"mul-div", "simple", RuleTypes::IndexType, Rule1::Pattern, Rule1::Guard, Rule1::Result, nullptr},
// CHECK-NEXT:      {"fold-add", "simple",
// CHECK-NEXT:      {"mul-two", "simple",
// CHECK-NEXT:      {"compare-hook", "simple", RuleTypes::IntegerTypes, Rule4::Pattern, Rule4::Guard, nullptr, &::tg::hooks::foldCompare},
// CHECK-NEXT:      {"mod-small", "ranges",
// CHECK-NEXT:  };

// CHECK-LABEL: void registerTestRules(::tg::RuleSetRegistry &Registry) {
// CHECK-NEXT:    using namespace registerTestRulesTables;
// CHECK-NEXT:    Registry.add(buildRuleSet("simple", Rules, {0, 1, 2, 3, 4}),
// CHECK-NEXT:                 "the simplifier");
// CHECK-NEXT:    Registry.add(buildRuleSet("ranges", Rules, {5}),
// CHECK-NEXT:                 "rules using ranges");
// CHECK-NEXT:    Registry.add(buildRuleSet("everything", Rules, {0, 1, 2, 3, 4, 5}),
// CHECK-NEXT:                 "all of it");
// CHECK-NEXT:  }
