//===- Printer.cpp - a Module to the text form ----------------------------===//
//
// Prints the canonical form of docs/LangRef.md. Names are assigned once per
// function, before any line is printed: a UOp keeps the name it was written
// with where no earlier UOp took it, the others get %0, %1, ... skipping
// every name in use. Printing a line is then a few raw_ostream writes.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Printer.h"

#include "Lexer.h"

#include "llvm/ADT/CachedHashString.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"

using namespace tg;
using llvm::raw_ostream;
using llvm::StringRef;

namespace {

/// The printed name of every UOp of one function. Most UOps print with the
/// name the Function holds for them, so only the others are stored.
class NameTable {
public:
  /// Names `Order` (parameters, then lines), in that order of preference.
  NameTable(const Function &F, llvm::ArrayRef<const UOp *> Order);

  void print(const UOp *U, raw_ostream &OS) const {
    OS << '%';
    auto It = Renamed.find(U);
    if (It == Renamed.end())
      OS << F.getName(U);
    else if (It->second.Number < 0)
      OS << It->second.Written;
    else
      OS << It->second.Number;
  }

private:
  struct Name {
    StringRef Written;
    int64_t Number = -1; ///< The generated %N, when >= 0.
  };
  static StringRef getVariableName(const UOp *U);

  const Function &F;
  llvm::DenseMap<const UOp *, Name> Renamed;
};

NameTable::NameTable(const Function &F, llvm::ArrayRef<const UOp *> Order)
    : F(F) {
  llvm::DenseSet<llvm::CachedHashStringRef> Used;
  Used.reserve(Order.size());
  llvm::SmallVector<const UOp *, 8> Unnamed;
  for (const UOp *U : Order) {
    StringRef Written = F.getName(U);
    bool FromFunction = !Written.empty();
    if (!FromFunction)
      Written = getVariableName(U);
    if (Written.empty() ||
        !Used.insert(llvm::CachedHashStringRef(Written)).second) {
      Unnamed.push_back(U);
      continue;
    }
    if (!FromFunction)
      Renamed[U] = {Written, -1};
  }
  int64_t Next = 0;
  llvm::SmallString<16> Digits;
  for (const UOp *U : Unnamed) {
    for (;; ++Next) {
      Digits.clear();
      llvm::raw_svector_ostream(Digits) << Next;
      if (!Used.count(llvm::CachedHashStringRef(Digits)))
        break;
    }
    Renamed[U] = {StringRef(), Next++};
  }
}

/// A define_var made by a pass has no written name; printing its `name`
/// field keeps `%n: index [1, 64]` reading back as the same UOp.
StringRef NameTable::getVariableName(const UOp *U) {
  if (U->getOp() != Op::DefineVar || !U->getArg())
    return StringRef();
  StringRef Field = U->getArgField(0)->getString();
  return isValidName(Field) ? Field : StringRef();
}

class FunctionPrinter {
public:
  FunctionPrinter(const Function &F, raw_ostream &OS);
  void print();

private:
  /// The kernel's sink prints without a name when it closes the body.
  bool hasUnnamedRoot() const {
    return F.isKernel() && !F.getBody().empty() &&
           F.getBody().back() == F.getRoot();
  }
  static std::vector<const UOp *> getNamingOrder(const Function &F,
                                                 bool SkipRoot);
  void printSignature();
  void printParam(const UOp *U);
  void printLine(const UOp *U, bool Named);
  void printFields(const UOp *U);

  const Function &F;
  raw_ostream &OS;
  NameTable Names;
};

FunctionPrinter::FunctionPrinter(const Function &F, raw_ostream &OS)
    : F(F), OS(OS), Names(F, getNamingOrder(F, hasUnnamedRoot())) {}

std::vector<const UOp *> FunctionPrinter::getNamingOrder(const Function &F,
                                                         bool SkipRoot) {
  std::vector<const UOp *> Order(F.Params);
  llvm::ArrayRef<const UOp *> Body = F.getBody();
  if (SkipRoot)
    Body = Body.drop_back();
  Order.insert(Order.end(), Body.begin(), Body.end());
  return Order;
}

void FunctionPrinter::print() {
  printSignature();
  bool UnnamedRoot = hasUnnamedRoot();
  for (const UOp *U : F.getBody())
    printLine(U, !(UnnamedRoot && U == F.getRoot()));
  if (!F.isKernel() && F.getRoot()) {
    OS << "  return ";
    Names.print(F.getRoot(), OS);
    OS << '\n';
  }
  OS << "}\n";
}

void FunctionPrinter::printSignature() {
  OS << (F.isKernel() ? "kernel @" : "func @") << F.getName() << '(';
  llvm::interleaveComma(F.Params, OS, [&](const UOp *U) { printParam(U); });
  OS << ')';
  if (!F.Attributes.empty()) {
    OS << " attributes {";
    llvm::interleaveComma(F.Attributes, OS, [&](const FunctionAttribute &A) {
      OS << A.Name << " = " << *A.Value;
    });
    OS << '}';
  }
  OS << " {\n";
}

/// `%name: type`, and `[min, max]` for a define_var.
void FunctionPrinter::printParam(const UOp *U) {
  Names.print(U, OS);
  OS << ": " << U->getDType();
  if (U->getOp() != Op::DefineVar || !U->getArg())
    return;
  OS << " [" << *U->getArgField(1) << ", " << *U->getArgField(2) << ']';
}

/// [%name =] mnemonic [inline-arg] [(operands)] [{fields}] : type
void FunctionPrinter::printLine(const UOp *U, bool Named) {
  const OpInfo &Info = U->getInfo();
  OS << "  ";
  if (Named) {
    Names.print(U, OS);
    OS << " = ";
  }
  OS << Info.Mnemonic;
  bool InlineArg = Info.InlineArg && Info.NumArgFields == 1;
  if (InlineArg && U->getArg()) {
    OS << ' ';
    printArgValue(*U->getArg(), Info.getArgFields()[0].Type,
                  U->getDType().getScalarKind(), OS);
  }
  if (U->getNumSrcs() != 0 || Info.MaxOperands != 0) {
    OS << '(';
    llvm::interleaveComma(U->getSrcs(), OS,
                          [&](const UOp *Src) { Names.print(Src, OS); });
    OS << ')';
  }
  if (!InlineArg)
    printFields(U);
  OS << " : " << U->getDType() << '\n';
}

/// ` {name = value, ...}` in declaration order.
void FunctionPrinter::printFields(const UOp *U) {
  llvm::ArrayRef<ArgFieldInfo> Fields = U->getInfo().getArgFields();
  if (Fields.empty() || !U->getArg())
    return;
  OS << " {";
  for (size_t I = 0; I != Fields.size(); ++I) {
    if (I != 0)
      OS << ", ";
    OS << Fields[I].Name << " = ";
    printArgValue(*U->getArgField(I), Fields[I].Type,
                  U->getDType().getScalarKind(), OS);
  }
  OS << '}';
}

/// One constant: floats exactly in the op's type, unsigned integers as
/// unsigned (u64 is stored as its int64 bit pattern).
void printConst(const Arg &A, ScalarKind Scalar, raw_ostream &OS) {
  if (A.isFloat()) {
    printExactFloat(OS, A.getFloat(), Scalar);
    return;
  }
  if (A.isInt() && getScalarInfo(Scalar).Category == ScalarCategory::Unsigned) {
    OS << uint64_t(A.getInt());
    return;
  }
  A.print(OS);
}

void printMain(const Schedule &S, raw_ostream &OS) {
  OS << "main {\n";
  for (const Call &C : S.Calls) {
    OS << "  call @" << C.Callee << '(';
    llvm::interleaveComma(C.Args, OS, [&](const CallArg &A) {
      if (A.isBuffer())
        OS << '@' << std::get<std::string>(A.Value);
      else
        OS << std::get<int64_t>(A.Value);
    });
    OS << ")\n";
  }
  OS << "}\n";
}

} // namespace

void tg::printArgValue(const Arg &A, ArgType Type, ScalarKind Scalar,
                       raw_ostream &OS) {
  if (Type == ArgType::Const) {
    printConst(A, Scalar, OS);
    return;
  }
  if (Type != ArgType::ConstList || !A.isList()) {
    A.print(OS);
    return;
  }
  OS << '[';
  llvm::interleaveComma(A.getElements(), OS,
                        [&](const Arg *E) { printConst(*E, Scalar, OS); });
  OS << ']';
}

void tg::printFunction(const Function &F, raw_ostream &OS) {
  FunctionPrinter(F, OS).print();
}

/// Buffers (one block), then functions in order, then main; a blank line
/// between blocks.
void tg::printModule(const Module &M, raw_ostream &OS) {
  bool First = true;
  auto Separate = [&] {
    if (!First)
      OS << '\n';
    First = false;
  };
  if (!M.Buffers.empty()) {
    Separate();
    for (const BufferDecl &B : M.Buffers)
      OS << "buffer @" << B.Name << " : " << B.Type << '\n';
  }
  for (const std::unique_ptr<Function> &F : M.Functions) {
    Separate();
    printFunction(*F, OS);
  }
  if (M.Main) {
    Separate();
    printMain(*M.Main, OS);
  }
}
