//===- Enum.td - small enumerations used by types and ops --*- tablegen -*-===//
//
// One record per case. tg-tblgen -gen-enum-defs groups the cases by `Enum`
// (in file order) into a C++ `enum class <Enum>` with name tables; the text
// form spells each case by its mnemonic. The C++ enumerator is the record
// name without `Prefix` (AxisGlobal -> AxisKind::Global).
//
//===----------------------------------------------------------------------===//

class EnumCase<string enumName, string mnemonic, string summary> {
  string Enum = enumName;
  string Mnemonic = mnemonic;
  string Summary = summary;
  string Prefix = "";
}
