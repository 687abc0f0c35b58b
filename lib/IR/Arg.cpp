//===- Arg.cpp - printing of argument values --------------------------------===//

#include "tg/IR/Arg.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"

using namespace tg;

static const llvm::fltSemantics &getSemantics(ScalarKind Type) {
  switch (Type) {
  case ScalarKind::F16:
    return llvm::APFloat::IEEEhalf();
  case ScalarKind::BF16:
    return llvm::APFloat::BFloat();
  case ScalarKind::F32:
    return llvm::APFloat::IEEEsingle();
  case ScalarKind::FP8E4M3:
    return llvm::APFloat::Float8E4M3FN();
  case ScalarKind::FP8E5M2:
    return llvm::APFloat::Float8E5M2();
  default:
    return llvm::APFloat::IEEEdouble();
  }
}

void tg::printExactFloat(llvm::raw_ostream &OS, double Value, ScalarKind Type) {
  llvm::APFloat F(Value);
  bool LosesInfo = false;
  F.convert(getSemantics(Type), llvm::APFloat::rmNearestTiesToEven, &LosesInfo);
  if (F.isInfinity()) {
    OS << (F.isNegative() ? "-inf" : "inf");
    return;
  }
  if (F.isNaN()) {
    llvm::APFloat Default = llvm::APFloat::getQNaN(getSemantics(Type));
    if (F.bitwiseIsEqual(Default)) {
      OS << "nan";
      return;
    }
    llvm::SmallString<24> Bits;
    F.bitcastToAPInt().toStringUnsigned(Bits, 16);
    OS << "nan(0x" << Bits << ")";
    return;
  }
  llvm::SmallString<32> Text;
  F.toString(Text, /*FormatPrecision=*/0, /*FormatMaxPadding=*/0,
             /*TruncateZero=*/false);
  // Canonical spelling: lower-case exponent, always a fraction digit.
  std::string S = Text.str().lower();
  size_t Exp = S.find('e');
  std::string Mantissa = S.substr(0, Exp);
  if (Mantissa.find('.') == std::string::npos)
    Mantissa += ".0";
  OS << Mantissa;
  if (Exp != std::string::npos)
    OS << S.substr(Exp);
}

static void printArg(const Arg &A, llvm::raw_ostream &OS, bool Nested) {
  switch (A.getKind()) {
  case Arg::Kind::Int:
    OS << A.getInt();
    return;
  case Arg::Kind::Float:
    printExactFloat(OS, A.getFloat(), ScalarKind::F64);
    return;
  case Arg::Kind::Bool:
    OS << (A.getBool() ? "true" : "false");
    return;
  case Arg::Kind::String:
    OS << '"';
    llvm::printEscapedString(A.getString(), OS);
    OS << '"';
    return;
  case Arg::Kind::AxisKind:
    OS << getMnemonic(A.getAxisKind());
    return;
  case Arg::Kind::Op:
    OS << getMnemonic(A.getOp());
    return;
  case Arg::Kind::Opt:
    OS << getMnemonic(A.getOptKind()) << '(';
    llvm::interleaveComma(A.getElements(), OS,
                          [&](const Arg *E) { printArg(*E, OS, true); });
    OS << ')';
    return;
  case Arg::Kind::List:
    // Top-level lists print in brackets, nested ones as tuples:
    // [(0, 1), (2, 3)].
    OS << (Nested ? '(' : '[');
    llvm::interleaveComma(A.getElements(), OS,
                          [&](const Arg *E) { printArg(*E, OS, true); });
    OS << (Nested ? ')' : ']');
    return;
  }
}

void Arg::print(llvm::raw_ostream &OS) const { printArg(*this, OS, false); }
