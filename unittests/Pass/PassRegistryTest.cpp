//===- PassRegistryTest.cpp - registration and --list-passes --------------===//

#include "TestPasses.h"

#include "tg/Pass/PassRegistry.h"
#include "tg/Pass/Passes.h"

#include "gtest/gtest.h"

using namespace tg;
using namespace tg::test;

namespace {

class PassRegistryTest : public ::testing::Test {
protected:
  void SetUp() override { registerTestPasses(); }
};

TEST_F(PassRegistryTest, LookupFindsRegisteredPasses) {
  const PassInfo *Info = lookupPass("dce");
  ASSERT_NE(Info, nullptr);
  EXPECT_EQ(Info->Name, "dce");
  EXPECT_EQ(Info->Factory()->getArgument(), "dce");
  EXPECT_EQ(lookupPass("no-such-pass"), nullptr);
}

TEST_F(PassRegistryTest, RegisteringTheCorePassesAgainDoesNothing) {
  size_t Before = getRegisteredPasses().size();
  registerCorePasses();
  EXPECT_EQ(getRegisteredPasses().size(), Before);
}

TEST_F(PassRegistryTest, PassesAreListedByName) {
  std::vector<const PassInfo *> Infos = getRegisteredPasses();
  ASSERT_FALSE(Infos.empty());
  for (size_t I = 1; I < Infos.size(); ++I)
    EXPECT_LT(Infos[I - 1]->Name, Infos[I]->Name);
}

TEST_F(PassRegistryTest, ListingShowsOptionsAndValidation) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  printRegisteredPasses(OS);
  EXPECT_NE(Text.find("  test-options - has options\n"
                      "    flag: bool = false - a bool\n"
                      "    count: int = 1 - an int\n"
                      "    size: uint = 8 - an unsigned\n"
                      "    label: string = none - a string\n"
                      "    mode: fast|exact = fast - an enum\n"
                      "    translation validation: exempt: a test\n"),
            std::string::npos)
      << Text;
  EXPECT_NE(Text.find("  test-record - records a run\n"
                      "    translation validation: z3\n"),
            std::string::npos)
      << Text;
  EXPECT_LT(Text.find("  dce - "), Text.find("  verify - "));
}

TEST_F(PassRegistryTest, UnknownPassMessageListsEveryCloseName) {
  EXPECT_EQ(getUnknownPassMessage("test-recrd"),
            "'test-recrd' is not a registered pass; did you mean "
            "'test-record'? (see --list-passes)");
  EXPECT_EQ(getUnknownPassMessage("test-"),
            "'test-' is not a registered pass; did you mean 'test-fail' or "
            "'test-record' or 'test-options' or 'test-break-ir'? (see "
            "--list-passes)");
}

} // namespace
