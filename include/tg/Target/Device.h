//===- Device.h - the devices and arches of td/Devices.td -------*- C++ -*-===//
//
// What tg knows about each device and arch before any plugin loads: names,
// compilers, launch limits, local memory, vector widths, dtypes, tensor cores,
// image support. tg-tblgen -gen-device-defs generates the tables from
// td/Devices.td; the codegen passes and tg-run read them here.
//
// A device is named on the command line as `<device>[:<arch>]` (`nv`,
// `nv:sm_89`, `cpu`) or `null:<arch>`: the whole pipeline up to a compiled
// binary for any arch, with no hardware. Arch names are unique across
// devices.
//
//===----------------------------------------------------------------------===//

#ifndef TG_TARGET_DEVICE_H
#define TG_TARGET_DEVICE_H

#include "tg/IR/DType.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace tg {

/// A tensor-core instruction: D (N x M, Acc) = A (N x K) * B (K x M) + C over
/// Threads threads.
struct TensorCoreInfo {
  const char *Name;
  unsigned N, M, K;
  ScalarKind In, Acc;
  unsigned Threads;
};

struct ArchInfo {
  const char *Name;   ///< Unique across devices: x86-64, sm_90, gfx1100.
  const char *Device; ///< The device's name.
  const char *Summary;
  const char *Triple; ///< LLVM's target triple; empty: no LLVM path.
  const char *CPU;    ///< LLVM's CPU name.
  uint64_t DTypes;    ///< Bit K: the arch computes in ScalarKind K.
  int64_t MaxLocalDims[3];
  int64_t MaxLocalSize;
  int64_t MaxGlobalDims[3];
  int64_t LocalMemory; ///< Bytes of shared memory per work-group; 0: none.
  unsigned WarpSize;
  unsigned MaxVectorBytes;
  bool Images;
  unsigned ImagePitchAlignment;          ///< Bytes.
  int64_t ImageMaxWidth, ImageMaxHeight; ///< Texels; 0 without images.
  const TensorCoreInfo *TensorCoreList;
  unsigned NumTensorCores;
  /// Asynchronous copies into local memory (async_copy, async_commit,
  /// async_wait).
  bool AsyncCopy;

  bool supports(ScalarKind K) const { return DTypes >> unsigned(K) & 1; }
  bool hasLocals() const { return MaxLocalSize > 1; }
  llvm::ArrayRef<TensorCoreInfo> getTensorCores() const {
    return {TensorCoreList, NumTensorCores};
  }
};

struct DeviceInfo {
  const char *Name; ///< cpu, nv, amd, metal, qcom.
  const char *Summary;
  const char *Plugin; ///< Runs in libtg-backend-<Plugin>.so.
  const char *DefaultArch;
  const char *const *CompilerList; ///< The first is the default.
  unsigned NumCompilers;

  llvm::ArrayRef<const char *> getCompilers() const {
    return {CompilerList, NumCompilers};
  }
  /// The device's arches, in td order.
  std::vector<const ArchInfo *> getArches() const;
  const ArchInfo &getDefaultArch() const;
};

/// Every device and every arch, in td order.
llvm::ArrayRef<DeviceInfo> getDevices();
llvm::ArrayRef<ArchInfo> getArches();
const DeviceInfo *lookupDevice(llvm::StringRef Name);
const ArchInfo *lookupArch(llvm::StringRef Name);

/// A `--device=` value: a device and one of its arches, or `null:<arch>`.
struct DeviceSpec {
  const DeviceInfo *Device;
  const ArchInfo *Arch;
  bool IsNull = false; ///< Compile only; nothing runs.

  /// `nv:sm_90`, `null:sm_90`.
  std::string str() const;
};

/// Parses `<device>[:<arch>]` or `null:<arch>`. An unknown name or an arch
/// of another device is an error listing the known ones.
llvm::Expected<DeviceSpec> parseDeviceSpec(llvm::StringRef Text);

} // namespace tg

#endif // TG_TARGET_DEVICE_H
