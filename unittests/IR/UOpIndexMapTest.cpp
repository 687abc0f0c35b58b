//===- UOpIndexMapTest.cpp - the lean map from UOps to positions ----------===//

#include "tg/IR/UOpIndexMap.h"
#include "tg/IR/Context.h"

#include "gtest/gtest.h"

#include <vector>

using namespace tg;

namespace {

TEST(UOpIndexMapTest, FindsWhatWasInsertedAcrossGrowth) {
  Context Ctx;
  DType Index = Ctx.getScalar(ScalarKind::Index);
  std::vector<const UOp *> UOps;
  for (int64_t I = 0; I != 1000; ++I)
    UOps.push_back(Ctx.getConst(Index, I));
  UOpIndexMap Map;
  EXPECT_TRUE(Map.empty());
  EXPECT_EQ(Map.find(UOps[0]), nullptr);
  for (unsigned I = 0; I != 500; ++I) {
    auto [Value, Inserted] = Map.tryEmplace(UOps[I], I * 3);
    EXPECT_TRUE(Inserted);
    EXPECT_EQ(Value, I * 3);
  }
  EXPECT_EQ(Map.size(), 500u);
  for (unsigned I = 0; I != 1000; ++I) {
    const unsigned *Value = Map.find(UOps[I]);
    if (I < 500) {
      ASSERT_NE(Value, nullptr) << I;
      EXPECT_EQ(*Value, I * 3);
    } else {
      EXPECT_EQ(Value, nullptr) << I;
      EXPECT_FALSE(Map.contains(UOps[I]));
    }
  }
  // A second insertion keeps the first value.
  auto [Value, Inserted] = Map.tryEmplace(UOps[7], 99);
  EXPECT_FALSE(Inserted);
  EXPECT_EQ(Value, 21u);
  EXPECT_EQ(Map.size(), 500u);
}

} // namespace
