//===- QCOMBackend.cpp - the QCOM device's compiler and runtime -----------===//

#include "QCOMBackend.h"

#include "OpenCLRenderer.h"
#include "OpenCLRuntime.h"

#include "tg/Target/Plugin.h"
#include "tg/Target/Target.h"

using namespace tg;
using namespace tg::qcom;

namespace {

class OpenCLCompiler final : public Compiler {
public:
  llvm::StringRef getName() const override { return "opencl"; }
  Renderer &getRenderer() override { return Source; }
  llvm::Error compile(const Function &Kernel, const ArchInfo &,
                      CompiledKernel &Out) override {
    Out.Binary = makeProgramBinary(Out.Source, BuildOptions);
    Out.BinaryFormat = ProgramFormat;
    Out.EntryName = Source.getEntryName(Kernel);
    return llvm::Error::success();
  }

private:
  OpenCLRenderer Source;
};

class QCOMBackend final : public Backend {
public:
  const DeviceInfo &getDevice() const override { return *lookupDevice("qcom"); }

  llvm::Expected<std::unique_ptr<Compiler>>
  createCompiler(llvm::StringRef Name, const ArchInfo &) override {
    if (Name == "opencl")
      return std::make_unique<OpenCLCompiler>();
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the qcom device has no compiler '" + Name +
                                       "' (it has opencl)");
  }

  llvm::Expected<std::unique_ptr<Runtime>> createRuntime() override {
    return createOpenCLRuntime();
  }
};

} // namespace

void qcom::registerBackend(const char *PluginName) {
  TargetRegistry::get().add(std::make_unique<QCOMBackend>(), PluginName);
}

static void registerAsPlugin() { qcom::registerBackend("qcom"); }

extern "C" const tgPluginInfo *tgGetPluginInfo(void) {
  static const tgPluginInfo Info = {TG_PLUGIN_API_VERSION, "qcom", "0.1",
                                    registerAsPlugin};
  return &Info;
}
