//===- ContextTest.cpp - interning of UOps, DTypes and Args ---------------===//

#include "tg/IR/Context.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace tg;

namespace {

class ContextTest : public ::testing::Test {
protected:
  Context Ctx;
  DType Index = Ctx.getScalar(ScalarKind::Index);
  DType F32 = Ctx.getScalar(ScalarKind::F32);
};

TEST_F(ContextTest, EqualFieldsGiveTheSameUOp) {
  const UOp *A = Ctx.getConst(Index, 4);
  const UOp *B = Ctx.getConst(Index, 4);
  EXPECT_EQ(A, B);
  const UOp *Sum1 = Ctx.get(Op::Add, Index, {A, B});
  const UOp *Sum2 = Ctx.get(Op::Add, Index, {A, B});
  EXPECT_EQ(Sum1, Sum2);
  EXPECT_EQ(Ctx.getNumUOps(), 2u);
}

TEST_F(ContextTest, EveryFieldIsPartOfTheIdentity) {
  const UOp *Four = Ctx.getConst(Index, 4);
  const UOp *Five = Ctx.getConst(Index, 5);
  EXPECT_NE(Four, Five);
  EXPECT_NE(Four, Ctx.getConst(Ctx.getScalar(ScalarKind::I32), 4));
  EXPECT_NE(Ctx.get(Op::Add, Index, {Four, Five}),
            Ctx.get(Op::Add, Index, {Five, Four}));
  EXPECT_NE(Ctx.get(Op::Add, Index, {Four, Five}),
            Ctx.get(Op::Mul, Index, {Four, Five}));
}

TEST_F(ContextTest, SourcesAreStoredInline) {
  const UOp *X = Ctx.getConst(Index, 1);
  const UOp *Y = Ctx.getConst(Index, 2);
  const UOp *Z = Ctx.getConst(Index, 3);
  const UOp *Sink =
      Ctx.get(Op::Sink, Ctx.getScalar(ScalarKind::Void), {X, Y, Z});
  ASSERT_EQ(Sink->getNumSrcs(), 3u);
  EXPECT_EQ(Sink->getSrc(0), X);
  EXPECT_EQ(Sink->getSrc(2), Z);
  EXPECT_EQ(Sink->getOp(), Op::Sink);
  EXPECT_EQ(Sink->getArg(), nullptr);
}

TEST_F(ContextTest, FloatConstantsKeepTheirExactBits) {
  const UOp *Zero = Ctx.getFloatConst(F32, 0.0);
  const UOp *NegZero = Ctx.getFloatConst(F32, -0.0);
  EXPECT_NE(Zero, NegZero) << "-0.0 and 0.0 differ in bits";
  double NaN = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(Ctx.getFloatConst(F32, NaN), Ctx.getFloatConst(F32, NaN))
      << "the same nan bits intern to one constant";
  EXPECT_TRUE(std::signbit(NegZero->getArg()->getFloat()));
}

TEST_F(ContextTest, VectorsOfOneLaneAreScalars) {
  EXPECT_EQ(Ctx.getVector(F32, 1), F32);
  DType V4 = Ctx.getVector(F32, 4);
  EXPECT_TRUE(V4.isVector());
  EXPECT_EQ(V4.getCount(), 4u);
  EXPECT_EQ(V4.getScalarType(), F32);
  EXPECT_TRUE(V4.isFloat());
  EXPECT_EQ(V4, Ctx.getVector(F32, 4));
  EXPECT_EQ(V4.str(), "vec<f32, 4>");
}

TEST_F(ContextTest, PointersCarryElementSpaceAndSize) {
  DType P = Ctx.getPointer(F32, AddrSpace::Global, 1024);
  EXPECT_TRUE(P.isPointer());
  EXPECT_FALSE(P.isFloat()) << "category tests do not look through pointers";
  EXPECT_EQ(P.getElement(), F32);
  EXPECT_EQ(P.getAddrSpace(), AddrSpace::Global);
  EXPECT_EQ(P.getSize(), 1024);
  EXPECT_EQ(P.str(), "ptr<f32, global, 1024>");
  EXPECT_NE(P, Ctx.getPointer(F32, AddrSpace::Local, 1024));
  DType Unknown = Ctx.getPointer(Ctx.getVector(F32, 4), AddrSpace::Reg);
  EXPECT_EQ(Unknown.getSize(), -1);
  EXPECT_EQ(Unknown.str(), "ptr<vec<f32, 4>, reg>");
}

TEST_F(ContextTest, ImagesAreBuffers) {
  DType Img = Ctx.getImage(ScalarKind::F16, 64, 128);
  EXPECT_TRUE(Img.isImage());
  EXPECT_TRUE(Img.isPointer());
  EXPECT_EQ(Img.getHeight(), 64);
  EXPECT_EQ(Img.getWidth(), 128);
  EXPECT_EQ(Img.getSize(), 64 * 128 * 4);
  EXPECT_EQ(Img.str(), "image<f16, 64, 128>");
}

TEST_F(ContextTest, ArgsAreInterned) {
  EXPECT_EQ(Ctx.getIntArg(7), Ctx.getIntArg(7));
  EXPECT_NE(Ctx.getIntArg(7), Ctx.getBoolArg(true));
  EXPECT_EQ(Ctx.getStringArg("gidx0"), Ctx.getStringArg("gidx0"));
  EXPECT_EQ(Ctx.getStringArg("gidx0")->getString(), "gidx0");
  const Arg *L = Ctx.getIntListArg({0, 2, 1});
  EXPECT_EQ(L, Ctx.getIntListArg({0, 2, 1}));
  EXPECT_NE(L, Ctx.getIntListArg({0, 1, 2}));
  const Arg *Up =
      Ctx.getOptArg(OptKind::Upcast, {Ctx.getIntArg(0), Ctx.getIntArg(4)});
  EXPECT_EQ(Up->getOptKind(), OptKind::Upcast);
  EXPECT_EQ(Up->getElements().size(), 2u);
}

TEST_F(ContextTest, ArgsPrintCanonically) {
  auto str = [](const Arg *A) {
    std::string S;
    llvm::raw_string_ostream OS(S);
    A->print(OS);
    return S;
  };
  EXPECT_EQ(str(Ctx.getIntListArg({0, 2, 1})), "[0, 2, 1]");
  const Arg *Pair = Ctx.getIntListArg({1, 2});
  EXPECT_EQ(str(Ctx.getListArg({Pair, Pair})), "[(1, 2), (1, 2)]");
  EXPECT_EQ(
      str(Ctx.getOptArg(OptKind::Local, {Ctx.getIntArg(1), Ctx.getIntArg(8)})),
      "local(1, 8)");
  EXPECT_EQ(str(Ctx.getStringArg("a\"b")), "\"a\\22b\"");
  EXPECT_EQ(str(Ctx.getAxisKindArg(AxisKind::GroupReduce)), "group_reduce");
  EXPECT_EQ(str(Ctx.getOpArg(Op::Max)), "max");
}

TEST_F(ContextTest, ArgFieldsFollowTheOpDeclaration) {
  const UOp *N = Ctx.getConst(Index, 16);
  const Arg *RangeArg =
      Ctx.getListArg({Ctx.getIntArg(3), Ctx.getAxisKindArg(AxisKind::Reduce)});
  const UOp *R = Ctx.get(Op::Range, Index, {N}, RangeArg);
  EXPECT_EQ(R->getArgField(0)->getInt(), 3);
  EXPECT_EQ(R->getArgField(1)->getAxisKind(), AxisKind::Reduce);
  EXPECT_EQ(N->getArgField(0)->getInt(), 16) << "one field is stored directly";
}

TEST_F(ContextTest, MemoryUsageGrowsWithUOps) {
  size_t Before = Ctx.getMemoryUsage();
  const UOp *X = Ctx.getConst(Index, 0);
  for (int I = 1; I < 1000; ++I)
    X = Ctx.get(Op::Add, Index, {X, Ctx.getConst(Index, I)});
  EXPECT_GT(Ctx.getMemoryUsage(), Before);
  EXPECT_EQ(Ctx.getNumUOps(), 1999u);
}

} // namespace
