//===- CodeObjectCompiler.cpp - the AMD `llvm` compiler -------------------===//
//
// LLVM IR from LLVMGen's AMDGPU hooks, an ELF object from LLVM's AMDGPU
// backend for the arch, and `ld.lld-19 -shared` to make it a code object
// (`hsaco`) that hipModuleLoadData takes.
//
//===----------------------------------------------------------------------===//

#include "AMDBackend.h"

#include "tg/LLVMGen/LLVMGen.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

using namespace tg;
using namespace tg::amd;

namespace {

/// ld.lld of LLVM 19 (lld 14 cannot link code objects of these arches).
llvm::Expected<std::string> findLinker() {
  for (const char *Name : {"ld.lld-19", "/usr/lib/llvm-19/bin/ld.lld"})
    if (llvm::ErrorOr<std::string> Path = llvm::sys::findProgramByName(Name))
      return *Path;
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      "cannot find ld.lld-19 (Debian's lld-19), which links AMD code objects");
}

/// Links `Object` into a code object with `ld.lld -shared`.
llvm::Expected<std::vector<char>> linkCodeObject(const Function &Kernel,
                                                 llvm::ArrayRef<char> Object) {
  llvm::Expected<std::string> Linker = findLinker();
  if (!Linker)
    return Linker.takeError();
  llvm::SmallString<128> In, Out;
  if (std::error_code EC =
          llvm::sys::fs::createTemporaryFile("tg-amd", "o", In))
    return llvm::errorCodeToError(EC);
  llvm::FileRemover RemoveIn(In);
  if (std::error_code EC =
          llvm::sys::fs::createTemporaryFile("tg-amd", "hsaco", Out))
    return llvm::errorCodeToError(EC);
  llvm::FileRemover RemoveOut(Out);
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(In, EC);
    if (EC)
      return llvm::errorCodeToError(EC);
    OS.write(Object.data(), Object.size());
  }
  std::string Message;
  llvm::StringRef Args[] = {*Linker, "-shared", In, "-o", Out};
  int RC = llvm::sys::ExecuteAndWait(*Linker, Args, std::nullopt, {}, 0, 0,
                                     &Message);
  if (RC != 0)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "kernel @" + Kernel.getName() + ": " + *Linker + " failed" +
            (Message.empty() ? "" : ": " + Message) + " (exit status " +
            llvm::Twine(RC) + ")");
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Linked =
      llvm::MemoryBuffer::getFile(Out);
  if (!Linked)
    return llvm::errorCodeToError(Linked.getError());
  return std::vector<char>((*Linked)->getBufferStart(),
                           (*Linked)->getBufferEnd());
}

/// LLVM IR through AMDGPU to an object, linked into a code object.
class CodeObjectCompiler final : public llvmgen::IRCompiler {
public:
  explicit CodeObjectCompiler(std::unique_ptr<llvm::TargetMachine> TM)
      : IRCompiler(std::move(TM), llvmgen::createAMDGPUHooks,
                   llvm::CodeGenFileType::ObjectFile, "hsaco") {}
  llvm::StringRef getName() const override { return "llvm"; }

private:
  llvm::Expected<std::vector<char>> finish(const Function &Kernel,
                                           std::vector<char> Object) override {
    return linkCodeObject(Kernel, Object);
  }
};

} // namespace

llvm::Expected<std::unique_ptr<Compiler>>
amd::createCodeObjectCompiler(const ArchInfo &Arch) {
  if (llvm::StringRef(Arch.Device) != "amd")
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "the amd llvm compiler targets AMD arches, not '" +
            llvm::Twine(Arch.Name) + "'");
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> TM =
      llvmgen::createTargetMachine(Arch);
  if (!TM)
    return TM.takeError();
  return std::make_unique<CodeObjectCompiler>(std::move(*TM));
}
