//===- OpenCLRuntimeTest.cpp - the QCOM runtime on hand-written kernels ---===//
//
// The OpenCL runtime runs small hand-written OpenCL C kernels for tg kernels
// lowered with gpudims (and images), and every output is compared with the
// reference interpreter on the same lowered kernel: buffers, variables,
// work-groups of several threads, f32 and f16 images (filled from linear
// buffers and copied back), reads outside an image (zero, which the images
// pass relies on), build errors and launch limits. Without an OpenCL
// platform every test is skipped with the runtime's reason.
//
//===----------------------------------------------------------------------===//

#include "../Common/KernelLowering.h"

#include "OpenCLRuntime.h"
#include "QCOMBackend.h"

#include "tg/Interp/Interpreter.h"

#include "llvm/Support/FileSystem.h"

#include "gtest/gtest.h"

#include <cstdlib>
#include <cstring>
#include <random>

using namespace tg;
using namespace tg::qcom;

namespace {

class OpenCLRuntimeTest : public unittest::KernelLoweringTest {
protected:
  // PoCL caches built programs in a folder it reads once per process; keep
  // them out of the user's cache, in one folder for the whole suite.
  static void SetUpTestSuite() {
    llvm::SmallString<128> Cache;
    if (llvm::sys::fs::createUniqueDirectory("tg-pocl-cache", Cache))
      return;
    CacheDir = Cache.str().str();
    setenv("POCL_CACHE_DIR", CacheDir.c_str(), 1);
  }
  static void TearDownTestSuite() {
    if (!CacheDir.empty())
      llvm::sys::fs::remove_directories(CacheDir);
  }

  void SetUp() override {
    llvm::Expected<std::unique_ptr<Runtime>> R = createOpenCLRuntime();
    if (!R)
      GTEST_SKIP() << "no OpenCL device: " << llvm::toString(R.takeError());
    RT = std::move(*R);
  }

  /// `Source` as the `opencl` compiler would package it.
  CompiledKernel compiled(const Function &F, llvm::StringRef Source,
                          llvm::StringRef Entry) {
    CompiledKernel C;
    C.Name = F.getName().str();
    C.EntryName = Entry.str();
    C.Source = Source.str();
    C.Binary = makeProgramBinary(Source, BuildOptions);
    C.BinaryFormat = ProgramFormat;
    return C;
  }

  /// Runs `F` built from `Source` on `Buffers` (by define id) and `Vars`,
  /// and the interpreter on copies of them; expects equal outputs.
  void runAndCompare(const Function &F, llvm::StringRef Source,
                     llvm::StringRef Entry, std::vector<HostBuffer> Buffers,
                     std::vector<int64_t> Vars = {}) {
    std::vector<HostBuffer> Want = Buffers;
    KernelArguments Args;
    for (HostBuffer &B : Want)
      Args.Buffers.push_back(&B);
    size_t V = 0;
    for (const UOp *P : F.Params)
      if (P->getOp() == Op::DefineVar)
        Args.Variables[P->getArgField(0)->getString()] = Vars[V++];
    ASSERT_TRUE(succeeded(interpret(F, Args, Diag))) << Errors;

    std::vector<std::unique_ptr<DeviceBuffer>> OnDevice;
    std::vector<DeviceBuffer *> Pointers;
    for (HostBuffer &B : Buffers) {
      auto D = RT->allocate(B.Bytes.size());
      ASSERT_TRUE(bool(D)) << llvm::toString(D.takeError());
      ASSERT_FALSE(bool(RT->copyIn(**D, B.Bytes.data())));
      Pointers.push_back(D->get());
      OnDevice.push_back(std::move(*D));
    }
    auto K = RT->load(F, compiled(F, Source, Entry));
    ASSERT_TRUE(bool(K)) << llvm::toString(K.takeError());
    llvm::Expected<double> Seconds = RT->launch(**K, Pointers, Vars);
    ASSERT_TRUE(bool(Seconds)) << llvm::toString(Seconds.takeError());
    EXPECT_GE(*Seconds, 0.0);
    for (size_t I = 0; I != Buffers.size(); ++I) {
      ASSERT_FALSE(bool(RT->copyOut(Buffers[I].Bytes.data(), *OnDevice[I])));
      for (int64_t E = 0; E != Buffers[I].Count; ++E)
        for (unsigned L = 0; L != Buffers[I].Element.getCount(); ++L)
          ASSERT_EQ(Buffers[I].get(E, L).getFloat(),
                    Want[I].get(E, L).getFloat())
              << "buffer " << I << " element " << E << " lane " << L;
    }
  }

  /// A buffer of `Count` `Element`s holding seeded random values in
  /// [-4, 4), which f16 holds exactly at multiples of 1/256.
  HostBuffer random(llvm::StringRef Element, int64_t Count) {
    HostBuffer B(type(Element), Count);
    std::uniform_int_distribution<int> Dist(-1024, 1023);
    for (int64_t I = 0; I != Count; ++I)
      B.set(I, ConstValue::getFloat(Dist(Rng) / 256.0));
    return B;
  }

  std::mt19937 Rng{7};
  static std::string CacheDir;
  std::unique_ptr<Runtime> RT;
};

std::string OpenCLRuntimeTest::CacheDir;

// out[i] = in[i] * 2 + n for i < n, over 4 work-groups of 64 threads.
TEST_F(OpenCLRuntimeTest, BuffersVariablesAndWorkGroups) {
  Function &F = lower(R"(
kernel @scale(%out: ptr<f32, global, 256>, %in: ptr<f32, global, 256>,
              %n: i32 [0, 256]) attributes {opts = [local(0, 64)]} {
  %size = const 256 : index
  %i = range(%size) {axis = 0, kind = global} : index
  %ni = cast(%n) : index
  %in_range = cmplt(%i, %ni) : bool
  %a = index(%in, %i, %in_range) : ptr<f32, global>
  %x = load(%a) : f32
  %two = const 2.0 : f32
  %nf = cast(%n) : f32
  %y = mulacc(%x, %two, %nf) : f32
  %b = index(%out, %i, %in_range) : ptr<f32, global>
  %s = store(%b, %y) : void
  %e = end(%s, %i) : void
  sink(%e) : void
})",
                      "opt{arch=a630},gpudims{arch=a630},lower-index,"
                      "remove-reduce,linearize");
  runAndCompare(F, R"(
__kernel void scale(__global float *out, __global const float *in, int n) {
  int i = get_group_id(0) * 64 + get_local_id(0);
  if (i < n) out[i] = fma(in[i], 2.0f, (float)n);
})",
                "scale", {HostBuffer(type("f32"), 256), random("f32", 256)},
                {200});
}

// The same kernel through images: one row of 256 texels each.
const char *TwiceKernel = R"(
kernel @twice(%out: ptr<f32, global, 1024>, %in: ptr<f32, global, 1024>) {
  %n = const 256 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %four = const 4 : index
  %e = mul(%i, %four) : index
  %a = index(%in, %e) : ptr<f32, global>
  %x = load(%a) : vec<f32, 4>
  %y = add(%x, %x) : vec<f32, 4>
  %b = index(%out, %e) : ptr<f32, global>
  %s = store(%b, %y) : void
  %end = end(%s, %i) : void
  sink(%end) : void
})";

const char *ImagePipeline = "images{arch=a630 require-all=true},gpudims{arch="
                            "a630},lower-index,remove-reduce,linearize";

TEST_F(OpenCLRuntimeTest, F32Images) {
  Function &F = lower(TwiceKernel, ImagePipeline);
  ASSERT_EQ(F.Params[0]->getDType(), type("image<f32, 1, 256>"));
  runAndCompare(F, R"(
__constant sampler_t smp = CLK_NORMALIZED_COORDS_FALSE | CLK_ADDRESS_CLAMP |
                           CLK_FILTER_NEAREST;
__kernel void twice(write_only image2d_t out, read_only image2d_t in) {
  int2 c = (int2)(get_group_id(0), 0);
  float4 x = read_imagef(in, smp, c);
  write_imagef(out, c, x + x);
})",
                "twice", {HostBuffer(type("f32"), 1024), random("f32", 1024)});
}

// f16 storage through CL_HALF_FLOAT images, computed in float (exact: the
// values and their doubles are halves).
TEST_F(OpenCLRuntimeTest, F16Images) {
  std::string Text = TwiceKernel;
  for (size_t P; (P = Text.find("f32")) != std::string::npos;)
    Text.replace(P, 3, "f16");
  Function &F = lower(Text, ImagePipeline);
  ASSERT_EQ(F.Params[1]->getDType(), type("image<f16, 1, 256>"));
  runAndCompare(F, R"(
__constant sampler_t smp = CLK_NORMALIZED_COORDS_FALSE | CLK_ADDRESS_CLAMP |
                           CLK_FILTER_NEAREST;
__kernel void twice(write_only image2d_t out, read_only image2d_t in) {
  int2 c = (int2)(get_group_id(0), 0);
  float4 x = read_imagef(in, smp, c);
  write_imagef(out, c, x + x);
})",
                "twice", {HostBuffer(type("f16"), 1024), random("f16", 1024)});
}

// A 2-D image of 4 rows of 64 texels: texel t of the linear buffer is
// (t % 64, t / 64), as the runtime copies the buffer row by row.
TEST_F(OpenCLRuntimeTest, TwoDimensionalImage) {
  Function &F = lower(R"(
kernel @twice(%out: image<f32, 4, 64>, %in: image<f32, 4, 64>) {
  %n = const 256 : index
  %t = range(%n) {axis = 0, kind = global} : index
  %w = const 64 : index
  %x = floormod(%t, %w) : index
  %y = floordiv(%t, %w) : index
  %a = index(%in, %x, %y) : image<f32, 4, 64>
  %v = load(%a) : vec<f32, 4>
  %d = add(%v, %v) : vec<f32, 4>
  %b = index(%out, %x, %y) : image<f32, 4, 64>
  %s = store(%b, %d) : void
  %end = end(%s, %t) : void
  sink(%end) : void
})",
                      "gpudims{arch=a630},lower-index,remove-reduce,linearize");
  runAndCompare(F, R"(
__constant sampler_t smp = CLK_NORMALIZED_COORDS_FALSE | CLK_ADDRESS_CLAMP |
                           CLK_FILTER_NEAREST;
__kernel void twice(write_only image2d_t out, read_only image2d_t in) {
  int t = get_group_id(0);
  int2 c = (int2)(t % 64, t / 64);
  float4 x = read_imagef(in, smp, c);
  write_imagef(out, c, x + x);
})",
                "twice", {HostBuffer(type("f32"), 1024), random("f32", 1024)});
}

// Reads at x = -1 and x = W give the border colour, zero: what lets the
// images pass drop gates.
TEST_F(OpenCLRuntimeTest, ReadsOutsideAnImageAreZero) {
  Function &F = lower(R"(
kernel @shift(%out: ptr<f32, global, 72>, %in: image<f32, 1, 16>) {
  %n = const 18 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %one = const 1 : index
  %x = sub(%i, %one) : index
  %zero = const 0 : index
  %a = index(%in, %x, %zero) : image<f32, 1, 16>
  %v = load(%a) : vec<f32, 4>
  %four = const 4 : index
  %o = mul(%i, %four) : index
  %b = index(%out, %o) : ptr<f32, global>
  %s = store(%b, %v) : void
  %end = end(%s, %i) : void
  sink(%end) : void
})",
                      "gpudims{arch=a630},lower-index,remove-reduce,"
                      "linearize");
  HostBuffer Out(type("f32"), 72);
  for (int64_t I = 0; I != 72; ++I)
    Out.set(I, ConstValue::getFloat(7.0));
  runAndCompare(F, R"(
__constant sampler_t smp = CLK_NORMALIZED_COORDS_FALSE | CLK_ADDRESS_CLAMP |
                           CLK_FILTER_NEAREST;
__kernel void shift(__global float *out, read_only image2d_t in) {
  int i = get_group_id(0);
  vstore4(read_imagef(in, smp, (int2)(i - 1, 0)), i, out);
})",
                "shift", {Out, random("f32", 64)});
}

TEST_F(OpenCLRuntimeTest, BuildErrorsShowTheLog) {
  Function &F = lower(TwiceKernel, "gpudims{arch=a630},lower-index,"
                                   "remove-reduce,linearize");
  auto K = RT->load(F, compiled(F,
                                "__kernel void twice(__global float *o) "
                                "{ o[0] = undeclared_name; }",
                                "twice"));
  ASSERT_FALSE(bool(K));
  std::string Message = llvm::toString(K.takeError());
  EXPECT_NE(Message.find("kernel @twice: the OpenCL program does not build"),
            std::string::npos)
      << Message;
  EXPECT_NE(Message.find("undeclared_name"), std::string::npos) << Message;

  CompiledKernel Wrong = compiled(F, "", "twice");
  Wrong.BinaryFormat = "elf-object";
  K = RT->load(F, Wrong);
  ASSERT_FALSE(bool(K));
  EXPECT_EQ(llvm::toString(K.takeError()),
            "kernel @twice: the OpenCL runtime loads 'opencl-c' programs, not "
            "'elf-object'");
}

TEST_F(OpenCLRuntimeTest, ImagesMustMatchTheirBuffers) {
  Function &F = lower(TwiceKernel, ImagePipeline);
  auto K = RT->load(F, compiled(F, R"(
__kernel void twice(write_only image2d_t out, read_only image2d_t in) {})",
                                "twice"));
  ASSERT_TRUE(bool(K)) << llvm::toString(K.takeError());
  auto Small = RT->allocate(100), Right = RT->allocate(4096);
  ASSERT_TRUE(Small && Right);
  llvm::Expected<double> Seconds =
      RT->launch(**K, {Small->get(), Right->get()}, {});
  ASSERT_FALSE(bool(Seconds));
  EXPECT_EQ(llvm::toString(Seconds.takeError()),
            "kernel @twice: parameter 0: a buffer of 100 bytes cannot be "
            "passed as image<f32, 1, 256> (4096 bytes)");
}

// Work-groups and local memory beyond the device's limits are refused with
// the limit, before OpenCL sees them.
TEST_F(OpenCLRuntimeTest, DeviceLimits) {
  llvm::Expected<DeviceCapabilities> Caps = getDeviceCapabilities();
  ASSERT_TRUE(bool(Caps)) << llvm::toString(Caps.takeError());
  EXPECT_FALSE(Caps->Name.empty());
  EXPECT_GE(Caps->MaxWorkGroupSize, 1);
  int64_t TooMany = Caps->MaxWorkItemSizes[0] * 2;
  std::string Text = R"(
kernel @wide(%out: ptr<f32, global, N>) {
  %n = const N : index
  %t = special(%n) {name = "lidx0"} : index
  %p = index(%out, %t) : ptr<f32, global>
  %one = const 1.0 : f32
  %s = store(%p, %one) : void
  sink(%s) : void
})";
  for (size_t P; (P = Text.find('N')) != std::string::npos;)
    Text.replace(P, 1, std::to_string(TooMany));
  Function &F = lower(Text);
  auto K = RT->load(F, compiled(F, R"(
__kernel void wide(__global float *out) { out[get_local_id(0)] = 1.0f; })",
                                "wide"));
  ASSERT_TRUE(bool(K)) << llvm::toString(K.takeError());
  auto B = RT->allocate(TooMany * 4);
  ASSERT_TRUE(bool(B));
  llvm::Expected<double> Seconds = RT->launch(**K, {B->get()}, {});
  ASSERT_FALSE(bool(Seconds));
  EXPECT_EQ(llvm::toString(Seconds.takeError()),
            "kernel @wide: work-groups of " + std::to_string(TooMany) +
                " threads in dimension 0 exceed the device's " +
                std::to_string(Caps->MaxWorkItemSizes[0]));

  int64_t Floats = Caps->LocalMemory / 4 + 1;
  Function &G = lower(R"(
kernel @big(%out: ptr<f32, global, 1>) {
  %tile = define() {id = 1} : ptr<f32, local, )" +
                      std::to_string(Floats) + R"(>
  %zero = const 0 : index
  %l = index(%tile, %zero) : ptr<f32, local>
  %x = load(%l) : f32
  %p = index(%out, %zero) : ptr<f32, global>
  %s = store(%p, %x) : void
  sink(%s) : void
})");
  K = RT->load(G,
               compiled(G, "__kernel void big(__global float *o) {}", "big"));
  ASSERT_FALSE(bool(K));
  EXPECT_EQ(llvm::toString(K.takeError()),
            "kernel @big needs " + std::to_string(Floats * 4) +
                " bytes of local memory; " + Caps->Name + " has " +
                std::to_string(Caps->LocalMemory));
}

TEST(OpenCLProgramTest, BinaryHoldsTheOptionsAndTheSource) {
  std::vector<char> Binary = makeProgramBinary("__kernel void k() {}\n", "-a");
  llvm::Expected<ProgramText> Text = parseProgramBinary(Binary);
  ASSERT_TRUE(bool(Text));
  EXPECT_EQ(Text->Options, "-a");
  EXPECT_EQ(Text->Source, "__kernel void k() {}\n");
  Binary.assign({'x'});
  Text = parseProgramBinary(Binary);
  ASSERT_FALSE(bool(Text)) << "a binary without the options line is refused";
  EXPECT_NE(llvm::toString(Text.takeError()).find("build options"),
            std::string::npos);
}

} // namespace
