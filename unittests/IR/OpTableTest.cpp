//===- OpTableTest.cpp - the tables generated from td/ --------------------===//

#include "tg/IR/DType.h"
#include "tg/IR/Enums.h"
#include "tg/IR/Op.h"

#include "gtest/gtest.h"

using namespace tg;

namespace {

TEST(OpTableTest, MnemonicsRoundTrip) {
  for (unsigned I = 0; I != NumOps; ++I) {
    Op O = Op(I);
    std::optional<Op> Parsed = parseOp(getMnemonic(O));
    ASSERT_TRUE(Parsed) << getMnemonic(O).str();
    EXPECT_EQ(*Parsed, O);
    EXPECT_STRNE(getOpInfo(O).Summary, "") << getMnemonic(O).str();
  }
}

TEST(OpTableTest, UpperCaseSpellingsAreAccepted) {
  EXPECT_EQ(parseOp("ADD"), Op::Add);
  EXPECT_EQ(parseOp("DEFINE_VAR"), Op::DefineVar);
  EXPECT_EQ(parseOp("nonsense"), std::nullopt);
}

TEST(OpTableTest, TraitsAndCounts) {
  EXPECT_TRUE(hasTrait(Op::Add, OpTrait::Commutative));
  EXPECT_TRUE(hasTrait(Op::Add, OpTrait::Associative));
  EXPECT_FALSE(hasTrait(Op::Sub, OpTrait::Commutative));
  EXPECT_TRUE(hasTrait(Op::Max, OpTrait::Idempotent));
  EXPECT_TRUE(hasTrait(Op::CmpLT, OpTrait::Comparison));
  EXPECT_TRUE(hasTrait(Op::Reshape, OpTrait::Movement));
  EXPECT_EQ(getOpInfo(Op::Where).MinOperands, 3);
  EXPECT_TRUE(getOpInfo(Op::Sink).isVariadic());
  EXPECT_EQ(getOpInfo(Op::Store).Result, ResultConstraint::Void);
  EXPECT_EQ(getTraitName(OpTrait::Elementwise), "Elementwise");
}

TEST(OpTableTest, ArgumentFields) {
  llvm::ArrayRef<ArgFieldInfo> Fields = getOpInfo(Op::Range).getArgFields();
  ASSERT_EQ(Fields.size(), 2u);
  EXPECT_STREQ(Fields[0].Name, "axis");
  EXPECT_EQ(Fields[0].Type, ArgType::Int);
  EXPECT_EQ(Fields[1].Type, ArgType::AxisKind);
  EXPECT_TRUE(getOpInfo(Op::Const).InlineArg);
  EXPECT_TRUE(getOpInfo(Op::Add).getArgFields().empty());
  EXPECT_EQ(getArgTypeName(ArgType::IntPairList), "IntPairList");
}

TEST(OpTableTest, ScalarSpellings) {
  EXPECT_EQ(parseScalarKind("f32"), ScalarKind::F32);
  EXPECT_EQ(parseScalarKind("float"), ScalarKind::F32);
  EXPECT_EQ(parseScalarKind("half"), ScalarKind::F16);
  EXPECT_EQ(parseScalarKind("index"), ScalarKind::Index);
  EXPECT_EQ(parseScalarKind("f33"), std::nullopt);
  EXPECT_EQ(getScalarInfo(ScalarKind::BF16).ExponentBits, 8u);
  EXPECT_EQ(getScalarInfo(ScalarKind::U16).Category, ScalarCategory::Unsigned);
}

TEST(OpTableTest, Enumerations) {
  EXPECT_EQ(getMnemonic(AxisKind::GroupReduce), "group_reduce");
  EXPECT_EQ(parseAxisKind("upcast"), AxisKind::Upcast);
  EXPECT_EQ(parseOptKind("grouptop"), OptKind::GroupTop);
  EXPECT_EQ(parseAddrSpace("local"), AddrSpace::Local);
  EXPECT_EQ(parseAddrSpace("shared"), std::nullopt);
}

} // namespace
