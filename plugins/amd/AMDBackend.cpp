//===- AMDBackend.cpp - the AMD device's backend and plugin entry ---------===//

#include "AMDBackend.h"

#include "tg/Target/Plugin.h"

using namespace tg;
using namespace tg::amd;

namespace {

class AMDBackend final : public Backend {
public:
  const DeviceInfo &getDevice() const override { return *lookupDevice("amd"); }

  llvm::Expected<std::unique_ptr<Compiler>>
  createCompiler(llvm::StringRef Name, const ArchInfo &Arch) override {
    if (Name == "llvm")
      return createCodeObjectCompiler(Arch);
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the amd backend has no compiler '" + Name +
                                       "' (available: llvm; hip is not built)");
  }

  llvm::Expected<std::unique_ptr<Runtime>> createRuntime() override {
    return createHIPRuntime();
  }
};

void registerAsPlugin() {
  TargetRegistry::get().add(std::make_unique<AMDBackend>(), "amd");
}

} // namespace

extern "C" const tgPluginInfo *tgGetPluginInfo(void) {
  static const tgPluginInfo Info = {TG_PLUGIN_API_VERSION, "amd", "0.1",
                                    registerAsPlugin};
  return &Info;
}
