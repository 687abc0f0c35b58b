//===- HIPRuntimeTest.cpp - the AMD runtime against a recording HIP -------===//
//
// The AMD `llvm` compiler's code object goes through HIPRuntime with
// FakeHIP/FakeHIP.cpp standing in for libamdhip64.so: the runtime must load the
// code object under the kernel's entry name, launch the kernel's gidx sizes
// (evaluated with the run's variables) in work-groups of its lidx sizes,
// pass buffers and variables in Kernel.Params order, and report HIP's
// errors with what failed. Kernels do not run here; test/AMD/run.test runs
// them where an AMD GPU is.
//
//===----------------------------------------------------------------------===//

#include "../Common/KernelLowering.h"

#include "AMDBackend.h"

#include "llvm/Support/Program.h"

#include "gtest/gtest.h"

#include <dlfcn.h>

using namespace tg;

namespace {

class HIPRuntimeTest : public unittest::KernelLoweringTest {
protected:
  void SetUp() override {
    if (!llvm::sys::findProgramByName("ld.lld-19"))
      GTEST_SKIP() << "ld.lld-19 links AMD code objects and is not installed";
    Fake = dlopen(TG_FAKE_HIP, RTLD_NOW | RTLD_GLOBAL);
    ASSERT_TRUE(Fake) << dlerror();
  }
  void TearDown() override {
    if (Fake)
      dlclose(Fake);
  }

  template <typename T> T symbol(const char *Name) {
    return reinterpret_cast<T>(dlsym(Fake, Name));
  }

  /// Compiles `Kernel` for gfx1100 with the `llvm` compiler.
  CompiledKernel compile(const Function &Kernel) {
    const ArchInfo &Arch = *lookupArch("gfx1100");
    llvm::Expected<std::unique_ptr<Compiler>> C =
        amd::createCodeObjectCompiler(Arch);
    EXPECT_TRUE(!!C) << llvm::toString(C.takeError());
    llvm::Expected<CompiledKernel> K = (*C)->compileKernel(Kernel, Arch);
    EXPECT_TRUE(!!K) << llvm::toString(K.takeError());
    return std::move(*K);
  }

  void *Fake = nullptr;
};

// Work-groups of 64 along x, as many as the variable %n says; a buffer, the
// variable, and a second buffer, in that order.
const char *const Kernel = R"(
kernel @scale(%out: ptr<f32, global, 4096>, %n: i32 [1, 64], %in: ptr<f32, global, 4096>) {
  %c64 = const 64 : i32
  %g = special(%n) {name = "gidx0"} : i32
  %l = special(%c64) {name = "lidx0"} : i32
  %row = mul(%g, %c64) : i32
  %i = add(%row, %l) : i32
  %a = index(%in, %i) : ptr<f32, global>
  %x = load(%a) : f32
  %b = index(%out, %i) : ptr<f32, global>
  %s = store(%b, %x) : void
  sink(%s) : void
}
)";

TEST_F(HIPRuntimeTest, LaunchesTheKernelsDimensionsAndParameters) {
  Function &F = lower(Kernel);
  CompiledKernel K = compile(F);
  EXPECT_EQ(K.BinaryFormat, "hsaco");
  llvm::Expected<std::unique_ptr<Runtime>> R = amd::createHIPRuntime();
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  auto Out = (*R)->allocate(4096 * 4), In = (*R)->allocate(4096 * 4);
  ASSERT_TRUE(Out && In);
  std::vector<float> Data(4096, 1.5f);
  ASSERT_FALSE((*R)->copyIn(**In, Data.data()));
  auto Loaded = (*R)->load(F, K);
  ASSERT_TRUE(!!Loaded) << llvm::toString(Loaded.takeError());
  EXPECT_STREQ(symbol<const char *(*)()>("fakeHipImage")(), "\x7f"
                                                            "ELF");
  EXPECT_STREQ(symbol<const char *(*)()>("fakeHipEntry")(), "scale");

  symbol<void (*)(unsigned)>("fakeHipSetNumParams")(3);
  // The buffers by define id: %out is define 0, %in define 1.
  DeviceBuffer *Buffers[] = {Out->get(), In->get()};
  llvm::Expected<double> Seconds = (*R)->launch(**Loaded, Buffers, {37});
  ASSERT_TRUE(!!Seconds) << llvm::toString(Seconds.takeError());
  EXPECT_DOUBLE_EQ(*Seconds, 0.0005);

  unsigned Grid[3], Block[3];
  const int64_t *Params;
  size_t NumParams;
  symbol<void (*)(unsigned *, unsigned *, const int64_t **, size_t *)>(
      "fakeHipLaunch")(Grid, Block, &Params, &NumParams);
  EXPECT_EQ(Grid[0], 37u);
  EXPECT_EQ(Grid[1], 1u);
  EXPECT_EQ(Grid[2], 1u);
  EXPECT_EQ(Block[0], 64u);
  EXPECT_EQ(Block[1], 1u);
  EXPECT_EQ(Block[2], 1u);
  ASSERT_EQ(NumParams, 3u);
  std::vector<float> Back(4096);
  ASSERT_FALSE((*R)->copyOut(Back.data(), **In));
  EXPECT_EQ(Back, Data);
  // The pointers are those the buffers hold: reading through the third
  // parameter's pointer sees what was copied into %in.
  EXPECT_EQ(reinterpret_cast<const float *>(Params[2])[7], 1.5f);
  EXPECT_EQ(Params[1], 37);
  EXPECT_NE(Params[0], Params[2]);
}

TEST_F(HIPRuntimeTest, ReportsHIPErrorsWithWhatFailed) {
  Function &F = lower(Kernel);
  CompiledKernel K = compile(F);
  llvm::Expected<std::unique_ptr<Runtime>> R = amd::createHIPRuntime();
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  symbol<void (*)(int)>("fakeHipFailNext")(98);
  auto Loaded = (*R)->load(F, K);
  ASSERT_FALSE(!!Loaded);
  EXPECT_EQ(llvm::toString(Loaded.takeError()),
            "kernel @scale: hipModuleLoadData: fake HIP error");

  CompiledKernel Wrong = K;
  Wrong.BinaryFormat = "ptx";
  auto NotLoaded = (*R)->load(F, Wrong);
  ASSERT_FALSE(!!NotLoaded);
  EXPECT_EQ(llvm::toString(NotLoaded.takeError()),
            "kernel @scale: the HIP runtime loads code objects (hsaco), not "
            "'ptx'");
}

TEST_F(HIPRuntimeTest, RefusesALaunchWithoutItsBuffer) {
  Function &F = lower(Kernel);
  CompiledKernel K = compile(F);
  llvm::Expected<std::unique_ptr<Runtime>> R = amd::createHIPRuntime();
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  auto Loaded = (*R)->load(F, K);
  ASSERT_TRUE(!!Loaded) << llvm::toString(Loaded.takeError());
  auto Out = (*R)->allocate(16);
  ASSERT_TRUE(!!Out);
  DeviceBuffer *Buffers[] = {Out->get()};
  llvm::Expected<double> Seconds = (*R)->launch(**Loaded, Buffers, {1});
  ASSERT_FALSE(!!Seconds);
  EXPECT_EQ(llvm::toString(Seconds.takeError()),
            "kernel @scale: no buffer for define 1");
}

} // namespace
