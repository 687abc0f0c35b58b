//===- HIPRuntime.cpp - AMD GPUs through HIP, loaded with dlopen ----------===//
//
// libamdhip64.so is opened at run time, so the plugin builds and compiles
// anywhere; createHIPRuntime says why it cannot run (no library, no device).
// Only the C entry points below are used, declared here with HIP's ABI
// (hip_runtime_api.h): handles are opaque pointers, errors an int (0 is
// hipSuccess).
//
//===----------------------------------------------------------------------===//

#include "AMDBackend.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Eval.h"
#include "tg/IR/UOp.h"

#include "llvm/ADT/StringRef.h"

#include <array>
#include <dlfcn.h>
#include <memory>

using namespace tg;
using namespace tg::amd;

namespace {

using HipError = int;
using HipHandle = void *; // hipModule_t, hipFunction_t, hipEvent_t.
constexpr int HipMemcpyHostToDevice = 1, HipMemcpyDeviceToHost = 2;

/// The HIP entry points tg calls; closes the library when the last buffer,
/// kernel or runtime using it goes.
struct HIPLibrary {
  HIPLibrary() = default;
  HIPLibrary(const HIPLibrary &) = delete;
  HIPLibrary &operator=(const HIPLibrary &) = delete;
  ~HIPLibrary() {
    if (Handle)
      dlclose(Handle);
  }

  void *Handle = nullptr;
  HipError (*Init)(unsigned);
  HipError (*GetDeviceCount)(int *);
  const char *(*GetErrorString)(HipError);
  HipError (*Malloc)(void **, size_t);
  HipError (*Free)(void *);
  HipError (*Memcpy)(void *, const void *, size_t, int);
  HipError (*ModuleLoadData)(HipHandle *, const void *);
  HipError (*ModuleUnload)(HipHandle);
  HipError (*ModuleGetFunction)(HipHandle *, HipHandle, const char *);
  HipError (*ModuleLaunchKernel)(HipHandle, unsigned, unsigned, unsigned,
                                 unsigned, unsigned, unsigned, unsigned,
                                 HipHandle, void **, void **);
  HipError (*EventCreate)(HipHandle *);
  HipError (*EventRecord)(HipHandle, HipHandle);
  HipError (*EventSynchronize)(HipHandle);
  HipError (*EventElapsedTime)(float *, HipHandle, HipHandle);
  HipError (*EventDestroy)(HipHandle);

  /// An error "<what>: <HIP's message>" when `E` is not hipSuccess.
  llvm::Error check(HipError E, const llvm::Twine &What) const {
    if (E == 0)
      return llvm::Error::success();
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   What + ": " + GetErrorString(E));
  }
};

/// Opens libamdhip64.so and binds every entry point.
llvm::Expected<std::shared_ptr<const HIPLibrary>> openHIP() {
  auto Library = std::make_shared<HIPLibrary>();
  HIPLibrary &L = *Library;
  for (const char *Name :
       {"libamdhip64.so", "libamdhip64.so.6", "/opt/rocm/lib/libamdhip64.so"})
    if ((L.Handle = dlopen(Name, RTLD_NOW | RTLD_LOCAL)))
      break;
  if (!L.Handle)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "the amd device needs HIP: cannot load libamdhip64.so (install ROCm "
        "or add its lib folder to LD_LIBRARY_PATH)");
  llvm::StringRef Missing;
  auto Bind = [&](auto &Fn, const char *Symbol) {
    Fn = reinterpret_cast<std::remove_reference_t<decltype(Fn)>>(
        dlsym(L.Handle, Symbol));
    if (!Fn && Missing.empty())
      Missing = Symbol;
  };
  Bind(L.Init, "hipInit");
  Bind(L.GetDeviceCount, "hipGetDeviceCount");
  Bind(L.GetErrorString, "hipGetErrorString");
  Bind(L.Malloc, "hipMalloc");
  Bind(L.Free, "hipFree");
  Bind(L.Memcpy, "hipMemcpy");
  Bind(L.ModuleLoadData, "hipModuleLoadData");
  Bind(L.ModuleUnload, "hipModuleUnload");
  Bind(L.ModuleGetFunction, "hipModuleGetFunction");
  Bind(L.ModuleLaunchKernel, "hipModuleLaunchKernel");
  Bind(L.EventCreate, "hipEventCreate");
  Bind(L.EventRecord, "hipEventRecord");
  Bind(L.EventSynchronize, "hipEventSynchronize");
  Bind(L.EventElapsedTime, "hipEventElapsedTime");
  Bind(L.EventDestroy, "hipEventDestroy");
  if (!Missing.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "libamdhip64.so lacks " + Missing);
  return Library;
}

class HIPBuffer final : public DeviceBuffer {
public:
  HIPBuffer(std::shared_ptr<const HIPLibrary> HIP, void *Pointer, size_t Size)
      : DeviceBuffer(Size), HIP(std::move(HIP)), Pointer(Pointer) {}
  ~HIPBuffer() override { HIP->Free(Pointer); }
  void *getPointer() const { return Pointer; }

private:
  std::shared_ptr<const HIPLibrary> HIP;
  void *Pointer;
};

class HIPKernel final : public LoadedKernel {
public:
  HIPKernel(std::shared_ptr<const HIPLibrary> HIP, HipHandle Module,
            const Function &Kernel)
      : HIP(std::move(HIP)), Module(Module), Kernel(Kernel) {}
  ~HIPKernel() override { HIP->ModuleUnload(Module); }

  std::shared_ptr<const HIPLibrary> HIP;
  HipHandle Module, Entry = nullptr;
  const Function &Kernel;
};

/// The launch of `Kernel` with `Vars`: work-groups and threads per
/// work-group along x, y, z, from its gidx and lidx sizes.
llvm::Error getLaunchDims(const Function &Kernel, llvm::ArrayRef<int64_t> Vars,
                          std::array<unsigned, 3> &Groups,
                          std::array<unsigned, 3> &Threads) {
  Groups = Threads = {1, 1, 1};
  llvm::SmallVector<const UOp *, 4> Variables;
  for (const UOp *P : Kernel.Params)
    if (P->getOp() == Op::DefineVar)
      Variables.push_back(P);
  auto Leaf = [&](const UOp *U) -> std::optional<ConstValue> {
    for (size_t I = 0; I != Variables.size() && I != Vars.size(); ++I)
      if (Variables[I] == U)
        return ConstValue::getInt(Vars[I]);
    return std::nullopt;
  };
  for (const UOp *U : Kernel.getBody()) {
    if (U->getOp() != Op::Special)
      continue;
    llvm::StringRef Name = U->getArg()->getString();
    bool IsGroup = Name.consume_front("gidx");
    unsigned Dim;
    if ((!IsGroup && !Name.consume_front("lidx")) ||
        Name.getAsInteger(10, Dim) || Dim > 2)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "kernel @" + Kernel.getName() +
                                         ": unknown launch index '" +
                                         U->getArg()->getString() + "'");
    std::optional<ConstValue> Size = evalScalar(U->getSrc(0), Leaf);
    if (!Size || Size->getInt() < 1 || Size->getInt() > UINT32_MAX)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "kernel @" + Kernel.getName() + ": the size of launch index '" +
              U->getArg()->getString() +
              "' must be a positive 32-bit value of constants and variables");
    (IsGroup ? Groups : Threads)[Dim] = unsigned(Size->getInt());
  }
  return llvm::Error::success();
}

class HIPRuntime final : public Runtime {
public:
  explicit HIPRuntime(std::shared_ptr<const HIPLibrary> Library)
      : Library(std::move(Library)), HIP(*this->Library) {}

  /// HIP's C API does not name the arch without hipDeviceProp_t, whose
  /// layout differs between ROCm versions: the device's default arch.
  const ArchInfo &getArch() const override {
    return lookupDevice("amd")->getDefaultArch();
  }

  llvm::Expected<std::unique_ptr<DeviceBuffer>>
  allocate(size_t Bytes) override {
    void *Pointer = nullptr;
    if (llvm::Error E =
            HIP.check(HIP.Malloc(&Pointer, std::max<size_t>(Bytes, 1)),
                      "hipMalloc of " + llvm::Twine(Bytes) + " bytes"))
      return std::move(E);
    return std::make_unique<HIPBuffer>(Library, Pointer, Bytes);
  }
  llvm::Error copyIn(DeviceBuffer &To, const void *From) override {
    return HIP.check(HIP.Memcpy(static_cast<HIPBuffer &>(To).getPointer(), From,
                                To.getSize(), HipMemcpyHostToDevice),
                     "hipMemcpy to the device");
  }
  llvm::Error copyOut(void *To, const DeviceBuffer &From) override {
    return HIP.check(
        HIP.Memcpy(To, static_cast<const HIPBuffer &>(From).getPointer(),
                   From.getSize(), HipMemcpyDeviceToHost),
        "hipMemcpy from the device");
  }

  llvm::Expected<std::unique_ptr<LoadedKernel>>
  load(const Function &Kernel, const CompiledKernel &Compiled) override {
    if (Compiled.BinaryFormat != "hsaco")
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "kernel @" + Kernel.getName() +
              ": the HIP runtime loads code objects (hsaco), not '" +
              Compiled.BinaryFormat + "'");
    HipHandle Module = nullptr;
    if (llvm::Error E =
            HIP.check(HIP.ModuleLoadData(&Module, Compiled.Binary.data()),
                      "kernel @" + Kernel.getName() + ": hipModuleLoadData"))
      return std::move(E);
    auto K = std::make_unique<HIPKernel>(Library, Module, Kernel);
    if (llvm::Error E = HIP.check(
            HIP.ModuleGetFunction(&K->Entry, Module,
                                  Compiled.EntryName.c_str()),
            "kernel @" + Kernel.getName() + ": hipModuleGetFunction '" +
                Compiled.EntryName + "'"))
      return std::move(E);
    return std::move(K);
  }

  llvm::Expected<double> launch(LoadedKernel &Loaded,
                                llvm::ArrayRef<DeviceBuffer *> Buffers,
                                llvm::ArrayRef<int64_t> Vars) override {
    auto &K = static_cast<HIPKernel &>(Loaded);
    std::array<unsigned, 3> Groups, Threads;
    if (llvm::Error E = getLaunchDims(K.Kernel, Vars, Groups, Threads))
      return std::move(E);
    // One 8-byte slot per parameter: a pointer, or a little-endian scalar
    // that a narrower parameter reads the low bytes of.
    std::vector<int64_t> Values;
    unsigned NumVars = 0;
    for (const UOp *P : K.Kernel.Params) {
      if (P->getOp() != Op::Define) {
        Values.push_back(NumVars < Vars.size() ? Vars[NumVars] : 0);
        ++NumVars;
        continue;
      }
      int64_t Id = P->getArgField(0)->getInt();
      if (Id < 0 || size_t(Id) >= Buffers.size() || !Buffers[Id])
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "kernel @" + K.Kernel.getName() +
                                           ": no buffer for define " +
                                           llvm::Twine(Id));
      Values.push_back(reinterpret_cast<intptr_t>(
          static_cast<HIPBuffer *>(Buffers[Id])->getPointer()));
    }
    std::vector<void *> Params;
    for (int64_t &V : Values)
      Params.push_back(&V);
    HipHandle Start = nullptr, Stop = nullptr;
    if (llvm::Error E = HIP.check(HIP.EventCreate(&Start), "hipEventCreate"))
      return std::move(E);
    if (llvm::Error E = HIP.check(HIP.EventCreate(&Stop), "hipEventCreate")) {
      HIP.EventDestroy(Start);
      return std::move(E);
    }
    float Ms = 0;
    llvm::Error E =
        HIP.check(HIP.EventRecord(Start, nullptr), "hipEventRecord");
    if (!E)
      E = HIP.check(
          HIP.ModuleLaunchKernel(K.Entry, Groups[0], Groups[1], Groups[2],
                                 Threads[0], Threads[1], Threads[2], 0, nullptr,
                                 Params.data(), nullptr),
          "kernel @" + K.Kernel.getName() + ": hipModuleLaunchKernel");
    if (!E)
      E = HIP.check(HIP.EventRecord(Stop, nullptr), "hipEventRecord");
    if (!E)
      E = HIP.check(HIP.EventSynchronize(Stop),
                    "kernel @" + K.Kernel.getName() + ": running");
    if (!E)
      E = HIP.check(HIP.EventElapsedTime(&Ms, Start, Stop),
                    "hipEventElapsedTime");
    HIP.EventDestroy(Start);
    HIP.EventDestroy(Stop);
    if (E)
      return std::move(E);
    return Ms / 1000.0;
  }

private:
  std::shared_ptr<const HIPLibrary> Library;
  const HIPLibrary &HIP;
};

} // namespace

llvm::Expected<std::unique_ptr<Runtime>> amd::createHIPRuntime() {
  llvm::Expected<std::shared_ptr<const HIPLibrary>> HIP = openHIP();
  if (!HIP)
    return HIP.takeError();
  if (llvm::Error E = (*HIP)->check((*HIP)->Init(0), "hipInit"))
    return std::move(E);
  int Count = 0;
  if (llvm::Error E =
          (*HIP)->check((*HIP)->GetDeviceCount(&Count), "hipGetDeviceCount"))
    return std::move(E);
  if (Count < 1)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "HIP finds no AMD GPU on this machine");
  return std::make_unique<HIPRuntime>(std::move(*HIP));
}
