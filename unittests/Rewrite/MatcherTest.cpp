//===- MatcherTest.cpp - patterns matched against UOps --------------------===//

#include "tg/Rewrite/GraphRewrite.h"

#include "gtest/gtest.h"

using namespace tg;
using namespace tg::pattern;

namespace {

const UOp *noAction(const Match &) { return nullptr; }

class MatcherTest : public ::testing::Test {
protected:
  Context Ctx;
  DType Index = Ctx.getScalar(ScalarKind::Index);
  DType I32 = Ctx.getScalar(ScalarKind::I32);
  DType F32 = Ctx.getScalar(ScalarKind::F32);
  DType Bool = Ctx.getScalar(ScalarKind::Bool);

  const UOp *variable(llvm::StringRef Name, DType T) {
    return Ctx.get(Op::DefineVar, T, {},
                   Ctx.getListArg({Ctx.getStringArg(Name), Ctx.getIntArg(0),
                                   Ctx.getIntArg(100)}));
  }
  const UOp *binary(Op O, const UOp *A, const UOp *B) {
    return Ctx.get(O, A->getDType(), {A, B});
  }

  /// Matches `P` against `U` (first match) and keeps the bindings.
  struct Result {
    Rule R;
    Bindings B;
    bool Matched;
    const UOp *operator[](llvm::StringRef Name) const {
      return B[R.lookupSlot(Name)];
    }
  };
  Result match(const Pattern &P, const UOp *U) {
    Result Res{Rule("test", P, noAction), Bindings(), false};
    Res.Matched =
        matchPattern(Res.R.getPattern(), U, Res.B, [] { return true; });
    return Res;
  }
  bool matches(const Pattern &P, const UOp *U) { return match(P, U).Matched; }
};

TEST_F(MatcherTest, OpSets) {
  const UOp *X = variable("x", Index);
  const UOp *Y = variable("y", Index);
  Pattern AddOrMul = ops({Op::Add, Op::Mul});
  EXPECT_TRUE(matches(AddOrMul, binary(Op::Add, X, Y)));
  EXPECT_TRUE(matches(AddOrMul, binary(Op::Mul, X, Y)));
  EXPECT_FALSE(matches(AddOrMul, binary(Op::Sub, X, Y)));
  EXPECT_TRUE(matches(any(), binary(Op::Sub, X, Y)));
  Pattern Commutative = ops(OpSet::withTrait(OpTrait::Commutative));
  EXPECT_TRUE(matches(Commutative, binary(Op::Max, X, Y)));
  EXPECT_FALSE(matches(Commutative, binary(Op::FloorDiv, X, Y)));
}

TEST_F(MatcherTest, TypeSetsAndClasses) {
  const UOp *I = variable("i", Index);
  const UOp *N = variable("n", I32);
  const UOp *F = Ctx.getFloatConst(F32, 1.5);
  const UOp *B = Ctx.getConst(Bool, 1);
  EXPECT_TRUE(matches(var("x", TypeSet::index()), I));
  EXPECT_FALSE(matches(var("x", TypeSet::index()), N));
  EXPECT_TRUE(matches(var("x", TypeSet::integers()), I));
  EXPECT_TRUE(matches(var("x", TypeSet::integers()), N));
  EXPECT_FALSE(matches(var("x", TypeSet::integers()), F));
  EXPECT_FALSE(matches(var("x", TypeSet::integers()), B));
  EXPECT_TRUE(matches(var("x", TypeSet::floats()), F));
  EXPECT_TRUE(matches(var("x", TypeSet::bools()), B));
  EXPECT_TRUE(matches(var("x", TypeSet::of({ScalarKind::I32})), N));
  EXPECT_TRUE(
      matches(var("x", TypeSet::floats() | TypeSet::signedIntegers()), N));

  // Vectors are matched by lane type; pointers only by the pointer class.
  const UOp *Vec = Ctx.get(Op::Vectorize, Ctx.getVector(F32, 4), {F, F, F, F});
  EXPECT_TRUE(matches(var("x", TypeSet::floats()), Vec));
  DType Ptr = Ctx.getPointer(F32, AddrSpace::Global, 16);
  const UOp *Buf = Ctx.get(Op::Define, Ptr, {}, Ctx.getIntArg(0));
  EXPECT_FALSE(matches(var("x", TypeSet::floats()), Buf));
  EXPECT_TRUE(matches(var("x", TypeSet::pointers()), Buf));
  EXPECT_TRUE(matches(var("x"), Buf));
}

TEST_F(MatcherTest, FixedSourcesMatchInOrderAndCount) {
  const UOp *X = variable("x", Index);
  const UOp *Zero = Ctx.getConst(Index, 0);
  Pattern AddZero = op(Op::Add, {var("x"), constant(0)});
  EXPECT_TRUE(matches(AddZero, binary(Op::Add, X, Zero)));
  EXPECT_FALSE(matches(AddZero, binary(Op::Add, Zero, X)));
  const UOp *Where = Ctx.get(Op::Where, Index, {Ctx.getConst(Bool, 1), X, X});
  EXPECT_FALSE(matches(op(Op::Where, {any(), any()}), Where));
  EXPECT_TRUE(matches(op(Op::Where, {any(), any(), any()}), Where));
}

TEST_F(MatcherTest, VariadicSources) {
  DType Void = Ctx.getScalar(ScalarKind::Void);
  const UOp *X = variable("x", Index);
  const UOp *C = Ctx.getConst(Index, 3);
  const UOp *Sink = Ctx.get(Op::Sink, Void, {X, C, C});
  // The listed sources, then anything.
  Pattern FirstIsVar = op(Op::Sink, {op(Op::DefineVar).named("v")}).withRest();
  Result R = match(FirstIsVar, Sink);
  ASSERT_TRUE(R.Matched);
  EXPECT_EQ(R["v"], X);
  EXPECT_FALSE(matches(op(Op::Sink, {op(Op::Const)}).withRest(), Sink));
  EXPECT_TRUE(matches(op(Op::Sink, {}).withRest(), Ctx.get(Op::Sink, Void)));
  // Every source against one pattern, any number of them.
  EXPECT_FALSE(matches(eachSource({Op::Sink}, op(Op::Const)), Sink));
  EXPECT_TRUE(matches(eachSource({Op::Sink}, op(Op::Const)),
                      Ctx.get(Op::Sink, Void, {C, C, C})));
  EXPECT_TRUE(
      matches(eachSource({Op::Sink}, op(Op::Const)), Ctx.get(Op::Sink, Void)));
  // A name inside `each` binds one UOp: all sources must be it.
  EXPECT_TRUE(matches(eachSource({Op::Sink}, var("s")),
                      Ctx.get(Op::Sink, Void, {C, C, C})));
  EXPECT_FALSE(matches(eachSource({Op::Sink}, var("s")), Sink));
}

TEST_F(MatcherTest, CommutativeSourcesMatchInBothOrders) {
  const UOp *X = variable("x", Index);
  const UOp *Zero = Ctx.getConst(Index, 0);
  Pattern AddZero = op(Op::Add, {var("x"), constant(0)}).anyOrder();
  Result Right = match(AddZero, binary(Op::Add, X, Zero));
  ASSERT_TRUE(Right.Matched);
  EXPECT_EQ(Right["x"], X);
  Result Left = match(AddZero, binary(Op::Add, Zero, X));
  ASSERT_TRUE(Left.Matched);
  EXPECT_EQ(Left["x"], X);
  EXPECT_FALSE(matches(AddZero, binary(Op::Add, X, X)));
}

TEST_F(MatcherTest, BacktracksIntoTheOtherOrder) {
  // (add $x, (mul $x, $y)) in any order against add(mul(a, b), a): the
  // first order binds x to the mul and fails on `a`; the second must start
  // from clean bindings.
  const UOp *A = variable("a", Index);
  const UOp *B = variable("b", Index);
  const UOp *Mul = binary(Op::Mul, A, B);
  Pattern P =
      op(Op::Add, {var("x"), op(Op::Mul, {var("x"), var("y")})}).anyOrder();
  Result R = match(P, binary(Op::Add, Mul, A));
  ASSERT_TRUE(R.Matched);
  EXPECT_EQ(R["x"], A);
  EXPECT_EQ(R["y"], B);
  EXPECT_FALSE(matches(P, binary(Op::Add, Mul, B)));
}

TEST_F(MatcherTest, NestedCommutativeMatchesEveryCombination) {
  const UOp *A = variable("a", Index);
  const UOp *B = variable("b", Index);
  const UOp *C = Ctx.getConst(Index, 5);
  // (add (mul $x, 5){any order}, $x){any order} against add(b, mul(5, b)).
  Pattern P =
      op(Op::Add, {op(Op::Mul, {var("x"), constant(5)}).anyOrder(), var("x")})
          .anyOrder();
  EXPECT_TRUE(matches(P, binary(Op::Add, B, binary(Op::Mul, C, B))));
  EXPECT_TRUE(matches(P, binary(Op::Add, binary(Op::Mul, B, C), B)));
  EXPECT_FALSE(matches(P, binary(Op::Add, A, binary(Op::Mul, C, B))));
}

TEST_F(MatcherTest, ContinuationRejectionTriesTheNextMatch) {
  // Both orders match; the caller rejects the first binding of x.
  const UOp *X = variable("x", Index);
  const UOp *Y = variable("y", Index);
  Rule R("test", op(Op::Add, {var("x"), var("y")}).anyOrder(), noAction);
  Bindings B;
  std::vector<const UOp *> Seen;
  bool Matched = matchPattern(R.getPattern(), binary(Op::Add, X, Y), B, [&] {
    Seen.push_back(B[R.lookupSlot("x")]);
    return B[R.lookupSlot("x")] == Y;
  });
  EXPECT_TRUE(Matched);
  EXPECT_EQ(Seen, (std::vector<const UOp *>{X, Y}));
  EXPECT_EQ(B[R.lookupSlot("y")], X);
}

TEST_F(MatcherTest, FailedMatchLeavesNoBindings) {
  const UOp *X = variable("x", Index);
  const UOp *Y = variable("y", Index);
  Rule R("test", op(Op::Add, {var("x"), var("y"), var("z")}), noAction);
  Bindings B;
  EXPECT_FALSE(matchPattern(R.getPattern(), binary(Op::Add, X, Y), B,
                            [] { return true; }));
  Rule R2("test", op(Op::Add, {var("x"), var("y")}).anyOrder(), noAction);
  EXPECT_FALSE(matchPattern(R2.getPattern(), binary(Op::Add, X, Y), B,
                            [] { return false; }));
  for (unsigned Slot = 0; Slot != MaxBindings; ++Slot)
    EXPECT_EQ(B[Slot], nullptr) << "slot " << Slot;
}

TEST_F(MatcherTest, RepeatedNameMustBindTheSameUOp) {
  const UOp *X = variable("x", Index);
  const UOp *Y = variable("y", Index);
  Pattern Twice = op(Op::Add, {var("x"), var("x")});
  EXPECT_TRUE(matches(Twice, binary(Op::Add, X, X)));
  EXPECT_FALSE(matches(Twice, binary(Op::Add, X, Y)));
  // The root may be named too, and a name may bind an inner node.
  Pattern Nested =
      op(Op::Mul, {op(Op::Add, {var("x"), any()}), var("x")}).named("root");
  const UOp *Good = binary(Op::Mul, binary(Op::Add, X, Y), X);
  Result R = match(Nested, Good);
  ASSERT_TRUE(R.Matched);
  EXPECT_EQ(R["root"], Good);
  EXPECT_FALSE(matches(Nested, binary(Op::Mul, binary(Op::Add, X, Y), Y)));
}

bool isReduceAxis(const Arg *A) {
  return A && A->isList() &&
         A->getElements()[1]->getAxisKind() == AxisKind::Reduce;
}

TEST_F(MatcherTest, ArgumentPredicates) {
  const UOp *N = Ctx.getConst(Index, 16);
  auto MakeRange = [&](AxisKind K) {
    return Ctx.get(Op::Range, Index, {N},
                   Ctx.getListArg({Ctx.getIntArg(0), Ctx.getAxisKindArg(K)}));
  };
  Pattern Reduce =
      op(Op::Range).arg(ArgMatch::predicate("reduce", isReduceAxis));
  EXPECT_TRUE(matches(Reduce, MakeRange(AxisKind::Reduce)));
  EXPECT_FALSE(matches(Reduce, MakeRange(AxisKind::Global)));
}

TEST_F(MatcherTest, ConstantValues) {
  EXPECT_TRUE(matches(constant(0), Ctx.getConst(Index, 0)));
  EXPECT_TRUE(matches(constant(0), Ctx.getConst(I32, 0)));
  EXPECT_FALSE(matches(constant(0), Ctx.getConst(Index, 1)));
  // Numeric equality across integers, bools and floats.
  EXPECT_TRUE(matches(constant(0), Ctx.getFloatConst(F32, 0.0)));
  EXPECT_TRUE(matches(constant(0), Ctx.getFloatConst(F32, -0.0)));
  EXPECT_TRUE(matches(constant(1), Ctx.getConst(Bool, 1)));
  EXPECT_TRUE(matches(constant(2.0), Ctx.getConst(Index, 2)));
  EXPECT_FALSE(matches(constant(2.5), Ctx.getConst(Index, 2)));
  EXPECT_TRUE(matches(constant(2.5), Ctx.getFloatConst(F32, 2.5)));
  EXPECT_FALSE(matches(constant(1), Ctx.getFloatConst(F32, 1.5)));
  // Not a const at all.
  EXPECT_FALSE(matches(constant(0), variable("x", Index)));
  // Restricted to a type family.
  EXPECT_FALSE(
      matches(constant(0).types(TypeSet::floats()), Ctx.getConst(Index, 0)));
  // Any constant, bound.
  Result R =
      match(anyConstant("c", TypeSet::integers()), Ctx.getConst(Index, 7));
  ASSERT_TRUE(R.Matched);
  EXPECT_EQ(R["c"]->getArg()->getInt(), 7);
  EXPECT_FALSE(matches(anyConstant("c"), variable("x", Index)));
}

TEST_F(MatcherTest, Alternatives) {
  const UOp *X = variable("x", Index);
  const UOp *C = Ctx.getConst(Index, 3);
  Pattern ConstOrVar = anyOf({op(Op::Const), op(Op::DefineVar)}).named("v");
  Result R = match(ConstOrVar, X);
  ASSERT_TRUE(R.Matched);
  EXPECT_EQ(R["v"], X);
  EXPECT_TRUE(matches(ConstOrVar, C));
  EXPECT_FALSE(matches(ConstOrVar, binary(Op::Add, X, C)));
  EXPECT_EQ(ConstOrVar.getRootOps(), (OpSet{Op::Const, Op::DefineVar}));
}

TEST_F(MatcherTest, SlotsFollowFirstAppearance) {
  Rule R(
      "r",
      op(Op::Add, {op(Op::Mul, {var("x"), var("y")}), var("x")}).named("root"),
      noAction);
  EXPECT_EQ(R.getNumSlots(), 3u);
  EXPECT_EQ(R.lookupSlot("root"), 0u);
  EXPECT_EQ(R.lookupSlot("x"), 1u);
  EXPECT_EQ(R.lookupSlot("y"), 2u);
  EXPECT_EQ(R.lookupSlot("z"), unsigned(Pattern::NoSlot));
}

TEST_F(MatcherTest, PatternsPrintOnOneLine) {
  EXPECT_EQ(
      op(Op::Add, {var("x", TypeSet::index()), constant(0)}).anyOrder().str(),
      "(add {any order} $x:index, 0)");
  EXPECT_EQ(op(Op::Add, {var("x"), var("x")}).named("r").str(),
            "$r=(add $x, $x)");
  EXPECT_EQ(op(Op::Sink, {any()}).withRest().str(), "(sink _, ...)");
  EXPECT_EQ(eachSource({Op::Vectorize}, anyConstant("c")).str(),
            "(vectorize each $c=(const))");
  EXPECT_EQ(anyOf({op(Op::Const), op(Op::VConst)}).str(),
            "(anyOf (const), (vconst))");
  EXPECT_EQ(ops({Op::Add, Op::Mul}).types(TypeSet::floats()).str(),
            "({add, mul}:{f16, bf16, f32, f64, fp8e4m3, fp8e5m2})");
  EXPECT_EQ(
      op(Op::Range).arg(ArgMatch::predicate("reduce", isReduceAxis)).str(),
      "(range = ?reduce)");
}

} // namespace
