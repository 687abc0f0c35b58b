//===- GraphRewriteTest.cpp - the fixed-point drivers ---------------------===//

#include "tg/Rewrite/GraphRewrite.h"

#include "gtest/gtest.h"

using namespace tg;
using namespace tg::pattern;

namespace {

//--- Rules used below ------------------------------------------------------//

const UOp *returnX(const Match &M) { return M["x"]; }

int64_t constValue(const UOp *U) { return U->getArg()->getInt(); }

/// add/mul of two integer constants.
const UOp *foldBinary(const Match &M) {
  int64_t A = constValue(M["a"]), B = constValue(M["b"]);
  const UOp *Root = M.getRoot();
  int64_t V = Root->getOp() == Op::Add ? A + B : A * B;
  return M.getContext().getConst(Root->getDType(), V);
}

/// (x + c1) + c2 -> x + (c1 + c2)
const UOp *reassociate(const Match &M) {
  Context &Ctx = M.getContext();
  DType T = M.getRoot()->getDType();
  const UOp *Sum = Ctx.getConst(T, constValue(M["c1"]) + constValue(M["c2"]));
  return Ctx.get(Op::Add, T, {M["x"], Sum});
}

Rule addZero() {
  return Rule("add-zero", op(Op::Add, {var("x"), constant(0)}).anyOrder(),
              returnX);
}
Rule mulOne() {
  return Rule("mul-one", op(Op::Mul, {var("x"), constant(1)}).anyOrder(),
              returnX);
}
Rule foldConstants() {
  return Rule("fold",
              ops({Op::Add, Op::Mul},
                  {anyConstant("a", TypeSet::integers()), anyConstant("b")}),
              foldBinary);
}
Rule reassociateConstants() {
  return Rule("reassociate",
              op(Op::Add, {op(Op::Add, {var("x"), anyConstant("c1")}),
                           anyConstant("c2")}),
              reassociate);
}

RuleSet simplifier() {
  return RuleSet("simplify", {addZero(), mulOne(), foldConstants(),
                              reassociateConstants()});
}

class GraphRewriteTest : public ::testing::Test {
protected:
  Context Ctx;
  DType Index = Ctx.getScalar(ScalarKind::Index);
  DType Void = Ctx.getScalar(ScalarKind::Void);
  const UOp *X = variable("x");
  const UOp *Y = variable("y");

  const UOp *variable(llvm::StringRef Name) {
    return Ctx.get(Op::DefineVar, Index, {},
                   Ctx.getListArg({Ctx.getStringArg(Name), Ctx.getIntArg(0),
                                   Ctx.getIntArg(100)}));
  }
  const UOp *c(int64_t V) { return Ctx.getConst(Index, V); }
  const UOp *add(const UOp *A, const UOp *B) {
    return Ctx.get(Op::Add, Index, {A, B});
  }
  const UOp *mul(const UOp *A, const UOp *B) {
    return Ctx.get(Op::Mul, Index, {A, B});
  }

  const UOp *rewrite(const UOp *Root, const RuleSet &Rules,
                     const RewriteOptions &Options = {}) {
    llvm::Expected<const UOp *> Result =
        graphRewrite(Ctx, Root, Rules, Options);
    if (!Result) {
      ADD_FAILURE() << llvm::toString(Result.takeError());
      return nullptr;
    }
    return *Result;
  }
  /// The message of the error graphRewrite must fail with.
  std::string rewriteError(const UOp *Root, const RuleSet &Rules,
                           const RewriteOptions &Options = {}) {
    llvm::Expected<const UOp *> Result =
        graphRewrite(Ctx, Root, Rules, Options);
    if (Result) {
      ADD_FAILURE() << "expected an error, got " << expressionToString(*Result);
      return "";
    }
    return llvm::toString(Result.takeError());
  }
};

//--- Bottom-up -------------------------------------------------------------//

TEST_F(GraphRewriteTest, IdentitiesBottomUp) {
  RuleSet S = simplifier();
  EXPECT_EQ(rewrite(add(X, c(0)), S), X);
  EXPECT_EQ(rewrite(add(c(0), X), S), X);
  EXPECT_EQ(rewrite(mul(add(X, c(0)), c(1)), S), X);
  // Sources change, the root is rebuilt on them.
  EXPECT_EQ(rewrite(add(mul(X, c(1)), mul(Y, add(c(0), c(1)))), S), add(X, Y));
  EXPECT_EQ(rewrite(add(X, Y), S), add(X, Y)) << "nothing to do";
}

TEST_F(GraphRewriteTest, ConstantFoldingWithACallback) {
  RuleSet S = simplifier();
  EXPECT_EQ(rewrite(mul(add(c(2), c(3)), c(4)), S), c(20));
  const UOp *Sink = Ctx.get(Op::Sink, Void, {add(c(1), c(1)), mul(X, c(1))});
  EXPECT_EQ(rewrite(Sink, S), Ctx.get(Op::Sink, Void, {c(2), X}));
}

TEST_F(GraphRewriteTest, ReassociatesConstantsToAFixedPoint) {
  // (((x + 1) + 2) + 3) -> x + 6: each step makes a new constant sum that
  // is folded before the parent is looked at.
  RuleSet S = simplifier();
  EXPECT_EQ(rewrite(add(add(add(X, c(1)), c(2)), c(3)), S), add(X, c(6)));
  EXPECT_EQ(rewrite(add(add(add(X, c(1)), c(2)), c(-3)), S), X);
}

const UOp *subToAddNeg(const Match &M) {
  Context &Ctx = M.getContext();
  DType T = M.getRoot()->getDType();
  return Ctx.get(Op::Add, T,
                 {M["x"], Ctx.get(Op::Mul, T, {M["y"], Ctx.getConst(T, -1)})});
}

TEST_F(GraphRewriteTest, NewSourcesOfAReplacementAreRewritten) {
  // sub(x, 3) -> add(x, mul(3, -1)): the new mul must be folded too.
  RuleSet S = simplifier();
  S.add(Rule("sub", op(Op::Sub, {var("x"), var("y")}), subToAddNeg));
  EXPECT_EQ(rewrite(Ctx.get(Op::Sub, Index, {X, c(3)}), S), add(X, c(-3)));
  EXPECT_EQ(rewrite(Ctx.get(Op::Sub, Index, {add(X, c(5)), c(5)}), S), X);
}

//--- Top-down --------------------------------------------------------------//

const UOp *returnZero(const Match &M) {
  return M.getContext().getConst(M.getRoot()->getDType(), 0);
}

TEST_F(GraphRewriteTest, TopDownAppliesRulesBeforeSources) {
  // mul(anything, 0) -> 0 fires on the parent first, so the rules for the
  // subexpression are never tried.
  RuleSet S = simplifier();
  S.add(Rule("mul-zero", op(Op::Mul, {any(), constant(0)}), returnZero));
  const UOp *Expensive = add(mul(X, c(1)), c(0));
  RewriteStatistics Stats;
  RewriteOptions TopDown;
  TopDown.Order = RewriteOrder::TopDown;
  TopDown.Statistics = &Stats;
  EXPECT_EQ(rewrite(mul(Expensive, c(0)), S, TopDown), c(0));
  EXPECT_EQ(Stats.getFired(S, "add-zero"), 0u);
  EXPECT_EQ(Stats.getFired(S, "mul-one"), 0u);

  RewriteStatistics BottomUpStats;
  RewriteOptions BottomUp;
  BottomUp.Statistics = &BottomUpStats;
  EXPECT_EQ(rewrite(mul(Expensive, c(0)), S, BottomUp), c(0));
  EXPECT_EQ(BottomUpStats.getFired(S, "add-zero"), 1u);
  EXPECT_EQ(BottomUpStats.getFired(S, "mul-one"), 1u);
}

TEST_F(GraphRewriteTest, TopDownReachesTheSameFixedPoint) {
  RuleSet S = simplifier();
  S.add(Rule("sub", op(Op::Sub, {var("x"), var("y")}), subToAddNeg));
  RewriteOptions TopDown;
  TopDown.Order = RewriteOrder::TopDown;
  // The root matches nothing until its sources are simplified, then the
  // rebuilt root gets the rules again.
  EXPECT_EQ(rewrite(mul(add(X, c(0)), add(c(0), c(1))), S, TopDown), X);
  EXPECT_EQ(rewrite(add(add(add(X, c(1)), c(2)), c(3)), S, TopDown),
            add(X, c(6)));
  EXPECT_EQ(rewrite(Ctx.get(Op::Sub, Index, {add(X, c(5)), c(5)}), S, TopDown),
            X);
}

//--- Memoization and cost --------------------------------------------------//

struct Counter {
  int Calls = 0;
};

const UOp *countedAddZero(const Match &M) {
  ++M.getState<Counter>().Calls;
  return M["x"];
}

TEST_F(GraphRewriteTest, SharedSubexpressionIsRewrittenOnce) {
  RuleSet S("s", {Rule("add-zero", op(Op::Add, {var("x"), constant(0)}),
                       countedAddZero)});
  Counter Count;
  RewriteOptions Options;
  Options.State = &Count;
  const UOp *Shared = add(X, c(0));
  std::vector<const UOp *> Users;
  for (int I = 0; I != 100; ++I)
    Users.push_back(mul(Shared, c(I + 2)));
  const UOp *Root = Ctx.get(Op::Sink, Void, Users);
  const UOp *Result = rewrite(Root, S, Options);
  ASSERT_NE(Result, nullptr);
  EXPECT_EQ(Count.Calls, 1);
  EXPECT_EQ(Result->getSrc(0), mul(X, c(2)));
}

TEST_F(GraphRewriteTest, DiamondDAGIsLinear) {
  // 64 levels of t = add(t, t): 2^64 paths, 64 distinct UOps.
  RuleSet S = simplifier();
  RewriteStatistics Stats;
  RewriteOptions Options;
  Options.Statistics = &Stats;
  const UOp *T = add(X, c(0));
  for (int I = 0; I != 64; ++I)
    T = add(T, T);
  const UOp *Result = rewrite(T, S, Options);
  const UOp *Expected = X;
  for (int I = 0; I != 64; ++I)
    Expected = add(Expected, Expected);
  EXPECT_EQ(Result, Expected);
  EXPECT_LE(Stats.lookup(S)->NodesVisited, 3u * 66u);
}

TEST_F(GraphRewriteTest, DeepChainDoesNotOverflowTheStack) {
  // A left-deep chain of 200k levels, t = add(mul(t, 1), y), rewritten at
  // every level into a chain of the same depth, t = add(t, y).
  constexpr int Depth = 200000;
  const UOp *T = X;
  const UOp *Expected = X;
  for (int I = 0; I != Depth; ++I) {
    T = add(mul(T, c(1)), Y);
    Expected = add(Expected, Y);
  }
  RuleSet S = simplifier();
  RewriteStatistics Stats;
  RewriteOptions Options;
  Options.Statistics = &Stats;
  EXPECT_EQ(rewrite(T, S, Options), Expected);
  EXPECT_EQ(Stats.getFired(S, "mul-one"), uint64_t(Depth));

  RewriteOptions TopDown;
  TopDown.Order = RewriteOrder::TopDown;
  EXPECT_EQ(rewrite(T, S, TopDown), Expected);
  EXPECT_EQ(rewrite(Expected, S), Expected) << "nothing to do";
}

TEST_F(GraphRewriteTest, DeepChainOfZerosCollapsesThroughTheMemo) {
  // t = add(t, 0), 200k times: the innermost level becomes x, and every
  // level above rebuilds into add(x, 0), already rewritten: one firing.
  // Top-down, the rule peels the chain from the root, one firing per level.
  constexpr int Depth = 200000;
  const UOp *T = X;
  for (int I = 0; I != Depth; ++I)
    T = add(T, c(0));
  RuleSet S = simplifier();
  RewriteStatistics Stats;
  RewriteOptions Options;
  Options.Statistics = &Stats;
  EXPECT_EQ(rewrite(T, S, Options), X);
  EXPECT_EQ(Stats.getFired(S, "add-zero"), 1u);

  RewriteStatistics TopDownStats;
  RewriteOptions TopDown;
  TopDown.Order = RewriteOrder::TopDown;
  TopDown.Statistics = &TopDownStats;
  EXPECT_EQ(rewrite(T, S, TopDown), X);
  EXPECT_EQ(TopDownStats.getFired(S, "add-zero"), uint64_t(Depth));
}

TEST_F(GraphRewriteTest, DeepChainOfConstantsFolds) {
  // ((((x + 1) + 1) + 1) ...) with 200k ones: reassociation and folding at
  // every level, bottom-up, to x + 200000.
  constexpr int Depth = 200000;
  const UOp *T = X;
  for (int I = 0; I != Depth; ++I)
    T = add(T, c(1));
  RuleSet S = simplifier();
  EXPECT_EQ(rewrite(T, S), add(X, c(Depth)));
}

//--- Termination -----------------------------------------------------------//

const UOp *swapSources(const Match &M) {
  return M.getContext().get(Op::Add, M.getRoot()->getDType(), {M["y"], M["x"]});
}

TEST_F(GraphRewriteTest, SwapCycleIsReported) {
  RuleSet S("commute",
            {Rule("swap", op(Op::Add, {var("x"), var("y")}), swapSources)});
  std::string Message = rewriteError(add(X, Y), S);
  EXPECT_NE(Message.find("rule set 'commute' does not terminate"),
            std::string::npos)
      << Message;
  EXPECT_NE(Message.find("rules swap -> swap rewrite add(%x, %y)"),
            std::string::npos)
      << Message;
}

const UOp *mulTwoToAdd(const Match &M) {
  return M.getContext().get(Op::Add, M.getRoot()->getDType(), {M["x"], M["x"]});
}
const UOp *addSelfToMul(const Match &M) {
  Context &Ctx = M.getContext();
  DType T = M.getRoot()->getDType();
  return Ctx.get(Op::Mul, T, {M["x"], Ctx.getConst(T, 2)});
}

TEST_F(GraphRewriteTest, TwoRuleCycleNamesBothRules) {
  RuleSet S(
      "ping-pong",
      {Rule("double-to-add", op(Op::Mul, {var("x"), constant(2)}), mulTwoToAdd),
       Rule("add-to-double", op(Op::Add, {var("x"), var("x")}), addSelfToMul)});
  const UOp *Root = Ctx.get(Op::Sink, Void, {mul(add(X, c(0)), c(2))});
  std::string Message = rewriteError(Root, S);
  EXPECT_NE(Message.find("rules double-to-add -> add-to-double rewrite "
                         "mul(add(%x, 0), 2)"),
            std::string::npos)
      << Message;

  RewriteOptions TopDown;
  TopDown.Order = RewriteOrder::TopDown;
  Message = rewriteError(Root, S, TopDown);
  EXPECT_NE(Message.find("double-to-add -> add-to-double"), std::string::npos)
      << Message;
}

const UOp *wrapInNeg(const Match &M) {
  Context &Ctx = M.getContext();
  const UOp *X = M["x"];
  return Ctx.get(Op::Neg, X->getDType(),
                 {Ctx.get(Op::Neg, X->getDType(), {X})});
}

TEST_F(GraphRewriteTest, ResultContainingItsOwnInputIsReported) {
  // x -> neg(neg(x)) on variables: the inner x would be rewritten forever.
  RuleSet S("grow",
            {Rule("double-negate", op(Op::DefineVar).named("x"), wrapInNeg)});
  std::string Message = rewriteError(add(X, c(1)), S);
  EXPECT_NE(Message.find("rules double-negate rewrite %x into a term "
                         "containing itself"),
            std::string::npos)
      << Message;
}

const UOp *increment(const Match &M) {
  const UOp *C = M["c"];
  return M.getContext().getConst(C->getDType(), constValue(C) + 1);
}

TEST_F(GraphRewriteTest, EndlessRewritingOfOneNodeIsBounded) {
  // const c -> const c+1 never repeats a UOp, so only the bound stops it.
  RuleSet S("count-up", {Rule("increment", anyConstant("c"), increment)});
  RewriteOptions Options;
  Options.MaxRewritesPerNode = 50;
  std::string Message = rewriteError(add(X, c(0)), S, Options);
  EXPECT_NE(
      Message.find(
          "rule set 'count-up' does not terminate: a UOp was "
          "rewritten into a new UOp 50 times in a row (last into 51) by rules "
          "increment"),
      std::string::npos)
      << Message;
}

//--- Statistics and tracing -------------------------------------------------//

TEST_F(GraphRewriteTest, StatisticsCountTriesAndFirings) {
  RuleSet S = simplifier();
  RewriteStatistics Stats;
  RewriteOptions Options;
  Options.Statistics = &Stats;
  // The outer add rebuilds into the inner one, already done: add-zero fires
  // once.
  rewrite(add(add(mul(X, c(1)), c(0)), c(0)), S, Options);
  // add(x, 0) fires; add(x, y) is tried by every rule for add.
  rewrite(add(add(X, c(0)), Y), S, Options);
  EXPECT_EQ(Stats.getFired(S, "add-zero"), 2u);
  EXPECT_EQ(Stats.getFired(S, "mul-one"), 1u);
  EXPECT_EQ(Stats.getFired(S, "fold"), 0u);
  const RuleSetStatistics *Record = Stats.lookup(S);
  ASSERT_NE(Record, nullptr);
  EXPECT_EQ(Record->Runs, 2u);
  EXPECT_EQ(Record->Rewrites, 3u);
  EXPECT_EQ(Record->Rules[0].Tried, 3u);
  EXPECT_EQ(Record->Rules[2].Tried, 1u);
  EXPECT_EQ(Record->Seconds, 0.0) << "no timing unless asked for";

  std::string Printed;
  llvm::raw_string_ostream OS(Printed);
  Stats.print(OS);
  // Constants and variables have no rule: they are not visited.
  EXPECT_NE(Printed.find("rule set 'simplify': 2 runs, 5 UOps visited, 3 "
                         "rewrites\n"),
            std::string::npos)
      << Printed;
  EXPECT_NE(Printed.find("           2            3  add-zero\n"
                         "           1            1  mul-one\n"
                         "           0            1  fold\n"),
            std::string::npos)
      << Printed;
  EXPECT_EQ(Printed.find("ms"), std::string::npos) << Printed;
}

TEST_F(GraphRewriteTest, TimingOnlyWhenEnabled) {
  RuleSet S = simplifier();
  RewriteStatistics Stats(/*Timing=*/true);
  RewriteOptions Options;
  Options.Statistics = &Stats;
  const UOp *T = X;
  for (int I = 0; I != 1000; ++I)
    T = add(T, c(0));
  rewrite(T, S, Options);
  EXPECT_GT(Stats.lookup(S)->Seconds, 0.0);
}

TEST_F(GraphRewriteTest, TracerSeesEveryApplication) {
  RuleSet S = simplifier();
  std::string Trace;
  llvm::raw_string_ostream OS(Trace);
  RewriteOptions Options;
  Options.Tracer = makeStreamTracer(OS);
  rewrite(add(mul(X, c(1)), add(c(2), c(3))), S, Options);
  EXPECT_EQ(Trace, "[simplify] mul-one: mul(%x, 1) -> %x\n"
                   "[simplify] fold: add(2, 3) -> 5\n");
}

} // namespace
