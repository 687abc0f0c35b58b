//===- PassManagerTest.cpp - running passes, instrumentation, dce ---------===//

#include "TestPasses.h"

#include "tg/Pass/Instrumentations.h"
#include "tg/Pass/PassManager.h"
#include "tg/Pass/Passes.h"

#include "gtest/gtest.h"

using namespace tg;
using namespace tg::test;

namespace {

/// Logs `<name>:before:<pass>` and friends into RecordPass's log.
struct LogInstrumentation : PassInstrumentation {
  explicit LogInstrumentation(std::string Name, bool FailAfter = false)
      : Name(std::move(Name)), FailAfter(FailAfter) {}
  void runBeforePass(Pass &P, Module &, PassContext &) override {
    log("before", P);
  }
  LogicalResult runAfterPass(Pass &P, Module &, PassContext &) override {
    log("after", P);
    return failure(FailAfter);
  }
  void runAfterPassFailed(Pass &P, Module &, PassContext &) override {
    log("failed", P);
  }
  void log(llvm::StringRef Hook, const Pass &P) {
    RecordPass::getLog().push_back(Name + ":" + Hook.str() + ":" +
                                   P.getArgument().str());
  }
  std::string Name;
  bool FailAfter;
};

class PassManagerTest : public ::testing::Test {
protected:
  void SetUp() override {
    registerTestPasses();
    RecordPass::getLog().clear();
    Diag.setHandler(
        [this](const Diagnostic &D) { Diagnostics.push_back(D.Message); });
    // func @f() { %a = const 1  %b = const 2  %dead = mul(%a, %b)
    //             %c = add(%a, %b)  return %c }
    auto F = std::make_unique<Function>(Function::Kind::Func, "f");
    DType Index = Ctx.getScalar(ScalarKind::Index);
    const UOp *A = Ctx.getConst(Index, 1);
    const UOp *B = Ctx.getConst(Index, 2);
    Dead = Ctx.get(Op::Mul, Index, {A, B});
    const UOp *C = Ctx.get(Op::Add, Index, {A, B});
    F->setBody(C, {A, B, Dead, C});
    M.Functions.push_back(std::move(F));
  }

  LogicalResult run(llvm::StringRef Pipeline) {
    std::string Errors;
    llvm::raw_string_ostream OS(Errors);
    if (failed(parsePassPipeline(Pipeline, PM, OS)))
      ADD_FAILURE() << Errors;
    return PM.run(M, Diag);
  }

  Function &getFunction() { return *M.Functions.front(); }

  Context Ctx;
  Module M{Ctx};
  llvm::SourceMgr SM;
  DiagnosticEngine Diag{SM};
  std::vector<std::string> Diagnostics;
  PassManager PM;
  const UOp *Dead = nullptr;
};

TEST_F(PassManagerTest, HooksNestLikeScopes) {
  PM.addInstrumentation(std::make_unique<LogInstrumentation>("outer"));
  PM.addInstrumentation(std::make_unique<LogInstrumentation>("inner"));
  ASSERT_TRUE(succeeded(run("test-record,test-record")));
  std::vector<std::string> Expected = {"outer:before:test-record",
                                       "inner:before:test-record",
                                       "run",
                                       "inner:after:test-record",
                                       "outer:after:test-record",
                                       "outer:before:test-record",
                                       "inner:before:test-record",
                                       "run",
                                       "inner:after:test-record",
                                       "outer:after:test-record"};
  EXPECT_EQ(RecordPass::getLog(), Expected);
}

TEST_F(PassManagerTest, AFailingPassStopsThePipeline) {
  PM.addInstrumentation(std::make_unique<LogInstrumentation>("log"));
  EXPECT_TRUE(failed(run("test-fail,test-record")));
  std::vector<std::string> Expected = {"log:before:test-fail",
                                       "log:failed:test-fail"};
  EXPECT_EQ(RecordPass::getLog(), Expected);
  EXPECT_EQ(Diagnostics, std::vector<std::string>{"pass 'test-fail' failed"});
}

TEST_F(PassManagerTest, AFailingAfterHookStopsThePipeline) {
  PM.addInstrumentation(std::make_unique<LogInstrumentation>("log", true));
  EXPECT_TRUE(failed(run("test-record,test-record")));
  std::vector<std::string> Expected = {"log:before:test-record", "run",
                                       "log:after:test-record"};
  EXPECT_EQ(RecordPass::getLog(), Expected);
}

TEST_F(PassManagerTest, DCERemovesUnreachableUOpsAndCountsThem) {
  ASSERT_TRUE(succeeded(run("dce")));
  const std::vector<const UOp *> &Body = getFunction().getBody();
  EXPECT_EQ(Body.size(), 3u);
  EXPECT_EQ(std::find(Body.begin(), Body.end(), Dead), Body.end());
  EXPECT_EQ(Body.back(), getFunction().getRoot());
  const PassStatistic *NumRemoved = PM.getPasses()[0]->getStatistics()[0];
  EXPECT_EQ(NumRemoved->getName(), "num-removed");
  EXPECT_EQ(NumRemoved->getValue(), 1u);
}

TEST_F(PassManagerTest, DCEKeepsTheOrderOfLiveUOps) {
  std::vector<const UOp *> Before = getFunction().getBody();
  ASSERT_TRUE(succeeded(run("dce")));
  Before.erase(std::find(Before.begin(), Before.end(), Dead));
  EXPECT_EQ(getFunction().getBody(), Before);
}

TEST_F(PassManagerTest, StatisticsAddUpOverRuns) {
  ASSERT_TRUE(succeeded(run("dce")));
  ASSERT_TRUE(succeeded(PM.run(M, Diag)));
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  PM.printStatistics(OS);
  EXPECT_NE(Text.find("dce\n  (num-removed) 1 - UOps removed\n"),
            std::string::npos)
      << Text;
}

TEST_F(PassManagerTest, VerifyEachNamesThePassThatBrokeTheIR) {
  PM.addInstrumentation(std::make_unique<VerifyEachInstrumentation>());
  EXPECT_TRUE(failed(run("dce,test-break-ir,test-record")));
  ASSERT_FALSE(Diagnostics.empty());
  EXPECT_EQ(Diagnostics.back(), "the IR is invalid after pass 'test-break-ir'");
  EXPECT_TRUE(RecordPass::getLog().empty());
}

TEST_F(PassManagerTest, WithoutVerifyEachBrokenIRGoesThrough) {
  EXPECT_TRUE(succeeded(run("test-break-ir,test-record")));
  EXPECT_EQ(RecordPass::getLog(), std::vector<std::string>{"run"});
}

TEST_F(PassManagerTest, PrintIRAfterSelectedPasses) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  PM.addInstrumentation(std::make_unique<PrintIRInstrumentation>(
      [](const Pass &P) { return P.getArgument() == "dce"; }, OS));
  ASSERT_TRUE(succeeded(run("test-record,dce,test-record")));
  EXPECT_EQ(Text.find("// -----// IR Dump After dce //----- //\n"), 0u) << Text;
  EXPECT_EQ(Text.find("IR Dump After test-record"), std::string::npos);
}

TEST_F(PassManagerTest, TimingHasOneRowPerPassInOrder) {
  auto Owned = std::make_unique<PassTiming>();
  PassTiming *Timing = Owned.get();
  PM.addInstrumentation(std::move(Owned));
  { PassTiming::Scope S(Timing, "Parser"); }
  ASSERT_TRUE(succeeded(run("test-record,dce,test-record")));
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  Timing->print(OS);
  size_t Parser = Text.find("%)  Parser\n");
  size_t Record = Text.find("%)  test-record\n");
  size_t DCE = Text.find("%)  dce\n");
  size_t Total = Text.find("(100.0%)  Total\n");
  EXPECT_LT(Parser, Record);
  EXPECT_LT(Record, DCE);
  EXPECT_LT(DCE, Total);
  EXPECT_NE(Total, std::string::npos) << Text;
  EXPECT_EQ(Text.find("test-record", Record + 16), std::string::npos)
      << "a repeated pass adds to its row";
}

} // namespace
