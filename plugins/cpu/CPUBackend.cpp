//===- CPUBackend.cpp - the CPU device's compilers and runtime ------------===//

#include "CPUBackend.h"

#include "CPUKernel.h"
#include "CRenderer.h"
#include "ClangCompiler.h"
#include "JIT.h"
#include "LLVMRenderer.h"
#include "ThreadPool.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Eval.h"
#include "tg/Target/Plugin.h"
#include "tg/Target/Target.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

using namespace tg;
using namespace tg::cpu;

namespace {

//===----------------------------------------------------------------------===//
// Compilers
//===----------------------------------------------------------------------===//

class LLVMSource final : public Renderer {
public:
  llvm::StringRef getLanguage() const override { return "llvm-ir"; }
  llvm::Expected<std::string> render(const Function &Kernel,
                                     const ArchInfo &) override {
    llvm::LLVMContext Context;
    llvm::Expected<std::unique_ptr<llvm::Module>> M =
        renderLLVM(Kernel, Context);
    if (!M)
      return M.takeError();
    std::string Text;
    llvm::raw_string_ostream OS(Text);
    (*M)->print(OS, nullptr);
    return Text;
  }
};

/// Both compilers' result: `Object`, the ELF object of `Kernel`.
llvm::Error setObject(const Function &Kernel,
                      llvm::Expected<std::vector<char>> Object,
                      CompiledKernel &Out) {
  if (!Object)
    return Object.takeError();
  Out.Binary = std::move(*Object);
  Out.BinaryFormat = "elf-object";
  Out.EntryName = getEntryName(Kernel);
  return llvm::Error::success();
}

class LLVMCompiler final : public Compiler {
public:
  llvm::StringRef getName() const override { return "llvm"; }
  Renderer &getRenderer() override { return Source; }
  llvm::Error compile(const Function &Kernel, const ArchInfo &,
                      CompiledKernel &Out) override {
    llvm::LLVMContext Context;
    llvm::Expected<std::unique_ptr<llvm::Module>> M =
        llvmgen::parseText(Kernel, Out.Source, Context);
    if (!M)
      return M.takeError();
    return setObject(Kernel, compileToObject(**M), Out);
  }

private:
  LLVMSource Source;
};

class ClangCompiler final : public Compiler {
public:
  llvm::StringRef getName() const override { return "clang"; }
  Renderer &getRenderer() override { return Source; }
  llvm::Error compile(const Function &Kernel, const ArchInfo &,
                      CompiledKernel &Out) override {
    return setObject(Kernel, compileCToObject(Out.Source, Kernel.getName()),
                     Out);
  }

private:
  CRenderer Source;
};

//===----------------------------------------------------------------------===//
// Runtime
//===----------------------------------------------------------------------===//

/// Host memory, aligned for the widest vector loads.
class HostMemory final : public DeviceBuffer {
public:
  explicit HostMemory(size_t Size)
      : DeviceBuffer(Size),
        Data(static_cast<char *>(std::aligned_alloc(
            64, std::max<size_t>(64, (Size + 63) / 64 * 64)))) {}
  ~HostMemory() override { std::free(Data); }
  char *getData() const { return Data; }

private:
  char *Data;
};

class CPUKernel final : public LoadedKernel {
public:
  CPUKernel(std::unique_ptr<cpu::LoadedCode> Code, const UOp *Sliced,
            std::vector<const UOp *> Variables)
      : Code(std::move(Code)), Sliced(Sliced), Variables(std::move(Variables)) {
  }

  std::unique_ptr<cpu::LoadedCode> Code;
  const UOp *Sliced; ///< The range spread over threads, or null.
  std::vector<const UOp *> Variables;
  std::string Name;
};

class CPURuntime final : public Runtime {
public:
  const ArchInfo &getArch() const override {
    return lookupDevice("cpu")->getDefaultArch();
  }

  llvm::Expected<std::unique_ptr<DeviceBuffer>>
  allocate(size_t Bytes) override {
    auto Memory = std::make_unique<HostMemory>(Bytes);
    if (!Memory->getData())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "cannot allocate %zu bytes", Bytes);
    return std::move(Memory);
  }
  llvm::Error copyIn(DeviceBuffer &To, const void *From) override {
    std::memcpy(static_cast<HostMemory &>(To).getData(), From, To.getSize());
    return llvm::Error::success();
  }
  llvm::Error copyOut(void *To, const DeviceBuffer &From) override {
    std::memcpy(To, static_cast<const HostMemory &>(From).getData(),
                From.getSize());
    return llvm::Error::success();
  }

  llvm::Expected<std::unique_ptr<LoadedKernel>>
  load(const Function &Kernel, const CompiledKernel &Compiled) override {
    if (Compiled.BinaryFormat != "elf-object")
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "kernel @" + Kernel.getName() + ": the CPU runtime loads ELF " +
              "objects, not '" + Compiled.BinaryFormat + "'");
    llvm::Expected<const UOp *> Sliced = analyzeKernel(Kernel);
    if (!Sliced)
      return Sliced.takeError();
    llvm::Expected<std::unique_ptr<cpu::LoadedCode>> Code =
        loadObject(Compiled.Binary, Compiled.EntryName);
    if (!Code)
      return Code.takeError();
    std::vector<const UOp *> Variables;
    for (const UOp *P : Kernel.Params)
      if (P->getOp() == Op::DefineVar)
        Variables.push_back(P);
    auto K = std::make_unique<CPUKernel>(std::move(*Code), *Sliced,
                                         std::move(Variables));
    K->Name = Kernel.getName().str();
    return std::move(K);
  }

  llvm::Expected<double> launch(LoadedKernel &Loaded,
                                llvm::ArrayRef<DeviceBuffer *> Buffers,
                                llvm::ArrayRef<int64_t> Vars) override {
    auto &K = static_cast<CPUKernel &>(Loaded);
    std::vector<void *> Pointers;
    for (DeviceBuffer *B : Buffers)
      Pointers.push_back(B ? static_cast<HostMemory *>(B)->getData() : nullptr);
    int64_t Size = 1;
    if (K.Sliced) {
      std::optional<ConstValue> Bound = evalScalar(
          K.Sliced->getSrc(0), [&](const UOp *U) -> std::optional<ConstValue> {
            for (size_t I = 0; I != K.Variables.size(); ++I)
              if (K.Variables[I] == U && I < Vars.size())
                return ConstValue::getInt(Vars[I]);
            return std::nullopt;
          });
      if (!Bound)
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            "kernel @" + K.Name +
                ": the bound of its outermost global range must depend "
                "only on constants and variables");
      Size = Bound->getInt();
    }
    KernelEntry Entry = K.Code->getEntry();
    unsigned Slices =
        K.Sliced ? unsigned(std::clamp<int64_t>(Size, 1, Pool.getNumSlices()))
                 : 1;
    auto Start = std::chrono::steady_clock::now();
    Pool.run(Slices, [&](unsigned S) {
      Entry(Pointers.data(), Vars.data(), Size * S / Slices,
            Size * (S + 1) / Slices);
    });
    std::chrono::duration<double> Elapsed =
        std::chrono::steady_clock::now() - Start;
    return Elapsed.count();
  }

private:
  static unsigned getNumThreads() {
    unsigned N = std::thread::hardware_concurrency();
    return N ? N : 1;
  }
  ThreadPool Pool{getNumThreads()};
};

class CPUBackend final : public Backend {
public:
  const DeviceInfo &getDevice() const override { return *lookupDevice("cpu"); }

  llvm::Expected<std::unique_ptr<Compiler>>
  createCompiler(llvm::StringRef Name, const ArchInfo &) override {
    if (Name == "llvm")
      return std::make_unique<LLVMCompiler>();
    if (Name == "clang")
      return std::make_unique<ClangCompiler>();
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the cpu device has no compiler '" + Name +
                                       "' (it has llvm, clang)");
  }

  llvm::Expected<std::unique_ptr<Runtime>> createRuntime() override {
    llvm::Triple Host(llvm::sys::getProcessTriple());
    if (Host.getArch() != llvm::Triple::x86_64)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "the cpu device runs on x86-64 hosts; "
                                     "this one is " +
                                         Host.str());
    return std::make_unique<CPURuntime>();
  }
};

} // namespace

void cpu::registerBackend(const char *PluginName) {
  TargetRegistry::get().add(std::make_unique<CPUBackend>(), PluginName);
}

static void registerAsPlugin() { cpu::registerBackend("cpu"); }

extern "C" const tgPluginInfo *tgGetPluginInfo(void) {
  static const tgPluginInfo Info = {TG_PLUGIN_API_VERSION, "cpu", "0.1",
                                    registerAsPlugin};
  return &Info;
}
