//===- NVRTCCompiler.cpp - the NV device's `nvrtc` compiler ---------------===//

#include "NVRTCCompiler.h"

#include "CUDARenderer.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>
#include <dlfcn.h>
#include <mutex>
#include <vector>

using namespace tg;
using namespace tg::nv;

namespace {

// The part of nvrtc.h tg calls; the ABI has been stable since CUDA 11.
using nvrtcResult = int;
using nvrtcProgram = struct _nvrtcProgram *;
constexpr nvrtcResult NVRTC_SUCCESS = 0;

/// libnvrtc's entry points, loaded once per process.
struct NVRTCLibrary {
  const char *(*GetErrorString)(nvrtcResult);
  nvrtcResult (*CreateProgram)(nvrtcProgram *, const char *, const char *, int,
                               const char *const *, const char *const *);
  nvrtcResult (*DestroyProgram)(nvrtcProgram *);
  nvrtcResult (*CompileProgram)(nvrtcProgram, int, const char *const *);
  nvrtcResult (*GetProgramLogSize)(nvrtcProgram, size_t *);
  nvrtcResult (*GetProgramLog)(nvrtcProgram, char *);
  nvrtcResult (*GetCUBINSize)(nvrtcProgram, size_t *);
  nvrtcResult (*GetCUBIN)(nvrtcProgram, char *);
  std::string Path; ///< The file that loaded.
};

/// Where libnvrtc may be: the dynamic loader's own search first.
std::vector<std::string> getNVRTCCandidates() {
  std::vector<std::string> Dirs = {""};
  for (const char *Variable : {"CUDA_PATH", "CUDA_HOME"})
    if (const char *Root = std::getenv(Variable))
      Dirs.push_back(std::string(Root) + "/lib64/");
  Dirs.push_back("/usr/local/cuda/lib64/");
  std::vector<std::string> Candidates;
  for (const std::string &Dir : Dirs)
    for (const char *Name : {"libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"})
      Candidates.push_back(Dir + Name);
  return Candidates;
}

llvm::Expected<const NVRTCLibrary *> loadNVRTC() {
  static NVRTCLibrary Library;
  static std::string Error;
  static std::once_flag Once;
  std::call_once(Once, [] {
    void *Handle = nullptr;
    std::vector<std::string> Candidates = getNVRTCCandidates();
    for (const std::string &Candidate : Candidates)
      if ((Handle = dlopen(Candidate.c_str(), RTLD_NOW | RTLD_LOCAL))) {
        Library.Path = Candidate;
        break;
      }
    if (!Handle) {
      Error = "cannot load NVRTC (tried " + llvm::join(Candidates, ", ") +
              "); install CUDA or set CUDA_PATH";
      return;
    }
    bool Missing = false;
    auto Get = [&](auto &Slot, const char *Symbol) {
      Slot = reinterpret_cast<std::remove_reference_t<decltype(Slot)>>(
          dlsym(Handle, Symbol));
      if (!Slot && !Missing) {
        Missing = true;
        Error = Library.Path + " lacks " + Symbol;
      }
    };
    Get(Library.GetErrorString, "nvrtcGetErrorString");
    Get(Library.CreateProgram, "nvrtcCreateProgram");
    Get(Library.DestroyProgram, "nvrtcDestroyProgram");
    Get(Library.CompileProgram, "nvrtcCompileProgram");
    Get(Library.GetProgramLogSize, "nvrtcGetProgramLogSize");
    Get(Library.GetProgramLog, "nvrtcGetProgramLog");
    Get(Library.GetCUBINSize, "nvrtcGetCUBINSize");
    Get(Library.GetCUBIN, "nvrtcGetCUBIN");
  });
  if (!Error.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Error);
  return &Library;
}

class NVRTCCompiler final : public Compiler {
public:
  llvm::StringRef getName() const override { return "nvrtc"; }
  Renderer &getRenderer() override { return Source; }
  llvm::Error compile(const Function &Kernel, const ArchInfo &Arch,
                      CompiledKernel &Out) override;

private:
  CUDARenderer Source;
};

} // namespace

std::string nv::findCUDAIncludeDir() {
  std::vector<std::string> Dirs;
  for (const char *Variable : {"CUDA_PATH", "CUDA_HOME"})
    if (const char *Root = std::getenv(Variable))
      Dirs.push_back(std::string(Root) + "/include");
  Dirs.push_back("/usr/local/cuda/include");
  if (llvm::Expected<const NVRTCLibrary *> Library = loadNVRTC()) {
    Dl_info Info;
    if (dladdr(reinterpret_cast<void *>((*Library)->CompileProgram), &Info) &&
        Info.dli_fname) {
      // <root>/lib64/libnvrtc.so or <root>/lib/libnvrtc.so.
      llvm::SmallString<256> Root(Info.dli_fname);
      llvm::sys::path::remove_filename(Root);
      llvm::sys::path::remove_filename(Root);
      llvm::sys::path::append(Root, "include");
      Dirs.push_back(std::string(Root));
    }
  } else {
    llvm::consumeError(Library.takeError());
  }
  for (const std::string &Dir : Dirs) {
    llvm::SmallString<256> Header(Dir);
    llvm::sys::path::append(Header, "cuda_fp16.h");
    if (llvm::sys::fs::exists(Header))
      return Dir;
  }
  return "";
}

llvm::Error NVRTCCompiler::compile(const Function &Kernel, const ArchInfo &Arch,
                                   CompiledKernel &Out) {
  auto Fail = [&](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "NVRTC cannot compile kernel @" +
                                       Kernel.getName() + " for " + Arch.Name +
                                       ": " + Why);
  };
  llvm::Expected<const NVRTCLibrary *> Loaded = loadNVRTC();
  if (!Loaded)
    return Fail(llvm::toString(Loaded.takeError()));
  const NVRTCLibrary &NVRTC = **Loaded;

  std::vector<std::string> Options = {
      "--gpu-architecture=" + std::string(Arch.Name), "--fmad=false"};
  if (llvm::StringRef(Out.Source).contains("#include <cuda_")) {
    std::string Include = findCUDAIncludeDir();
    if (Include.empty())
      return Fail("the kernel includes cuda_fp16.h or cuda_bf16.h, and no "
                  "CUDA include directory has them (set CUDA_PATH)");
    Options.push_back("-I" + Include);
  }
  std::vector<const char *> Arguments;
  for (const std::string &Option : Options)
    Arguments.push_back(Option.c_str());

  nvrtcProgram Program = nullptr;
  std::string FileName = Kernel.getName().str() + ".cu";
  if (nvrtcResult R = NVRTC.CreateProgram(
          &Program, Out.Source.c_str(), FileName.c_str(), 0, nullptr, nullptr))
    return Fail(std::string("nvrtcCreateProgram: ") + NVRTC.GetErrorString(R));
  struct Destroy {
    const NVRTCLibrary &NVRTC;
    nvrtcProgram &Program;
    ~Destroy() { NVRTC.DestroyProgram(&Program); }
  } Guard{NVRTC, Program};

  nvrtcResult Result =
      NVRTC.CompileProgram(Program, int(Arguments.size()), Arguments.data());
  if (Result != NVRTC_SUCCESS) {
    size_t Size = 0;
    std::string Log;
    if (NVRTC.GetProgramLogSize(Program, &Size) == NVRTC_SUCCESS && Size) {
      Log.resize(Size);
      if (NVRTC.GetProgramLog(Program, Log.data()) != NVRTC_SUCCESS)
        Log.clear();
      while (!Log.empty() && (Log.back() == '\0' || Log.back() == '\n'))
        Log.pop_back();
    }
    return Fail(std::string(NVRTC.GetErrorString(Result)) +
                (Log.empty() ? "" : "\n" + Log));
  }
  size_t Size = 0;
  if (nvrtcResult R = NVRTC.GetCUBINSize(Program, &Size))
    return Fail(std::string("nvrtcGetCUBINSize: ") + NVRTC.GetErrorString(R));
  Out.Binary.assign(Size, 0);
  if (nvrtcResult R = NVRTC.GetCUBIN(Program, Out.Binary.data()))
    return Fail(std::string("nvrtcGetCUBIN: ") + NVRTC.GetErrorString(R));
  Out.BinaryFormat = "cubin";
  Out.EntryName = Source.getEntryName(Kernel);
  return llvm::Error::success();
}

std::unique_ptr<Compiler> nv::createNVRTCCompiler() {
  return std::make_unique<NVRTCCompiler>();
}
