//===- DeviceDefs.cpp - -gen-device-defs ----------------------------------===//
//
// Emits the tables of include/tg/Target/Device.h from td/Devices.td: every
// TensorCore, Arch and Device record, in file order, as initializers of
// TensorCoreInfo, ArchInfo and DeviceInfo. Checks what the C++ side relies
// on: unique arch names, an arch's device exists, a device's default arch is
// one of its own, three launch dimensions, at least one compiler.
//
//===----------------------------------------------------------------------===//

#include "TableGenUtils.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/TableGen/TableGenBackend.h"

using namespace llvm;
using namespace tg::tblgen;

namespace {

/// The three elements of the int list `Field` of `R`.
std::vector<int64_t> getDims(const Record *R, StringRef Field) {
  std::vector<int64_t> Dims = R->getValueAsListOfInts(Field);
  if (Dims.size() != 3)
    PrintFatalError(R, "'" + Field + "' of '" + R->getName() +
                           "' must have 3 elements, got " + Twine(Dims.size()));
  for (int64_t D : Dims)
    if (D < 1)
      PrintFatalError(R, "'" + Field + "' of '" + R->getName() +
                             "' must be positive");
  return Dims;
}

void emitDims(raw_ostream &OS, const std::vector<int64_t> &Dims) {
  OS << "{" << Dims[0] << ", " << Dims[1] << ", " << Dims[2] << "}";
}

} // namespace

bool tg::tblgen::emitDeviceDefs(raw_ostream &OS, const RecordKeeper &Records) {
  emitSourceFileHeader("Devices and arches of tg (td/Devices.td)", OS, Records);
  std::vector<Record *> Devices = recordsInFileOrder(Records, "Device");
  std::vector<Record *> Arches = recordsInFileOrder(Records, "Arch");
  std::vector<Record *> Cores = recordsInFileOrder(Records, "TensorCore");

  StringMap<unsigned> CoreIndex;
  for (const Record *TC : Cores)
    CoreIndex[TC->getName()] = CoreIndex.size();
  StringSet<> DeviceNames, ArchNames;
  for (const Record *D : Devices)
    if (!DeviceNames.insert(D->getValueAsString("Name")).second)
      PrintFatalError(D, "device '" + D->getValueAsString("Name") +
                             "' is declared twice");
  for (const Record *A : Arches) {
    if (!ArchNames.insert(A->getValueAsString("Name")).second)
      PrintFatalError(A, "arch '" + A->getValueAsString("Name") +
                             "' is declared twice (arch names are unique "
                             "across devices)");
    if (!DeviceNames.contains(A->getValueAsString("Device")))
      PrintFatalError(A, "arch '" + A->getValueAsString("Name") +
                             "' names unknown device '" +
                             A->getValueAsString("Device") + "'");
  }

  // Tensor cores, then each arch's list as a slice of one array: the arch's
  // cores are copied in order so each arch points at a contiguous run.
  std::vector<std::pair<unsigned, unsigned>> Slices; // (first, count)
  emitSection(OS, "GET_TENSOR_CORES", [&] {
    unsigned Next = 0;
    for (const Record *A : Arches) {
      std::vector<Record *> List = A->getValueAsListOfDefs("TensorCores");
      Slices.push_back({Next, unsigned(List.size())});
      for (const Record *TC : List) {
        OS << "  {" << quote(TC->getValueAsString("Name")) << ", "
           << TC->getValueAsInt("N") << ", " << TC->getValueAsInt("M") << ", "
           << TC->getValueAsInt("K")
           << ", ScalarKind::" << scalarEnumerator(TC->getValueAsDef("In"))
           << ", ScalarKind::" << scalarEnumerator(TC->getValueAsDef("Acc"))
           << ", " << TC->getValueAsInt("Threads") << "}, // " << A->getName()
           << "\n";
        ++Next;
      }
    }
    if (!Next)
      OS << "  {\"\", 0, 0, 0, ScalarKind::Void, ScalarKind::Void, 0}, // "
            "keeps the array non-empty\n";
  });

  emitSection(OS, "GET_ARCHES", [&] {
    for (unsigned I = 0; I != Arches.size(); ++I) {
      const Record *A = Arches[I];
      OS << "  {" << quote(A->getValueAsString("Name")) << ", "
         << quote(A->getValueAsString("Device")) << ", "
         << quote(A->getValueAsString("Summary")) << ", "
         << quote(A->getValueAsString("Triple")) << ", "
         << quote(A->getValueAsString("CPU")) << ",\n   0";
      for (const Record *T : A->getValueAsListOfDefs("DTypes"))
        OS << " | uint64_t(1) << unsigned(ScalarKind::" << scalarEnumerator(T)
           << ")";
      OS << ",\n   ";
      emitDims(OS, getDims(A, "MaxLocalDims"));
      OS << ", " << A->getValueAsInt("MaxLocalSize") << ", ";
      emitDims(OS, getDims(A, "MaxGlobalDims"));
      OS << ", " << A->getValueAsInt("LocalMemory") << ", "
         << A->getValueAsInt("WarpSize") << ", "
         << A->getValueAsInt("MaxVectorBytes") << ", "
         << (A->getValueAsBit("Images") ? "true" : "false") << ", "
         << A->getValueAsInt("ImagePitchAlignment") << ", "
         << A->getValueAsInt("ImageMaxWidth") << ", "
         << A->getValueAsInt("ImageMaxHeight") << ", TensorCores + "
         << Slices[I].first << ", " << Slices[I].second << ", "
         << (A->getValueAsBit("AsyncCopy") ? "true" : "false") << "},\n";
    }
  });

  emitSection(OS, "GET_DEVICES", [&] {
    for (const Record *D : Devices) {
      StringRef Name = D->getValueAsString("Name");
      std::vector<StringRef> Compilers =
          D->getValueAsListOfStrings("Compilers");
      if (Compilers.empty())
        PrintFatalError(D, "device '" + Name + "' has no compiler");
      StringRef Default = D->getValueAsString("DefaultArch");
      bool Found = llvm::any_of(Arches, [&](const Record *A) {
        return A->getValueAsString("Name") == Default &&
               A->getValueAsString("Device") == Name;
      });
      if (!Found)
        PrintFatalError(D, "the default arch '" + Default + "' of device '" +
                               Name + "' is not one of its arches");
      OS << "  {" << quote(Name) << ", "
         << quote(D->getValueAsString("Summary")) << ", "
         << quote(D->getValueAsString("Plugin")) << ", " << quote(Default)
         << ", " << D->getName() << "Compilers, " << Compilers.size() << "},\n";
    }
  });

  emitSection(OS, "GET_DEVICE_COMPILERS", [&] {
    for (const Record *D : Devices) {
      OS << "static const char *const " << D->getName() << "Compilers[] = {";
      ListSeparator Sep;
      for (StringRef C : D->getValueAsListOfStrings("Compilers"))
        OS << Sep << quote(C);
      OS << "};\n";
    }
  });
  return false;
}
