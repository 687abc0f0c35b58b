//===- OpenCLLibrary.h - the OpenCL API, loaded at run time -----*- C++ -*-===//
//
// The QCOM plugin reaches OpenCL through the ICD loader, libOpenCL.so.1,
// opened with dlopen when a runtime is first asked for: the plugin itself
// loads (and compiles kernels for `null:a630`) on machines without OpenCL.
// Only CL/cl.h's types and constants are used at build time. The entry
// points are those of OpenCL 1.2, which PoCL and Adreno's driver both have.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_QCOM_OPENCLLIBRARY_H
#define TG_PLUGINS_QCOM_OPENCLLIBRARY_H

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace tg {
namespace qcom {

/// The OpenCL entry points tg uses, as function pointers into the ICD loader.
struct OpenCLLibrary {
#define TG_OPENCL_FUNCTIONS(X)                                                 \
  X(clGetPlatformIDs)                                                          \
  X(clGetPlatformInfo)                                                         \
  X(clGetDeviceIDs)                                                            \
  X(clGetDeviceInfo)                                                           \
  X(clCreateContext)                                                           \
  X(clReleaseContext)                                                          \
  X(clCreateCommandQueue)                                                      \
  X(clReleaseCommandQueue)                                                     \
  X(clCreateBuffer)                                                            \
  X(clCreateImage)                                                             \
  X(clReleaseMemObject)                                                        \
  X(clEnqueueWriteBuffer)                                                      \
  X(clEnqueueReadBuffer)                                                       \
  X(clEnqueueFillBuffer)                                                       \
  X(clEnqueueCopyBufferToImage)                                                \
  X(clEnqueueCopyImageToBuffer)                                                \
  X(clCreateProgramWithSource)                                                 \
  X(clBuildProgram)                                                            \
  X(clGetProgramBuildInfo)                                                     \
  X(clReleaseProgram)                                                          \
  X(clCreateKernel)                                                            \
  X(clReleaseKernel)                                                           \
  X(clSetKernelArg)                                                            \
  X(clEnqueueNDRangeKernel)                                                    \
  X(clWaitForEvents)                                                           \
  X(clGetEventProfilingInfo)                                                   \
  X(clReleaseEvent)                                                            \
  X(clFinish)
#define TG_OPENCL_POINTER(Name) decltype(&::Name) Name = nullptr;
  TG_OPENCL_FUNCTIONS(TG_OPENCL_POINTER)
#undef TG_OPENCL_POINTER

  /// The library, opened once per process; an error says why it cannot be
  /// (no ICD loader installed, an entry point missing).
  static llvm::Expected<const OpenCLLibrary &> get();
};

/// The name of an OpenCL error code (`CL_INVALID_VALUE`), or its number.
std::string getErrorName(cl_int Code);

/// An error `What: CL_...` for a failed call, or success for CL_SUCCESS.
llvm::Error check(cl_int Code, const llvm::Twine &What);

} // namespace qcom
} // namespace tg

#endif // TG_PLUGINS_QCOM_OPENCLLIBRARY_H
