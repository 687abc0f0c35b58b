//===- OpenCLRuntime.h - running kernels through OpenCL ---------*- C++ -*-===//
//
// The QCOM device's runtime: OpenCL 1.2 through the ICD loader (Adreno's
// driver on a phone, PoCL on the CPU of these machines).
//
//   devices    the first platform's first GPU, else its first device of any
//              kind; its capabilities (cl_khr_fp16, images and their limits,
//              work-group and local memory limits) are read once
//              (DeviceCapabilities) and a kernel beyond them is refused when
//              it loads or launches, naming the limit. Images are copies,
//              never aliases of buffers, so the device's pitch alignment
//              does not constrain them here (the images pass keeps Adreno's,
//              Devices.td's ImagePitchAlignment, for drivers that alias);
//   memory     every tg buffer is a linear cl_mem buffer, as tg-run's host
//              buffers are; a kernel parameter of type image<S, H, W> gets an
//              RGBA image (CL_FLOAT or CL_HALF_FLOAT) that the runtime fills
//              from the buffer before the launch and, when the kernel stores
//              to it, copies back after, so images never leak out of launch;
//   programs   the `opencl` compiler's binary (format `opencl-c`) is the
//              OpenCL C source behind a first line naming the options of
//              clBuildProgram; a failed build reports the kernel and the log;
//   launches   kernel arguments are the kernel's parameters in order (buffers
//              and images as cl_mem, variables as their scalar type, index
//              as a 64-bit integer); the global size in each dimension is the
//              size of `gidxD` times that of `lidxD`, the local size that of
//              `lidxD` (1 where absent); the time is the kernel's profiling
//              event.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_QCOM_OPENCLRUNTIME_H
#define TG_PLUGINS_QCOM_OPENCLRUNTIME_H

#include "tg/Target/Target.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace tg {
namespace qcom {

/// What an OpenCL device reports about itself.
struct DeviceCapabilities {
  std::string Platform, Name, Version;
  /// cl_khr_fp16: kernels compute in half (the renderer's source picks its
  /// half branch by the extension's macro; a failed build names it).
  bool HalfCompute = false;
  bool Images = false;
  int64_t Image2DMaxWidth = 0, Image2DMaxHeight = 0;
  int64_t MaxWorkGroupSize = 1;
  int64_t MaxWorkItemSizes[3] = {1, 1, 1};
  int64_t LocalMemory = 0;
};

/// The format of the `opencl` compiler's binaries.
inline constexpr const char *ProgramFormat = "opencl-c";

/// A program binary: `// clBuildProgram options: <Options>` on the first
/// line, then `Source` (so the binary is itself valid OpenCL C).
std::vector<char> makeProgramBinary(llvm::StringRef Source,
                                    llvm::StringRef Options);
/// The options and source of a program binary.
struct ProgramText {
  std::string Options, Source;
};
llvm::Expected<ProgramText> parseProgramBinary(llvm::ArrayRef<char> Binary);

/// A runtime on this machine's OpenCL device, or an error saying why there
/// is none (no ICD loader, no platform, no device).
llvm::Expected<std::unique_ptr<Runtime>> createOpenCLRuntime();

/// The capabilities of the device createOpenCLRuntime would use.
llvm::Expected<DeviceCapabilities> getDeviceCapabilities();

} // namespace qcom
} // namespace tg

#endif // TG_PLUGINS_QCOM_OPENCLRUNTIME_H
