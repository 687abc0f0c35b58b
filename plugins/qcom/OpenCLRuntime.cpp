//===- OpenCLRuntime.cpp - running kernels through OpenCL -----------------===//

#include "OpenCLRuntime.h"

#include "OpenCLLibrary.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Eval.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <array>
#include <cstring>

using namespace tg;
using namespace tg::qcom;

static llvm::Error makeError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

static constexpr llvm::StringLiteral OptionsLine =
    "// clBuildProgram options: ";

std::vector<char> qcom::makeProgramBinary(llvm::StringRef Source,
                                          llvm::StringRef Options) {
  std::string Text = (OptionsLine + Options + "\n" + Source).str();
  return std::vector<char>(Text.begin(), Text.end());
}

llvm::Expected<ProgramText>
qcom::parseProgramBinary(llvm::ArrayRef<char> Binary) {
  llvm::StringRef Text(Binary.data(), Binary.size());
  if (!Text.consume_front(OptionsLine))
    return makeError("not an OpenCL program of the opencl compiler (its "
                     "first line must name the build options)");
  auto [Options, Source] = Text.split('\n');
  return ProgramText{Options.str(), Source.str()};
}

//===----------------------------------------------------------------------===//
// Devices
//===----------------------------------------------------------------------===//

namespace {

/// The chosen device and the platform it belongs to.
struct DeviceChoice {
  cl_platform_id Platform;
  cl_device_id Device;
};

llvm::Expected<DeviceChoice> chooseDevice(const OpenCLLibrary &CL) {
  cl_uint NumPlatforms = 0;
  cl_int Err = CL.clGetPlatformIDs(0, nullptr, &NumPlatforms);
  if (Err == -1001 /* CL_PLATFORM_NOT_FOUND_KHR */ ||
      (Err == CL_SUCCESS && NumPlatforms == 0))
    return makeError("no OpenCL platform: the ICD loader found no driver "
                     "(install one such as pocl-opencl-icd, or check "
                     "OCL_ICD_VENDORS)");
  if (llvm::Error E = check(Err, "clGetPlatformIDs"))
    return std::move(E);
  std::vector<cl_platform_id> Platforms(NumPlatforms);
  if (llvm::Error E =
          check(CL.clGetPlatformIDs(NumPlatforms, Platforms.data(), nullptr),
                "clGetPlatformIDs"))
    return std::move(E);
  // A GPU anywhere first, then any device.
  for (cl_device_type Type :
       {cl_device_type(CL_DEVICE_TYPE_GPU), cl_device_type(CL_DEVICE_TYPE_ALL)})
    for (cl_platform_id P : Platforms) {
      cl_device_id Device;
      cl_uint Found = 0;
      if (CL.clGetDeviceIDs(P, Type, 1, &Device, &Found) == CL_SUCCESS && Found)
        return DeviceChoice{P, Device};
    }
  return makeError("no OpenCL device on " + llvm::Twine(NumPlatforms) +
                   " platform(s)");
}

std::string getPlatformString(const OpenCLLibrary &CL, cl_platform_id P,
                              cl_platform_info Param) {
  size_t Size = 0;
  if (CL.clGetPlatformInfo(P, Param, 0, nullptr, &Size) != CL_SUCCESS)
    return "";
  std::string S(Size, '\0');
  CL.clGetPlatformInfo(P, Param, Size, S.data(), nullptr);
  return S.c_str();
}

std::string getDeviceString(const OpenCLLibrary &CL, cl_device_id D,
                            cl_device_info Param) {
  size_t Size = 0;
  if (CL.clGetDeviceInfo(D, Param, 0, nullptr, &Size) != CL_SUCCESS)
    return "";
  std::string S(Size, '\0');
  CL.clGetDeviceInfo(D, Param, Size, S.data(), nullptr);
  return S.c_str();
}

/// A scalar device property of type T, or `Default` when not reported.
template <typename T>
T getDeviceValue(const OpenCLLibrary &CL, cl_device_id D, cl_device_info Param,
                 T Default) {
  T Value;
  if (CL.clGetDeviceInfo(D, Param, sizeof(T), &Value, nullptr) != CL_SUCCESS)
    return Default;
  return Value;
}

DeviceCapabilities readCapabilities(const OpenCLLibrary &CL,
                                    const DeviceChoice &C) {
  DeviceCapabilities Caps;
  Caps.Platform = getPlatformString(CL, C.Platform, CL_PLATFORM_NAME);
  Caps.Name = getDeviceString(CL, C.Device, CL_DEVICE_NAME);
  Caps.Version = getDeviceString(CL, C.Device, CL_DEVICE_VERSION);
  llvm::SmallVector<llvm::StringRef, 32> Extensions;
  std::string ExtensionList =
      getDeviceString(CL, C.Device, CL_DEVICE_EXTENSIONS);
  llvm::StringRef(ExtensionList).split(Extensions, ' ', -1, false);
  Caps.HalfCompute = llvm::is_contained(Extensions, "cl_khr_fp16");
  Caps.Images =
      getDeviceValue<cl_bool>(CL, C.Device, CL_DEVICE_IMAGE_SUPPORT, CL_FALSE);
  Caps.Image2DMaxWidth =
      getDeviceValue<size_t>(CL, C.Device, CL_DEVICE_IMAGE2D_MAX_WIDTH, 0);
  Caps.Image2DMaxHeight =
      getDeviceValue<size_t>(CL, C.Device, CL_DEVICE_IMAGE2D_MAX_HEIGHT, 0);
  Caps.MaxWorkGroupSize =
      getDeviceValue<size_t>(CL, C.Device, CL_DEVICE_MAX_WORK_GROUP_SIZE, 1);
  size_t Sizes[3] = {1, 1, 1};
  if (CL.clGetDeviceInfo(C.Device, CL_DEVICE_MAX_WORK_ITEM_SIZES, sizeof(Sizes),
                         Sizes, nullptr) == CL_SUCCESS)
    for (unsigned D = 0; D != 3; ++D)
      Caps.MaxWorkItemSizes[D] = Sizes[D];
  Caps.LocalMemory =
      getDeviceValue<cl_ulong>(CL, C.Device, CL_DEVICE_LOCAL_MEM_SIZE, 0);
  return Caps;
}

//===----------------------------------------------------------------------===//
// Memory and kernels
//===----------------------------------------------------------------------===//

/// A linear buffer, and the image last made from it for a kernel parameter.
class CLBuffer final : public DeviceBuffer {
public:
  CLBuffer(const OpenCLLibrary &CL, cl_mem Memory, size_t Size)
      : DeviceBuffer(Size), CL(CL), Memory(Memory) {}
  ~CLBuffer() override {
    if (Image)
      CL.clReleaseMemObject(Image);
    CL.clReleaseMemObject(Memory);
  }

  const OpenCLLibrary &CL;
  cl_mem Memory;
  cl_mem Image = nullptr;
  DType ImageType; ///< The type Image was made for.
};

/// A parameter of a loaded kernel.
struct KernelParam {
  const UOp *Param;
  bool Stored = false; ///< Buffers: the kernel stores through it.
};

class CLKernel final : public LoadedKernel {
public:
  CLKernel(const OpenCLLibrary &CL) : CL(CL) {}
  ~CLKernel() override {
    if (Kernel)
      CL.clReleaseKernel(Kernel);
    if (Program)
      CL.clReleaseProgram(Program);
  }

  const OpenCLLibrary &CL;
  std::string Name;
  cl_program Program = nullptr;
  cl_kernel Kernel = nullptr;
  std::vector<KernelParam> Params;
  std::vector<const UOp *> Variables; ///< define_var, in parameter order.
  /// Launch indices: `gidxD` (Group) and `lidxD` (Local).
  struct Dim {
    const UOp *Group = nullptr, *Local = nullptr;
  };
  Dim Dims[3];
};

/// Bytes of one element of type `T` (bool one byte, index eight).
int64_t getBytes(DType T) {
  unsigned Bits = T.isIndex() ? 64 : std::max(8u, T.getScalarBits());
  return Bits / 8 * T.getCount();
}

/// The `define` an address is built from (through index, after, ...).
const UOp *getBaseBuffer(const UOp *Pointer) {
  while (Pointer->getOp() != Op::Define) {
    if (Pointer->getNumSrcs() == 0 ||
        !Pointer->getSrc(0)->getDType().isPointer())
      return nullptr;
    Pointer = Pointer->getSrc(0);
  }
  return Pointer;
}

class OpenCLRuntime final : public Runtime {
public:
  OpenCLRuntime(const OpenCLLibrary &CL, DeviceChoice Choice,
                DeviceCapabilities Caps, cl_context Context,
                cl_command_queue Queue)
      : CL(CL), Choice(Choice), Caps(std::move(Caps)), Context(Context),
        Queue(Queue) {}
  ~OpenCLRuntime() override {
    CL.clReleaseCommandQueue(Queue);
    CL.clReleaseContext(Context);
  }

  const ArchInfo &getArch() const override {
    return lookupDevice("qcom")->getDefaultArch();
  }

  llvm::Expected<std::unique_ptr<DeviceBuffer>>
  allocate(size_t Bytes) override {
    cl_int Err;
    // OpenCL has no empty buffers; an empty tg buffer is never accessed.
    cl_mem M = CL.clCreateBuffer(Context, CL_MEM_READ_WRITE,
                                 std::max<size_t>(Bytes, 1), nullptr, &Err);
    if (llvm::Error E = check(Err, "cannot allocate " + llvm::Twine(Bytes) +
                                       " bytes (clCreateBuffer)"))
      return std::move(E);
    return std::make_unique<CLBuffer>(CL, M, Bytes);
  }

  llvm::Error copyIn(DeviceBuffer &To, const void *From) override {
    if (!To.getSize())
      return llvm::Error::success();
    return check(CL.clEnqueueWriteBuffer(
                     Queue, static_cast<CLBuffer &>(To).Memory, CL_TRUE, 0,
                     To.getSize(), From, 0, nullptr, nullptr),
                 "clEnqueueWriteBuffer");
  }

  llvm::Error copyOut(void *To, const DeviceBuffer &From) override {
    if (!From.getSize())
      return llvm::Error::success();
    return check(CL.clEnqueueReadBuffer(
                     Queue, static_cast<const CLBuffer &>(From).Memory, CL_TRUE,
                     0, From.getSize(), To, 0, nullptr, nullptr),
                 "clEnqueueReadBuffer");
  }

  llvm::Expected<std::unique_ptr<LoadedKernel>>
  load(const Function &Kernel, const CompiledKernel &Compiled) override;
  llvm::Expected<double> launch(LoadedKernel &K,
                                llvm::ArrayRef<DeviceBuffer *> Buffers,
                                llvm::ArrayRef<int64_t> Vars) override;

private:
  llvm::Error analyze(const Function &Kernel, CLKernel &K);
  llvm::Error build(const CompiledKernel &Compiled, CLKernel &K);
  /// The image of `B` for a parameter of type `T`, made or reused.
  llvm::Expected<cl_mem> getImage(CLBuffer &B, DType T);
  llvm::Error copyImage(CLBuffer &B, bool ToImage);

  const OpenCLLibrary &CL;
  DeviceChoice Choice;
  DeviceCapabilities Caps;
  cl_context Context;
  cl_command_queue Queue;
};

llvm::Error OpenCLRuntime::analyze(const Function &Kernel, CLKernel &K) {
  for (const UOp *P : Kernel.Params) {
    if (P->getOp() == Op::DefineVar)
      K.Variables.push_back(P);
    K.Params.push_back({P});
  }
  for (const UOp *U : Kernel.getBody()) {
    if (U->getOp() == Op::Store)
      if (const UOp *Base = getBaseBuffer(U->getSrc(0)))
        for (KernelParam &P : K.Params)
          P.Stored |= P.Param == Base;
    if (U->getOp() != Op::Special)
      continue;
    llvm::StringRef Name = U->getArgField(0)->getString();
    const UOp *CLKernel::Dim::*Kind =
        Name.consume_front("gidx")   ? &CLKernel::Dim::Group
        : Name.consume_front("lidx") ? &CLKernel::Dim::Local
                                     : nullptr;
    unsigned D;
    if (!Kind || Name.getAsInteger(10, D) || D > 2)
      return makeError("kernel @" + K.Name + ": unknown launch index '" +
                       U->getArgField(0)->getString() +
                       "' (expected gidx0..2 or lidx0..2)");
    K.Dims[D].*Kind = U;
  }
  int64_t LocalBytes = 0;
  for (const UOp *U : Kernel.getBody())
    if (U->getOp() == Op::Define &&
        U->getDType().getAddrSpace() == AddrSpace::Local)
      LocalBytes +=
          U->getDType().getSize() * getBytes(U->getDType().getElement());
  if (LocalBytes > Caps.LocalMemory)
    return makeError("kernel @" + K.Name + " needs " + llvm::Twine(LocalBytes) +
                     " bytes of local memory; " + Caps.Name + " has " +
                     llvm::Twine(Caps.LocalMemory));
  for (const KernelParam &P : K.Params) {
    DType T = P.Param->getDType();
    if (P.Param->getOp() != Op::Define || !T.isImage())
      continue;
    if (!Caps.Images)
      return makeError("kernel @" + K.Name +
                       " uses images; the OpenCL device " + Caps.Name +
                       " has none");
    if (T.getWidth() > Caps.Image2DMaxWidth ||
        T.getHeight() > Caps.Image2DMaxHeight)
      return makeError("kernel @" + K.Name + ": " + T.str() +
                       " exceeds the device's largest image of " +
                       llvm::Twine(Caps.Image2DMaxWidth) + " x " +
                       llvm::Twine(Caps.Image2DMaxHeight) + " texels");
  }
  return llvm::Error::success();
}

llvm::Error OpenCLRuntime::build(const CompiledKernel &Compiled, CLKernel &K) {
  if (Compiled.BinaryFormat != ProgramFormat)
    return makeError("kernel @" + K.Name + ": the OpenCL runtime loads '" +
                     ProgramFormat + "' programs, not '" +
                     Compiled.BinaryFormat + "'");
  llvm::Expected<ProgramText> Text = parseProgramBinary(Compiled.Binary);
  if (!Text)
    return makeError("kernel @" + K.Name + ": " +
                     llvm::toString(Text.takeError()));
  const char *Source = Text->Source.c_str();
  size_t Length = Text->Source.size();
  cl_int Err;
  K.Program = CL.clCreateProgramWithSource(Context, 1, &Source, &Length, &Err);
  if (llvm::Error E =
          check(Err, "kernel @" + K.Name + ": clCreateProgramWithSource"))
    return E;
  Err = CL.clBuildProgram(K.Program, 1, &Choice.Device, Text->Options.c_str(),
                          nullptr, nullptr);
  if (Err != CL_SUCCESS) {
    size_t Size = 0;
    CL.clGetProgramBuildInfo(K.Program, Choice.Device, CL_PROGRAM_BUILD_LOG, 0,
                             nullptr, &Size);
    std::string Log(Size, '\0');
    CL.clGetProgramBuildInfo(K.Program, Choice.Device, CL_PROGRAM_BUILD_LOG,
                             Size, Log.data(), nullptr);
    return makeError(
        "kernel @" + K.Name + ": the OpenCL program does not " + "build on " +
        Caps.Name + (Caps.HalfCompute ? "" : " (no cl_khr_fp16)") + ", " +
        getErrorName(Err) + ":\n" + llvm::StringRef(Log.c_str()).rtrim());
  }
  K.Kernel = CL.clCreateKernel(K.Program, Compiled.EntryName.c_str(), &Err);
  return check(Err, "kernel @" + K.Name + ": clCreateKernel(" +
                        Compiled.EntryName + ")");
}

llvm::Expected<std::unique_ptr<LoadedKernel>>
OpenCLRuntime::load(const Function &Kernel, const CompiledKernel &Compiled) {
  auto K = std::make_unique<CLKernel>(CL);
  K->Name = Kernel.getName().str();
  if (llvm::Error E = analyze(Kernel, *K))
    return std::move(E);
  if (llvm::Error E = build(Compiled, *K))
    return std::move(E);
  return std::move(K);
}

llvm::Expected<cl_mem> OpenCLRuntime::getImage(CLBuffer &B, DType T) {
  if (B.Image && B.ImageType == T)
    return B.Image;
  size_t TexelBytes = 4 * (T.getScalarKind() == ScalarKind::F32 ? 4 : 2);
  if (size_t(T.getHeight() * T.getWidth()) * TexelBytes != B.getSize())
    return makeError("a buffer of " + llvm::Twine(B.getSize()) +
                     " bytes cannot be passed as " + T.str() + " (" +
                     llvm::Twine(T.getHeight() * T.getWidth() * TexelBytes) +
                     " bytes)");
  if (B.Image)
    CL.clReleaseMemObject(B.Image);
  B.Image = nullptr;
  cl_image_format Format = {CL_RGBA, T.getScalarKind() == ScalarKind::F32
                                         ? cl_channel_type(CL_FLOAT)
                                         : cl_channel_type(CL_HALF_FLOAT)};
  cl_image_desc Desc;
  std::memset(&Desc, 0, sizeof(Desc));
  Desc.image_type = CL_MEM_OBJECT_IMAGE2D;
  Desc.image_width = T.getWidth();
  Desc.image_height = T.getHeight();
  cl_int Err;
  cl_mem Image = CL.clCreateImage(Context, CL_MEM_READ_WRITE, &Format, &Desc,
                                  nullptr, &Err);
  if (llvm::Error E = check(Err, "clCreateImage(" + T.str() + ")"))
    return std::move(E);
  B.Image = Image;
  B.ImageType = T;
  return Image;
}

llvm::Error OpenCLRuntime::copyImage(CLBuffer &B, bool ToImage) {
  size_t Origin[3] = {0, 0, 0};
  size_t Region[3] = {size_t(B.ImageType.getWidth()),
                      size_t(B.ImageType.getHeight()), 1};
  if (ToImage)
    return check(CL.clEnqueueCopyBufferToImage(Queue, B.Memory, B.Image, 0,
                                               Origin, Region, 0, nullptr,
                                               nullptr),
                 "clEnqueueCopyBufferToImage");
  return check(CL.clEnqueueCopyImageToBuffer(Queue, B.Image, B.Memory, Origin,
                                             Region, 0, 0, nullptr, nullptr),
               "clEnqueueCopyImageToBuffer");
}

llvm::Expected<double>
OpenCLRuntime::launch(LoadedKernel &Loaded,
                      llvm::ArrayRef<DeviceBuffer *> Buffers,
                      llvm::ArrayRef<int64_t> Vars) {
  auto &K = static_cast<CLKernel &>(Loaded);
  auto Fail = [&](const llvm::Twine &Message) {
    return makeError("kernel @" + K.Name + ": " + Message);
  };
  if (Vars.size() != K.Variables.size())
    return Fail("expects " + llvm::Twine(K.Variables.size()) +
                " variables, got " + llvm::Twine(Vars.size()));

  // Arguments in parameter order; images filled from their buffers.
  llvm::SmallVector<CLBuffer *, 8> Written;
  size_t NextVar = 0;
  for (unsigned I = 0; I != K.Params.size(); ++I) {
    const UOp *P = K.Params[I].Param;
    cl_int Err;
    if (P->getOp() == Op::DefineVar) {
      int64_t V = Vars[NextVar++];
      // The low bytes of V are the variable in its type (little-endian).
      Err = CL.clSetKernelArg(K.Kernel, I, getBytes(P->getDType()), &V);
    } else {
      int64_t Id = P->getArgField(0)->getInt();
      if (Id >= int64_t(Buffers.size()) || !Buffers[Id])
        return Fail("no buffer for parameter " + llvm::Twine(Id));
      auto &B = *static_cast<CLBuffer *>(Buffers[Id]);
      cl_mem M = B.Memory;
      if (P->getDType().isImage()) {
        llvm::Expected<cl_mem> Image = getImage(B, P->getDType());
        if (!Image)
          return Fail("parameter " + llvm::Twine(Id) + ": " +
                      llvm::toString(Image.takeError()));
        if (llvm::Error E = copyImage(B, /*ToImage=*/true))
          return std::move(E);
        M = *Image;
        if (K.Params[I].Stored)
          Written.push_back(&B);
      }
      Err = CL.clSetKernelArg(K.Kernel, I, sizeof(cl_mem), &M);
    }
    if (llvm::Error E = check(Err, "kernel @" + K.Name + ": argument " +
                                       llvm::Twine(I) + " (clSetKernelArg)"))
      return std::move(E);
  }

  // Launch sizes from the launch indices.
  auto Leaf = [&](const UOp *U) -> std::optional<ConstValue> {
    for (size_t I = 0; I != K.Variables.size(); ++I)
      if (K.Variables[I] == U)
        return ConstValue::getInt(Vars[I]);
    return std::nullopt;
  };
  size_t Global[3], Local[3];
  int64_t Threads = 1;
  for (unsigned D = 0; D != 3; ++D) {
    int64_t Size[2] = {1, 1}; // Group, Local.
    const UOp *Specials[2] = {K.Dims[D].Group, K.Dims[D].Local};
    for (unsigned S = 0; S != 2; ++S) {
      if (!Specials[S])
        continue;
      std::optional<ConstValue> V = evalScalar(Specials[S]->getSrc(0), Leaf);
      if (!V || V->getInt() < 1)
        return Fail("the size of '" + Specials[S]->getArgField(0)->getString() +
                    "' must be a positive value of constants and variables");
      Size[S] = V->getInt();
    }
    Local[D] = Size[1];
    Global[D] = Size[0] * Size[1];
    Threads *= Size[1];
    if (Size[1] > Caps.MaxWorkItemSizes[D])
      return Fail("work-groups of " + llvm::Twine(Size[1]) +
                  " threads in dimension " + llvm::Twine(D) +
                  " exceed the device's " +
                  llvm::Twine(Caps.MaxWorkItemSizes[D]));
  }
  if (Threads > Caps.MaxWorkGroupSize)
    return Fail("work-groups of " + llvm::Twine(Threads) +
                " threads exceed the device's " +
                llvm::Twine(Caps.MaxWorkGroupSize));

  cl_event Event;
  if (llvm::Error E =
          check(CL.clEnqueueNDRangeKernel(Queue, K.Kernel, 3, nullptr, Global,
                                          Local, 0, nullptr, &Event),
                "kernel @" + K.Name + ": clEnqueueNDRangeKernel"))
    return std::move(E);
  cl_int Err = CL.clWaitForEvents(1, &Event);
  cl_ulong Start = 0, End = 0;
  if (Err == CL_SUCCESS)
    Err = CL.clGetEventProfilingInfo(Event, CL_PROFILING_COMMAND_START,
                                     sizeof(Start), &Start, nullptr);
  if (Err == CL_SUCCESS)
    Err = CL.clGetEventProfilingInfo(Event, CL_PROFILING_COMMAND_END,
                                     sizeof(End), &End, nullptr);
  CL.clReleaseEvent(Event);
  if (llvm::Error E = check(Err, "kernel @" + K.Name + ": running it"))
    return std::move(E);
  for (CLBuffer *B : Written)
    if (llvm::Error E = copyImage(*B, /*ToImage=*/false))
      return std::move(E);
  if (llvm::Error E = check(CL.clFinish(Queue), "clFinish"))
    return std::move(E);
  return double(End - Start) * 1e-9;
}

/// The device, its capabilities, or why there is none.
llvm::Expected<std::pair<DeviceChoice, DeviceCapabilities>> findDevice() {
  llvm::Expected<const OpenCLLibrary &> CL = OpenCLLibrary::get();
  if (!CL)
    return CL.takeError();
  llvm::Expected<DeviceChoice> Choice = chooseDevice(*CL);
  if (!Choice)
    return Choice.takeError();
  return std::make_pair(*Choice, readCapabilities(*CL, *Choice));
}

} // namespace

llvm::Expected<DeviceCapabilities> qcom::getDeviceCapabilities() {
  auto Found = findDevice();
  if (!Found)
    return Found.takeError();
  return Found->second;
}

llvm::Expected<std::unique_ptr<Runtime>> qcom::createOpenCLRuntime() {
  auto Found = findDevice();
  if (!Found)
    return Found.takeError();
  const OpenCLLibrary &CL = cantFail(OpenCLLibrary::get());
  auto [Choice, Caps] = std::move(*Found);
  cl_int Err;
  cl_context Context =
      CL.clCreateContext(nullptr, 1, &Choice.Device, nullptr, nullptr, &Err);
  if (llvm::Error E = check(Err, "clCreateContext on " + Caps.Name))
    return std::move(E);
  cl_command_queue Queue = CL.clCreateCommandQueue(
      Context, Choice.Device, CL_QUEUE_PROFILING_ENABLE, &Err);
  if (llvm::Error E = check(Err, "clCreateCommandQueue on " + Caps.Name)) {
    CL.clReleaseContext(Context);
    return std::move(E);
  }
  return std::make_unique<OpenCLRuntime>(CL, Choice, std::move(Caps), Context,
                                         Queue);
}
