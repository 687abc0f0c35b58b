//===- MetalLaunchTest.cpp - the ABI of Metal kernels ---------------------===//
//
// The renderer and the runtime must agree on where each argument goes and
// how large the launch is (MetalLaunch.h); the runtime itself needs a Mac,
// so these tests check both sides of that agreement here.
//
//===----------------------------------------------------------------------===//

#include "../Common/KernelLowering.h"

#include "MetalLaunch.h"
#include "MetalRenderer.h"

#include "tg/IR/Context.h"
#include "tg/Target/Device.h"

#include "gtest/gtest.h"

using namespace tg;
using namespace tg::metal;

namespace {

class MetalLaunchTest : public unittest::KernelLoweringTest {};

/// Two buffers and two variables; a work-group of 16 threads and n groups.
const char *TwoVariables = R"(
kernel @scale(%out: ptr<f32, global, 1024>, %in: ptr<f32, global, 1024>, %n: index [1, 64], %k: i32 [0, 9]) {
  %c16 = const 16 : index
  %g = special(%n) {name = "gidx0"} : index
  %l = special(%c16) {name = "lidx0"} : index
  %row = mul(%g, %c16) : index
  %i = add(%row, %l) : index
  %a = index(%in, %i) : ptr<f32, global>
  %x = load(%a) : f32
  %kf = cast(%k) : f32
  %y = mul(%x, %kf) : f32
  %b = index(%out, %i) : ptr<f32, global>
  %s = store(%b, %y) : void
  sink(%s) : void
}
)";

TEST_F(MetalLaunchTest, ArgumentsAndDimensions) {
  Function &F = lower(TwoVariables, "linearize");
  llvm::Expected<MetalLaunch> L = analyzeLaunch(F);
  ASSERT_TRUE(bool(L)) << llvm::toString(L.takeError());
  EXPECT_EQ(L->NumBuffers, 2u);
  ASSERT_EQ(L->Variables.size(), 2u);
  // index is passed as 64 bits, i32 as 32.
  EXPECT_EQ(L->VariableBytes, (std::vector<unsigned>{8, 4}));

  llvm::Expected<MetalDims> D = getLaunchDims(*L, {5, 3});
  ASSERT_TRUE(bool(D)) << llvm::toString(D.takeError());
  EXPECT_EQ(D->Groups, (std::array<uint64_t, 3>{5, 1, 1}));
  EXPECT_EQ(D->Threads, (std::array<uint64_t, 3>{16, 1, 1}));
  EXPECT_EQ(D->getThreadsPerGroup(), 16u);
  EXPECT_FALSE(D->isEmpty());

  llvm::Expected<MetalDims> None = getLaunchDims(*L, {0, 3});
  ASSERT_TRUE(bool(None)) << llvm::toString(None.takeError());
  EXPECT_TRUE(None->isEmpty());
}

TEST_F(MetalLaunchTest, BadValues) {
  Function &F = lower(TwoVariables, "linearize");
  llvm::Expected<MetalLaunch> L = analyzeLaunch(F);
  ASSERT_TRUE(bool(L)) << llvm::toString(L.takeError());

  llvm::Expected<MetalDims> Missing = getLaunchDims(*L, {5});
  ASSERT_FALSE(bool(Missing));
  EXPECT_EQ(llvm::toString(Missing.takeError()),
            "kernel @scale takes 2 variable values; 1 given");

  llvm::Expected<MetalDims> Negative = getLaunchDims(*L, {-3, 0});
  ASSERT_FALSE(bool(Negative));
  EXPECT_EQ(llvm::toString(Negative.takeError()),
            "kernel @scale: a launch dimension of -3 is negative");
}

/// The renderer binds what analyzeLaunch counts: buffers by define id, the
/// variables after them, the launch indices as Metal's attributes.
TEST_F(MetalLaunchTest, RendererAgrees) {
  Function &F = lower(TwoVariables, "lower-index,linearize");
  MetalRenderer R;
  llvm::Expected<std::string> Source = R.render(F, *lookupArch("apple7"));
  ASSERT_TRUE(bool(Source)) << llvm::toString(Source.takeError());
  EXPECT_NE(Source->find("kernel void k_scale(device float* b0 [[buffer(0)]], "
                         "device float* b1 [[buffer(1)]], constant long& var0 "
                         "[[buffer(2)]], constant int& var1 [[buffer(3)]], "
                         "uint3 gid [[threadgroup_position_in_grid]], uint3 "
                         "lid [[thread_position_in_threadgroup]])"),
            std::string::npos)
      << *Source;
  EXPECT_NE(Source->find("gid.x"), std::string::npos) << *Source;
  EXPECT_NE(Source->find("lid.x"), std::string::npos) << *Source;
}

/// Buffer ids index the runtime's buffers below the variables' indices; a
/// kernel built with others is refused on both sides, not bound wrongly.
TEST_F(MetalLaunchTest, BufferIdsBelowBufferCount) {
  Function &F = lower(TwoVariables, "lower-index,linearize");
  F.Params[1] =
      Ctx.get(Op::Define, F.Params[1]->getDType(), {}, Ctx.getIntArg(7));
  llvm::Expected<MetalLaunch> L = analyzeLaunch(F);
  ASSERT_FALSE(bool(L));
  EXPECT_EQ(llvm::toString(L.takeError()),
            "kernel @scale: buffer id 7 is not below its 2 buffers");
  MetalRenderer R;
  llvm::Expected<std::string> Source = R.render(F, *lookupArch("apple7"));
  ASSERT_FALSE(bool(Source));
  EXPECT_NE(llvm::toString(Source.takeError())
                .find("has define id 7, not below its 2 buffers"),
            std::string::npos);
}

} // namespace
