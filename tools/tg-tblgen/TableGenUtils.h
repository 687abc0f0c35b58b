//===- TableGenUtils.h - what tg-tblgen's backends share --------*- C++ -*-===//

#ifndef TG_TOOLS_TBLGEN_TABLEGENUTILS_H
#define TG_TOOLS_TBLGEN_TABLEGENUTILS_H

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TableGen/Error.h"
#include "llvm/TableGen/Record.h"

#include <string>
#include <vector>

namespace tg::tblgen {

/// Every record deriving from `ClassName`, in the order of the .td files.
inline std::vector<llvm::Record *>
recordsInFileOrder(const llvm::RecordKeeper &Records,
                   llvm::StringRef ClassName) {
  std::vector<llvm::Record *> Defs =
      Records.getAllDerivedDefinitions(ClassName);
  llvm::sort(Defs, llvm::LessRecordByID());
  return Defs;
}

/// A C++ string literal holding `S`.
inline std::string quote(llvm::StringRef S) {
  std::string Out = "\"";
  llvm::raw_string_ostream OS(Out);
  OS.write_escaped(S);
  OS << '"';
  return Out;
}

/// Emits `#ifdef Guard ... #undef Guard #endif` around what `Body` writes.
template <typename Fn>
void emitSection(llvm::raw_ostream &OS, llvm::StringRef Guard, Fn Body) {
  OS << "#ifdef " << Guard << "\n";
  Body();
  OS << "#undef " << Guard << "\n#endif // " << Guard << "\n\n";
}

/// The ScalarKind enumerator of a Scalar record named DT<Name>.
inline llvm::StringRef scalarEnumerator(const llvm::Record *R) {
  llvm::StringRef Name = R->getName();
  if (!Name.consume_front("DT") || Name.empty())
    llvm::PrintFatalError(R, "scalar record '" + R->getName() +
                                 "' must be named DT<Name>");
  return Name;
}

/// -gen-device-defs (DeviceDefs.cpp).
bool emitDeviceDefs(llvm::raw_ostream &OS, const llvm::RecordKeeper &Records);

} // namespace tg::tblgen

#endif // TG_TOOLS_TBLGEN_TABLEGENUTILS_H
