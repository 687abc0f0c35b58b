//===- ClangCompiler.cpp - C kernels through clang and dlopen -------------===//

#include "ClangCompiler.h"

#include "CRenderer.h"
#include "JIT.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

using namespace tg;
using namespace tg::cpu;

namespace {

/// Removes a temporary file when it goes out of scope.
struct TempFile {
  llvm::SmallString<128> Path;
  ~TempFile() {
    if (!Path.empty())
      llvm::sys::fs::remove(Path);
  }
};

} // namespace

static llvm::Error makeError(llvm::StringRef KernelName,
                             const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "kernel @" + KernelName + ": " + Message);
}

llvm::Expected<std::string> cpu::findClang() {
  if (llvm::ErrorOr<std::string> Path =
          llvm::sys::findProgramByName("clang-19"))
    return *Path;
  const char *Fallback = "/usr/lib/llvm-19/bin/clang";
  if (llvm::sys::fs::can_execute(Fallback))
    return std::string(Fallback);
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      "cannot find clang-19 (looked on PATH and at %s)", Fallback);
}

llvm::Expected<std::vector<char>>
cpu::compileCToObject(llvm::StringRef Source, llvm::StringRef KernelName) {
  llvm::Expected<std::string> Clang = findClang();
  if (!Clang)
    return Clang.takeError();

  TempFile C, Object, Log;
  int FD;
  if (std::error_code EC =
          llvm::sys::fs::createTemporaryFile("tg-kernel", "c", FD, C.Path))
    return makeError(KernelName,
                     "cannot create a temporary file: " + EC.message());
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Source;
  }
  if (std::error_code EC =
          llvm::sys::fs::createTemporaryFile("tg-kernel", "o", Object.Path))
    return makeError(KernelName,
                     "cannot create a temporary file: " + EC.message());
  if (std::error_code EC =
          llvm::sys::fs::createTemporaryFile("tg-kernel", "log", Log.Path))
    return makeError(KernelName,
                     "cannot create a temporary file: " + EC.message());

  // -fno-strict-aliasing: vector loads and stores reach scalar buffers
  // through the ext_vector_type typedefs of CRenderer.h.
  llvm::SmallVector<llvm::StringRef, 16> Args = {*Clang,
                                                 "-O3",
                                                 "-march=native",
                                                 "-fwrapv",
                                                 "-fno-strict-aliasing",
                                                 "-ffp-contract=off",
                                                 "-fPIC",
                                                 "-c",
                                                 "-std=gnu11",
                                                 "-w",
                                                 "-o",
                                                 Object.Path,
                                                 C.Path};
  std::optional<llvm::StringRef> Redirects[] = {std::nullopt, Log.Path.str(),
                                                Log.Path.str()};
  std::string ExecError;
  int Status = llvm::sys::ExecuteAndWait(*Clang, Args, std::nullopt, Redirects,
                                         /*SecondsToWait=*/0,
                                         /*MemoryLimit=*/0, &ExecError);
  if (Status != 0) {
    std::string Output;
    if (auto Buffer = llvm::MemoryBuffer::getFile(Log.Path))
      Output = (*Buffer)->getBuffer().str();
    return makeError(KernelName,
                     "clang failed" +
                         (ExecError.empty() ? "" : ": " + ExecError) + "\n" +
                         Output);
  }

  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Bytes =
      llvm::MemoryBuffer::getFile(Object.Path);
  if (!Bytes)
    return makeError(KernelName, "cannot read clang's object file: " +
                                     Bytes.getError().message());
  return std::vector<char>((*Bytes)->getBufferStart(),
                           (*Bytes)->getBufferEnd());
}

llvm::Expected<std::unique_ptr<LoadedCode>>
cpu::compileWithClang(llvm::StringRef Source, llvm::StringRef EntryName,
                      llvm::StringRef KernelName) {
  llvm::Expected<std::vector<char>> Object =
      compileCToObject(Source, KernelName);
  if (!Object)
    return Object.takeError();
  return loadObject(*Object, EntryName);
}

llvm::Expected<std::unique_ptr<LoadedCode>>
cpu::compileWithClang(const Function &Kernel) {
  llvm::Expected<std::string> Source = renderC(Kernel);
  if (!Source)
    return Source.takeError();
  return compileWithClang(*Source, getEntryName(Kernel), Kernel.getName());
}
