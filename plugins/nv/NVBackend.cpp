//===- NVBackend.cpp - the NV device's backend plugin ---------------------===//
//
// libtg-backend-nv.so: the NV device of td/Devices.td as tg's Target
// interfaces see it:
//   compilers  `nvrtc` (CUDA C++ through NVRTC to a cubin, NVRTCCompiler.h)
//              and `ptx` (LLVM IR through LLVM's NVPTX backend to PTX,
//              PTXCompiler.h; only in builds with LLVM);
//   runtime    the CUDA driver API (CUDARuntime.h).
// Neither NVRTC nor the driver is needed to load the plugin: each is opened
// when first used.
//
//===----------------------------------------------------------------------===//

#include "CUDARuntime.h"
#include "NVRTCCompiler.h"
#ifdef TG_NV_HAVE_PTX
#include "PTXCompiler.h"
#endif

#include "tg/Target/Plugin.h"
#include "tg/Target/Target.h"

using namespace tg;

namespace {

class NVBackend final : public Backend {
public:
  const DeviceInfo &getDevice() const override { return *lookupDevice("nv"); }

  llvm::Expected<std::unique_ptr<Compiler>>
  createCompiler(llvm::StringRef Name, const ArchInfo &Arch) override {
    if (Name == "nvrtc")
      return nv::createNVRTCCompiler();
    if (Name == "ptx") {
#ifdef TG_NV_HAVE_PTX
      return nv::createPTXCompiler(Arch);
#else
      (void)Arch;
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "this build has no LLVM: the ptx compiler is not available; use "
          "--compiler=nvrtc");
#endif
    }
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the nv device has no compiler '" + Name +
                                       "' (it has nvrtc, ptx)");
  }

  llvm::Expected<std::unique_ptr<Runtime>> createRuntime() override {
    return nv::createCUDARuntime();
  }
};

void registerNVBackend() {
  TargetRegistry::get().add(std::make_unique<NVBackend>(), "nv");
}

} // namespace

extern "C" const tgPluginInfo *tgGetPluginInfo(void) {
  static const tgPluginInfo Info = {TG_PLUGIN_API_VERSION, "nv", "0.1",
                                    registerNVBackend};
  return &Info;
}
