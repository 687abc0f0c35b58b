//===- tg-tblgen.cpp - TableGen backends of tg ----------------------------===//
//
// Turns td/*.td into the .inc tables of the IR library:
//   -gen-op-defs     the Op enum, traits, operand counts, argument fields,
//                    result constraints and semantics strings (td/UOps.td)
//   -gen-dtype-defs  the ScalarKind enum and its table (td/DTypes.td)
//   -gen-enum-defs   every EnumCase enumeration (AxisKind, OptKind, ...)
// Records are emitted in file order. A malformed record is reported with its
// location and tg-tblgen exits 1.
//
// This tool links the static LLVMTableGen and LLVMSupport libraries and must
// stay separate from everything that links the shared libLLVM.
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TableGen/Error.h"
#include "llvm/TableGen/Main.h"
#include "llvm/TableGen/Record.h"
#include "llvm/TableGen/TableGenBackend.h"

#include <algorithm>
#include <map>
#include <vector>

using namespace llvm;

namespace {

enum ActionKind { GenOpDefs, GenDTypeDefs, GenEnumDefs };

cl::opt<ActionKind> Action(
    cl::desc("Action to perform:"),
    cl::values(clEnumValN(GenOpDefs, "gen-op-defs",
                          "Generate the op enum and op tables"),
               clEnumValN(GenDTypeDefs, "gen-dtype-defs",
                          "Generate the scalar type enum and table"),
               clEnumValN(GenEnumDefs, "gen-enum-defs",
                          "Generate enumerations from EnumCase records")));

/// Every record deriving from `ClassName`, in the order of the .td files.
std::vector<Record *> recordsInFileOrder(const RecordKeeper &Records,
                                         StringRef ClassName) {
  std::vector<Record *> Defs = Records.getAllDerivedDefinitions(ClassName);
  llvm::sort(Defs, LessRecordByID());
  return Defs;
}

/// A C++ string literal holding `S`.
std::string quote(StringRef S) {
  std::string Out = "\"";
  raw_string_ostream OS(Out);
  OS.write_escaped(S);
  OS << '"';
  return Out;
}

/// `S` without `Suffix` when it ends with it.
StringRef dropSuffix(StringRef S, StringRef Suffix) {
  S.consume_back(Suffix);
  return S;
}

bool isIdentifier(StringRef S) {
  if (S.empty() || isDigit(S[0]))
    return false;
  return llvm::all_of(S, [](char C) { return isAlnum(C) || C == '_'; });
}

void checkMnemonic(const Record *R, StringRef Mnemonic) {
  if (Mnemonic.empty())
    PrintFatalError(R, "'" + R->getName() + "' has an empty mnemonic");
  if (!isIdentifier(Mnemonic) || Mnemonic.lower() != Mnemonic)
    PrintFatalError(R, "mnemonic '" + Mnemonic + "' of '" + R->getName() +
                           "' must be a lower-case identifier");
}

/// Emits `#ifdef Guard ... #undef Guard #endif` around what `Body` writes.
template <typename Fn>
void emitSection(raw_ostream &OS, StringRef Guard, Fn Body) {
  OS << "#ifdef " << Guard << "\n";
  Body();
  OS << "#undef " << Guard << "\n#endif // " << Guard << "\n\n";
}

//===----------------------------------------------------------------------===//
// -gen-op-defs
//===----------------------------------------------------------------------===//

struct OpRecord {
  const Record *Def;
  StringRef Mnemonic;
  int64_t MinOperands, MaxOperands;
  std::vector<const Record *> Traits;
  std::vector<const Record *> Args;
  bool InlineArg;
  StringRef Result;
  StringRef Summary;
};

OpRecord readOp(const Record *R) {
  OpRecord Op;
  Op.Def = R;
  Op.Mnemonic = R->getValueAsString("Mnemonic");
  checkMnemonic(R, Op.Mnemonic);
  Op.MinOperands = R->getValueAsInt("MinOperands");
  Op.MaxOperands = R->getValueAsInt("MaxOperands");
  if (Op.MinOperands < 0)
    PrintFatalError(R, "op '" + Op.Mnemonic + "' has MinOperands < 0");
  if (Op.MaxOperands != -1 && Op.MaxOperands < Op.MinOperands)
    PrintFatalError(R, "op '" + Op.Mnemonic +
                           "' has MaxOperands below MinOperands (use -1 for "
                           "any number)");
  for (const Record *T : R->getValueAsListOfDefs("Traits"))
    Op.Traits.push_back(T);
  for (const Record *A : R->getValueAsListOfDefs("Args"))
    Op.Args.push_back(A);
  Op.InlineArg = R->getValueAsBit("InlineArg");
  if (Op.InlineArg && Op.Args.size() != 1)
    PrintFatalError(R,
                    "op '" + Op.Mnemonic +
                        "' has InlineArg but not exactly one argument field");
  StringSet<> FieldNames;
  for (const Record *A : Op.Args)
    if (!FieldNames.insert(A->getValueAsString("Name")).second)
      PrintFatalError(R, "op '" + Op.Mnemonic +
                             "' has two argument fields "
                             "named '" +
                             A->getValueAsString("Name") + "'");
  Op.Result = R->getValueAsDef("Result")->getName();
  const RecordVal *Summary = R->getValue("Summary");
  if (!Summary || !Summary->getValue()->isComplete())
    PrintFatalError(R, "op '" + Op.Mnemonic + "' has no Summary");
  Op.Summary = R->getValueAsString("Summary");
  if (Op.Summary.empty())
    PrintFatalError(R, "op '" + Op.Mnemonic + "' has an empty Summary");

  // Arity traits must agree with the operand counts.
  static const std::pair<StringRef, int64_t> Arity[] = {
      {"Unary", 1}, {"Binary", 2}, {"Ternary", 3}};
  for (const auto &[Trait, N] : Arity) {
    StringRef Name = Trait;
    bool Has = llvm::any_of(
        Op.Traits, [&](const Record *T) { return T->getName() == Name; });
    if (Has && (Op.MinOperands != N || Op.MaxOperands != N))
      PrintFatalError(R, "op '" + Op.Mnemonic + "' has trait " + Trait +
                             " but does not take exactly " + Twine(N) +
                             " operand(s)");
  }
  return Op;
}

bool emitOpDefs(raw_ostream &OS, const RecordKeeper &Records) {
  emitSourceFileHeader("Op definitions of tg (td/UOps.td)", OS, Records);

  std::vector<Record *> Traits = recordsInFileOrder(Records, "Trait");
  std::vector<Record *> ArgTypes = recordsInFileOrder(Records, "ArgType");
  std::vector<Record *> Results =
      recordsInFileOrder(Records, "ResultConstraint");
  if (Traits.size() > 32)
    PrintFatalError(Traits[32], "more than 32 traits do not fit the mask");

  std::vector<OpRecord> Ops;
  StringMap<const Record *> Seen;
  for (const Record *R : recordsInFileOrder(Records, "UOp")) {
    Ops.push_back(readOp(R));
    auto [It, Inserted] = Seen.try_emplace(Ops.back().Mnemonic, R);
    if (!Inserted)
      PrintFatalError(R, "mnemonic '" + Ops.back().Mnemonic +
                             "' is already used by '" + It->second->getName() +
                             "'");
  }
  if (Ops.empty())
    PrintFatalError("no UOp records found");

  emitSection(OS, "GET_OP_ENUM", [&] {
    for (const OpRecord &Op : Ops)
      OS << "  " << Op.Def->getName() << ",\n";
  });
  emitSection(OS, "GET_OP_COUNT", [&] { OS << "  " << Ops.size() << "\n"; });
  emitSection(OS, "GET_TRAIT_ENUM", [&] {
    for (auto [I, T] : llvm::enumerate(Traits))
      OS << "  " << T->getName() << " = 1u << " << I << ",\n";
  });
  emitSection(OS, "GET_ARG_TYPE_ENUM", [&] {
    for (const Record *A : ArgTypes)
      OS << "  " << dropSuffix(A->getName(), "Arg") << ",\n";
  });
  emitSection(OS, "GET_RESULT_CONSTRAINT_ENUM", [&] {
    for (const Record *C : Results)
      OS << "  " << dropSuffix(C->getName(), "Result") << ",\n";
  });
  emitSection(OS, "GET_TRAIT_NAMES", [&] {
    for (const Record *T : Traits)
      OS << "  {" << quote(T->getName()) << ", "
         << quote(T->getValueAsString("Summary")) << "},\n";
  });
  emitSection(OS, "GET_ARG_TYPE_NAMES", [&] {
    for (const Record *A : ArgTypes)
      OS << "  {" << quote(dropSuffix(A->getName(), "Arg")) << ", "
         << quote(A->getValueAsString("Summary")) << "},\n";
  });
  // One flat array of argument fields; each op points at its slice.
  std::vector<unsigned> FirstArg;
  emitSection(OS, "GET_OP_ARG_FIELDS", [&] {
    unsigned Next = 0;
    for (const OpRecord &Op : Ops) {
      FirstArg.push_back(Next);
      for (const Record *A : Op.Args) {
        OS << "  {" << quote(A->getValueAsString("Name")) << ", ArgType::"
           << dropSuffix(A->getValueAsDef("Type")->getName(), "Arg") << "}, // "
           << Op.Mnemonic << "\n";
        ++Next;
      }
    }
    if (Next == 0)
      OS << "  {\"\", ArgType::Int}, // keeps the array non-empty\n";
  });
  emitSection(OS, "GET_OP_INFO", [&] {
    for (auto [I, Op] : llvm::enumerate(Ops)) {
      std::string TraitMask;
      for (const Record *T : Op.Traits)
        TraitMask += (TraitMask.empty() ? "" : " | ") +
                     ("unsigned(OpTrait::" + T->getName() + ")").str();
      OS << "  {" << quote(Op.Mnemonic) << ", "
         << (TraitMask.empty() ? "0u" : TraitMask) << ", " << Op.MinOperands
         << ", " << Op.MaxOperands << ", " << FirstArg[I] << ", "
         << Op.Args.size() << ", " << (Op.InlineArg ? "true" : "false")
         << ", ResultConstraint::" << dropSuffix(Op.Result, "Result") << ", "
         << quote(Op.Summary) << "},\n";
    }
  });
  return false;
}

//===----------------------------------------------------------------------===//
// -gen-dtype-defs
//===----------------------------------------------------------------------===//

/// The ScalarKind enumerator of a scalar record: its name without "DT".
StringRef scalarEnumerator(const Record *R) {
  StringRef Name = R->getName();
  if (!Name.consume_front("DT") || Name.empty())
    PrintFatalError(R, "scalar record '" + R->getName() +
                           "' must be named DT<Name>");
  return Name;
}

bool emitDTypeDefs(raw_ostream &OS, const RecordKeeper &Records) {
  emitSourceFileHeader("Scalar types of tg (td/DTypes.td)", OS, Records);
  std::vector<Record *> Scalars = recordsInFileOrder(Records, "Scalar");
  if (Scalars.empty())
    PrintFatalError("no Scalar records found");

  StringMap<const Record *> Spellings;
  auto claim = [&](const Record *R, StringRef Spelling) {
    checkMnemonic(R, Spelling);
    auto [It, Inserted] = Spellings.try_emplace(Spelling, R);
    if (!Inserted)
      PrintFatalError(R, "type spelling '" + Spelling +
                             "' is already used by '" + It->second->getName() +
                             "'");
  };
  for (const Record *R : Scalars) {
    claim(R, R->getValueAsString("Mnemonic"));
    for (StringRef Alias : R->getValueAsListOfStrings("Aliases"))
      claim(R, Alias);
    int64_t Bits = R->getValueAsInt("Bits");
    StringRef Category = R->getValueAsDef("Category")->getValueAsString("Name");
    if (Bits < 0 || Bits > 64)
      PrintFatalError(R, "scalar '" + R->getName() +
                             "' has a bit width outside [0, 64]");
    if (Category == "Float" && 1 + R->getValueAsInt("ExponentBits") +
                                       R->getValueAsInt("MantissaBits") !=
                                   Bits)
      PrintFatalError(R, "float '" + R->getName() +
                             "': 1 + ExponentBits + MantissaBits != Bits");
  }

  emitSection(OS, "GET_SCALAR_ENUM", [&] {
    for (const Record *R : Scalars)
      OS << "  " << scalarEnumerator(R) << ",\n";
  });
  emitSection(OS, "GET_SCALAR_COUNT",
              [&] { OS << "  " << Scalars.size() << "\n"; });
  emitSection(OS, "GET_SCALAR_INFO", [&] {
    for (const Record *R : Scalars)
      OS << "  {" << quote(R->getValueAsString("Mnemonic")) << ", "
         << R->getValueAsInt("Bits") << ", ScalarCategory::"
         << R->getValueAsDef("Category")->getValueAsString("Name") << ", "
         << R->getValueAsInt("ExponentBits") << ", "
         << R->getValueAsInt("MantissaBits") << ", "
         << quote(R->getValueAsString("Summary")) << "},\n";
  });
  emitSection(OS, "GET_SCALAR_SPELLINGS", [&] {
    for (const Record *R : Scalars) {
      OS << "  {" << quote(R->getValueAsString("Mnemonic"))
         << ", ScalarKind::" << scalarEnumerator(R) << "},\n";
      for (StringRef Alias : R->getValueAsListOfStrings("Aliases"))
        OS << "  {" << quote(Alias) << ", ScalarKind::" << scalarEnumerator(R)
           << "},\n";
    }
  });
  return false;
}

//===----------------------------------------------------------------------===//
// -gen-enum-defs
//===----------------------------------------------------------------------===//

bool emitEnumDefs(raw_ostream &OS, const RecordKeeper &Records) {
  emitSourceFileHeader("Enumerations of tg (EnumCase records of td/)", OS,
                       Records);
  // Enums in order of their first case; cases in file order.
  std::vector<std::string> Order;
  std::map<std::string, std::vector<const Record *>> Cases;
  for (const Record *R : recordsInFileOrder(Records, "EnumCase")) {
    std::string Enum = R->getValueAsString("Enum").str();
    if (!isIdentifier(Enum))
      PrintFatalError(R, "enum name '" + Enum + "' is not an identifier");
    checkMnemonic(R, R->getValueAsString("Mnemonic"));
    if (!Cases.count(Enum))
      Order.push_back(Enum);
    for (const Record *Other : Cases[Enum])
      if (Other->getValueAsString("Mnemonic") ==
          R->getValueAsString("Mnemonic"))
        PrintFatalError(R, "enum " + Enum + " already has a case '" +
                               R->getValueAsString("Mnemonic") + "'");
    Cases[Enum].push_back(R);
  }

  // The enumerator is the record name without the enum's `Prefix`.
  auto enumerator = [](const Record *R) {
    StringRef Name = R->getName();
    StringRef Prefix = R->getValueAsString("Prefix");
    if (!Name.consume_front(Prefix) || Name.empty())
      PrintFatalError(R, "record name '" + R->getName() +
                             "' must start with its enum's prefix '" + Prefix +
                             "'");
    return Name;
  };

  emitSection(OS, "GET_ENUM_DECLS", [&] {
    for (const std::string &Enum : Order) {
      OS << "enum class " << Enum << " : uint8_t {\n";
      for (const Record *R : Cases[Enum])
        OS << "  " << enumerator(R) << ", // " << R->getValueAsString("Summary")
           << "\n";
      OS << "};\n";
      OS << "inline constexpr unsigned Num" << Enum
         << "s = " << Cases[Enum].size() << ";\n";
      OS << "/// The text-form spelling of a " << Enum << ".\n";
      OS << "llvm::StringRef getMnemonic(" << Enum << " Value);\n";
      OS << "/// The " << Enum << " spelled `Mnemonic`, if any.\n";
      OS << "std::optional<" << Enum << "> parse" << Enum
         << "(llvm::StringRef Mnemonic);\n\n";
    }
  });
  emitSection(OS, "GET_ENUM_DEFS", [&] {
    for (const std::string &Enum : Order) {
      OS << "llvm::StringRef tg::getMnemonic(" << Enum << " Value) {\n";
      OS << "  static const char *const Names[] = {";
      for (const Record *R : Cases[Enum])
        OS << quote(R->getValueAsString("Mnemonic")) << ", ";
      OS << "};\n  return Names[unsigned(Value)];\n}\n\n";
      OS << "std::optional<" << Enum << "> tg::parse" << Enum
         << "(llvm::StringRef Mnemonic) {\n";
      OS << "  return llvm::StringSwitch<std::optional<" << Enum
         << ">>(Mnemonic)\n";
      for (const Record *R : Cases[Enum])
        OS << "      .Case(" << quote(R->getValueAsString("Mnemonic")) << ", "
           << Enum << "::" << enumerator(R) << ")\n";
      OS << "      .Default(std::nullopt);\n}\n\n";
    }
  });
  return false;
}

bool dispatch(raw_ostream &OS, RecordKeeper &Records) {
  switch (Action) {
  case GenOpDefs:
    return emitOpDefs(OS, Records);
  case GenDTypeDefs:
    return emitDTypeDefs(OS, Records);
  case GenEnumDefs:
    return emitEnumDefs(OS, Records);
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(argc, argv, "tg TableGen backends\n");
  return TableGenMain(argv[0], dispatch);
}
