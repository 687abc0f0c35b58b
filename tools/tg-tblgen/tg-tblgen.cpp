//===- tg-tblgen.cpp - TableGen backends of tg ----------------------------===//
//
// Turns td/*.td into the .inc tables of the IR library:
//   -gen-op-defs     the Op enum, traits, operand counts, argument fields,
//                    result constraints and semantics strings (td/UOps.td)
//   -gen-dtype-defs  the ScalarKind enum and its table (td/DTypes.td)
//   -gen-enum-defs   every EnumCase enumeration (AxisKind, OptKind, ...)
//   -gen-rewrite-rules  the tables of every Rule and HookRule
//                    (td/patterns/*.td, include/tg/Rewrite/Declarative.h)
//                    and `-rule-set-registrar=<fn>`, which registers every
//                    RuleSet
//   -gen-device-defs the device and arch tables (td/Devices.td,
//                    include/tg/Target/Device.h); in DeviceDefs.cpp
// Records are emitted in file order. A malformed record is reported with its
// location and tg-tblgen exits 1.
//
// This tool links the static LLVMTableGen and LLVMSupport libraries and must
// stay separate from everything that links the shared libLLVM.
//
//===----------------------------------------------------------------------===//

#include "TableGenUtils.h"

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
#include <set>
#include <vector>

using namespace llvm;
using namespace tg::tblgen;

namespace {

enum ActionKind {
  GenOpDefs,
  GenDTypeDefs,
  GenEnumDefs,
  GenRewriteRules,
  GenDeviceDefs
};

cl::opt<ActionKind> Action(
    cl::desc("Action to perform:"),
    cl::values(clEnumValN(GenOpDefs, "gen-op-defs",
                          "Generate the op enum and op tables"),
               clEnumValN(GenDTypeDefs, "gen-dtype-defs",
                          "Generate the scalar type enum and table"),
               clEnumValN(GenEnumDefs, "gen-enum-defs",
                          "Generate enumerations from EnumCase records"),
               clEnumValN(GenRewriteRules, "gen-rewrite-rules",
                          "Generate rule tables and rule set registration"),
               clEnumValN(GenDeviceDefs, "gen-device-defs",
                          "Generate the device and arch tables")));

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

//===----------------------------------------------------------------------===//
// -gen-rewrite-rules
//===----------------------------------------------------------------------===//

cl::opt<std::string> RuleSetRegistrar(
    "rule-set-registrar",
    cl::desc("The function -gen-rewrite-rules defines to register its sets"),
    cl::init("registerRuleSets"));

/// A guard operator of RuleBase.td: its GuardNodeKind, arity and sorts.
struct GuardOperator {
  StringRef Name, Kind;
  int MinArgs, MaxArgs; ///< MaxArgs -1: any number.
  bool IsBool, BoolOperands, TakesBinding;
};

const GuardOperator GuardOperators[] = {
    {"always", "Always", 0, 0, true, false, false},
    {"vmin", "VMin", 1, 1, false, false, true},
    {"vmax", "VMax", 1, 1, false, false, true},
    {"factor", "Factor", 1, 1, false, false, true},
    {"add", "Add", 2, 2, false, false, false},
    {"sub", "Sub", 2, 2, false, false, false},
    {"mul", "Mul", 2, 2, false, false, false},
    {"fdiv", "FDiv", 2, 2, false, false, false},
    {"fmod", "FMod", 2, 2, false, false, false},
    {"neg", "Neg", 1, 1, false, false, false},
    {"gcd", "Gcd", 2, 2, false, false, false},
    {"eq", "Eq", 2, 2, true, false, false},
    {"ne", "Ne", 2, 2, true, false, false},
    {"lt", "Lt", 2, 2, true, false, false},
    {"le", "Le", 2, 2, true, false, false},
    {"gt", "Gt", 2, 2, true, false, false},
    {"ge", "Ge", 2, 2, true, false, false},
    {"all", "All", 1, -1, true, true, false},
    {"any", "Any", 1, -1, true, true, false},
    {"not", "Not", 1, 1, true, true, false},
};

const StringRef RuleTypesNames[] = {"IndexType", "IntegerTypes", "BoolType",
                                    "IntOrBool", "FloatTypes",   "AnyTypes"};

/// One row of a table: its fields, then where its children are.
struct TableRow {
  std::string Fields;
  unsigned FirstChild = 0, NumChildren = 0;
};

/// Reads one Rule or HookRule record into its three tables. Children of a
/// row are placed together, so a row's children are contiguous.
class RuleReader {
public:
  explicit RuleReader(const Record *Rec) : Rec(Rec) {}

  void read();
  void emit(raw_ostream &OS, StringRef Prefix) const;

private:
  [[noreturn]] void fail(const Twine &Message) const {
    PrintFatalError(Rec,
                    "rule '" + Rec->getValueAsString("Name") + "': " + Message);
  }
  unsigned reserve(std::vector<TableRow> &Table, unsigned N) {
    if (N == 0)
      return 0;
    unsigned First = unsigned(Table.size());
    Table.resize(Table.size() + N);
    return First;
  }
  std::string slotOf(StringRef Name) const;
  std::string bind(StringRef Name);
  std::string requireBound(StringRef Name, StringRef Where) const;
  void checkOperandCount(const Record *Op, size_t N) const;
  const Record *getOperator(const DagInit *D) const;

  void placePattern(const Init *I, StringRef Name, unsigned Index);
  void placeResult(const Init *I, StringRef Name, unsigned Index);
  /// Returns whether the node is bool (else an integer).
  bool placeGuard(const Init *I, StringRef Name, unsigned Index);

  const Record *Rec;
  std::vector<std::string> Slots;
  std::vector<std::string> OpLists;
  std::vector<TableRow> PatternRows, ResultRows, GuardRows;
};

std::string RuleReader::slotOf(StringRef Name) const {
  auto It = llvm::find(Slots, Name);
  return std::to_string(It - Slots.begin());
}

std::string RuleReader::bind(StringRef Name) {
  if (!llvm::is_contained(Slots, Name)) {
    if (Slots.size() == 16)
      fail("the pattern binds more than 16 names");
    Slots.push_back(Name.str());
  }
  return quote(Name) + ", " + slotOf(Name);
}

std::string RuleReader::requireBound(StringRef Name, StringRef Where) const {
  if (Name.empty())
    fail(Twine("expected a $name in the ") + Where);
  if (!llvm::is_contained(Slots, Name))
    fail("'$" + Name + "' in the " + Where + " is not bound by the pattern");
  return quote(Name) + ", " + slotOf(Name);
}

void RuleReader::checkOperandCount(const Record *Op, size_t N) const {
  int64_t Min = Op->getValueAsInt("MinOperands");
  int64_t Max = Op->getValueAsInt("MaxOperands");
  if (int64_t(N) < Min || (Max != -1 && int64_t(N) > Max))
    fail(
        "'" + Op->getName() + "' takes " + Twine(Min) +
        (Max == Min ? Twine("") : Twine("..") + (Max == -1 ? "" : Twine(Max))) +
        " operand(s), not " + Twine(N));
}

const Record *RuleReader::getOperator(const DagInit *D) const {
  const auto *Def = dyn_cast<DefInit>(D->getOperator());
  if (!Def)
    fail("'" + D->getOperator()->getAsString() + "' is not an operator");
  return Def->getDef();
}

bool isCommutative(const Record *Op) {
  return llvm::any_of(Op->getValueAsListOfDefs("Traits"), [](const Record *T) {
    return T->getName() == "Commutative";
  });
}

void RuleReader::placePattern(const Init *I, StringRef Name, unsigned Index) {
  if (isa<UnsetInit>(I) && !Name.empty()) {
    PatternRows[Index].Fields =
        "PatternNodeKind::Binding, nullptr, 0, 0, " + bind(Name);
    return;
  }
  const auto *D = dyn_cast<DagInit>(I);
  if (!D)
    fail("'" + I->getAsString() + "' is not a pattern ($x or (op ...))");
  const Record *Op = getOperator(D);
  if (Op->getName() == "Const") {
    if (D->getNumArgs() != 1)
      fail("Const takes one value or $name");
    StringRef ArgName = D->getArgNameStr(0);
    if (const auto *V = dyn_cast<IntInit>(D->getArg(0)))
      PatternRows[Index].Fields = "PatternNodeKind::ConstValue, nullptr, 0, " +
                                  std::to_string(V->getValue()) +
                                  ", nullptr, NoSlot";
    else if (isa<UnsetInit>(D->getArg(0)) && !ArgName.empty())
      PatternRows[Index].Fields =
          "PatternNodeKind::ConstBinding, nullptr, 0, 0, " + bind(ArgName);
    else
      fail("Const takes one value or $name");
    return;
  }
  std::vector<const Record *> Ops;
  if (Op->isSubClassOf("UOp"))
    Ops.push_back(Op);
  else if (Op->isSubClassOf("AnyOf"))
    for (const Record *Member : Op->getValueAsListOfDefs("Ops"))
      Ops.push_back(Member);
  else
    fail("'" + Op->getName() + "' is not an op of td/UOps.td or AnyOf");
  for (const Record *Member : Ops)
    checkOperandCount(Member, D->getNumArgs());
  if (llvm::any_of(Ops, isCommutative) && !llvm::all_of(Ops, isCommutative))
    fail("AnyOf mixes commutative and other ops; write two rules");
  std::string List;
  for (const Record *Member : Ops)
    List += (List.empty() ? "::tg::Op::" : ", ::tg::Op::") +
            Member->getName().str();
  OpLists.push_back(List);
  TableRow &Row = PatternRows[Index];
  Row.Fields =
      "PatternNodeKind::Op, Ops" + std::to_string(OpLists.size() - 1) + ", " +
      std::to_string(Ops.size()) + ", 0, " +
      (D->getName() ? bind(D->getNameStr()) : std::string("nullptr, NoSlot"));
  unsigned First = reserve(PatternRows, D->getNumArgs());
  PatternRows[Index].FirstChild = First;
  PatternRows[Index].NumChildren = D->getNumArgs();
  for (unsigned A = 0; A != D->getNumArgs(); ++A)
    placePattern(D->getArg(A), D->getArgNameStr(A), First + A);
}

void RuleReader::placeResult(const Init *I, StringRef Name, unsigned Index) {
  auto use = [&](StringRef Bound) {
    ResultRows[Index].Fields = "ResultNodeKind::Use, ::tg::Op::Const, 0, " +
                               requireBound(Bound, "result");
  };
  if (isa<UnsetInit>(I) && !Name.empty())
    return use(Name);
  const auto *D = dyn_cast<DagInit>(I);
  if (!D)
    fail("'" + I->getAsString() + "' is not a result ($x or (op ...))");
  const Record *Op = getOperator(D);
  if (Op->getName() == "use") {
    if (D->getNumArgs() != 1)
      fail("use takes one $name");
    return use(D->getArgNameStr(0));
  }
  if (Op->getName() == "Const") {
    if (D->getNumArgs() != 1)
      fail("Const takes one value or $name");
    if (const auto *V = dyn_cast<IntInit>(D->getArg(0))) {
      ResultRows[Index].Fields = "ResultNodeKind::Const, ::tg::Op::Const, " +
                                 std::to_string(V->getValue()) +
                                 ", nullptr, NoSlot";
      return;
    }
    return use(D->getArgNameStr(0));
  }
  unsigned FirstArg = 0;
  std::string Kind = "NewOp";
  if (Op->getName() == "fold") {
    const auto *Folded =
        D->getNumArgs() ? dyn_cast<DefInit>(D->getArg(0)) : nullptr;
    if (!Folded || !Folded->getDef()->isSubClassOf("UOp"))
      fail("fold takes an op of td/UOps.td, then its operands");
    Op = Folded->getDef();
    FirstArg = 1;
    Kind = "Fold";
  } else if (!Op->isSubClassOf("UOp")) {
    fail("'" + Op->getName() +
         "' is not an op of td/UOps.td, use, fold or "
         "Const");
  }
  unsigned N = D->getNumArgs() - FirstArg;
  checkOperandCount(Op, N);
  ResultRows[Index].Fields = "ResultNodeKind::" + Kind +
                             ", ::tg::Op::" + Op->getName().str() +
                             ", 0, nullptr, NoSlot";
  unsigned First = reserve(ResultRows, N);
  ResultRows[Index].FirstChild = First;
  ResultRows[Index].NumChildren = N;
  for (unsigned A = 0; A != N; ++A)
    placeResult(D->getArg(FirstArg + A), D->getArgNameStr(FirstArg + A),
                First + A);
}

bool RuleReader::placeGuard(const Init *I, StringRef Name, unsigned Index) {
  TableRow &Row = GuardRows[Index];
  if (isa<UnsetInit>(I) && !Name.empty()) {
    Row.Fields = "GuardNodeKind::Value, 0, " + requireBound(Name, "guard");
    return false;
  }
  if (const auto *V = dyn_cast<IntInit>(I)) {
    Row.Fields = "GuardNodeKind::Literal, " + std::to_string(V->getValue()) +
                 ", nullptr, NoSlot";
    return false;
  }
  const auto *D = dyn_cast<DagInit>(I);
  if (!D)
    fail("'" + I->getAsString() + "' is not a guard expression");
  const Record *Op = getOperator(D);
  const GuardOperator *G = llvm::find_if(
      GuardOperators, [&](const auto &G) { return G.Name == Op->getName(); });
  if (G == std::end(GuardOperators))
    fail("'" + Op->getName() + "' is not a guard operator");
  int N = int(D->getNumArgs());
  if (N < G->MinArgs || (G->MaxArgs != -1 && N > G->MaxArgs))
    fail("guard operator '" + G->Name + "' takes " +
         (G->MaxArgs == -1 ? Twine("at least ") + Twine(G->MinArgs)
                           : Twine(G->MinArgs)) +
         " operand(s), not " + Twine(N));
  if (G->TakesBinding) {
    Row.Fields = "GuardNodeKind::" + G->Kind.str() + ", 0, " +
                 requireBound(D->getArgNameStr(0), "guard");
    return false;
  }
  Row.Fields = "GuardNodeKind::" + G->Kind.str() + ", 0, nullptr, NoSlot";
  unsigned First = reserve(GuardRows, N);
  GuardRows[Index].FirstChild = First;
  GuardRows[Index].NumChildren = N;
  for (int A = 0; A != N; ++A)
    if (placeGuard(D->getArg(A), D->getArgNameStr(A), First + A) !=
        G->BoolOperands)
      fail("operand " + Twine(A + 1) + " of guard operator '" + G->Name +
           "' must be " + (G->BoolOperands ? "a condition" : "an integer"));
  return G->IsBool;
}

void RuleReader::read() {
  PatternRows.resize(1);
  placePattern(Rec->getValueAsDag("Pattern"), "", 0);
  if (PatternRows[0].Fields.find("PatternNodeKind::Op") != 0)
    fail("the pattern's root must be an op");
  GuardRows.resize(1);
  if (!placeGuard(Rec->getValueAsDag("Guard"), "", 0))
    fail("the guard must be a condition, not an integer");
  if (Rec->isSubClassOf("Rule")) {
    ResultRows.resize(1);
    placeResult(Rec->getValueAsDag("Result"), "", 0);
  }
}

/// `I` as written in td: `$x`, `(Add:$s $x, (Const 0))`.
std::string printInit(const Init *I, StringRef Name) {
  std::string Bound = Name.empty() ? "" : ("$" + Name).str();
  if (isa<UnsetInit>(I) && !Name.empty())
    return Bound;
  const auto *D = dyn_cast<DagInit>(I);
  if (!D)
    return I->getAsString() + (Name.empty() ? "" : ":" + Bound);
  std::string Out = "(" + D->getOperator()->getAsString();
  if (const auto *Op = dyn_cast<DefInit>(D->getOperator());
      Op && Op->getDef()->isSubClassOf("AnyOf")) {
    Out = "(AnyOf<[";
    for (const Record *Member : Op->getDef()->getValueAsListOfDefs("Ops"))
      Out += (Out.back() == '[' ? "" : ", ") + Member->getName().str();
    Out += "]>";
  }
  if (D->getName())
    Out += ":$" + D->getNameStr().str();
  for (unsigned A = 0; A != D->getNumArgs(); ++A)
    Out += (A ? ", " : " ") + printInit(D->getArg(A), D->getArgNameStr(A));
  return Out + ")";
}

void emitRows(raw_ostream &OS, StringRef Type, StringRef Name,
              const std::vector<TableRow> &Rows) {
  OS << "const " << Type << " " << Name << "[] = {\n";
  for (const TableRow &Row : Rows)
    OS << "    {" << Row.Fields << ", " << Row.FirstChild << ", "
       << Row.NumChildren << "},\n";
  OS << "};\n";
}

void RuleReader::emit(raw_ostream &OS, StringRef Prefix) const {
  OS << "// " << Rec->getValueAsString("Name") << ": "
     << printInit(Rec->getValueAsDag("Pattern"), "");
  if (Rec->isSubClassOf("Rule"))
    OS << " -> " << printInit(Rec->getValueAsDag("Result"), "");
  if (Rec->isSubClassOf("HookRule"))
    OS << " -> " << Rec->getValueAsString("Hook") << "()";
  OS << "\nnamespace " << Prefix << " {\n";
  for (auto [I, List] : llvm::enumerate(OpLists))
    OS << "const ::tg::Op Ops" << I << "[] = {" << List << "};\n";
  emitRows(OS, "PatternNode", "Pattern", PatternRows);
  emitRows(OS, "GuardNode", "Guard", GuardRows);
  if (!ResultRows.empty())
    emitRows(OS, "ResultNode", "Result", ResultRows);
  OS << "} // namespace " << Prefix << "\n\n";
}

/// The rules of `Set`: its own in file order, then those of its Includes,
/// recursively, each once.
void collectRules(const Record *Set,
                  const std::map<const Record *, std::vector<unsigned>> &Own,
                  std::vector<const Record *> &Visited,
                  std::vector<unsigned> &Order) {
  if (llvm::is_contained(Visited, Set))
    return;
  Visited.push_back(Set);
  auto It = Own.find(Set);
  if (It != Own.end())
    for (unsigned I : It->second)
      if (!llvm::is_contained(Order, I))
        Order.push_back(I);
  for (const Record *Included : Set->getValueAsListOfDefs("Includes"))
    collectRules(Included, Own, Visited, Order);
}

bool emitRewriteRules(raw_ostream &OS, const RecordKeeper &Records) {
  emitSourceFileHeader("Declarative rewrite rules of td/patterns", OS, Records);
  if (!isIdentifier(RuleSetRegistrar))
    PrintFatalError("-rule-set-registrar must name a C++ function");
  std::vector<Record *> Rules = recordsInFileOrder(Records, "RuleBase");
  std::map<const Record *, std::vector<unsigned>> Own;
  StringSet<> RuleNames;
  for (auto [I, Rec] : llvm::enumerate(Rules)) {
    const Init *Set = Rec->getValue("Set")->getValue();
    if (!isa<DefInit>(Set))
      PrintFatalError(Rec, "rule '" + Rec->getValueAsString("Name") +
                               "' has no Set");
    if (!RuleNames.insert(Rec->getValueAsString("Name")).second)
      PrintFatalError(Rec, "rule name '" + Rec->getValueAsString("Name") +
                               "' is used twice");
    Own[Rec->getValueAsDef("Set")].push_back(unsigned(I));
    if (!Rec->isSubClassOf("HookRule"))
      continue;
    if (Rec->getValueAsString("Hook").empty())
      PrintFatalError(Rec, "rule '" + Rec->getValueAsString("Name") +
                               "' has an empty Hook name");
    if (!isIdentifier(Rec->getValueAsString("Hook")))
      PrintFatalError(Rec, "Hook of rule '" + Rec->getValueAsString("Name") +
                               "' is not a C++ identifier");
  }

  std::set<std::string> Hooks;
  for (const Record *Rec : Rules)
    if (Rec->isSubClassOf("HookRule"))
      Hooks.insert(Rec->getValueAsString("Hook").str());
  OS << "namespace tg::hooks {\n";
  for (const std::string &Hook : Hooks)
    OS << "const ::tg::UOp *" << Hook << "(const ::tg::Match &M);\n";
  OS << "} // namespace tg::hooks\n\n";

  std::string Tables = RuleSetRegistrar + "Tables";
  OS << "namespace " << Tables << " {\n";
  OS << "using namespace ::tg::declarative;\n\n";
  for (auto [I, Rec] : llvm::enumerate(Rules)) {
    RuleReader Reader(Rec);
    Reader.read();
    Reader.emit(OS, "Rule" + std::to_string(I));
  }
  OS << "const RuleData Rules[] = {\n";
  for (auto [I, Rec] : llvm::enumerate(Rules)) {
    StringRef Types = Rec->getValueAsDef("Types")->getName();
    if (!llvm::is_contained(RuleTypesNames, Types))
      PrintFatalError(Rec, "'" + Types + "' is not a RuleTypes of RuleBase.td");
    std::string Prefix = "Rule" + std::to_string(I);
    bool IsHook = Rec->isSubClassOf("HookRule");
    OS << "    {" << quote(Rec->getValueAsString("Name")) << ", "
       << quote(Rec->getValueAsDef("Set")->getValueAsString("Name"))
       << ", RuleTypes::" << Types << ", " << Prefix << "::Pattern, " << Prefix
       << "::Guard, " << (IsHook ? "nullptr" : Prefix + "::Result") << ", "
       << (IsHook ? "&::tg::hooks::" + Rec->getValueAsString("Hook").str()
                  : "nullptr")
       << "},\n";
  }
  if (Rules.empty())
    OS << "    {\"\", \"\", RuleTypes::AnyTypes, nullptr, nullptr, nullptr, "
          "nullptr}, // keeps the array non-empty\n";
  OS << "};\n} // namespace " << Tables << "\n\n";

  OS << "void " << RuleSetRegistrar << "(::tg::RuleSetRegistry &Registry) {\n";
  OS << "  using namespace " << Tables << ";\n";
  for (const Record *Set : recordsInFileOrder(Records, "RuleSet")) {
    std::vector<const Record *> Visited;
    std::vector<unsigned> Order;
    collectRules(Set, Own, Visited, Order);
    OS << "  Registry.add(buildRuleSet(" << quote(Set->getValueAsString("Name"))
       << ", Rules, {";
    ListSeparator Sep;
    for (unsigned I : Order)
      OS << Sep << I;
    OS << "}),\n               " << quote(Set->getValueAsString("Summary"))
       << ");\n";
  }
  OS << "}\n";
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
  case GenRewriteRules:
    return emitRewriteRules(OS, Records);
  case GenDeviceDefs:
    return tg::tblgen::emitDeviceDefs(OS, Records);
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(argc, argv, "tg TableGen backends\n");
  return TableGenMain(argv[0], dispatch);
}
