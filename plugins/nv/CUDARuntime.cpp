//===- CUDARuntime.cpp - the NV device's runtime --------------------------===//
//
// A CUDAContext owns the driver's primary context; buffers and loaded kernels
// hold it through a shared_ptr, so whatever order a tool destroys them in,
// the context outlives every module and allocation it made.
//
//===----------------------------------------------------------------------===//

#include "CUDARuntime.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Eval.h"
#include "tg/IR/UOp.h"

#include "llvm/ADT/StringExtras.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <dlfcn.h>
#include <mutex>
#include <optional>

using namespace tg;
using namespace tg::nv;

namespace {

//===----------------------------------------------------------------------===//
// The driver API: the part of cuda.h tg calls, loaded from libcuda.so.1
//===----------------------------------------------------------------------===//

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUevent = struct CUevent_st *;
using CUstream = struct CUstream_st *;
constexpr CUresult CUDA_SUCCESS = 0;
constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
constexpr int CU_JIT_ERROR_LOG_BUFFER = 5;
constexpr int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;

struct Driver {
  CUresult (*GetErrorName)(CUresult, const char **);
  CUresult (*GetErrorString)(CUresult, const char **);
  CUresult (*Init)(unsigned);
  CUresult (*DeviceGetCount)(int *);
  CUresult (*DeviceGet)(CUdevice *, int);
  CUresult (*DeviceGetName)(char *, int, CUdevice);
  CUresult (*DeviceGetAttribute)(int *, int, CUdevice);
  CUresult (*DevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*DevicePrimaryCtxRelease)(CUdevice);
  CUresult (*CtxSetCurrent)(CUcontext);
  CUresult (*CtxSynchronize)();
  CUresult (*MemAlloc)(CUdeviceptr *, size_t);
  CUresult (*MemFree)(CUdeviceptr);
  CUresult (*MemcpyHtoD)(CUdeviceptr, const void *, size_t);
  CUresult (*MemcpyDtoH)(void *, CUdeviceptr, size_t);
  CUresult (*ModuleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                               void **);
  CUresult (*ModuleUnload)(CUmodule);
  CUresult (*ModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*LaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, CUstream, void **,
                           void **);
  CUresult (*EventCreate)(CUevent *, unsigned);
  CUresult (*EventRecord)(CUevent, CUstream);
  CUresult (*EventSynchronize)(CUevent);
  CUresult (*EventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*EventDestroy)(CUevent);

  /// An error for `Result` of `Call`: "cuLaunchKernel failed with
  /// CUDA_ERROR_...: <text> (kernel @k)".
  llvm::Error fail(CUresult Result, const char *Call,
                   llvm::StringRef Kernel = "") const {
    const char *Name = nullptr, *Text = nullptr;
    if (GetErrorName(Result, &Name) != CUDA_SUCCESS || !Name)
      Name = "an unknown CUresult";
    if (GetErrorString(Result, &Text) != CUDA_SUCCESS || !Text)
      Text = "no description";
    std::string Message = std::string(Call) + " failed with " + Name + " (" +
                          std::to_string(Result) + "): " + Text;
    if (!Kernel.empty())
      Message += " (kernel @" + Kernel.str() + ")";
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
  }
  /// `fail` unless `Result` is CUDA_SUCCESS.
  llvm::Error check(CUresult Result, const char *Call,
                    llvm::StringRef Kernel = "") const {
    if (Result == CUDA_SUCCESS)
      return llvm::Error::success();
    return fail(Result, Call, Kernel);
  }
};

llvm::Error makeError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

/// The driver, loaded once per process; cuInit has succeeded.
llvm::Expected<const Driver *> loadDriver() {
  static Driver D;
  static std::string Error;
  static std::once_flag Once;
  std::call_once(Once, [] {
    void *Handle = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!Handle) {
      const char *Why = dlerror();
      Error = "no NVIDIA driver: cannot load libcuda.so.1 (" +
              std::string(Why ? Why : "unknown reason") + ")";
      return;
    }
    auto Get = [&](auto &Slot, const char *Symbol) {
      Slot = reinterpret_cast<std::remove_reference_t<decltype(Slot)>>(
          dlsym(Handle, Symbol));
      if (!Slot && Error.empty())
        Error = "libcuda.so.1 lacks " + std::string(Symbol) +
                " (a driver older than CUDA 11?)";
    };
    Get(D.GetErrorName, "cuGetErrorName");
    Get(D.GetErrorString, "cuGetErrorString");
    Get(D.Init, "cuInit");
    Get(D.DeviceGetCount, "cuDeviceGetCount");
    Get(D.DeviceGet, "cuDeviceGet");
    Get(D.DeviceGetName, "cuDeviceGetName");
    Get(D.DeviceGetAttribute, "cuDeviceGetAttribute");
    Get(D.DevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
    Get(D.DevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2");
    Get(D.CtxSetCurrent, "cuCtxSetCurrent");
    Get(D.CtxSynchronize, "cuCtxSynchronize");
    Get(D.MemAlloc, "cuMemAlloc_v2");
    Get(D.MemFree, "cuMemFree_v2");
    Get(D.MemcpyHtoD, "cuMemcpyHtoD_v2");
    Get(D.MemcpyDtoH, "cuMemcpyDtoH_v2");
    Get(D.ModuleLoadDataEx, "cuModuleLoadDataEx");
    Get(D.ModuleUnload, "cuModuleUnload");
    Get(D.ModuleGetFunction, "cuModuleGetFunction");
    Get(D.LaunchKernel, "cuLaunchKernel");
    Get(D.EventCreate, "cuEventCreate");
    Get(D.EventRecord, "cuEventRecord");
    Get(D.EventSynchronize, "cuEventSynchronize");
    Get(D.EventElapsedTime, "cuEventElapsedTime");
    Get(D.EventDestroy, "cuEventDestroy_v2");
    if (!Error.empty())
      return;
    if (llvm::Error E = D.check(D.Init(0), "cuInit"))
      Error =
          "the NVIDIA driver does not start: " + llvm::toString(std::move(E));
  });
  if (!Error.empty())
    return makeError(Error);
  return &D;
}

//===----------------------------------------------------------------------===//
// Runtime objects
//===----------------------------------------------------------------------===//

/// Device 0's primary context, current on the calling thread while in use.
class CUDAContext {
public:
  CUDAContext(const Driver &D, CUdevice Device, CUcontext Handle)
      : D(D), Device(Device), Handle(Handle) {}
  ~CUDAContext() {
    // Errors cannot be reported from here; a failing release leaks nothing
    // the process keeps.
    (void)D.CtxSynchronize();
    (void)D.DevicePrimaryCtxRelease(Device);
  }
  CUDAContext(const CUDAContext &) = delete;
  CUDAContext &operator=(const CUDAContext &) = delete;

  const Driver &getDriver() const { return D; }
  llvm::Error makeCurrent() const {
    return D.check(D.CtxSetCurrent(Handle), "cuCtxSetCurrent");
  }
  /// makeCurrent for destructors, which cannot report an error.
  bool tryMakeCurrent() const {
    return D.CtxSetCurrent(Handle) == CUDA_SUCCESS;
  }

private:
  const Driver &D;
  CUdevice Device;
  CUcontext Handle;
};

class CUDABuffer final : public DeviceBuffer {
public:
  CUDABuffer(std::shared_ptr<CUDAContext> Ctx, CUdeviceptr Pointer, size_t Size)
      : DeviceBuffer(Size), Ctx(std::move(Ctx)), Pointer(Pointer) {}
  ~CUDABuffer() override {
    if (Ctx->tryMakeCurrent())
      (void)Ctx->getDriver().MemFree(Pointer);
  }
  CUdeviceptr getPointer() const { return Pointer; }

private:
  std::shared_ptr<CUDAContext> Ctx;
  CUdeviceptr Pointer;
};

/// One kernel parameter: a buffer (by define id) or a variable (by position
/// among the define_var parameters), of `Bytes` bytes.
struct ParamSlot {
  bool IsBuffer;
  unsigned Index;
  unsigned Bytes;
};

class CUDAKernel final : public LoadedKernel {
public:
  CUDAKernel(std::shared_ptr<CUDAContext> Ctx, CUmodule Module)
      : Ctx(std::move(Ctx)), Module(Module) {}
  ~CUDAKernel() override {
    if (Ctx->tryMakeCurrent())
      (void)Ctx->getDriver().ModuleUnload(Module);
  }

  std::shared_ptr<CUDAContext> Ctx;
  CUmodule Module;
  CUfunction Entry = nullptr;
  std::string Name;
  std::vector<ParamSlot> Params;
  std::vector<const UOp *> Variables;
  /// The sizes of gidx0..2 and lidx0..2; null where the kernel has none.
  std::array<const UOp *, 3> Grid = {}, Block = {};
};

/// A CUDA event destroyed with its scope.
class Event {
public:
  explicit Event(const Driver &D) : D(D) {}
  ~Event() {
    if (Handle)
      (void)D.EventDestroy(Handle);
  }
  llvm::Error create(llvm::StringRef Kernel) {
    return D.check(D.EventCreate(&Handle, 0), "cuEventCreate", Kernel);
  }
  CUevent get() const { return Handle; }

private:
  const Driver &D;
  CUevent Handle = nullptr;
};

class CUDARuntime final : public Runtime {
public:
  CUDARuntime(std::shared_ptr<CUDAContext> Ctx, const ArchInfo &Arch)
      : Ctx(std::move(Ctx)), Arch(Arch) {}

  const ArchInfo &getArch() const override { return Arch; }

  llvm::Expected<std::unique_ptr<DeviceBuffer>>
  allocate(size_t Bytes) override {
    if (llvm::Error E = Ctx->makeCurrent())
      return std::move(E);
    CUdeviceptr Pointer = 0;
    // cuMemAlloc refuses 0 bytes; an empty buffer still gets an address.
    if (CUresult R = D().MemAlloc(&Pointer, std::max<size_t>(Bytes, 1)))
      return D().fail(
          R, ("cuMemAlloc of " + std::to_string(Bytes) + " bytes").c_str());
    return std::make_unique<CUDABuffer>(Ctx, Pointer, Bytes);
  }

  llvm::Error copyIn(DeviceBuffer &To, const void *From) override {
    if (!To.getSize())
      return llvm::Error::success();
    if (llvm::Error E = Ctx->makeCurrent())
      return E;
    return D().check(D().MemcpyHtoD(static_cast<CUDABuffer &>(To).getPointer(),
                                    From, To.getSize()),
                     "cuMemcpyHtoD");
  }

  llvm::Error copyOut(void *To, const DeviceBuffer &From) override {
    if (!From.getSize())
      return llvm::Error::success();
    if (llvm::Error E = Ctx->makeCurrent())
      return E;
    return D().check(
        D().MemcpyDtoH(To, static_cast<const CUDABuffer &>(From).getPointer(),
                       From.getSize()),
        "cuMemcpyDtoH");
  }

  llvm::Expected<std::unique_ptr<LoadedKernel>>
  load(const Function &Kernel, const CompiledKernel &Compiled) override;

  llvm::Expected<double> launch(LoadedKernel &K,
                                llvm::ArrayRef<DeviceBuffer *> Buffers,
                                llvm::ArrayRef<int64_t> Vars) override;

private:
  const Driver &D() const { return Ctx->getDriver(); }

  std::shared_ptr<CUDAContext> Ctx;
  const ArchInfo &Arch;
};

} // namespace

/// Bytes of a kernel argument of scalar type `K` (index is 64-bit, as in
/// the rendered source).
static unsigned getArgumentBytes(ScalarKind K) {
  unsigned Bits = getScalarInfo(K).Bits;
  return K == ScalarKind::Index || !Bits ? 8 : std::max(1u, Bits / 8);
}

llvm::Expected<std::unique_ptr<LoadedKernel>>
CUDARuntime::load(const Function &Kernel, const CompiledKernel &Compiled) {
  llvm::StringRef Name = Kernel.getName();
  if (Compiled.BinaryFormat != "cubin" && Compiled.BinaryFormat != "ptx")
    return makeError("kernel @" + Name +
                     ": the CUDA runtime loads cubin or ptx, not '" +
                     Compiled.BinaryFormat + "'");
  if (llvm::Error E = Ctx->makeCurrent())
    return std::move(E);

  // PTX is text the driver reads up to its NUL.
  std::vector<char> Image = Compiled.Binary;
  if (Compiled.BinaryFormat == "ptx" && (Image.empty() || Image.back()))
    Image.push_back('\0');
  // The driver's log says why PTX does not compile.
  char Log[4096] = {};
  int Options[] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void *Values[] = {Log, reinterpret_cast<void *>(uintptr_t(sizeof Log - 1))};
  CUmodule Module = nullptr;
  if (CUresult R =
          D().ModuleLoadDataEx(&Module, Image.data(), 2, Options, Values)) {
    std::string Message = llvm::toString(
        D().fail(R,
                 ("cuModuleLoadData (a " + Compiled.BinaryFormat + " on this " +
                  Arch.Name + " GPU)")
                     .c_str(),
                 Name));
    return makeError(Log[0] ? Message + "\n" + Log : Message);
  }
  auto K = std::make_unique<CUDAKernel>(Ctx, Module);
  K->Name = Name.str();
  if (llvm::Error E = D().check(
          D().ModuleGetFunction(&K->Entry, Module, Compiled.EntryName.c_str()),
          ("cuModuleGetFunction '" + Compiled.EntryName + "'").c_str(), Name))
    return std::move(E);

  unsigned NumVars = 0;
  for (const UOp *P : Kernel.Params) {
    if (P->getOp() == Op::Define) {
      K->Params.push_back(
          {true, unsigned(P->getArgField(0)->getInt()), sizeof(CUdeviceptr)});
      continue;
    }
    K->Params.push_back(
        {false, NumVars++, getArgumentBytes(P->getDType().getScalarKind())});
    K->Variables.push_back(P);
  }
  for (const UOp *U : Kernel.getBody()) {
    if (U->getOp() != Op::Special)
      continue;
    llvm::StringRef Index = U->getArgField(0)->getString();
    unsigned Dim = 0;
    bool IsGroup = Index.starts_with("gidx");
    if ((!IsGroup && !Index.starts_with("lidx")) ||
        Index.drop_front(4).getAsInteger(10, Dim) || Dim > 2)
      return makeError("kernel @" + Name + ": unknown launch index '" + Index +
                       "'");
    (IsGroup ? K->Grid : K->Block)[Dim] = U->getSrc(0);
  }
  return std::move(K);
}

llvm::Expected<double>
CUDARuntime::launch(LoadedKernel &Loaded,
                    llvm::ArrayRef<DeviceBuffer *> Buffers,
                    llvm::ArrayRef<int64_t> Vars) {
  auto &K = static_cast<CUDAKernel &>(Loaded);
  if (Vars.size() != K.Variables.size())
    return makeError("kernel @" + K.Name + " has " +
                     llvm::Twine(K.Variables.size()) + " variables; " +
                     llvm::Twine(Vars.size()) + " values were given");

  // The launch dimensions: each index's size, from constants and variables.
  auto Size = [&](const UOp *U, unsigned &Out) -> llvm::Error {
    if (!U) {
      Out = 1;
      return llvm::Error::success();
    }
    std::optional<ConstValue> V =
        evalScalar(U, [&](const UOp *Leaf) -> std::optional<ConstValue> {
          for (size_t I = 0; I != K.Variables.size(); ++I)
            if (K.Variables[I] == Leaf)
              return ConstValue::getInt(Vars[I]);
          return std::nullopt;
        });
    if (!V)
      return makeError("kernel @" + K.Name +
                       ": a launch index's size must depend only on constants "
                       "and variables");
    int64_t N = V->getInt();
    if (N < 0 || N > int64_t(UINT32_MAX))
      return makeError("kernel @" + K.Name + ": a launch dimension of " +
                       llvm::Twine(N) + " is out of range");
    Out = unsigned(N);
    return llvm::Error::success();
  };
  std::array<unsigned, 3> Grid, Block;
  for (unsigned Dim = 0; Dim != 3; ++Dim) {
    if (llvm::Error E = Size(K.Grid[Dim], Grid[Dim]))
      return std::move(E);
    if (llvm::Error E = Size(K.Block[Dim], Block[Dim]))
      return std::move(E);
  }
  // An empty launch runs no thread; the driver would refuse it.
  if (!Grid[0] || !Grid[1] || !Grid[2] || !Block[0] || !Block[1] || !Block[2])
    return 0.0;

  // kernelParams: one pointer per parameter to a slot holding its value.
  std::vector<uint64_t> Slots(K.Params.size(), 0);
  std::vector<void *> Arguments(K.Params.size());
  for (size_t I = 0; I != K.Params.size(); ++I) {
    const ParamSlot &P = K.Params[I];
    if (P.IsBuffer) {
      if (P.Index >= Buffers.size() || !Buffers[P.Index])
        return makeError("kernel @" + K.Name +
                         ": no buffer for its parameter "
                         "b" +
                         llvm::Twine(P.Index));
      CUdeviceptr Pointer =
          static_cast<CUDABuffer *>(Buffers[P.Index])->getPointer();
      std::memcpy(&Slots[I], &Pointer, sizeof Pointer);
    } else {
      // Little-endian: the low bytes of the value are the narrower type's.
      int64_t Value = Vars[P.Index];
      std::memcpy(&Slots[I], &Value, P.Bytes);
    }
    Arguments[I] = &Slots[I];
  }

  if (llvm::Error E = Ctx->makeCurrent())
    return std::move(E);
  Event Start(D()), Stop(D());
  if (llvm::Error E = Start.create(K.Name))
    return std::move(E);
  if (llvm::Error E = Stop.create(K.Name))
    return std::move(E);
  if (llvm::Error E = D().check(D().EventRecord(Start.get(), nullptr),
                                "cuEventRecord", K.Name))
    return std::move(E);
  if (llvm::Error E = D().check(
          D().LaunchKernel(K.Entry, Grid[0], Grid[1], Grid[2], Block[0],
                           Block[1], Block[2], 0, nullptr, Arguments.data(),
                           nullptr),
          ("cuLaunchKernel (grid " + std::to_string(Grid[0]) + "x" +
           std::to_string(Grid[1]) + "x" + std::to_string(Grid[2]) +
           ", block " + std::to_string(Block[0]) + "x" +
           std::to_string(Block[1]) + "x" + std::to_string(Block[2]) + ")")
              .c_str(),
          K.Name))
    return std::move(E);
  if (llvm::Error E = D().check(D().EventRecord(Stop.get(), nullptr),
                                "cuEventRecord", K.Name))
    return std::move(E);
  // A fault in the kernel surfaces here.
  if (llvm::Error E =
          D().check(D().EventSynchronize(Stop.get()),
                    "cuEventSynchronize (running the kernel)", K.Name))
    return std::move(E);
  float Milliseconds = 0;
  if (llvm::Error E = D().check(
          D().EventElapsedTime(&Milliseconds, Start.get(), Stop.get()),
          "cuEventElapsedTime", K.Name))
    return std::move(E);
  return double(Milliseconds) / 1e3;
}

/// The nv arch whose cubins run on compute capability Major.Minor.
static const ArchInfo *findArch(int Major, int Minor) {
  const ArchInfo *Best = nullptr;
  int BestMinor = -1;
  for (const ArchInfo *A : lookupDevice("nv")->getArches()) {
    llvm::StringRef Name = A->Name;
    unsigned Number = 0;
    if (!Name.consume_front("sm_") || Name.getAsInteger(10, Number))
      continue;
    int M = int(Number / 10), N = int(Number % 10);
    if (M == Major && N <= Minor && N > BestMinor) {
      Best = A;
      BestMinor = N;
    }
  }
  return Best;
}

llvm::Expected<std::unique_ptr<Runtime>> nv::createCUDARuntime() {
  llvm::Expected<const Driver *> Loaded = loadDriver();
  if (!Loaded)
    return Loaded.takeError();
  const Driver &D = **Loaded;
  int Count = 0;
  if (llvm::Error E = D.check(D.DeviceGetCount(&Count), "cuDeviceGetCount"))
    return std::move(E);
  if (!Count)
    return makeError("the NVIDIA driver sees no GPU");
  CUdevice Device = 0;
  if (llvm::Error E = D.check(D.DeviceGet(&Device, 0), "cuDeviceGet"))
    return std::move(E);
  char Name[256] = {};
  if (llvm::Error E = D.check(D.DeviceGetName(Name, sizeof Name - 1, Device),
                              "cuDeviceGetName"))
    return std::move(E);
  int Major = 0, Minor = 0;
  if (llvm::Error E = D.check(
          D.DeviceGetAttribute(
              &Major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, Device),
          "cuDeviceGetAttribute"))
    return std::move(E);
  if (llvm::Error E = D.check(
          D.DeviceGetAttribute(
              &Minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, Device),
          "cuDeviceGetAttribute"))
    return std::move(E);
  const ArchInfo *Arch = findArch(Major, Minor);
  if (!Arch) {
    std::vector<const char *> Known;
    for (const ArchInfo *A : lookupDevice("nv")->getArches())
      Known.push_back(A->Name);
    return makeError(std::string(Name) + " has compute capability " +
                     std::to_string(Major) + "." + std::to_string(Minor) +
                     ", for which tg knows no arch (nv arches: " +
                     llvm::join(Known, ", ") + ")");
  }
  CUcontext Handle = nullptr;
  if (llvm::Error E = D.check(D.DevicePrimaryCtxRetain(&Handle, Device),
                              "cuDevicePrimaryCtxRetain"))
    return std::move(E);
  auto Ctx = std::make_shared<CUDAContext>(D, Device, Handle);
  if (llvm::Error E = Ctx->makeCurrent())
    return std::move(E);
  return std::make_unique<CUDARuntime>(std::move(Ctx), *Arch);
}
