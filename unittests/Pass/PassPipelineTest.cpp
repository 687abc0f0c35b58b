//===- PassPipelineTest.cpp - the textual pass pipeline -------------------===//

#include "TestPasses.h"

#include "tg/Pass/PassManager.h"

#include "gtest/gtest.h"

using namespace tg;
using namespace tg::test;

namespace {

class PassPipelineTest : public ::testing::Test {
protected:
  void SetUp() override { registerTestPasses(); }

  /// Parses `Pipeline` into PM; returns the error text (empty on success).
  std::string parse(llvm::StringRef Pipeline) {
    std::string Errors;
    llvm::raw_string_ostream OS(Errors);
    bool Failed = failed(parsePassPipeline(Pipeline, PM, OS));
    EXPECT_EQ(Failed, !Errors.empty()) << Errors;
    return Errors;
  }

  std::vector<std::string> getArguments() const {
    std::vector<std::string> Names;
    for (const std::unique_ptr<Pass> &P : PM.getPasses())
      Names.push_back(P->getArgument().str());
    return Names;
  }

  const OptionsPass &getOptionsPass(unsigned I) const {
    return static_cast<const OptionsPass &>(*PM.getPasses()[I]);
  }

  PassManager PM;
};

TEST_F(PassPipelineTest, PassesRunInTheWrittenOrder) {
  EXPECT_EQ(parse("dce,verify,dce"), "");
  EXPECT_EQ(getArguments(), (std::vector<std::string>{"dce", "verify", "dce"}));
}

TEST_F(PassPipelineTest, SpacesAroundCommasAndBracesAreAllowed) {
  EXPECT_EQ(parse("  dce ,verify , test-options { flag=true }  "), "");
  EXPECT_EQ(getArguments(),
            (std::vector<std::string>{"dce", "verify", "test-options"}));
  EXPECT_TRUE(getOptionsPass(2).Flag);
}

TEST_F(PassPipelineTest, EmptyPipelineHasNoPasses) {
  EXPECT_EQ(parse(""), "");
  EXPECT_EQ(parse("   "), "");
  EXPECT_TRUE(PM.getPasses().empty());
}

TEST_F(PassPipelineTest, OptionsKeepTheirDefaultsUnlessSet) {
  EXPECT_EQ(parse("test-options"), "");
  const OptionsPass &P = getOptionsPass(0);
  EXPECT_FALSE(P.Flag);
  EXPECT_EQ(P.Count, 1);
  EXPECT_EQ(P.Size, 8u);
  EXPECT_EQ(P.Label.getValue(), "none");
  EXPECT_EQ(P.Mode, ModeKind::Fast);
}

TEST_F(PassPipelineTest, OptionsOfEveryType) {
  EXPECT_EQ(parse("test-options{flag=1 count=-3 size=0x10 label=\"a b\" "
                  "mode=exact}"),
            "");
  const OptionsPass &P = getOptionsPass(0);
  EXPECT_TRUE(P.Flag);
  EXPECT_EQ(P.Count, -3);
  EXPECT_EQ(P.Size, 16u);
  EXPECT_EQ(P.Label.getValue(), "a b");
  EXPECT_EQ(P.Mode, ModeKind::Exact);
}

TEST_F(PassPipelineTest, EachInstanceHasItsOwnOptions) {
  EXPECT_EQ(parse("test-options{count=2},test-options{count=5}"), "");
  EXPECT_EQ(getOptionsPass(0).Count, 2);
  EXPECT_EQ(getOptionsPass(1).Count, 5);
}

TEST_F(PassPipelineTest, UnknownPassSuggestsCloseNames) {
  std::string Errors = parse("dce,dcx");
  EXPECT_NE(Errors.find("pass-pipeline:1:5: error: 'dcx' is not a registered "
                        "pass; did you mean 'dce'? (see --list-passes)"),
            std::string::npos)
      << Errors;
  EXPECT_NE(Errors.find("dce,dcx\n    ^"), std::string::npos) << Errors;
}

TEST_F(PassPipelineTest, UnknownPassFarFromEveryNameHasOnlyTheHint) {
  std::string Errors = parse("canonicalize");
  EXPECT_NE(Errors.find("'canonicalize' is not a registered pass "
                        "(see --list-passes)"),
            std::string::npos)
      << Errors;
}

TEST_F(PassPipelineTest, UnknownOptionNamesThePassAndItsOptions) {
  std::string Errors = parse("test-options{flags=true}");
  EXPECT_NE(Errors.find("pass 'test-options' has no option 'flags' (options: "
                        "flag, count, size, label, mode)"),
            std::string::npos)
      << Errors;
  EXPECT_NE(parse("dce{x=1}")
                .find("pass 'dce' has no option 'x' (it has no "
                      "options)"),
            std::string::npos);
}

TEST_F(PassPipelineTest, BadValuesSayWhatWasExpected) {
  EXPECT_NE(parse("test-options{flag=yes}")
                .find("invalid value 'yes' for option 'flag' of pass "
                      "'test-options': expected true or false"),
            std::string::npos);
  EXPECT_NE(parse("test-options{count=1.5}").find("expected an integer"),
            std::string::npos);
  EXPECT_NE(
      parse("test-options{size=-1}").find("expected a non-negative integer"),
      std::string::npos);
  EXPECT_NE(
      parse("test-options{mode=slow}").find("expected one of fast, exact"),
      std::string::npos);
}

TEST_F(PassPipelineTest, SyntaxErrors) {
  EXPECT_NE(parse("dce,").find("1:5: error: expected a pass name"),
            std::string::npos);
  EXPECT_NE(parse(",dce").find("1:1: error: expected a pass name"),
            std::string::npos);
  EXPECT_NE(parse("dce verify").find("expected ',' or the end"),
            std::string::npos);
  EXPECT_NE(parse("test-options{flag}").find("expected '=' after option"),
            std::string::npos);
  EXPECT_NE(parse("test-options{flag=true").find("expected '}'"),
            std::string::npos);
  EXPECT_NE(parse("test-options{label=\"open}").find("unterminated quoted"),
            std::string::npos);
}

} // namespace
