//===- RuleSetTest.cpp - rule sets, dispatch by op, rewriteOnce -----------===//

#include "tg/Rewrite/GraphRewrite.h"

#include "gtest/gtest.h"

using namespace tg;
using namespace tg::pattern;

namespace {

const UOp *returnX(const Match &M) { return M["x"]; }
const UOp *returnNothing(const Match &) { return nullptr; }

class RuleSetTest : public ::testing::Test {
protected:
  Context Ctx;
  DType Index = Ctx.getScalar(ScalarKind::Index);
  const UOp *X = Ctx.get(Op::DefineVar, Index, {},
                         Ctx.getListArg({Ctx.getStringArg("x"),
                                         Ctx.getIntArg(0), Ctx.getIntArg(9)}));
  const UOp *Zero = Ctx.getConst(Index, 0);
  const UOp *One = Ctx.getConst(Index, 1);
};

TEST_F(RuleSetTest, DispatchListsOnlyRulesWhoseRootFits) {
  RuleSet S("s",
            {
                Rule("add-zero", op(Op::Add, {var("x"), constant(0)}), returnX),
                Rule("mul-one", op(Op::Mul, {var("x"), constant(1)}), returnX),
                Rule("any-op", var("x"), returnNothing),
                Rule("add-or-mul", ops({Op::Add, Op::Mul}), returnNothing),
            });
  EXPECT_EQ(S.getCandidates(Op::Add), (llvm::ArrayRef<unsigned>{0, 2, 3}));
  EXPECT_EQ(S.getCandidates(Op::Mul), (llvm::ArrayRef<unsigned>{1, 2, 3}));
  EXPECT_EQ(S.getCandidates(Op::Sub), (llvm::ArrayRef<unsigned>{2}));
}

TEST_F(RuleSetTest, RewritingTriesOnlyTheRulesForTheOp) {
  RuleSet S("s",
            {
                Rule("add-zero", op(Op::Add, {var("x"), constant(0)}), returnX),
                Rule("mul-one", op(Op::Mul, {var("x"), constant(1)}), returnX),
            });
  RewriteStatistics Stats;
  RewriteOptions Options;
  Options.Statistics = &Stats;
  const UOp *Sum = Ctx.get(Op::Add, Index, {X, Zero});
  EXPECT_EQ(rewriteOnce(Ctx, Sum, S, Options), X);
  EXPECT_EQ(rewriteOnce(Ctx, Ctx.get(Op::Sub, Index, {X, Zero}), S, Options),
            nullptr);
  const RuleSetStatistics *Record = Stats.lookup(S);
  ASSERT_NE(Record, nullptr);
  EXPECT_EQ(Record->Rules[0].Tried, 1u);
  EXPECT_EQ(Record->Rules[0].Fired, 1u);
  EXPECT_EQ(Record->Rules[1].Tried, 0u) << "mul-one is never tried on add";
}

TEST_F(RuleSetTest, FirstRuleThatFiresWins) {
  RuleSet S("s", {
                     Rule("declines", op(Op::Add), returnNothing),
                     Rule("first", op(Op::Add, {var("x"), any()}), returnX),
                     Rule("second", op(Op::Add, {any(), var("x")}), returnX),
                 });
  EXPECT_EQ(rewriteOnce(Ctx, Ctx.get(Op::Add, Index, {X, One}), S), X);
}

bool xIsConstant(const Match &M) { return M["x"]->getOp() == Op::Const; }

TEST_F(RuleSetTest, GuardRejectionTriesTheOtherOrder) {
  // Both orders of add(x, 1) bind; the guard wants x to be the constant.
  RuleSet S("s", {Rule("const-x", op(Op::Add, {var("x"), var("y")}).anyOrder(),
                       returnX, xIsConstant)});
  EXPECT_EQ(rewriteOnce(Ctx, Ctx.get(Op::Add, Index, {X, One}), S), One);
  EXPECT_EQ(rewriteOnce(Ctx, Ctx.get(Op::Add, Index, {One, X}), S), One);
  EXPECT_EQ(rewriteOnce(Ctx, Ctx.get(Op::Add, Index, {X, X}), S), nullptr);
}

const UOp *returnYIfConstant(const Match &M) {
  return M["y"]->getOp() == Op::Const ? M["y"] : nullptr;
}

TEST_F(RuleSetTest, ActionDeclineTriesTheOtherOrder) {
  RuleSet S("s", {Rule("const-y", op(Op::Add, {var("x"), var("y")}).anyOrder(),
                       returnYIfConstant)});
  EXPECT_EQ(rewriteOnce(Ctx, Ctx.get(Op::Add, Index, {One, X}), S), One);
}

const UOp *returnRoot(const Match &M) { return M.getRoot(); }

TEST_F(RuleSetTest, ReturningTheRootIsNoChange) {
  RuleSet S("s", {Rule("identity", op(Op::Add), returnRoot)});
  EXPECT_EQ(rewriteOnce(Ctx, Ctx.get(Op::Add, Index, {X, One}), S), nullptr);
}

TEST_F(RuleSetTest, IncludeAppendsTheOtherSetsRules) {
  RuleSet Base("base", {Rule("add-zero", op(Op::Add, {var("x"), constant(0)}),
                             returnX)});
  RuleSet Full("full");
  Full.add(Rule("mul-one", op(Op::Mul, {var("x"), constant(1)}), returnX))
      .include(Base);
  ASSERT_EQ(Full.getRules().size(), 2u);
  EXPECT_EQ(Full.getRule(1).getName(), "add-zero");
  EXPECT_EQ(Full.getCandidates(Op::Add), (llvm::ArrayRef<unsigned>{1}));
  EXPECT_EQ(rewriteOnce(Ctx, Ctx.get(Op::Add, Index, {X, Zero}), Full), X);
}

struct Counter {
  int Calls = 0;
};

const UOp *countAndDecline(const Match &M) {
  ++M.getState<Counter>().Calls;
  return nullptr;
}

TEST_F(RuleSetTest, ActionsSeeThePassState) {
  RuleSet S("s", {Rule("count", any(), countAndDecline)});
  Counter C;
  RewriteOptions Options;
  Options.State = &C;
  rewriteOnce(Ctx, X, S, Options);
  rewriteOnce(Ctx, One, S, Options);
  EXPECT_EQ(C.Calls, 2);
}

} // namespace
