//===- MetalBackend.cpp - the Metal device's compiler and runtime ---------===//
//
// The `metal` compiler renders MSL (MetalRenderer.h) and hands the source on
// as the binary, in BinaryFormat `metal-source`: there is no Metal compiler
// outside Apple's SDK, and the runtime builds the source with Metal's own
// compiler (newLibraryWithSource) when it loads a kernel. So `--device=
// null:apple7` compiles anywhere, and `--emit=binary` writes the MSL. The
// runtime is built on Apple platforms only (MetalRuntime.mm); elsewhere
// createRuntime says so.
//
//===----------------------------------------------------------------------===//

#include "MetalRenderer.h"
#include "MetalRuntime.h"

#include "tg/Target/Plugin.h"
#include "tg/Target/Target.h"

using namespace tg;
using namespace tg::metal;

namespace {

class MetalCompiler final : public Compiler {
public:
  llvm::StringRef getName() const override { return "metal"; }
  Renderer &getRenderer() override { return Source; }
  llvm::Error compile(const Function &Kernel, const ArchInfo &,
                      CompiledKernel &Out) override {
    Out.Binary.assign(Out.Source.begin(), Out.Source.end());
    Out.BinaryFormat = "metal-source";
    Out.EntryName = Source.getEntryName(Kernel);
    return llvm::Error::success();
  }

private:
  MetalRenderer Source;
};

class MetalBackend final : public Backend {
public:
  const DeviceInfo &getDevice() const override {
    return *lookupDevice("metal");
  }

  llvm::Expected<std::unique_ptr<Compiler>>
  createCompiler(llvm::StringRef Name, const ArchInfo &Arch) override {
    if (Name != "metal")
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "the metal device has no compiler '" +
                                         Name + "' (it has metal)");
    if (llvm::StringRef(Arch.Device) != "metal")
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "the metal compiler compiles for metal arches, not " +
              llvm::Twine(Arch.Name) + " (" + Arch.Device + ")");
    return std::make_unique<MetalCompiler>();
  }

  llvm::Expected<std::unique_ptr<Runtime>> createRuntime() override {
#ifdef TG_METAL_RUNTIME
    return createMetalRuntime();
#else
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "Metal runs only on macOS; here the metal device compiles "
        "(--device=null:apple7) but does not run");
#endif
  }
};

void registerAsPlugin() {
  TargetRegistry::get().add(std::make_unique<MetalBackend>(), "metal");
}

} // namespace

extern "C" const tgPluginInfo *tgGetPluginInfo(void) {
  static const tgPluginInfo Info = {TG_PLUGIN_API_VERSION, "metal", "0.1",
                                    registerAsPlugin};
  return &Info;
}
