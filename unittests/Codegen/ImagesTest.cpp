//===- ImagesTest.cpp - the images pass against the interpreter -----------===//
//
// Each kernel runs in the reference interpreter twice on the same seeded
// inputs: lowered as buffers, and lowered with `images` (whose reads outside
// an image give zero and whose dropped gate clauses rely on it). The outputs
// must be equal bit for bit: the same ops compute the same lanes. Kernels:
// one-row and two-row images, f16 texels, reads shifted past both ends with
// their gates dropped, and a gate clause that must stay. Also the
// interpreter's own rules for images: a write outside one is an error.
//
//===----------------------------------------------------------------------===//

#include "../Common/KernelLowering.h"

#include "tg/Interp/Interpreter.h"

#include "gtest/gtest.h"

#include <random>

using namespace tg;

namespace {

class ImagesTest : public ::testing::Test {
protected:
  /// The outputs of `Text` lowered by `Pipeline`, run on inputs drawn from
  /// `Seed`.
  std::vector<HostBuffer> run(llvm::StringRef Text, llvm::StringRef Pipeline,
                              unsigned Seed = 1) {
    auto L = std::make_unique<unittest::KernelLowering>();
    Function &F = L->lower(Text, Pipeline);
    std::mt19937 Rng(Seed);
    std::uniform_int_distribution<int> Dist(-512, 511);
    std::vector<HostBuffer> Buffers;
    for (const UOp *P : F.Params) {
      DType T = P->getDType();
      Buffers.emplace_back(T.getElement(), T.getSize());
      for (int64_t I = 0; I != T.getSize(); ++I)
        Buffers.back().set(I, ConstValue::getFloat(Dist(Rng) / 128.0));
    }
    KernelArguments Args;
    for (HostBuffer &B : Buffers)
      Args.Buffers.push_back(&B);
    EXPECT_TRUE(succeeded(interpret(F, Args, L->Diag))) << L->Errors;
    Lowerings.push_back(std::move(L));
    return Buffers;
  }

  /// Expects `Text` to compute the same with and without images, and
  /// `Images` of its parameters to become images.
  void expectSameWithImages(llvm::StringRef Text, unsigned Images) {
    std::vector<HostBuffer> Want = run(Text, "remove-reduce,linearize");
    std::vector<HostBuffer> Got =
        run(Text, "images{arch=a630},remove-reduce,linearize");
    const Function &F = *Lowerings.back()->M->Functions.front();
    unsigned Made = llvm::count_if(
        F.Params, [](const UOp *P) { return P->getDType().isImage(); });
    EXPECT_EQ(Made, Images);
    ASSERT_EQ(Got.size(), Want.size());
    for (size_t I = 0; I != Want.size(); ++I)
      EXPECT_EQ(Got[I].Bytes, Want[I].Bytes) << "buffer " << I;
  }

  std::vector<std::unique_ptr<unittest::KernelLowering>> Lowerings;
};

// Reads of texel i - 1 and i + 1 for 0 <= i < 256 with 0 < i and i < 255
// gating them: the images pass drops every clause (each is false only where
// the texel is -1 or 256), so the zero comes from reading outside the image.
TEST_F(ImagesTest, DroppedGatesReadZero) {
  expectSameWithImages(R"(
kernel @neighbours(%out: ptr<f32, global, 1024>, %in: ptr<f32, global, 1024>) {
  %n = const 256 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %zero = const 0 : index
  %one = const 1 : index
  %four = const 4 : index
  %last = const 255 : index
  %low = cmplt(%zero, %i) : bool
  %high = cmplt(%i, %last) : bool
  %l = sub(%i, %one) : index
  %le = mul(%l, %four) : index
  %a = index(%in, %le, %low) : ptr<f32, global>
  %x = load(%a) : vec<f32, 4>
  %r = add(%i, %one) : index
  %re = mul(%r, %four) : index
  %c = index(%in, %re, %high) : ptr<f32, global>
  %y = load(%c) : vec<f32, 4>
  %z = add(%x, %y) : vec<f32, 4>
  %o = mul(%i, %four) : index
  %b = index(%out, %o) : ptr<f32, global>
  %s = store(%b, %z) : void
  %end = end(%s, %i) : void
  sink(%end) : void
})",
                       2);
}

// A 16-wide image of 2 rows read at texel i + 8 for i < 40 with the gate
// i < 24: past i = 24 the texel is still inside the image, so the clause
// must stay (dropping it would read real data instead of zero).
TEST_F(ImagesTest, GateInsideTheImageStays) {
  expectSameWithImages(R"(
kernel @window(%out: ptr<f32, global, 160>, %in: ptr<f32, global, 131072>) {
  %n = const 40 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %four = const 4 : index
  %eight = const 8 : index
  %bound = const 24 : index
  %ok = cmplt(%i, %bound) : bool
  %t = add(%i, %eight) : index
  %e = mul(%t, %four) : index
  %a = index(%in, %e, %ok) : ptr<f32, global>
  %x = load(%a) : vec<f32, 4>
  %o = mul(%i, %four) : index
  %b = index(%out, %o) : ptr<f32, global>
  %s = store(%b, %x) : void
  %end = end(%s, %i) : void
  sink(%end) : void
})",
                       2);
}

// f16 texels in two rows of 16384: texel t is (t % 16384, t // 16384).
TEST_F(ImagesTest, TwoRowsOfHalves) {
  expectSameWithImages(R"(
kernel @copy(%out: ptr<f16, global, 131072>, %in: ptr<f16, global, 131072>) {
  %n = const 32768 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %four = const 4 : index
  %e = mul(%i, %four) : index
  %a = index(%in, %e) : ptr<f16, global>
  %x = load(%a) : vec<f16, 4>
  %y = add(%x, %x) : vec<f16, 4>
  %b = index(%out, %e) : ptr<f16, global>
  %s = store(%b, %y) : void
  %end = end(%s, %i) : void
  sink(%end) : void
})",
                       2);
}

TEST_F(ImagesTest, WritesOutsideAnImageAreErrors) {
  unittest::KernelLowering L;
  Function &F = L.lower(R"(
kernel @past(%out: image<f32, 1, 4>) {
  %n = const 5 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %zero = const 0 : index
  %a = index(%out, %i, %zero) : image<f32, 1, 4>
  %v = const 1.0 : vec<f32, 4>
  %s = store(%a, %v) : void
  %end = end(%s, %i) : void
  sink(%end) : void
})");
  HostBuffer Out(L.type("f32"), 16);
  KernelArguments Args;
  Args.Buffers.push_back(&Out);
  EXPECT_TRUE(failed(interpret(F, Args, L.Diag)));
  EXPECT_NE(L.Errors.find("writes a texel outside its image"),
            std::string::npos)
      << L.Errors;
  EXPECT_EQ(Out.get(12).getFloat(), 1.0) << "texel 3 was written";
}

} // namespace
