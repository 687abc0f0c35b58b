//===- HIPCompiler.cpp - the AMD `hip` compiler ---------------------------===//
//
// HIP C++ from HIPRenderer, compiled by clang-19 in a subprocess straight to
// a code object (`hsaco`): with --offload-device-only and
// --no-gpu-bundle-output clang compiles for the one arch and links the
// object with its lld itself. The flags pin what docs/Semantics.md needs
// whatever clang's HIP defaults become: no contraction of a*b+c into fma,
// denormals kept, correctly rounded f32 division and square root.
//
// The source is written as `<entry name>.hip` in a fresh temporary
// directory, so that clang's diagnostics name the kernel.
//
//===----------------------------------------------------------------------===//

#include "AMDBackend.h"
#include "HIPRenderer.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

using namespace tg;
using namespace tg::amd;

namespace {

/// clang of LLVM 19 (the AMDGPU backend of Debian's clang-19 has gfx1100,
/// gfx942 and gfx1201).
llvm::Expected<std::string> findClang() {
  if (llvm::ErrorOr<std::string> Path =
          llvm::sys::findProgramByName("clang-19"))
    return *Path;
  const char *Fallback = "/usr/lib/llvm-19/bin/clang";
  if (llvm::sys::fs::can_execute(Fallback))
    return std::string(Fallback);
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      "cannot find clang-19 (Debian's clang-19; looked on PATH and at %s), "
      "which compiles HIP; --compiler=llvm needs no clang",
      Fallback);
}

/// A temporary directory, removed with what it holds.
class TempDir {
public:
  std::error_code create() {
    return llvm::sys::fs::createUniqueDirectory("tg-hip", Path);
  }
  ~TempDir() {
    if (!Path.empty())
      llvm::sys::fs::remove_directories(Path);
  }
  std::string file(llvm::StringRef Name) const {
    llvm::SmallString<128> File(Path);
    llvm::sys::path::append(File, Name);
    return std::string(File);
  }

private:
  llvm::SmallString<128> Path;
};

class HIPCompiler final : public Compiler {
public:
  llvm::StringRef getName() const override { return "hip"; }
  Renderer &getRenderer() override { return Source; }
  llvm::Error compile(const Function &Kernel, const ArchInfo &Arch,
                      CompiledKernel &Out) override;

private:
  HIPRenderer Source;
};

} // namespace

llvm::Error HIPCompiler::compile(const Function &Kernel, const ArchInfo &Arch,
                                 CompiledKernel &Out) {
  auto Fail = [&](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "kernel @" + Kernel.getName() +
                                       ": cannot compile its HIP for " +
                                       Arch.Name + ": " + Why);
  };
  llvm::Expected<std::string> Clang = findClang();
  if (!Clang)
    return Fail(llvm::toString(Clang.takeError()));

  TempDir Dir;
  if (std::error_code EC = Dir.create())
    return Fail("cannot create a temporary directory: " + EC.message());
  std::string EntryName = Source.getEntryName(Kernel);
  std::string Input = Dir.file(EntryName + ".hip");
  std::string Output = Dir.file(EntryName + ".hsaco");
  std::string Log = Dir.file("clang.log");
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Input, EC);
    if (EC)
      return Fail("cannot write " + Input + ": " + EC.message());
    OS << Out.Source;
  }

  std::string OffloadArch = "--offload-arch=" + std::string(Arch.Name);
  llvm::StringRef Args[] = {*Clang,
                            "-x",
                            "hip",
                            OffloadArch,
                            "-nogpulib",
                            "-nogpuinc",
                            "--offload-device-only",
                            "--no-gpu-bundle-output",
                            "-O3",
                            "-ffp-contract=off",
                            "-fno-gpu-flush-denormals-to-zero",
                            "-fhip-fp32-correctly-rounded-divide-sqrt",
                            "-c",
                            Input,
                            "-o",
                            Output};
  std::optional<llvm::StringRef> Redirects[] = {std::nullopt, Log, Log};
  std::string ExecError;
  int Status = llvm::sys::ExecuteAndWait(*Clang, Args, std::nullopt, Redirects,
                                         /*SecondsToWait=*/0,
                                         /*MemoryLimit=*/0, &ExecError);
  if (Status != 0) {
    std::string Diagnostics;
    if (auto Buffer = llvm::MemoryBuffer::getFile(Log))
      Diagnostics = llvm::StringRef((*Buffer)->getBuffer()).rtrim().str();
    return Fail(*Clang + " failed" +
                (ExecError.empty() ? "" : ": " + ExecError) + " (exit status " +
                llvm::Twine(Status) + ")" +
                (Diagnostics.empty() ? "" : "\n" + Diagnostics));
  }

  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> CodeObject =
      llvm::MemoryBuffer::getFile(Output);
  if (!CodeObject)
    return Fail("cannot read clang's code object: " +
                CodeObject.getError().message());
  Out.Binary.assign((*CodeObject)->getBufferStart(),
                    (*CodeObject)->getBufferEnd());
  Out.BinaryFormat = "hsaco";
  Out.EntryName = std::move(EntryName);
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<Compiler>>
amd::createHIPCompiler(const ArchInfo &Arch) {
  if (llvm::StringRef(Arch.Device) != "amd")
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "the amd hip compiler targets AMD arches, not '" +
            llvm::Twine(Arch.Name) + "'");
  return std::make_unique<HIPCompiler>();
}
