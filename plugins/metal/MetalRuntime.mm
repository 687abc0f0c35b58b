//===- MetalRuntime.mm - the Metal device's runtime -----------------------===//
//
// Objective-C++ with ARC (-fobjc-arc): the Metal objects held by the C++
// classes below are strong references, released with them.
//
//===----------------------------------------------------------------------===//

#include "MetalRuntime.h"

#include "MetalLaunch.h"

#import <Foundation/Foundation.h>
#import <Metal/Metal.h>

#include <cstring>
#include <string>

using namespace tg;
using namespace tg::metal;

namespace {

llvm::Error makeError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

/// "<Call> failed: <Metal's description> (kernel @k)".
llvm::Error fail(const llvm::Twine &Call, NSError *Error,
                 llvm::StringRef Kernel = "") {
  std::string Message = (Call + " failed").str();
  if (Error)
    Message += std::string(": ") + Error.localizedDescription.UTF8String;
  if (!Kernel.empty())
    Message += " (kernel @" + Kernel.str() + ")";
  return makeError(Message);
}

class MetalBuffer final : public DeviceBuffer {
public:
  MetalBuffer(id<MTLBuffer> Buffer, size_t Size)
      : DeviceBuffer(Size), Buffer(Buffer) {}
  id<MTLBuffer> getBuffer() const { return Buffer; }
  char *getContents() const { return static_cast<char *>(Buffer.contents); }

private:
  id<MTLBuffer> Buffer;
};

class MetalKernel final : public LoadedKernel {
public:
  MetalKernel(MetalLaunch Launch, id<MTLComputePipelineState> Pipeline)
      : Launch(std::move(Launch)), Pipeline(Pipeline) {}

  MetalLaunch Launch;
  id<MTLComputePipelineState> Pipeline;
};

class MetalRuntime final : public Runtime {
public:
  MetalRuntime(id<MTLDevice> Device, id<MTLCommandQueue> Queue,
               const ArchInfo &Arch)
      : Device(Device), Queue(Queue), Arch(Arch) {}

  const ArchInfo &getArch() const override { return Arch; }

  llvm::Expected<std::unique_ptr<DeviceBuffer>>
  allocate(size_t Bytes) override {
    // Metal refuses a buffer of 0 bytes; an empty buffer still gets one.
    id<MTLBuffer> Buffer =
        [Device newBufferWithLength:std::max<size_t>(Bytes, 1)
                            options:MTLResourceStorageModeShared];
    if (!Buffer)
      return fail("newBufferWithLength of " + llvm::Twine(Bytes) + " bytes",
                  nil);
    return std::make_unique<MetalBuffer>(Buffer, Bytes);
  }

  llvm::Error copyIn(DeviceBuffer &To, const void *From) override {
    if (To.getSize())
      std::memcpy(static_cast<MetalBuffer &>(To).getContents(), From,
                  To.getSize());
    return llvm::Error::success();
  }

  llvm::Error copyOut(void *To, const DeviceBuffer &From) override {
    if (From.getSize())
      std::memcpy(To, static_cast<const MetalBuffer &>(From).getContents(),
                  From.getSize());
    return llvm::Error::success();
  }

  llvm::Expected<std::unique_ptr<LoadedKernel>>
  load(const Function &Kernel, const CompiledKernel &Compiled) override;

  llvm::Expected<double> launch(LoadedKernel &K,
                                llvm::ArrayRef<DeviceBuffer *> Buffers,
                                llvm::ArrayRef<int64_t> Vars) override;

private:
  id<MTLDevice> Device;
  id<MTLCommandQueue> Queue;
  const ArchInfo &Arch;
};

} // namespace

llvm::Expected<std::unique_ptr<LoadedKernel>>
MetalRuntime::load(const Function &Kernel, const CompiledKernel &Compiled) {
  llvm::StringRef Name = Kernel.getName();
  if (Compiled.BinaryFormat != "metal-source")
    return makeError("kernel @" + Name +
                     ": the Metal runtime loads metal-source, not '" +
                     Compiled.BinaryFormat + "'");
  llvm::Expected<MetalLaunch> Launch = analyzeLaunch(Kernel);
  if (!Launch)
    return Launch.takeError();

  @autoreleasepool {
    NSString *Source = [[NSString alloc] initWithBytes:Compiled.Binary.data()
                                                length:Compiled.Binary.size()
                                              encoding:NSUTF8StringEncoding];
    if (!Source)
      return makeError("kernel @" + Name + ": its source is not UTF-8");
    MTLCompileOptions *Options = [[MTLCompileOptions alloc] init];
    // Fast math would contract, flush denormals and approximate; the source
    // computes exactly. (mathMode replaces this flag from macOS 15 on.)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
    Options.fastMathEnabled = NO;
#pragma clang diagnostic pop
    NSError *Error = nil;
    id<MTLLibrary> Library = [Device newLibraryWithSource:Source
                                                  options:Options
                                                    error:&Error];
    if (!Library)
      return fail("newLibraryWithSource", Error, Name);
    NSString *Entry =
        [NSString stringWithUTF8String:Compiled.EntryName.c_str()];
    id<MTLFunction> Function = [Library newFunctionWithName:Entry];
    if (!Function)
      return makeError("kernel @" + Name + ": the library has no function '" +
                       Compiled.EntryName + "'");
    id<MTLComputePipelineState> Pipeline =
        [Device newComputePipelineStateWithFunction:Function error:&Error];
    if (!Pipeline)
      return fail("newComputePipelineStateWithFunction", Error, Name);
    return std::make_unique<MetalKernel>(std::move(*Launch), Pipeline);
  }
}

llvm::Expected<double>
MetalRuntime::launch(LoadedKernel &Loaded,
                     llvm::ArrayRef<DeviceBuffer *> Buffers,
                     llvm::ArrayRef<int64_t> Vars) {
  auto &K = static_cast<MetalKernel &>(Loaded);
  const MetalLaunch &L = K.Launch;
  llvm::Expected<MetalDims> Dims = getLaunchDims(L, Vars);
  if (!Dims)
    return Dims.takeError();
  if (Dims->isEmpty())
    return 0.0;
  uint64_t Threads = Dims->getThreadsPerGroup();
  if (Threads > K.Pipeline.maxTotalThreadsPerThreadgroup)
    return makeError(
        "kernel @" + L.Name + ": " + llvm::Twine(Threads) +
        " threads per threadgroup exceed the pipeline's limit of " +
        llvm::Twine(uint64_t(K.Pipeline.maxTotalThreadsPerThreadgroup)));
  if (Buffers.size() < L.NumBuffers)
    return makeError("kernel @" + L.Name + " takes " +
                     llvm::Twine(L.NumBuffers) + " buffers; " +
                     llvm::Twine(Buffers.size()) + " given");

  @autoreleasepool {
    id<MTLCommandBuffer> Commands = [Queue commandBuffer];
    if (!Commands)
      return fail("commandBuffer", nil, L.Name);
    id<MTLComputeCommandEncoder> Encoder = [Commands computeCommandEncoder];
    if (!Encoder)
      return fail("computeCommandEncoder", nil, L.Name);
    [Encoder setComputePipelineState:K.Pipeline];
    for (unsigned I = 0; I != L.NumBuffers; ++I) {
      if (!Buffers[I])
        return makeError("kernel @" + L.Name + ": no buffer for b" +
                         llvm::Twine(I));
      [Encoder setBuffer:static_cast<MetalBuffer *>(Buffers[I])->getBuffer()
                  offset:0
                 atIndex:I];
    }
    for (size_t I = 0; I != Vars.size(); ++I) {
      // Little-endian: the low bytes of the value are the narrower type's.
      int64_t Value = Vars[I];
      [Encoder setBytes:&Value
                 length:L.VariableBytes[I]
                atIndex:L.NumBuffers + I];
    }
    const MetalDims &D = *Dims;
    [Encoder
         dispatchThreadgroups:MTLSizeMake(D.Groups[0], D.Groups[1], D.Groups[2])
        threadsPerThreadgroup:MTLSizeMake(D.Threads[0], D.Threads[1],
                                          D.Threads[2])];
    [Encoder endEncoding];
    [Commands commit];
    [Commands waitUntilCompleted];
    if (Commands.status != MTLCommandBufferStatusCompleted)
      return fail("running the command buffer", Commands.error, L.Name);
    return Commands.GPUEndTime - Commands.GPUStartTime;
  }
}

llvm::Expected<std::unique_ptr<Runtime>> metal::createMetalRuntime() {
  id<MTLDevice> Device = MTLCreateSystemDefaultDevice();
  if (!Device)
    return makeError("there is no Metal device");
  // The newest family the GPU supports, by MTLGPUFamilyApple<N>'s value
  // (1000 + N), so that an SDK without the newer names still builds.
  const ArchInfo *Arch = nullptr;
  for (int Family : {9, 8, 7}) {
    if (![Device supportsFamily:MTLGPUFamily(1000 + Family)])
      continue;
    Arch = lookupArch("apple" + std::to_string(Family));
    break;
  }
  if (!Arch)
    return makeError(std::string("the Metal device '") +
                     Device.name.UTF8String +
                     "' is older than Apple GPU family 7");
  id<MTLCommandQueue> Queue = [Device newCommandQueue];
  if (!Queue)
    return fail("newCommandQueue", nil);
  return std::make_unique<MetalRuntime>(Device, Queue, *Arch);
}
