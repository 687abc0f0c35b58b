//===- OpenCLLibrary.cpp - the OpenCL API, loaded at run time -------------===//

#include "OpenCLLibrary.h"

#include <dlfcn.h>

using namespace tg;
using namespace tg::qcom;

static llvm::Error makeError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

/// Opens the ICD loader and resolves every entry point, or says why not.
static llvm::Error open(OpenCLLibrary &Lib) {
  void *Handle = dlopen("libOpenCL.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!Handle)
    return makeError("cannot load the OpenCL ICD loader (libOpenCL.so.1): " +
                     llvm::Twine(dlerror()) +
                     "; install ocl-icd-libopencl1 and a driver such as "
                     "pocl-opencl-icd");
#define TG_OPENCL_RESOLVE(Name)                                                \
  Lib.Name = reinterpret_cast<decltype(Lib.Name)>(dlsym(Handle, #Name));       \
  if (!Lib.Name)                                                               \
    return makeError("the OpenCL ICD loader lacks " #Name);
  TG_OPENCL_FUNCTIONS(TG_OPENCL_RESOLVE)
#undef TG_OPENCL_RESOLVE
  // The library stays loaded until the process exits.
  return llvm::Error::success();
}

llvm::Expected<const OpenCLLibrary &> OpenCLLibrary::get() {
  static OpenCLLibrary Lib;
  static std::string Failure = [] {
    llvm::Error E = open(Lib);
    return E ? llvm::toString(std::move(E)) : std::string();
  }();
  if (!Failure.empty())
    return makeError(Failure);
  return Lib;
}

std::string qcom::getErrorName(cl_int Code) {
  switch (Code) {
#define TG_CL_ERROR(Name)                                                      \
  case Name:                                                                   \
    return #Name;
    TG_CL_ERROR(CL_DEVICE_NOT_FOUND)
    TG_CL_ERROR(CL_DEVICE_NOT_AVAILABLE)
    TG_CL_ERROR(CL_COMPILER_NOT_AVAILABLE)
    TG_CL_ERROR(CL_MEM_OBJECT_ALLOCATION_FAILURE)
    TG_CL_ERROR(CL_OUT_OF_RESOURCES)
    TG_CL_ERROR(CL_OUT_OF_HOST_MEMORY)
    TG_CL_ERROR(CL_PROFILING_INFO_NOT_AVAILABLE)
    TG_CL_ERROR(CL_IMAGE_FORMAT_NOT_SUPPORTED)
    TG_CL_ERROR(CL_BUILD_PROGRAM_FAILURE)
    TG_CL_ERROR(CL_INVALID_VALUE)
    TG_CL_ERROR(CL_INVALID_DEVICE)
    TG_CL_ERROR(CL_INVALID_CONTEXT)
    TG_CL_ERROR(CL_INVALID_COMMAND_QUEUE)
    TG_CL_ERROR(CL_INVALID_MEM_OBJECT)
    TG_CL_ERROR(CL_INVALID_IMAGE_FORMAT_DESCRIPTOR)
    TG_CL_ERROR(CL_INVALID_IMAGE_SIZE)
    TG_CL_ERROR(CL_INVALID_BUILD_OPTIONS)
    TG_CL_ERROR(CL_INVALID_PROGRAM_EXECUTABLE)
    TG_CL_ERROR(CL_INVALID_KERNEL_NAME)
    TG_CL_ERROR(CL_INVALID_KERNEL)
    TG_CL_ERROR(CL_INVALID_ARG_INDEX)
    TG_CL_ERROR(CL_INVALID_ARG_VALUE)
    TG_CL_ERROR(CL_INVALID_ARG_SIZE)
    TG_CL_ERROR(CL_INVALID_KERNEL_ARGS)
    TG_CL_ERROR(CL_INVALID_WORK_DIMENSION)
    TG_CL_ERROR(CL_INVALID_WORK_GROUP_SIZE)
    TG_CL_ERROR(CL_INVALID_WORK_ITEM_SIZE)
    TG_CL_ERROR(CL_INVALID_GLOBAL_WORK_SIZE)
    TG_CL_ERROR(CL_INVALID_BUFFER_SIZE)
#undef TG_CL_ERROR
  case -1001: // CL_PLATFORM_NOT_FOUND_KHR (cl_khr_icd)
    return "CL_PLATFORM_NOT_FOUND_KHR";
  default:
    return "OpenCL error " + std::to_string(Code);
  }
}

llvm::Error qcom::check(cl_int Code, const llvm::Twine &What) {
  if (Code == CL_SUCCESS)
    return llvm::Error::success();
  return makeError(What + ": " + getErrorName(Code));
}
