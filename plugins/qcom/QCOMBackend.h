//===- QCOMBackend.h - the QCOM device's backend ----------------*- C++ -*-===//
//
// The Qualcomm backend as tg's Target interfaces see it (tg/Target/Target.h):
//   compiler   `opencl`: the kernel rendered as OpenCL C (OpenCLRenderer.h);
//              its binary (format `opencl-c`) is that source behind a line
//              naming the clBuildProgram options, built by the runtime's
//              driver, so compiling needs no hardware;
//   runtime    OpenCL through the ICD loader (OpenCLRuntime.h).
// Built as libtg-backend-qcom.so, loaded by tg-run for `--device=qcom`.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_QCOM_QCOMBACKEND_H
#define TG_PLUGINS_QCOM_QCOMBACKEND_H

namespace tg {
namespace qcom {

/// The options the `opencl` compiler gives clBuildProgram: OpenCL C 1.2 and
/// correctly rounded division and square root (docs/Semantics.md).
inline constexpr const char *BuildOptions =
    "-cl-std=CL1.2 -cl-fp32-correctly-rounded-divide-sqrt";

/// Adds the QCOM backend to TargetRegistry as `PluginName`'s.
void registerBackend(const char *PluginName);

} // namespace qcom
} // namespace tg

#endif // TG_PLUGINS_QCOM_QCOMBACKEND_H
