//===- CUDARendererTest.cpp - the CUDA renderer and its C-style base ------===//
//
// What the lit tests of test/NV do not reach through tg-run: constants that
// need their bits, launch bounds that depend on a variable, the defaults of
// CStyleRenderer seen through a minimal dialect (whose output clang-19
// accepts as C99), and the errors for kernels no renderer takes. Rendering
// needs neither NVRTC nor a GPU.
//
//===----------------------------------------------------------------------===//

#include "../Common/KernelLowering.h"

#include "CUDARenderer.h"

#include "tg/Target/CStyleRenderer.h"
#include "tg/Target/Device.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace tg;

namespace {

/// CStyleRenderer with only what a dialect must say: its defaults are C99.
class PlainC final : public CStyleRenderer {
public:
  llvm::StringRef getLanguage() const override { return "plain-c"; }
  std::string getKernelPrefix(const Function &, int64_t) const override {
    return "void";
  }
  std::string getLocalDecl(llvm::StringRef Element, llvm::StringRef Name,
                           int64_t Count) const override {
    return "static " + Element.str() + " " + Name.str() + "[" +
           std::to_string(Count) + "];";
  }
  std::string getBarrier() const override { return "barrier();"; }
  std::string getLaunchIndex(bool IsGroup, unsigned Dim) const override {
    return std::string(IsGroup ? "group_id(" : "local_id(") +
           std::to_string(Dim) + ")";
  }
};

class CUDARendererTest : public unittest::KernelLoweringTest {
protected:
  /// `Text` lowered by remove-reduce and linearize, rendered by `R`.
  llvm::Expected<std::string> render(CStyleRenderer &R, llvm::StringRef Text) {
    return R.render(lower(Text), *lookupArch("sm_90"));
  }
  std::string renderOrFail(CStyleRenderer &R, llvm::StringRef Text) {
    llvm::Expected<std::string> Source = render(R, Text);
    if (!Source) {
      ADD_FAILURE() << llvm::toString(Source.takeError());
      return "";
    }
    return *Source;
  }
  std::string renderError(CStyleRenderer &R, llvm::StringRef Text) {
    llvm::Expected<std::string> Source = render(R, Text);
    if (Source) {
      ADD_FAILURE() << "rendered:\n" << *Source;
      return "";
    }
    return llvm::toString(Source.takeError());
  }

  /// Checks that `Source`, with PlainC's launch indices and barrier
  /// declared, is C that clang-19 accepts.
  void expectValidC(const std::string &Source) {
    llvm::ErrorOr<std::string> Clang = llvm::sys::findProgramByName("clang-19");
    if (!Clang) {
      GTEST_SKIP() << "clang-19 is not on PATH: the C is not checked";
      return;
    }
    llvm::SmallString<128> Path;
    int FD = -1;
    ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("plain", "c", FD, Path));
    llvm::FileRemover Remover(Path);
    {
      llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
      OS << "#include <stdint.h>\nint64_t group_id(int);\n"
            "int64_t local_id(int);\nvoid barrier(void);\n"
         << Source;
    }
    std::string Message;
    int Result = llvm::sys::ExecuteAndWait(
        *Clang,
        {*Clang, "-x", "c", "-std=c99", "-fsyntax-only", "-Werror", Path.str()},
        std::nullopt, {}, 0, 0, &Message);
    EXPECT_EQ(Result, 0) << Message << "\n" << Source;
  }

  nv::CUDARenderer CUDA;
  PlainC C;
};

TEST_F(CUDARendererTest, SpecialFloatConstantsGoThroughTheirBits) {
  std::string Source = renderOrFail(CUDA, R"(
kernel @k(%out: ptr<f64, global, 2>, %h: ptr<f16, global, 1>) {
  %z = const 0 : index
  %one = const 1 : index
  %nan = const nan : f64
  %inf = const -inf : f64
  %p0 = index(%out, %z) : ptr<f64, global>
  %s0 = store(%p0, %nan) : void
  %p1 = index(%out, %one) : ptr<f64, global>
  %s1 = store(%p1, %inf) : void
  %half = const 0.5 : f16
  %ph = index(%h, %z) : ptr<f16, global>
  %s2 = store(%ph, %half) : void
  %all = group(%s0, %s1, %s2) : void
  sink(%all) : void
})");
  EXPECT_NE(Source.find("#include <cuda_fp16.h>"), std::string::npos);
  EXPECT_NE(Source.find("__builtin_bit_cast(double, (unsigned long long)"
                        "(0x7ff8000000000000ull))"),
            std::string::npos)
      << Source;
  EXPECT_NE(Source.find("__builtin_bit_cast(double, (unsigned long long)"
                        "(0xfff0000000000000ull))"),
            std::string::npos)
      << Source;
  EXPECT_NE(Source.find("__float2half_rn(0x1p-1f)"), std::string::npos)
      << Source;
}

TEST_F(CUDARendererTest, LaunchBoundsOnlyForAConstantWorkGroup) {
  const char *Kernel = R"(
kernel @k(%out: ptr<f32, global, 64>, %n: index [1, 64]) {
  %l = special(%n) {name = "lidx0"} : index
  %p = index(%out, %l) : ptr<f32, global>
  %one = const 1.0 : f32
  %s = store(%p, %one) : void
  sink(%s) : void
})";
  std::string Source = renderOrFail(CUDA, Kernel);
  EXPECT_NE(Source.find("extern \"C\" __global__ void k_k(float* __restrict__ "
                        "b0, const long long var0) {"),
            std::string::npos)
      << Source;
  EXPECT_NE(Source.find("const long long v0 = (long long)threadIdx.x;"),
            std::string::npos)
      << Source;
}

TEST_F(CUDARendererTest, DefaultsAreC99) {
  std::string Source = renderOrFail(C, R"(
kernel @k(%out: ptr<i16, global, 8>, %in: ptr<i16, global, 8>) {
  %z = const 0 : index
  %g = special(%z) {name = "gidx1"} : index
  %tile = define {id = 0} : ptr<i16, local, 4>
  %acc = define {id = 1} : ptr<i16, reg, 4>
  %pin = index(%in, %z) : ptr<i16, global>
  %v = load(%pin) : vec<i16, 4>
  %pt = index(%tile, %z) : ptr<i16, local>
  %st = store(%pt, %v) : void
  %b = barrier(%st) : void
  %pr = index(%acc, %z) : ptr<i16, reg>
  %sr = store(%pr, %v) : void
  %two = const 2 : i16
  %x = gep(%v) {lanes = [3]} : i16
  %d = floordiv(%x, %two) : i16
  %po = index(%out, %g) : ptr<i16, global>
  %so = store(%po, %d) : void
  %w = vectorize(%d, %x) : vec<i16, 2>
  %pw = index(%out, %z) : ptr<i16, global>
  %sw = store(%pw, %w) : void
  %all = group(%b, %sr, %so, %sw) : void
  sink(%all) : void
})");
  expectValidC(Source);
  for (const char *Expected :
       {"#include <stdint.h>",
        "typedef struct __attribute__((aligned(8))) { int16_t x, y, z, w; } "
        "tg_i16x4;",
        "static inline int16_t tg_floordiv_i16(int16_t a, int16_t b) {",
        "void k_k(int16_t* b0, int16_t* b1) {", "  static int16_t v2[4];",
        "  __attribute__((aligned(16))) int16_t v3[4] = {0};",
        "= (int64_t)group_id(1);", "barrier();",
        "const tg_i16x4 v5 = *(tg_i16x4*)v4;", "= (tg_i16x2){v13, v12};"})
    EXPECT_NE(Source.find(Expected), std::string::npos)
        << Expected << " is not in\n"
        << Source;
}

TEST_F(CUDARendererTest, Errors) {
  EXPECT_EQ(renderError(CUDA, R"(
kernel @k(%out: ptr<fp8e4m3, global, 1>) {
  %z = const 0 : index
  %p = index(%out, %z) : ptr<fp8e4m3, global>
  %x = load(%p) : fp8e4m3
  %s = store(%p, %x) : void
  sink(%s) : void
})"),
            "cannot render 'define' (%out) in kernel @k as cuda: fp8 needs "
            "the decompose pass");
  EXPECT_EQ(renderError(CUDA, R"(
kernel @k(%out: ptr<f32, global, 1>) {
  %z = const 0 : index
  %n = const 4 : index
  %l = special(%n) {name = "widx0"} : index
  %p = index(%out, %z) : ptr<f32, global>
  %x = cast(%l) : f32
  %s = store(%p, %x) : void
  sink(%s) : void
})"),
            "cannot render 'special' (%l) in kernel @k as cuda: unknown "
            "launch index 'widx0'");
}

// A tensor-core instruction is CUDA's (inline PTX); a dialect without a
// form of it refuses it, naming it, as does CUDA for one it does not know.
TEST_F(CUDARendererTest, WMMAOnlyWhereTheDialectHasIt) {
  auto Kernel = [](llvm::StringRef Name) {
    return (R"(
kernel @k(%out: ptr<vec<f32, 4>, global, 1>) {
  %a = const 1.0 : vec<f16, 8>
  %b = const 1.0 : vec<f16, 4>
  %c = const 0.0 : vec<f32, 4>
  %d = wmma(%a, %b, %c) {name = ")" +
            Name + R"(", dims = [16, 8, 16], threads = 32} : vec<f32, 4>
  %z = const 0 : index
  %p = index(%out, %z) : ptr<vec<f32, 4>, global>
  %s = store(%p, %d) : void
  sink(%s) : void
})")
        .str();
  };
  std::string Source = renderOrFail(CUDA, Kernel("mma.m16n8k16.f16"));
  EXPECT_NE(Source.find("asm(\"mma.sync.aligned.m16n8k16.row.col.f32.f16.f16."
                        "f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
                        "{%0, %1, %2, %3};\""),
            std::string::npos)
      << Source;
  EXPECT_NE(Source.find("tg_wmma_mma_m16n8k16_f16(v0, v1, v2)"),
            std::string::npos)
      << Source;
  EXPECT_EQ(renderError(C, Kernel("mma.m16n8k16.f16")),
            "cannot render 'wmma' (%d) in kernel @k as plain-c: no plain-c "
            "form of the tensor-core instruction 'mma.m16n8k16.f16'");
  EXPECT_EQ(renderError(CUDA, Kernel("wmma.16x16x16.f16")),
            "cannot render 'wmma' (%d) in kernel @k as cuda: no cuda form of "
            "the tensor-core instruction 'wmma.16x16x16.f16'");
}

} // namespace
