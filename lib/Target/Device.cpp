//===- Device.cpp - the tables of td/Devices.td ---------------------------===//

#include "tg/Target/Device.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace tg;

namespace {

const TensorCoreInfo TensorCores[] = {
#define GET_TENSOR_CORES
#include "tg/Target/Devices.inc"
};

const ArchInfo Arches[] = {
#define GET_ARCHES
#include "tg/Target/Devices.inc"
};

#define GET_DEVICE_COMPILERS
#include "tg/Target/Devices.inc"

const DeviceInfo Devices[] = {
#define GET_DEVICES
#include "tg/Target/Devices.inc"
};

/// `a, b, c` of the names of `List`.
template <typename T> std::string joinNames(llvm::ArrayRef<T> List) {
  return llvm::join(llvm::map_range(List, [](const T &X) { return X.Name; }),
                    ", ");
}

} // namespace

llvm::ArrayRef<DeviceInfo> tg::getDevices() { return Devices; }
llvm::ArrayRef<ArchInfo> tg::getArches() { return Arches; }

const DeviceInfo *tg::lookupDevice(llvm::StringRef Name) {
  for (const DeviceInfo &D : Devices)
    if (Name == D.Name)
      return &D;
  return nullptr;
}

const ArchInfo *tg::lookupArch(llvm::StringRef Name) {
  for (const ArchInfo &A : Arches)
    if (Name == A.Name)
      return &A;
  return nullptr;
}

std::vector<const ArchInfo *> DeviceInfo::getArches() const {
  std::vector<const ArchInfo *> Result;
  for (const ArchInfo &A : Arches)
    if (llvm::StringRef(A.Device) == Name)
      Result.push_back(&A);
  return Result;
}

const ArchInfo &DeviceInfo::getDefaultArch() const {
  return *lookupArch(DefaultArch);
}

std::string DeviceSpec::str() const {
  return (llvm::Twine(IsNull ? "null" : Device->Name) + ":" + Arch->Name).str();
}

llvm::Expected<DeviceSpec> tg::parseDeviceSpec(llvm::StringRef Text) {
  auto [Name, ArchName] = Text.split(':');
  auto Fail = [](const llvm::Twine &Message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
  };
  if (Name == "null") {
    const ArchInfo *Arch = lookupArch(ArchName);
    if (!Arch)
      return Fail("unknown arch '" + ArchName + "' in '" + Text +
                  "' (known arches: " + joinNames(getArches()) + ")");
    return DeviceSpec{lookupDevice(Arch->Device), Arch, /*IsNull=*/true};
  }
  const DeviceInfo *Device = lookupDevice(Name);
  if (!Device)
    return Fail("unknown device '" + Name + "' (known devices: " +
                joinNames(getDevices()) + ", and null:<arch>)");
  if (ArchName.empty() && !Text.ends_with(":"))
    return DeviceSpec{Device, &Device->getDefaultArch()};
  const ArchInfo *Arch = lookupArch(ArchName);
  if (!Arch || llvm::StringRef(Arch->Device) != Device->Name) {
    std::vector<const char *> Own;
    for (const ArchInfo *A : Device->getArches())
      Own.push_back(A->Name);
    return Fail("unknown arch '" + ArchName + "' for device '" + Name +
                "' (its arches: " + llvm::join(Own, ", ") + ")");
  }
  return DeviceSpec{Device, Arch};
}
