//===- MetalBackendTest.cpp - the metal device's backend ------------------===//
//
// The plugin's backend as tools see it through TargetRegistry: its one
// compiler makes `metal-source` binaries for metal arches only, and off
// Apple platforms it has no runtime and says why.
//
//===----------------------------------------------------------------------===//

#include "../Common/KernelLowering.h"

#include "tg/Target/Plugin.h"
#include "tg/Target/Target.h"

#include "gtest/gtest.h"

using namespace tg;

namespace {

class MetalBackendTest : public unittest::KernelLoweringTest {
protected:
  Backend &getBackend() {
    tgGetPluginInfo()->Register();
    Backend *B = TargetRegistry::get().lookup("metal");
    EXPECT_TRUE(B);
    return *B;
  }
};

const char *AddOne = R"(
kernel @add_one(%out: ptr<f32, global, 64>, %in: ptr<f32, global, 64>) {
  %c64 = const 64 : index
  %l = special(%c64) {name = "lidx0"} : index
  %a = index(%in, %l) : ptr<f32, global>
  %x = load(%a) : f32
  %one = const 1.0 : f32
  %y = add(%x, %one) : f32
  %b = index(%out, %l) : ptr<f32, global>
  %s = store(%b, %y) : void
  sink(%s) : void
}
)";

TEST_F(MetalBackendTest, CompilesToSource) {
  Function &F = lower(AddOne, "lower-index,linearize");
  llvm::Expected<std::unique_ptr<Compiler>> C =
      getBackend().createCompiler("metal", *lookupArch("apple8"));
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  EXPECT_EQ((*C)->getName(), "metal");
  EXPECT_EQ((*C)->getRenderer().getLanguage(), "metal");
  llvm::Expected<CompiledKernel> K =
      (*C)->compileKernel(F, *lookupArch("apple8"));
  ASSERT_TRUE(bool(K)) << llvm::toString(K.takeError());
  EXPECT_EQ(K->BinaryFormat, "metal-source");
  EXPECT_EQ(K->EntryName, "k_add_one");
  EXPECT_EQ(std::string(K->Binary.begin(), K->Binary.end()), K->Source);
  EXPECT_NE(K->Source.find("kernel void k_add_one("), std::string::npos);
}

TEST_F(MetalBackendTest, RefusesOtherCompilersAndArches) {
  llvm::Expected<std::unique_ptr<Compiler>> Clang =
      getBackend().createCompiler("clang", *lookupArch("apple7"));
  ASSERT_FALSE(bool(Clang));
  EXPECT_EQ(llvm::toString(Clang.takeError()),
            "the metal device has no compiler 'clang' (it has metal)");
  llvm::Expected<std::unique_ptr<Compiler>> NV =
      getBackend().createCompiler("metal", *lookupArch("sm_90"));
  ASSERT_FALSE(bool(NV));
  EXPECT_EQ(llvm::toString(NV.takeError()),
            "the metal compiler compiles for metal arches, not sm_90 (nv)");
}

TEST_F(MetalBackendTest, RuntimeOnlyOnMacOS) {
#ifdef __APPLE__
  GTEST_SKIP() << "on Apple platforms the runtime exists; lit's run.test "
                  "runs kernels on it";
#else
  llvm::Expected<std::unique_ptr<Runtime>> R = getBackend().createRuntime();
  ASSERT_FALSE(bool(R));
  EXPECT_EQ(llvm::toString(R.takeError()),
            "Metal runs only on macOS; here the metal device compiles "
            "(--device=null:apple7) but does not run");
#endif
}

} // namespace
