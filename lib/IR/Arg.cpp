//===- Arg.cpp - printing of argument values ------------------------------===//

#include "tg/IR/Arg.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Error.h"

#include <cstdlib>

using namespace tg;

const llvm::fltSemantics &tg::getFloatSemantics(ScalarKind Type) {
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

/// The fewest significant digits that read back as `F` in its own type, in
/// APFloat's scientific form (`1.2345679E+8`). APFloat's natural precision
/// always reads back but is not the shortest (`1.000000000e+00` for 1.0f).
static llvm::SmallString<32> getShortestDigits(const llvm::APFloat &F) {
  const llvm::fltSemantics &Sem = F.getSemantics();
  unsigned MaxDigits = 2 + llvm::APFloat::semanticsPrecision(Sem) * 59 / 196;
  llvm::SmallString<32> Text;
  for (unsigned Digits = 1; Digits <= MaxDigits; ++Digits) {
    Text.clear();
    F.toString(Text, Digits, /*FormatMaxPadding=*/0, /*TruncateZero=*/true);
    llvm::APFloat Back(Sem);
    auto Status =
        Back.convertFromString(Text, llvm::APFloat::rmNearestTiesToEven);
    if (!Status)
      llvm::consumeError(Status.takeError());
    else if (Back.bitwiseIsEqual(F))
      break;
  }
  return Text;
}

/// Prints sign, digits and decimal exponent as Python's repr does: plain
/// between 1e-4 and 1e16 (`0.001`, `65504.0`), scientific outside
/// (`1.0e+30`, `1.0e-5`), always with a fraction digit.
static void printDecimal(llvm::raw_ostream &OS, bool Negative,
                         llvm::StringRef Digits, int Exponent) {
  if (Negative)
    OS << '-';
  if (Exponent < -4 || Exponent >= 16) {
    OS << Digits[0] << '.' << (Digits.size() > 1 ? Digits.drop_front() : "0")
       << 'e' << (Exponent < 0 ? '-' : '+') << std::abs(Exponent);
    return;
  }
  if (Exponent < 0) {
    OS << "0.";
    for (int I = -1; I > Exponent; --I)
      OS << '0';
    OS << Digits;
    return;
  }
  size_t IntegerDigits = size_t(Exponent) + 1;
  OS << Digits.take_front(IntegerDigits);
  for (size_t I = Digits.size(); I < IntegerDigits; ++I)
    OS << '0';
  OS << '.';
  OS << (Digits.size() > IntegerDigits ? Digits.drop_front(IntegerDigits)
                                       : "0");
}

void tg::printExactFloat(llvm::raw_ostream &OS, double Value, ScalarKind Type) {
  llvm::APFloat F(Value);
  bool LosesInfo = false;
  F.convert(getFloatSemantics(Type), llvm::APFloat::rmNearestTiesToEven,
            &LosesInfo);
  if (F.isInfinity()) {
    OS << (F.isNegative() ? "-inf" : "inf");
    return;
  }
  if (F.isNaN()) {
    llvm::APFloat Default = llvm::APFloat::getQNaN(getFloatSemantics(Type));
    if (F.bitwiseIsEqual(Default)) {
      OS << "nan";
      return;
    }
    llvm::SmallString<24> Bits;
    F.bitcastToAPInt().toStringUnsigned(Bits, 16);
    OS << "nan(0x" << Bits << ")";
    return;
  }
  // Split `-1.25E+2` into sign, digits `125` and exponent 2.
  llvm::SmallString<32> Text = getShortestDigits(F);
  llvm::StringRef Rest = Text;
  bool Negative = Rest.consume_front("-");
  auto [Mantissa, ExponentText] = Rest.split('E');
  auto [Lead, Fraction] = Mantissa.split('.');
  llvm::SmallString<32> Digits(Lead);
  Digits += Fraction.rtrim('0');
  int Exponent = 0;
  ExponentText.consume_front("+");
  ExponentText.getAsInteger(10, Exponent);
  printDecimal(OS, Negative, Digits, Exponent);
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
