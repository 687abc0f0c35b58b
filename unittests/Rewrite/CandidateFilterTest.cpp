//===- CandidateFilterTest.cpp - the prefilter of a rule set's dispatch ---===//
//
// The filter may only drop rules that cannot match: every rule the matcher
// accepts must be selected. The flat matcher must enumerate the matches of
// the general one, in its order.
//
//===----------------------------------------------------------------------===//

#include "tg/Rewrite/Declarative.h"
#include "tg/Rewrite/GraphRewrite.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

using namespace tg;
using namespace tg::pattern;

namespace {

const UOp *noAction(const Match &) { return nullptr; }

class CandidateFilterTest : public ::testing::Test {
protected:
  Context Ctx;
  DType Index = Ctx.getScalar(ScalarKind::Index);
  DType I32 = Ctx.getScalar(ScalarKind::I32);
  DType Bool = Ctx.getScalar(ScalarKind::Bool);
  const UOp *X = variable("x", Index);
  const UOp *Y = variable("y", Index);
  const UOp *Two = Ctx.getConst(Index, 2);

  const UOp *variable(llvm::StringRef Name, DType T) {
    return Ctx.get(Op::DefineVar, T, {},
                   Ctx.getListArg({Ctx.getStringArg(Name), Ctx.getIntArg(0),
                                   Ctx.getIntArg(9)}));
  }
  /// The names of the rules of `S` selected for `U`.
  std::vector<std::string> selected(const RuleSet &S, const UOp *U) {
    llvm::SmallVector<uint64_t, 2> Mask;
    S.selectCandidates(U, Mask);
    std::vector<std::string> Names;
    llvm::ArrayRef<unsigned> Candidates = S.getCandidates(U->getOp());
    for (size_t K = 0; K != Candidates.size(); ++K)
      if ((Mask[K / 64] >> (K % 64)) & 1)
        Names.push_back(S.getRule(Candidates[K]).getName().str());
    return Names;
  }
};

using Names = std::vector<std::string>;

TEST_F(CandidateFilterTest, ConstantsByValue) {
  RuleSet S(
      "s",
      {
          Rule("mul-one", op(Op::Mul, {var("x"), constant(1)}), noAction),
          Rule("mul-zero", op(Op::Mul, {var("x"), constant(0)}), noAction),
          Rule("mul-float-zero", op(Op::Mul, {var("x"), constant(0.0)}),
               noAction),
          Rule("mul-c", op(Op::Mul, {var("x"), anyConstant("c")}), noAction),
      });
  DType F32 = Ctx.getScalar(ScalarKind::F32);
  const UOp *F = variable("f", F32);
  EXPECT_EQ(selected(S, Ctx.get(Op::Mul, Index, {X, Two})), (Names{"mul-c"}));
  EXPECT_EQ(selected(S, Ctx.get(Op::Mul, Index, {X, Ctx.getConst(Index, 1)})),
            (Names{"mul-one", "mul-c"}));
  EXPECT_EQ(
      selected(S, Ctx.get(Op::Mul, F32, {F, Ctx.getFloatConst(F32, -0.0)})),
      (Names{"mul-zero", "mul-float-zero", "mul-c"}));
  EXPECT_EQ(selected(S, Ctx.get(Op::Mul, Bool,
                                {variable("b", Bool),
                                 Ctx.getConst(Bool, int64_t(1))})),
            (Names{"mul-one", "mul-c"}));
}

TEST_F(CandidateFilterTest, SourcesInEitherOrderForTwoPermutedSources) {
  RuleSet S(
      "s",
      {
          Rule("add-const", op(Op::Add, {var("x"), anyConstant("c")}),
               noAction),
          Rule("add-const-any-order",
               op(Op::Add, {var("x"), anyConstant("c")}).anyOrder(), noAction),
          Rule("add-mul", op(Op::Add, {op(Op::Mul), var("y")}), noAction),
          Rule("add", op(Op::Add), noAction),
      });
  EXPECT_EQ(selected(S, Ctx.get(Op::Add, Index, {X, Two})),
            (Names{"add-const", "add-const-any-order", "add"}));
  EXPECT_EQ(selected(S, Ctx.get(Op::Add, Index, {Two, X})),
            (Names{"add-const-any-order", "add"}));
  EXPECT_EQ(selected(S, Ctx.get(Op::Add, Index,
                                {Ctx.get(Op::Mul, Index, {X, Two}), Y})),
            (Names{"add-mul", "add"}));
}

TEST_F(CandidateFilterTest, NumberOfSources) {
  RuleSet S("s",
            {
                Rule("two", op(Op::Sink, {var("a"), var("b")}), noAction),
                Rule("two-or-more",
                     op(Op::Sink, {var("a"), var("b")}).withRest(), noAction),
                Rule("each", eachSource({Op::Sink}, var("a")), noAction),
            });
  DType V = Ctx.getScalar(ScalarKind::Void);
  EXPECT_EQ(selected(S, Ctx.get(Op::Sink, V, {X})), (Names{"each"}));
  EXPECT_EQ(selected(S, Ctx.get(Op::Sink, V, {X, Y})),
            (Names{"two", "two-or-more", "each"}));
  EXPECT_EQ(selected(S, Ctx.get(Op::Sink, V, {X, Y, X, Y, X})),
            (Names{"two-or-more", "each"}));
}

/// Rule types apply to the root, or to the first operand of a comparison.
TEST_F(CandidateFilterTest, RuleTypesOfDeclarativeRules) {
  static const Op AddOps[] = {Op::Add};
  static const Op CmpLTOps[] = {Op::CmpLT};
  using namespace declarative;
  static const GuardNode Always[] = {
      {GuardNodeKind::Always, 0, nullptr, NoSlot, 0, 0}};
  static const PatternNode AddPattern[] = {
      {PatternNodeKind::Op, AddOps, 1, 0, nullptr, NoSlot, 1, 2},
      {PatternNodeKind::Binding, nullptr, 0, 0, "x", 0, 0, 0},
      {PatternNodeKind::Binding, nullptr, 0, 0, "y", 1, 0, 0},
  };
  static const PatternNode LessPattern[] = {
      {PatternNodeKind::Op, CmpLTOps, 1, 0, nullptr, NoSlot, 1, 2},
      {PatternNodeKind::Binding, nullptr, 0, 0, "x", 0, 0, 0},
      {PatternNodeKind::Binding, nullptr, 0, 0, "y", 1, 0, 0},
  };
  static const ResultNode UseX[] = {
      {ResultNodeKind::Use, Op::Const, 0, "x", 0, 0, 0}};
  static const RuleData Data[] = {
      {"add-index", "s", RuleTypes::IndexType, AddPattern, Always, UseX,
       nullptr},
      {"less-index", "s", RuleTypes::IndexType, LessPattern, Always, UseX,
       nullptr},
  };
  std::unique_ptr<RuleSet> S = buildRuleSet("s", Data, {0, 1});
  const UOp *A = variable("a", I32), *B = variable("b", I32);
  EXPECT_EQ(selected(*S, Ctx.get(Op::Add, Index, {X, Y})),
            (Names{"add-index"}));
  EXPECT_EQ(selected(*S, Ctx.get(Op::Add, I32, {A, B})), Names{});
  EXPECT_EQ(selected(*S, Ctx.get(Op::CmpLT, Bool, {X, Y})),
            (Names{"less-index"}));
  EXPECT_EQ(selected(*S, Ctx.get(Op::CmpLT, Bool, {A, B})), Names{});
}

TEST_F(CandidateFilterTest, TypeSetsAgreeWithRuleTypes) {
  using namespace declarative;
  std::vector<DType> Types;
  for (unsigned K = 0; K != NumScalarKinds; ++K) {
    DType Scalar = Ctx.getScalar(ScalarKind(K));
    Types.push_back(Scalar);
    if (!Scalar.isVoid())
      Types.push_back(Ctx.getVector(Scalar, 4));
  }
  Types.push_back(
      Ctx.getPointer(Ctx.getScalar(ScalarKind::F32), AddrSpace::Global, 16));
  for (RuleTypes R :
       {RuleTypes::IndexType, RuleTypes::IntegerTypes, RuleTypes::BoolType,
        RuleTypes::IntOrBool, RuleTypes::FloatTypes, RuleTypes::AnyTypes})
    for (DType T : Types)
      EXPECT_EQ(getTypeSet(R).contains(T), typesContain(R, T))
          << T.str() << " in rule types " << unsigned(R);
}

TEST_F(CandidateFilterTest, MoreThanSixtyFourCandidates) {
  std::vector<Rule> Rules;
  for (int I = 0; I != 150; ++I)
    Rules.push_back(Rule("r" + std::to_string(I),
                         op(Op::Add, {var("x"), constant(I % 3)}).anyOrder(),
                         noAction));
  Rules.push_back(Rule("mul", op(Op::Add, {op(Op::Mul), var("y")}), noAction));
  RuleSet S("s", std::move(Rules));
  // A constant is keyed by its value: 0, 1, -1 or another.
  Names WithTwo = selected(S, Ctx.get(Op::Add, Index, {Two, X}));
  EXPECT_EQ(WithTwo.size(), 50u);
  EXPECT_EQ(WithTwo.back(), "r149");
  EXPECT_EQ(
      selected(S, Ctx.get(Op::Add, Index, {X, Ctx.getConst(Index, 0)})).front(),
      "r0");
  EXPECT_EQ(selected(S, Ctx.get(Op::Add, Index,
                                {Ctx.get(Op::Mul, Index, {X, Two}), Y})),
            Names{"mul"});
}

unsigned HookCalls = 0;
const UOp *countingHook(const Match &) {
  ++HookCalls;
  return nullptr;
}

/// A hook decides from the root alone: the other order of its commutative
/// sources would only call it again.
TEST_F(CandidateFilterTest, HookIsCalledOncePerRoot) {
  using namespace declarative;
  static const Op AddOps[] = {Op::Add};
  static const GuardNode Always[] = {
      {GuardNodeKind::Always, 0, nullptr, NoSlot, 0, 0}};
  static const PatternNode AddPattern[] = {
      {PatternNodeKind::Op, AddOps, 1, 0, nullptr, NoSlot, 1, 2},
      {PatternNodeKind::Binding, nullptr, 0, 0, "x", 0, 0, 0},
      {PatternNodeKind::Binding, nullptr, 0, 0, "y", 1, 0, 0},
  };
  static const RuleData Data[] = {{"hook", "s", RuleTypes::IndexType,
                                   AddPattern, Always, nullptr, countingHook}};
  std::unique_ptr<RuleSet> S = buildRuleSet("s", Data, {0});
  ASSERT_EQ(S->getRule(0).getPattern().Mode, SourceMode::Permutations);
  HookCalls = 0;
  EXPECT_EQ(rewriteOnce(Ctx, Ctx.get(Op::Add, Index, {X, Y}), *S), nullptr);
  EXPECT_EQ(HookCalls, 1u);
}

/// Every binding the matcher reports, in order, as names of UOps.
std::vector<std::string> enumerate(const Rule &R, const UOp *U, bool Flat) {
  Bindings B;
  std::vector<std::string> Matches;
  auto Record = [&] {
    std::string Line;
    for (unsigned Slot = 0; Slot != R.getNumSlots(); ++Slot)
      Line += expressionToString(B[Slot], 1) + ";";
    Matches.push_back(Line);
    return false;
  };
  if (Flat)
    matchFlatPattern(R.getPattern(), U, B, Record);
  else
    matchPattern(R.getPattern(), U, B, Record);
  return Matches;
}

TEST_F(CandidateFilterTest, FlatPatternsEnumerateLikeTheMatcher) {
  const UOp *Z = variable("z", Index);
  const UOp *Where =
      Ctx.get(Op::Where, Index, {Ctx.get(Op::CmpLT, Bool, {X, Y}), Y, Z});
  std::vector<Rule> Rules = {
      Rule("pair", op(Op::Add, {var("a"), var("b")}).named("r"), noAction),
      Rule("pair-any-order",
           op(Op::Add, {var("a"), var("b")}).anyOrder().named("r"), noAction),
      Rule("three-any-order",
           op(Op::Where, {var("c"), any(), var("b")}).anyOrder(), noAction),
      Rule("same-twice", op(Op::Add, {var("a"), var("a")}).anyOrder(),
           noAction),
      Rule("root-name-again",
           op(Op::Add, {var("a"), var("b")}).anyOrder().named("a"), noAction),
      Rule("typed-and-constant",
           op(Op::Add, {var("a", TypeSet::index()), anyConstant("c")})
               .anyOrder(),
           noAction),
      Rule("constant-value",
           op(Op::Where, {any(), var("a"), constant(0)}).anyOrder(), noAction),
  };
  for (const Rule &R : Rules) {
    ASSERT_TRUE(isFlatPattern(R.getPattern())) << R.getName().str();
    for (const UOp *U :
         {Ctx.get(Op::Add, Index, {X, Y}), Ctx.get(Op::Add, Index, {X, X}),
          Ctx.get(Op::Add, Index, {Two, X}), Where,
          Ctx.get(Op::Where, Index, {Where, X, Ctx.getConst(Index, 0)})})
      EXPECT_EQ(enumerate(R, U, true), enumerate(R, U, false))
          << R.getName().str();
  }
  EXPECT_FALSE(
      isFlatPattern(op(Op::Add, {op(Op::Mul, {var("a"), any()}), var("b")})));
  EXPECT_FALSE(isFlatPattern(anyOf({op(Op::Add, {var("a"), var("b")})})));
  EXPECT_FALSE(isFlatPattern(op(Op::Add)));
}

} // namespace
