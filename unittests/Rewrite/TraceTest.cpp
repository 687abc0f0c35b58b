//===- TraceTest.cpp - one-line expressions and trace events --------------===//

#include "tg/Rewrite/Trace.h"

#include "gtest/gtest.h"

using namespace tg;

namespace {

class TraceTest : public ::testing::Test {
protected:
  Context Ctx;
  DType Index = Ctx.getScalar(ScalarKind::Index);
  DType F32 = Ctx.getScalar(ScalarKind::F32);
  const UOp *X = Ctx.get(Op::DefineVar, Index, {},
                         Ctx.getListArg({Ctx.getStringArg("x"),
                                         Ctx.getIntArg(0), Ctx.getIntArg(9)}));
  const UOp *c(int64_t V) { return Ctx.getConst(Index, V); }
};

TEST_F(TraceTest, ExpressionsPrintOnOneLine) {
  const UOp *E =
      Ctx.get(Op::Add, Index, {Ctx.get(Op::Mul, Index, {X, c(4)}), c(2)});
  EXPECT_EQ(expressionToString(E), "add(mul(%x, 4), 2)");
  EXPECT_EQ(expressionToString(Ctx.getFloatConst(F32, 0.1)), "0.1");
  const UOp *Range = Ctx.get(
      Op::Range, Index, {c(16)},
      Ctx.getListArg({Ctx.getIntArg(3), Ctx.getAxisKindArg(AxisKind::Reduce)}));
  EXPECT_EQ(expressionToString(Range), "range(16){3, reduce}");
  EXPECT_EQ(
      expressionToString(Ctx.get(Op::Sink, Ctx.getScalar(ScalarKind::Void))),
      "sink");
}

TEST_F(TraceTest, DeepExpressionsAreCut) {
  const UOp *T = X;
  for (int I = 0; I != 100000; ++I)
    T = Ctx.get(Op::Add, Index, {T, c(I)});
  EXPECT_EQ(expressionToString(T, 2), "add(add(add(...), 99998), 99999)");
  EXPECT_EQ(expressionToString(T, 0), "add(...)");
}

TEST_F(TraceTest, EventsNameTheSetAndTheRule) {
  RuleSet S("simplify");
  Rule R("mul-four", pattern::op(Op::Mul),
         [](const Match &) -> const UOp * { return nullptr; });
  const UOp *Before = Ctx.get(Op::Mul, Index, {X, c(4)});
  const UOp *After = Ctx.get(Op::Shl, Index, {X, c(2)});
  std::string Printed;
  llvm::raw_string_ostream OS(Printed);
  printRewriteEvent(OS, RewriteEvent{S, R, Before, After});
  EXPECT_EQ(Printed, "[simplify] mul-four: mul(%x, 4) -> shl(%x, 2)\n");
}

} // namespace
