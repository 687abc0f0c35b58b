//===- DeclarativeTest.cpp - interpreting declarative rule tables ---------===//
//
// The tables below are written by hand in the format tg-tblgen
// -gen-rewrite-rules emits (test/tblgen/rules.td shows the generated form).
//
//===----------------------------------------------------------------------===//

#include "tg/Rewrite/Declarative.h"
#include "tg/Rewrite/GraphRewrite.h"
#include "tg/Rewrite/RuleSetRegistry.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <limits>

using namespace tg;
using namespace tg::declarative;

namespace {

const Op AddOps[] = {Op::Add};
const Op FloorModOps[] = {Op::FloorMod};
const Op SubOps[] = {Op::Sub};
const Op CmpLTOps[] = {Op::CmpLT};

const GuardNode Always[] = {{GuardNodeKind::Always, 0, nullptr, NoSlot, 0, 0}};

// x + 0 -> x
const PatternNode AddZeroPattern[] = {
    {PatternNodeKind::Op, AddOps, 1, 0, nullptr, NoSlot, 1, 2},
    {PatternNodeKind::Binding, nullptr, 0, 0, "x", 0, 0, 0},
    {PatternNodeKind::ConstValue, nullptr, 0, 0, nullptr, NoSlot, 0, 0},
};
const ResultNode UseX[] = {
    {ResultNodeKind::Use, Op::Const, 0, "x", 0, 0, 0},
};

// x + x -> x * 2
const PatternNode AddSelfPattern[] = {
    {PatternNodeKind::Op, AddOps, 1, 0, nullptr, NoSlot, 1, 2},
    {PatternNodeKind::Binding, nullptr, 0, 0, "x", 0, 0, 0},
    {PatternNodeKind::Binding, nullptr, 0, 0, "x", 0, 0, 0},
};
const ResultNode MulTwo[] = {
    {ResultNodeKind::NewOp, Op::Mul, 0, nullptr, NoSlot, 1, 2},
    {ResultNodeKind::Use, Op::Const, 0, "x", 0, 0, 0},
    {ResultNodeKind::Const, Op::Const, 2, nullptr, NoSlot, 0, 0},
};

// c1 + c2 -> fold
const PatternNode AddConstsPattern[] = {
    {PatternNodeKind::Op, AddOps, 1, 0, nullptr, NoSlot, 1, 2},
    {PatternNodeKind::ConstBinding, nullptr, 0, 0, "a", 0, 0, 0},
    {PatternNodeKind::ConstBinding, nullptr, 0, 0, "b", 1, 0, 0},
};
const ResultNode FoldAdd[] = {
    {ResultNodeKind::Fold, Op::Add, 0, nullptr, NoSlot, 1, 2},
    {ResultNodeKind::Use, Op::Const, 0, "a", 0, 0, 0},
    {ResultNodeKind::Use, Op::Const, 0, "b", 1, 0, 0},
};

// x % c -> x   when 0 <= vmin(x) and vmax(x) < c
const PatternNode ModPattern[] = {
    {PatternNodeKind::Op, FloorModOps, 1, 0, nullptr, NoSlot, 1, 2},
    {PatternNodeKind::Binding, nullptr, 0, 0, "x", 0, 0, 0},
    {PatternNodeKind::ConstBinding, nullptr, 0, 0, "c", 1, 0, 0},
};
const GuardNode InRange[] = {
    {GuardNodeKind::All, 0, nullptr, NoSlot, 1, 2},
    {GuardNodeKind::Ge, 0, nullptr, NoSlot, 3, 2},
    {GuardNodeKind::Lt, 0, nullptr, NoSlot, 5, 2},
    {GuardNodeKind::VMin, 0, "x", 0, 0, 0},
    {GuardNodeKind::Literal, 0, nullptr, NoSlot, 0, 0},
    {GuardNodeKind::VMax, 0, "x", 0, 0, 0},
    {GuardNodeKind::Value, 0, "c", 1, 0, 0},
};

// x % c -> 0   when factor(x) % c == 0 (a zero c makes the guard false)
const GuardNode Divides[] = {
    {GuardNodeKind::Eq, 0, nullptr, NoSlot, 1, 2},
    {GuardNodeKind::FMod, 0, nullptr, NoSlot, 3, 2},
    {GuardNodeKind::Literal, 0, nullptr, NoSlot, 0, 0},
    {GuardNodeKind::Factor, 0, "x", 0, 0, 0},
    {GuardNodeKind::Value, 0, "c", 1, 0, 0},
};
const ResultNode Zero[] = {
    {ResultNodeKind::Const, Op::Const, 0, nullptr, NoSlot, 0, 0},
};

// x - y -> where(x < y, 0, x - y): a comparison and a condition in a result
const PatternNode SubPattern[] = {
    {PatternNodeKind::Op, SubOps, 1, 0, nullptr, NoSlot, 1, 2},
    {PatternNodeKind::Binding, nullptr, 0, 0, "x", 0, 0, 0},
    {PatternNodeKind::Binding, nullptr, 0, 0, "y", 1, 0, 0},
};
const ResultNode ClampedSub[] = {
    {ResultNodeKind::NewOp, Op::Where, 0, nullptr, NoSlot, 1, 3},
    {ResultNodeKind::NewOp, Op::CmpLT, 0, nullptr, NoSlot, 4, 2},
    {ResultNodeKind::Const, Op::Const, 0, nullptr, NoSlot, 0, 0},
    {ResultNodeKind::NewOp, Op::Sub, 0, nullptr, NoSlot, 6, 2},
    {ResultNodeKind::Use, Op::Const, 0, "x", 0, 0, 0},
    {ResultNodeKind::Use, Op::Const, 0, "y", 1, 0, 0},
    {ResultNodeKind::Use, Op::Const, 0, "x", 0, 0, 0},
    {ResultNodeKind::Use, Op::Const, 0, "y", 1, 0, 0},
};

// x < x -> false
const PatternNode LessSelfPattern[] = {
    {PatternNodeKind::Op, CmpLTOps, 1, 0, nullptr, NoSlot, 1, 2},
    {PatternNodeKind::Binding, nullptr, 0, 0, "x", 0, 0, 0},
    {PatternNodeKind::Binding, nullptr, 0, 0, "x", 0, 0, 0},
};

const UOp *hookReturnsX(const Match &M) { return M["x"]; }

const RuleData Rules[] = {
    {"add-zero", "test", RuleTypes::IntegerTypes, AddZeroPattern, Always, UseX,
     nullptr},
    {"add-self", "test", RuleTypes::IntegerTypes, AddSelfPattern, Always,
     MulTwo, nullptr},
    {"fold-add", "test", RuleTypes::IntegerTypes, AddConstsPattern, Always,
     FoldAdd, nullptr},
    {"mod-in-range", "test", RuleTypes::IndexType, ModPattern, InRange, UseX,
     nullptr},
    {"mod-divides", "test", RuleTypes::IndexType, ModPattern, Divides, Zero,
     nullptr},
    {"clamped-sub", "test", RuleTypes::IntegerTypes, SubPattern, Always,
     ClampedSub, nullptr},
    {"less-self", "test", RuleTypes::IntegerTypes, LessSelfPattern, Always,
     Zero, nullptr},
    {"add-zero-hook", "test", RuleTypes::FloatTypes, AddZeroPattern, Always,
     nullptr, hookReturnsX},
};
enum RuleIndex {
  AddZero,
  AddSelf,
  FoldAddRule,
  ModInRange,
  ModDivides,
  ClampedSubRule,
  LessSelf,
  AddZeroHook,
};

class DeclarativeTest : public ::testing::Test {
protected:
  Context Ctx;
  DType Index = Ctx.getScalar(ScalarKind::Index);
  DType Bool = Ctx.getScalar(ScalarKind::Bool);
  DType I8 = Ctx.getScalar(ScalarKind::I8);
  DType F32 = Ctx.getScalar(ScalarKind::F32);
  RewriteAnalyses Analyses;

  const UOp *var(llvm::StringRef Name, int64_t Min, int64_t Max,
                 DType T = DType()) {
    const Arg *A = Ctx.getListArg(
        {Ctx.getStringArg(Name), Ctx.getIntArg(Min), Ctx.getIntArg(Max)});
    return Ctx.get(Op::DefineVar, T ? T : Index, {}, A);
  }
  const UOp *binary(Op O, const UOp *A, const UOp *B) {
    DType T = hasTrait(O, OpTrait::Comparison) ? Bool : A->getDType();
    return Ctx.get(O, T, {A, B});
  }
  /// The result of rule `I` alone on `U`, or nullptr; with the analyses as
  /// state unless `WithState` is false.
  const UOp *rewrite(unsigned I, const UOp *U, bool WithState = true) {
    RuleSet Set("one", {buildRule(Rules[I])});
    RewriteOptions Options;
    Options.State = WithState ? &Analyses : nullptr;
    return rewriteOnce(Ctx, U, Set, Options);
  }
};

TEST_F(DeclarativeTest, ConstValueMatchesInEitherOrder) {
  const UOp *X = var("x", 0, 9);
  const UOp *Zero = Ctx.getConst(Index, 0);
  EXPECT_EQ(rewrite(AddZero, binary(Op::Add, X, Zero)), X);
  EXPECT_EQ(rewrite(AddZero, binary(Op::Add, Zero, X)), X);
  EXPECT_EQ(rewrite(AddZero, binary(Op::Add, X, Ctx.getConst(Index, 1))),
            nullptr);
}

TEST_F(DeclarativeTest, TypesAreCheckedFirst) {
  const UOp *X = var("x", 0, 9, F32);
  const UOp *Sum = binary(Op::Add, X, Ctx.getFloatConst(F32, 0.0));
  EXPECT_EQ(rewrite(AddZero, Sum), nullptr);
  // A hook rule runs its hook, on the types it allows.
  EXPECT_EQ(rewrite(AddZeroHook, Sum), X);
}

TEST_F(DeclarativeTest, NameBoundTwiceIsOneUOp) {
  const UOp *X = var("x", 0, 9), *Y = var("y", 0, 9);
  const UOp *Result = rewrite(AddSelf, binary(Op::Add, X, X));
  ASSERT_NE(Result, nullptr);
  EXPECT_EQ(Result, binary(Op::Mul, X, Ctx.getConst(Index, 2)));
  EXPECT_EQ(rewrite(AddSelf, binary(Op::Add, X, Y)), nullptr);
}

TEST_F(DeclarativeTest, FoldUsesEvalAlu) {
  EXPECT_EQ(rewrite(FoldAddRule, binary(Op::Add, Ctx.getConst(Index, 3),
                                        Ctx.getConst(Index, 4))),
            Ctx.getConst(Index, 7));
  // i8 wraps.
  EXPECT_EQ(rewrite(FoldAddRule, binary(Op::Add, Ctx.getConst(I8, 100),
                                        Ctx.getConst(I8, 100))),
            Ctx.getConst(I8, -56));
  // index never overflows: no value, no rewrite.
  const UOp *Max = Ctx.getConst(Index, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(rewrite(FoldAddRule, binary(Op::Add, Max, Ctx.getConst(Index, 1))),
            nullptr);
}

TEST_F(DeclarativeTest, GuardReadsRanges) {
  const UOp *Eight = Ctx.getConst(Index, 8);
  const UOp *Small = var("small", 0, 7), *Big = var("big", 0, 8);
  const UOp *Negative = var("negative", -1, 5);
  EXPECT_EQ(rewrite(ModInRange, binary(Op::FloorMod, Small, Eight)), Small);
  EXPECT_EQ(rewrite(ModInRange, binary(Op::FloorMod, Big, Eight)), nullptr);
  EXPECT_EQ(rewrite(ModInRange, binary(Op::FloorMod, Negative, Eight)),
            nullptr);
  // Without state the guard builds its own analyses.
  EXPECT_EQ(rewrite(ModInRange, binary(Op::FloorMod, Small, Eight), false),
            Small);
  EXPECT_GT(Analyses.Ranges.getNumComputed(), 0u);
}

TEST_F(DeclarativeTest, GuardIsExact) {
  const UOp *X = var("x", 0, 7);
  const UOp *Square = binary(Op::Mul, X, X); // [0, 49]
  EXPECT_EQ(rewrite(ModInRange,
                    binary(Op::FloorMod, Square, Ctx.getConst(Index, 50))),
            Square);
  EXPECT_EQ(rewrite(ModInRange,
                    binary(Op::FloorMod, Square, Ctx.getConst(Index, 49))),
            nullptr);
  // vmax beyond int64 is compared exactly, not wrapped.
  const UOp *Huge = Ctx.getConst(Index, std::numeric_limits<int64_t>::max());
  const UOp *Beyond = binary(Op::Add, Huge, X);
  EXPECT_EQ(rewrite(ModInRange, binary(Op::FloorMod, Beyond, Huge)), nullptr);
}

TEST_F(DeclarativeTest, GuardReadsFactors) {
  const UOp *X = var("x", 0, 100);
  const UOp *Times4 = binary(Op::Mul, X, Ctx.getConst(Index, 4));
  EXPECT_EQ(
      rewrite(ModDivides, binary(Op::FloorMod, Times4, Ctx.getConst(Index, 2))),
      Ctx.getConst(Index, 0));
  EXPECT_EQ(
      rewrite(ModDivides, binary(Op::FloorMod, Times4, Ctx.getConst(Index, 3))),
      nullptr);
  // fmod by zero has no value, so the guard is false.
  EXPECT_EQ(
      rewrite(ModDivides, binary(Op::FloorMod, Times4, Ctx.getConst(Index, 0))),
      nullptr);
}

TEST_F(DeclarativeTest, ComparisonsInResultsAreBool) {
  const UOp *X = var("x", 0, 9), *Y = var("y", 0, 9);
  const UOp *Result = rewrite(ClampedSubRule, binary(Op::Sub, X, Y));
  ASSERT_NE(Result, nullptr);
  const UOp *Less = Ctx.get(Op::CmpLT, Bool, {X, Y});
  EXPECT_EQ(Result,
            Ctx.get(Op::Where, Index,
                    {Less, Ctx.getConst(Index, 0), binary(Op::Sub, X, Y)}));
}

TEST_F(DeclarativeTest, ComparisonRootTypesAreItsOperands) {
  const UOp *X = var("x", 0, 9);
  EXPECT_EQ(rewrite(LessSelf, binary(Op::CmpLT, X, X)), Ctx.getConst(Bool, 0));
  const UOp *F = var("f", 0, 9, F32);
  EXPECT_EQ(rewrite(LessSelf, binary(Op::CmpLT, F, F)), nullptr);
}

TEST_F(DeclarativeTest, RegistryListsRulesByKind) {
  RuleSetRegistry &Registry = RuleSetRegistry::get();
  const RuleSet &Set = Registry.add(
      buildRuleSet("declarative-test", Rules, {AddZero, AddZeroHook}),
      "a test set");
  EXPECT_EQ(Registry.lookup("declarative-test"), &Set);
  EXPECT_EQ(Registry.getSummary(Set), "a test set");
  EXPECT_TRUE(Set.getRule(0).isDeclarative());
  EXPECT_FALSE(Set.getRule(1).isDeclarative());
  EXPECT_EQ(Set.getRule(1).getData(), &Rules[AddZeroHook]);
  std::string Listing;
  llvm::raw_string_ostream OS(Listing);
  Registry.printRules(OS);
  EXPECT_NE(Listing.find("declarative-test add-zero declarative\n"
                         "declarative-test add-zero-hook hook\n"),
            std::string::npos);
}

} // namespace
