//===- PTXCompilerTest.cpp - the NV `ptx` compiler on every example -------===//
//
// Every kernel of examples/*.tg (index_math.tg has functions only), lowered
// with tg-run's GPU pipeline for sm_90, and a kernel with local memory and a
// barrier are compiled to PTX by nv::createPTXCompiler. The PTX must declare
// the arch and the entry, load from global memory and synchronize where the
// kernel has a barrier; where CUDA's ptxas is installed it must also assemble.
//
//===----------------------------------------------------------------------===//

#include "../Common/KernelLowering.h"

#include "PTXCompiler.h"

#include "tg/Symbolic/Passes.h"
#include "tg/Target/Device.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include "gtest/gtest.h"

#include <string>

using namespace tg;

namespace {

const char *const PtxasPath = "/usr/local/cuda/bin/ptxas";

/// The lowering tg-run applies on `Arch`; `WithOpts`: with the heuristic
/// and the kernels' own opts.
std::string getPipeline(llvm::StringRef Arch, bool WithOpts) {
  std::string A = Arch.str();
  std::string Pipeline = WithOpts
                             ? "heuristic{arch=" + A + "},opt{arch=" + A +
                                   "},expand,symbolic,coalesce{arch=" + A + "}"
                             : "symbolic";
  return Pipeline + ",gpudims{arch=" + A + "},lower-index,decompose{arch=" + A +
         "},remove-reduce,linearize";
}

class PTXCompilerTest : public ::testing::TestWithParam<std::string> {
protected:
  PTXCompilerTest() {
    Diag.setHandler(
        [this](const Diagnostic &D) { Errors += D.Message + "\n"; });
  }

  /// Parses `Text` and lowers it for sm_90, with the opts where they apply.
  std::unique_ptr<Module> lowerForGPU(llvm::StringRef Text) {
    registerCodegenPasses();
    registerSymbolicPasses();
    for (bool WithOpts : {true, false}) {
      Errors.clear();
      unsigned Id = SM.AddNewSourceBuffer(
          llvm::MemoryBuffer::getMemBufferCopy(Text, "test.tg"), llvm::SMLoc());
      std::unique_ptr<Module> M = parseModule(Id, Ctx, Diag);
      EXPECT_TRUE(M) << Errors;
      if (!M)
        return nullptr;
      PassManager PM;
      if (failed(parsePassPipeline(getPipeline("sm_90", WithOpts), PM,
                                   llvm::errs()))) {
        ADD_FAILURE() << "bad pipeline";
        return nullptr;
      }
      if (succeeded(PM.run(*M, Diag)))
        return M;
    }
    ADD_FAILURE() << Errors;
    return nullptr;
  }

  /// Compiles every kernel of `M` and checks its PTX.
  void checkKernels(const Module &M) {
    llvm::Expected<std::unique_ptr<Compiler>> C =
        nv::createPTXCompiler(*lookupArch("sm_90"));
    ASSERT_TRUE(!!C) << llvm::toString(C.takeError());
    unsigned NumKernels = 0;
    for (const auto &F : M.Functions) {
      if (!F->isKernel())
        continue;
      ++NumKernels;
      llvm::Expected<CompiledKernel> K =
          (*C)->compileKernel(*F, *lookupArch("sm_90"));
      ASSERT_TRUE(!!K) << llvm::toString(K.takeError());
      EXPECT_EQ(K->BinaryFormat, "ptx");
      EXPECT_EQ(K->EntryName, F->getName().str());
      std::string PTX(K->Binary.begin(), K->Binary.end());
      EXPECT_NE(PTX.find(".target sm_90"), std::string::npos) << PTX;
      EXPECT_NE(PTX.find(".entry " + K->EntryName + "("), std::string::npos)
          << PTX;
      EXPECT_NE(PTX.find("ld.global"), std::string::npos) << PTX;
      bool HasBarrier = llvm::any_of(
          F->getBody(), [](const UOp *U) { return U->getOp() == Op::Barrier; });
      EXPECT_EQ(PTX.find("bar.sync") != std::string::npos, HasBarrier) << PTX;
      assemble(PTX);
    }
    EXPECT_GT(NumKernels, 0u);
  }

  /// Runs ptxas on `PTX` when it is installed.
  void assemble(llvm::StringRef PTX) {
    if (!llvm::sys::fs::can_execute(PtxasPath))
      return;
    llvm::SmallString<128> Path;
    ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("tg-ptx", "ptx", Path));
    {
      std::error_code EC;
      llvm::raw_fd_ostream OS(Path, EC);
      ASSERT_FALSE(EC) << EC.message();
      OS << PTX;
    }
    std::string Message;
    int RC = llvm::sys::ExecuteAndWait(
        PtxasPath, {PtxasPath, "-arch=sm_90", Path, "-o", "/dev/null"},
        std::nullopt, {}, 0, 0, &Message);
    llvm::sys::fs::remove(Path);
    EXPECT_EQ(RC, 0) << "ptxas failed: " << Message << "\n" << PTX.str();
  }

  Context Ctx;
  llvm::SourceMgr SM;
  DiagnosticEngine Diag{SM};
  std::string Errors;
};

TEST_P(PTXCompilerTest, Example) {
  llvm::SmallString<128> Path(TG_SOURCE_DIR);
  llvm::sys::path::append(Path, "examples", GetParam() + ".tg");
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  ASSERT_TRUE(!!Buffer) << Path.str().str();
  std::unique_ptr<Module> M = lowerForGPU((*Buffer)->getBuffer());
  ASSERT_TRUE(M);
  checkKernels(*M);
}

INSTANTIATE_TEST_SUITE_P(Examples, PTXCompilerTest,
                         ::testing::Values("add_one", "conv3x3", "layernorm",
                                           "matmul", "reductions", "softmax"));

class PTXCompilerKernelTest : public PTXCompilerTest {};

/// Local memory, a barrier, a launch index and if/endif.
TEST_F(PTXCompilerKernelTest, LocalMemoryAndBarrier) {
  std::unique_ptr<Module> M = lowerForGPU(R"(
kernel @tile(%out: ptr<f32, global, 1>, %in: ptr<f32, global, 16>) {
  %c16 = const 16 : index
  %zero = const 0 : index
  %tile = define {id = 1} : ptr<f32, local, 16>
  %l = special(%c16) {name = "lidx0"} : index
  %p = index(%in, %l) : ptr<f32, global>
  %v = load(%p) : f32
  %pt = index(%tile, %l) : ptr<f32, local>
  %lst = store(%pt, %v) : void
  %bar = barrier(%lst) : void
  %tiled = after(%tile, %bar) : ptr<f32, local, 16>
  %pt0 = index(%tiled, %zero) : ptr<f32, local>
  %first = load(%pt0) : f32
  %is0 = cmpeq(%l, %zero) : bool
  %if = if(%is0) : void
  %pout = index(%out, %zero) : ptr<f32, global>
  %ost = store(%pout, %first) : void
  %endif = endif(%if) : void
  %all = group(%ost, %endif) : void
  sink(%all) : void
}
)");
  ASSERT_TRUE(M);
  checkKernels(*M);
}

TEST(PTXCompilerArchTest, ArchWithoutLLVMTargetIsRefused) {
  llvm::Expected<std::unique_ptr<Compiler>> C =
      nv::createPTXCompiler(*lookupArch("sm_120"));
  ASSERT_FALSE(!!C);
  std::string Message = llvm::toString(C.takeError());
  EXPECT_NE(Message.find("sm_120"), std::string::npos) << Message;
  EXPECT_NE(Message.find("nvrtc"), std::string::npos) << Message;
}

TEST(PTXCompilerArchTest, EveryLLVMArchHasATargetMachine) {
  for (const char *Arch : {"sm_80", "sm_89", "sm_90"}) {
    llvm::Expected<std::unique_ptr<Compiler>> C =
        nv::createPTXCompiler(*lookupArch(Arch));
    EXPECT_TRUE(!!C) << Arch << ": " << llvm::toString(C.takeError());
  }
}

} // namespace
