//===- RuleFastPathTest.cpp - rules matched without the full matcher ------===//
//
// Rule::isSettledByFilter (patterns the candidate filter decides, bound
// directly) and the check of repeated names before the matcher: both must
// find exactly the matches the matcher finds.
//
//===----------------------------------------------------------------------===//

#include "tg/Rewrite/GraphRewrite.h"

#include "gtest/gtest.h"

using namespace tg;
using namespace tg::pattern;

namespace {

const UOp *returnX(const Match &M) { return M["x"]; }
const UOp *returnY(const Match &M) { return M["y"]; }
/// The root's last source, so that a firing rule is seen.
const UOp *returnLastSource(const Match &M) {
  return M.getRoot()->getSrcs().back();
}

class RuleFastPathTest : public ::testing::Test {
protected:
  const UOp *var(const char *Name) {
    return Ctx.get(Op::DefineVar, Index, {},
                   Ctx.getListArg({Ctx.getStringArg(Name), Ctx.getIntArg(0),
                                   Ctx.getIntArg(9)}));
  }
  const UOp *make(Op O, const UOp *A, const UOp *B) {
    return Ctx.get(O, Index, {A, B});
  }

  Context Ctx;
  DType Index = Ctx.getScalar(ScalarKind::Index);
  const UOp *X = var("x");
  const UOp *Y = var("y");
  const UOp *Two = Ctx.getConst(Index, 2);
};

TEST_F(RuleFastPathTest, OnlyPatternsTheFilterDecidesAreSettled) {
  auto Settled = [](Pattern P) {
    return Rule("r", std::move(P), returnX).isSettledByFilter();
  };
  EXPECT_TRUE(Settled(op(Op::Add, {pattern::var("x"), pattern::var("y")})));
  EXPECT_TRUE(Settled(op(Op::Where, {any(), pattern::var("x"), any()})));
  EXPECT_TRUE(Settled(ops({Op::Add, Op::Mul}, {pattern::var("x"), any()})));
  // The same UOp twice, a typed source, a constant, a nested op.
  EXPECT_FALSE(Settled(op(Op::Add, {pattern::var("x"), pattern::var("x")})));
  EXPECT_FALSE(Settled(
      op(Op::Add, {pattern::var("x", TypeSet::index()), pattern::var("y")})));
  EXPECT_FALSE(Settled(op(Op::Add, {pattern::var("x"), constant(0)})));
  EXPECT_FALSE(Settled(op(Op::Add, {op(Op::Mul), pattern::var("x")})));
  // Any order: another order could match after the action declines, unless
  // the action decides from the root (declarative hooks).
  EXPECT_FALSE(
      Settled(op(Op::Add, {pattern::var("x"), pattern::var("y")}).anyOrder()));
  // A source count the filter cannot tell apart from more.
  EXPECT_FALSE(Settled(op(Op::Where, {any(), any(), any(), any()})));
  EXPECT_FALSE(Settled(pattern::var("x")));
}

TEST_F(RuleFastPathTest, SettledRulesBindTheSourcesInOrder) {
  RuleSet S("s",
            {Rule("second", op(Op::Add, {pattern::var("x"), pattern::var("y")}),
                  returnY)});
  ASSERT_TRUE(S.getRule(0).isSettledByFilter());
  EXPECT_EQ(rewriteOnce(Ctx, make(Op::Add, X, Y), S), Y);
  EXPECT_EQ(rewriteOnce(Ctx, make(Op::Add, Y, X), S), X);
  EXPECT_EQ(rewriteOnce(Ctx, make(Op::Mul, X, Y), S), nullptr);
}

TEST_F(RuleFastPathTest, RepeatedNamesMatchWhereTheMatcherDoes) {
  // (x*c) + x in any order, x*c in any order.
  Pattern MulAddSelf =
      op(Op::Add,
         {op(Op::Mul, {pattern::var("x"), anyConstant("c")}).anyOrder(),
          pattern::var("x")})
          .anyOrder();
  RuleSet S("s", {Rule("mul-add-self", MulAddSelf, returnX)});
  EXPECT_EQ(rewriteOnce(Ctx, make(Op::Add, make(Op::Mul, X, Two), X), S), X);
  EXPECT_EQ(rewriteOnce(Ctx, make(Op::Add, X, make(Op::Mul, X, Two)), S), X);
  EXPECT_EQ(rewriteOnce(Ctx, make(Op::Add, make(Op::Mul, Two, X), X), S), X);
  EXPECT_EQ(rewriteOnce(Ctx, make(Op::Add, make(Op::Mul, X, Two), Y), S),
            nullptr);
  EXPECT_EQ(rewriteOnce(Ctx, make(Op::Add, Y, make(Op::Mul, X, Two)), S),
            nullptr);
  // In order, and a name bound at the root's own level twice.
  RuleSet Ordered("ordered",
                  {Rule("sub-mul",
                        op(Op::Sub, {op(Op::Mul, {pattern::var("x"), any()}),
                                     pattern::var("x")}),
                        returnLastSource),
                   Rule("mul-mul",
                        op(Op::Mul, {op(Op::Add, {any(), pattern::var("x")}),
                                     op(Op::Add, {pattern::var("x"), any()})}),
                        returnLastSource)});
  const UOp *XTwo = make(Op::Mul, X, Two);
  EXPECT_EQ(rewriteOnce(Ctx, make(Op::Sub, XTwo, X), Ordered), X);
  EXPECT_EQ(rewriteOnce(Ctx, make(Op::Sub, make(Op::Mul, Two, X), X), Ordered),
            nullptr);
  const UOp *YPlusX = make(Op::Add, Y, X), *XPlusY = make(Op::Add, X, Y);
  EXPECT_EQ(rewriteOnce(Ctx, make(Op::Mul, YPlusX, XPlusY), Ordered), XPlusY);
  EXPECT_EQ(rewriteOnce(Ctx, make(Op::Mul, XPlusY, XPlusY), Ordered), nullptr);
}

} // namespace
