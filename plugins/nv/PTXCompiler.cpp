//===- PTXCompiler.cpp - the NV device's `ptx` compiler -------------------===//
//
// Renders with the NVPTX hooks of the shared LLVM IR renderer, links the
// libdevice functions the kernel calls (exp2, log2, sin, pow) from CUDA's
// nvvm/libdevice/libdevice.10.bc, and emits PTX with LLVM's NVPTX backend.
// Depends on TGLLVMGen, TGTarget and TGIR only.
//
//===----------------------------------------------------------------------===//

#include "PTXCompiler.h"

#include "tg/LLVMGen/LLVMGen.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

using namespace tg;
using namespace tg::nv;

namespace {

/// Where libdevice is: $CUDA_PATH, $CUDA_HOME, then /usr/local/cuda.
std::string findLibDevice() {
  for (const char *Variable : {"CUDA_PATH", "CUDA_HOME"})
    if (const char *Root = std::getenv(Variable)) {
      llvm::SmallString<128> Path(Root);
      llvm::sys::path::append(Path, "nvvm", "libdevice", "libdevice.10.bc");
      if (llvm::sys::fs::exists(Path))
        return Path.str().str();
    }
  return "/usr/local/cuda/nvvm/libdevice/libdevice.10.bc";
}

/// Links libdevice into `M` when `M` calls it; its functions become
/// internal so that the optimizer keeps only what the kernel uses.
llvm::Error linkLibDevice(const Function &Kernel, llvm::Module &M) {
  bool Calls = llvm::any_of(M.functions(), [](const llvm::Function &F) {
    return F.isDeclaration() && F.getName().starts_with("__nv_");
  });
  if (!Calls)
    return llvm::Error::success();
  std::string Path = findLibDevice();
  auto Fail = [&](const llvm::Twine &Why) {
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "kernel @" + Kernel.getName() +
            ": exp2, log2, sin and pow need CUDA's libdevice: " + Why);
  };
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer =
      llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return Fail("cannot read '" + Path + "': " + Buffer.getError().message() +
                " (set CUDA_PATH)");
  llvm::Expected<std::unique_ptr<llvm::Module>> Library =
      llvm::parseBitcodeFile((*Buffer)->getMemBufferRef(), M.getContext());
  if (!Library)
    return Fail("'" + Path + "': " + llvm::toString(Library.takeError()));
  (*Library)->setTargetTriple(M.getTargetTriple());
  (*Library)->setDataLayout(M.getDataLayout());
  if (llvm::Linker::linkModules(
          M, std::move(*Library), llvm::Linker::LinkOnlyNeeded,
          [](llvm::Module &Linked, const llvm::StringSet<> &Names) {
            for (llvm::Function &F : Linked.functions())
              if (!F.isDeclaration() && Names.contains(F.getName()))
                F.setLinkage(llvm::GlobalValue::InternalLinkage);
          }))
    return Fail("linking '" + Path + "' failed");
  // libdevice's __nvvm_reflect("__CUDA_FTZ"): keep denormals.
  M.addModuleFlag(llvm::Module::Override, "nvvm-reflect-ftz", uint32_t(0));
  return llvm::Error::success();
}

/// LLVM IR through NVPTX to PTX text, with libdevice linked in.
class PTXCompiler final : public llvmgen::IRCompiler {
public:
  explicit PTXCompiler(std::unique_ptr<llvm::TargetMachine> TM)
      : IRCompiler(std::move(TM), llvmgen::createNVPTXHooks,
                   llvm::CodeGenFileType::AssemblyFile, "ptx") {}
  llvm::StringRef getName() const override { return "ptx"; }

private:
  llvm::Error prepare(const Function &Kernel, llvm::Module &M) override {
    return linkLibDevice(Kernel, M);
  }
};

} // namespace

llvm::Expected<std::unique_ptr<Compiler>>
nv::createPTXCompiler(const ArchInfo &Arch) {
  if (llvm::StringRef(Arch.Device) != "nv")
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the ptx compiler targets NV arches, not '" +
                                       llvm::Twine(Arch.Name) + "'");
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> TM =
      llvmgen::createTargetMachine(Arch);
  if (!TM)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "the ptx compiler cannot target " + llvm::Twine(Arch.Name) + ": " +
            llvm::toString(TM.takeError()) + " (the nvrtc compiler can)");
  return std::make_unique<PTXCompiler>(std::move(*TM));
}
