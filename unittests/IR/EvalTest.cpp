//===- EvalTest.cpp - the value of every elementwise op on constants ------===//
//
// Tables of (op, type, operands, expected value) for every op on every dtype
// family, with the corner cases docs/Semantics.md names; then laws checked
// over grids of values (commutativity, the division identities, normalized
// results) and exhaustive bitcast round trips of the 8- and 16-bit floats.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Eval.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Context.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/bit.h"

#include "gtest/gtest.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace tg {
// Failure messages print constants with this.
void PrintTo(const ConstValue &V, std::ostream *OS) {
  char Text[64];
  if (V.isFloat())
    std::snprintf(Text, sizeof(Text), "%a (%.17g)", V.getFloat(), V.getFloat());
  else
    std::snprintf(Text, sizeof(Text), "%" PRId64, V.getInt());
  *OS << Text;
}
} // namespace tg

using namespace tg;

namespace {

using K = ScalarKind;

ConstValue I(int64_t V) { return ConstValue::getInt(V); }
ConstValue B(bool V) { return ConstValue::getBool(V); }
ConstValue F(double V) { return ConstValue::getFloat(V); }
ConstValue floatBits(uint64_t Bits) {
  double V;
  std::memcpy(&V, &Bits, sizeof(V));
  return F(V);
}
ConstValue toConst(llvm::APFloat V) {
  bool LosesInfo = false;
  V.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
            &LosesInfo);
  return F(V.convertToDouble());
}
/// The default nan of a float type: every computed nan.
ConstValue nanOf(ScalarKind Type) {
  return toConst(llvm::APFloat::getQNaN(getFloatSemantics(Type)));
}

constexpr std::nullopt_t NoValue = std::nullopt;
constexpr int64_t I64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t I64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t I32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t I32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t U32Max = std::numeric_limits<uint32_t>::max();
constexpr int64_t U64Max = -1; // u64 constants keep their bit pattern
constexpr double Inf = std::numeric_limits<double>::infinity();
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

std::string str(ConstValue V) {
  std::stringstream OS;
  PrintTo(V, &OS);
  return OS.str();
}

/// `O` on operands of type `Type` (the result is bool for comparisons).
std::optional<ConstValue> eval(Op O, ScalarKind Type,
                               llvm::ArrayRef<ConstValue> Operands) {
  ScalarKind Result = hasTrait(O, OpTrait::Comparison) ? K::Bool : Type;
  return evalAlu(O, Result, Type, Operands);
}

struct Case {
  Op O;
  ScalarKind Type; ///< The operands' type.
  std::vector<ConstValue> Operands;
  std::optional<ConstValue> Expected;
};

void check(llvm::ArrayRef<Case> Cases) {
  for (const Case &C : Cases) {
    std::string Trace =
        getMnemonic(C.O).str() + " " + getScalarInfo(C.Type).Mnemonic + " (";
    for (ConstValue V : C.Operands)
      Trace += str(V) + ", ";
    SCOPED_TRACE(Trace + ")");
    EXPECT_EQ(eval(C.O, C.Type, C.Operands), C.Expected);
  }
}

struct ConversionCase {
  ScalarKind From, To;
  ConstValue Value;
  std::optional<ConstValue> Expected;
};

void checkConversions(Op O, llvm::ArrayRef<ConversionCase> Cases) {
  for (const ConversionCase &C : Cases) {
    SCOPED_TRACE(getMnemonic(O).str() + " " + getScalarInfo(C.From).Mnemonic +
                 " " + str(C.Value) + " to " + getScalarInfo(C.To).Mnemonic);
    EXPECT_EQ(evalAlu(O, C.To, C.From, {C.Value}), C.Expected);
  }
}

//===----------------------------------------------------------------------===//
// Integers
//===----------------------------------------------------------------------===//

TEST(EvalTest, FixedWidthIntegersWrap) {
  check({
      {Op::Add, K::I8, {I(127), I(1)}, I(-128)},
      {Op::Sub, K::I8, {I(-128), I(1)}, I(127)},
      {Op::Neg, K::I8, {I(-128)}, I(-128)},
      {Op::Mul, K::I8, {I(100), I(3)}, I(44)},
      {Op::MulAcc, K::I8, {I(16), I(16), I(1)}, I(1)},
      {Op::Add, K::I16, {I(32767), I(1)}, I(-32768)},
      {Op::Mul, K::I16, {I(256), I(256)}, I(0)},
      {Op::Add, K::I32, {I(I32Max), I(1)}, I(I32Min)},
      {Op::Mul, K::I32, {I(46341), I(46341)}, I(-2147479015)},
      {Op::Add, K::I64, {I(I64Max), I(1)}, I(I64Min)},
      {Op::Neg, K::I64, {I(I64Min)}, I(I64Min)},
      {Op::Sub, K::U8, {I(0), I(1)}, I(255)},
      {Op::Add, K::U8, {I(255), I(1)}, I(0)},
      {Op::Neg, K::U8, {I(1)}, I(255)},
      {Op::Mul, K::U16, {I(65535), I(65535)}, I(1)},
      {Op::Add, K::U32, {I(U32Max), I(1)}, I(0)},
      {Op::Sub, K::U32, {I(0), I(1)}, I(U32Max)},
      {Op::MulAcc, K::U32, {I(65536), I(65536), I(5)}, I(5)},
      {Op::Add, K::U64, {I(U64Max), I(1)}, I(0)},
      {Op::Sub, K::U64, {I(0), I(1)}, I(U64Max)},
      {Op::Mul, K::U64, {I(int64_t(1) << 32), I(int64_t(1) << 32)}, I(0)},
  });
}

TEST(EvalTest, IndexNeverWrapsAndHasNoValueOutsideInt64) {
  check({
      {Op::Add, K::Index, {I(I64Max), I(1)}, NoValue},
      {Op::Add, K::Index, {I(I64Max), I(-1)}, I(I64Max - 1)},
      {Op::Add, K::Index, {I(int64_t(1) << 62), I(int64_t(1) << 62)}, NoValue},
      {Op::Sub, K::Index, {I(I64Min), I(1)}, NoValue},
      {Op::Sub, K::Index, {I(0), I(I64Min)}, NoValue},
      {Op::Mul, K::Index, {I(int64_t(1) << 32), I(int64_t(1) << 32)}, NoValue},
      {Op::Mul,
       K::Index,
       {I(int64_t(1) << 31), I(-(int64_t(1) << 32))},
       I(I64Min)},
      {Op::Neg, K::Index, {I(I64Min)}, NoValue},
      {Op::Neg, K::Index, {I(I64Max)}, I(-I64Max)},
      // a * b + c is exact: the product may leave int64 while the sum fits.
      {Op::MulAcc, K::Index, {I(int64_t(1) << 62), I(2), I(-1)}, I(I64Max)},
      {Op::MulAcc, K::Index, {I(int64_t(1) << 62), I(2), I(0)}, NoValue},
      {Op::MulAcc, K::Index, {I(3), I(4), I(5)}, I(17)},
      {Op::FloorDiv, K::Index, {I(I64Min), I(-1)}, NoValue},
      {Op::TruncDiv, K::Index, {I(I64Min), I(-1)}, NoValue},
      {Op::FloorMod, K::Index, {I(I64Min), I(-1)}, I(0)},
      {Op::TruncMod, K::Index, {I(I64Min), I(-1)}, I(0)},
      {Op::Max, K::Index, {I(-5), I(3)}, I(3)},
      {Op::And, K::Index, {I(-1), I(255)}, I(255)},
      {Op::Or, K::Index, {I(-256), I(255)}, I(-1)},
      {Op::Xor, K::Index, {I(-1), I(5)}, I(-6)},
      {Op::CmpLT, K::Index, {I(-5), I(3)}, B(true)},
      {Op::CmpEQ, K::Index, {I(I64Min), I(I64Min)}, B(true)},
      {Op::CmpNE, K::Index, {I(1), I(2)}, B(true)},
  });
}

TEST(EvalTest, FloorAndTruncatingDivision) {
  struct Row {
    int64_t A, B, FloorDiv, FloorMod, TruncDiv, TruncMod;
  };
  const Row Rows[] = {
      {7, 2, 3, 1, 3, 1},     {-7, 2, -4, 1, -3, -1}, {7, -2, -4, -1, -3, 1},
      {-7, -2, 3, -1, 3, -1}, {6, -3, -2, 0, -2, 0},  {0, -3, 0, 0, 0, 0},
      {-1, 5, -1, 4, 0, -1},  {1, -5, -1, -4, 0, 1},  {5, 1, 5, 0, 5, 0},
      {-5, -1, 5, 0, 5, 0},
  };
  for (ScalarKind Type : {K::I8, K::I16, K::I32, K::I64, K::Index})
    for (const Row &R : Rows)
      check({
          {Op::FloorDiv, Type, {I(R.A), I(R.B)}, I(R.FloorDiv)},
          {Op::FloorMod, Type, {I(R.A), I(R.B)}, I(R.FloorMod)},
          {Op::TruncDiv, Type, {I(R.A), I(R.B)}, I(R.TruncDiv)},
          {Op::TruncMod, Type, {I(R.A), I(R.B)}, I(R.TruncMod)},
      });
}

TEST(EvalTest, UnsignedDivisionUsesTheUnsignedValue) {
  check({
      {Op::FloorDiv, K::U32, {I(4294967289), I(2)}, I(2147483644)},
      {Op::FloorMod, K::U32, {I(4294967289), I(2)}, I(1)},
      {Op::TruncDiv, K::U32, {I(4294967289), I(2)}, I(2147483644)},
      {Op::TruncMod, K::U32, {I(4294967289), I(2)}, I(1)},
      // 2^64 - 7 is stored as -7.
      {Op::FloorDiv, K::U64, {I(-7), I(2)}, I(9223372036854775804)},
      {Op::TruncMod, K::U64, {I(-7), I(2)}, I(1)},
      {Op::FloorDiv, K::U64, {I(U64Max), I(U64Max)}, I(1)},
      {Op::TruncDiv, K::U64, {I(5), I(U64Max)}, I(0)},
      {Op::TruncMod, K::U64, {I(5), I(U64Max)}, I(5)},
      {Op::FloorDiv, K::U8, {I(255), I(16)}, I(15)},
      {Op::FloorMod, K::U8, {I(255), I(16)}, I(15)},
  });
}

TEST(EvalTest, DivisionByZeroAndMinimumByMinusOne) {
  for (ScalarKind Type :
       {K::I8, K::I32, K::I64, K::U8, K::U32, K::U64, K::Index})
    for (Op O : {Op::FloorDiv, Op::FloorMod, Op::TruncDiv, Op::TruncMod})
      check(
          {{O, Type, {I(1), I(0)}, NoValue}, {O, Type, {I(0), I(0)}, NoValue}});
  // The minimum divided by -1: truncdiv is undefined (as C's `/`); floordiv
  // wraps back to the minimum; both remainders are 0.
  for (auto [Type, Min] : {std::pair{K::I8, int64_t(-128)},
                           {K::I16, int64_t(-32768)},
                           {K::I32, I32Min},
                           {K::I64, I64Min}})
    check({
        {Op::TruncDiv, Type, {I(Min), I(-1)}, NoValue},
        {Op::FloorDiv, Type, {I(Min), I(-1)}, I(Min)},
        {Op::FloorMod, Type, {I(Min), I(-1)}, I(0)},
        {Op::TruncMod, Type, {I(Min), I(-1)}, I(0)},
        {Op::TruncDiv, Type, {I(Min + 1), I(-1)}, I(-(Min + 1))},
    });
}

TEST(EvalTest, Shifts) {
  check({
      {Op::Shl, K::I8, {I(1), I(7)}, I(-128)},
      {Op::Shl, K::I8, {I(0x41), I(1)}, I(-126)},
      {Op::Shl, K::I8, {I(-1), I(1)}, I(-2)},
      {Op::Shl, K::I8, {I(1), I(8)}, NoValue},
      {Op::Shl, K::I8, {I(1), I(-1)}, NoValue},
      {Op::Shr, K::I8, {I(-128), I(7)}, I(-1)},
      {Op::Shr, K::I8, {I(64), I(6)}, I(1)},
      {Op::Shr, K::I8, {I(1), I(8)}, NoValue},
      {Op::Shl, K::U8, {I(255), I(4)}, I(240)},
      {Op::Shr, K::U8, {I(255), I(7)}, I(1)},
      {Op::Shl, K::U8, {I(1), I(8)}, NoValue},
      {Op::Shl, K::I32, {I(1), I(31)}, I(I32Min)},
      {Op::Shl, K::I32, {I(1), I(32)}, NoValue},
      {Op::Shr, K::I32, {I(-8), I(1)}, I(-4)},
      {Op::Shr, K::I32, {I(-7), I(1)}, I(-4)},
      {Op::Shr, K::I32, {I(I32Min), I(31)}, I(-1)},
      {Op::Shr, K::I32, {I(1), I(-1)}, NoValue},
      {Op::Shr, K::U32, {I(0x80000000), I(31)}, I(1)},
      {Op::Shr, K::U32, {I(1), I(32)}, NoValue},
      {Op::Shl, K::I64, {I(1), I(63)}, I(I64Min)},
      {Op::Shl, K::I64, {I(1), I(64)}, NoValue},
      {Op::Shr, K::I64, {I(I64Min), I(63)}, I(-1)},
      {Op::Shl, K::U64, {I(1), I(63)}, I(I64Min)},
      {Op::Shl, K::U64, {I(1), I(64)}, NoValue},
      {Op::Shr, K::U64, {I(U64Max), I(63)}, I(1)},
      {Op::Shr, K::U64, {I(1), I(U64Max)}, NoValue}, // 2^64 - 1 bits
      // index: a * 2^b and floor(a / 2^b) for any b >= 0.
      {Op::Shl, K::Index, {I(1), I(62)}, I(int64_t(1) << 62)},
      {Op::Shl, K::Index, {I(1), I(63)}, NoValue},
      {Op::Shl, K::Index, {I(-1), I(63)}, I(I64Min)},
      {Op::Shl, K::Index, {I(-3), I(2)}, I(-12)},
      {Op::Shl, K::Index, {I(0), I(1000)}, I(0)},
      {Op::Shl, K::Index, {I(3), I(1000)}, NoValue},
      {Op::Shl, K::Index, {I(1), I(-1)}, NoValue},
      {Op::Shr, K::Index, {I(-7), I(1)}, I(-4)},
      {Op::Shr, K::Index, {I(-1), I(1000)}, I(-1)},
      {Op::Shr, K::Index, {I(5), I(1000)}, I(0)},
      {Op::Shr, K::Index, {I(5), I(-1)}, NoValue},
  });
}

TEST(EvalTest, BitwiseMaxAndComparisonsOfIntegers) {
  check({
      {Op::And, K::I8, {I(-1), I(15)}, I(15)},
      {Op::Or, K::I8, {I(0x70), I(-128)}, I(-16)},
      {Op::Xor, K::I8, {I(-1), I(0x7f)}, I(-128)},
      {Op::Xor, K::U8, {I(0xf0), I(0xff)}, I(0x0f)},
      {Op::And, K::U64, {I(U64Max), I(5)}, I(5)},
      {Op::Max, K::I32, {I(-1), I(1)}, I(1)},
      {Op::Max, K::U32, {I(U32Max), I(1)}, I(U32Max)},
      {Op::Max, K::I64, {I(-1), I(1)}, I(1)},
      {Op::Max, K::U64, {I(U64Max), I(1)}, I(U64Max)},
      {Op::CmpLT, K::I8, {I(-1), I(1)}, B(true)},
      {Op::CmpLT, K::U8, {I(255), I(1)}, B(false)},
      {Op::CmpLT, K::U32, {I(U32Max), I(0)}, B(false)},
      {Op::CmpLT, K::I64, {I(1), I(-1)}, B(false)},
      {Op::CmpLT, K::U64, {I(1), I(U64Max)}, B(true)},
      {Op::CmpLT, K::I16, {I(3), I(3)}, B(false)},
      {Op::CmpEQ, K::I32, {I(5), I(5)}, B(true)},
      {Op::CmpNE, K::I32, {I(5), I(5)}, B(false)},
      {Op::CmpNE, K::U16, {I(1), I(2)}, B(true)},
  });
}

TEST(EvalTest, BoolOps) {
  check({
      {Op::Add, K::Bool, {B(true), B(true)}, B(true)},
      {Op::Add, K::Bool, {B(false), B(false)}, B(false)},
      {Op::Mul, K::Bool, {B(true), B(false)}, B(false)},
      {Op::Mul, K::Bool, {B(true), B(true)}, B(true)},
      {Op::Max, K::Bool, {B(false), B(true)}, B(true)},
      {Op::And, K::Bool, {B(true), B(false)}, B(false)},
      {Op::Or, K::Bool, {B(false), B(true)}, B(true)},
      {Op::Xor, K::Bool, {B(true), B(true)}, B(false)},
      {Op::Xor, K::Bool, {B(true), B(false)}, B(true)},
      {Op::MulAcc, K::Bool, {B(true), B(false), B(true)}, B(true)},
      {Op::MulAcc, K::Bool, {B(true), B(true), B(false)}, B(true)},
      {Op::MulAcc, K::Bool, {B(false), B(true), B(false)}, B(false)},
      {Op::CmpLT, K::Bool, {B(false), B(true)}, B(true)},
      {Op::CmpLT, K::Bool, {B(true), B(false)}, B(false)},
      {Op::CmpLT, K::Bool, {B(true), B(true)}, B(false)},
      {Op::CmpEQ, K::Bool, {B(true), B(true)}, B(true)},
      {Op::CmpNE, K::Bool, {B(true), B(false)}, B(true)},
      {Op::Sub, K::Bool, {B(true), B(true)}, NoValue},
      {Op::Neg, K::Bool, {B(true)}, NoValue},
      {Op::FloorDiv, K::Bool, {B(true), B(true)}, NoValue},
      {Op::Shl, K::Bool, {B(true), B(false)}, NoValue},
  });
}

//===----------------------------------------------------------------------===//
// Floats
//===----------------------------------------------------------------------===//

TEST(EvalTest, FloatArithmeticRoundsOnceToTheType) {
  check({
      // f16: 11 significand bits; 2049 and 2051 are ties.
      {Op::Add, K::F16, {F(2048), F(1)}, F(2048)},
      {Op::Add, K::F16, {F(2048), F(3)}, F(2052)},
      {Op::Add, K::F16, {F(65504), F(15)}, F(65504)},
      {Op::Add, K::F16, {F(65504), F(16)}, F(Inf)},
      // f16's 0.1 times 3 is a tie, rounded to the even neighbour.
      {Op::Mul, K::F16, {F(0.0999755859375), F(3)}, F(0.2998046875)},
      {Op::FDiv, K::F16, {F(1), F(3)}, F(0.333251953125)},
      // bf16: 8 significand bits.
      {Op::Add, K::BF16, {F(256), F(1)}, F(256)},
      {Op::Add, K::BF16, {F(256), F(3)}, F(260)},
      {Op::Mul, K::BF16, {F(1.0078125), F(1.0078125)}, F(1.015625)},
      {Op::Add, K::F32, {F(16777216), F(1)}, F(16777216)},
      {Op::Add, K::F32, {F(16777216), F(3)}, F(16777220)},
      {Op::FDiv, K::F32, {F(1), F(3)}, F(double(1.0f / 3.0f))},
      {Op::Sub, K::F32, {F(1), F(double(0.1f))}, F(double(1.0f - 0.1f))},
      {Op::Add, K::F64, {F(0.1), F(0.2)}, F(0.30000000000000004)},
      {Op::FDiv, K::F32, {F(1), F(0)}, F(Inf)},
      {Op::FDiv, K::F32, {F(-1), F(0)}, F(-Inf)},
      {Op::FDiv, K::F32, {F(1), F(-0.0)}, F(-Inf)},
      {Op::FDiv, K::F32, {F(0), F(0)}, nanOf(K::F32)},
      {Op::Add, K::F32, {F(Inf), F(-Inf)}, nanOf(K::F32)},
      {Op::Mul, K::F64, {F(0), F(Inf)}, nanOf(K::F64)},
      // fp8e4m3: 4 significand bits, largest finite 448, no infinity.
      {Op::Add, K::FP8E4M3, {F(1), F(0.0625)}, F(1)},
      {Op::Add, K::FP8E4M3, {F(1), F(0.1875)}, F(1.25)},
      // fp8e5m2: 3 significand bits, IEEE-like with infinities.
      {Op::Add, K::FP8E5M2, {F(1), F(0.125)}, F(1)},
      {Op::Add, K::FP8E5M2, {F(1), F(0.25)}, F(1.25)},
      {Op::Mul, K::FP8E5M2, {F(57344), F(2)}, F(Inf)},
  });
}

TEST(EvalTest, Fp8E4M3OverflowIsNan) {
  // 448 is the largest finite value and 480 would be the next; anything
  // rounding above 448 (beyond the tie at 464) is nan, as in APFloat.
  check({
      {Op::Add, K::FP8E4M3, {F(448), F(16)}, F(448)},
      {Op::Add, K::FP8E4M3, {F(448), F(32)}, nanOf(K::FP8E4M3)},
      {Op::Sub, K::FP8E4M3, {F(-448), F(32)}, nanOf(K::FP8E4M3)},
      {Op::Mul, K::FP8E4M3, {F(448), F(2)}, nanOf(K::FP8E4M3)},
      {Op::FDiv, K::FP8E4M3, {F(1), F(0)}, nanOf(K::FP8E4M3)},
      {Op::Recip, K::FP8E4M3, {F(0)}, nanOf(K::FP8E4M3)},
      {Op::Exp2, K::FP8E4M3, {F(9)}, nanOf(K::FP8E4M3)},
  });
}

TEST(EvalTest, NanAndSignedZero) {
  ConstValue PayloadNaN = floatBits(0x7ff8000020000000); // a payload f32 keeps
  check({
      {Op::Max, K::F32, {F(NaN), F(1)}, nanOf(K::F32)},
      {Op::Max, K::F32, {F(1), F(NaN)}, nanOf(K::F32)},
      {Op::Max, K::FP8E4M3, {nanOf(K::FP8E4M3), F(1)}, nanOf(K::FP8E4M3)},
      {Op::Max, K::F16, {F(-0.0), F(0.0)}, F(0.0)},
      {Op::Max, K::F16, {F(0.0), F(-0.0)}, F(0.0)},
      {Op::Max, K::F32, {F(-0.0), F(-0.0)}, F(-0.0)},
      {Op::Max, K::F64, {F(-Inf), F(-1)}, F(-1)},
      {Op::CmpLT, K::F32, {F(NaN), F(1)}, B(false)},
      {Op::CmpLT, K::F32, {F(1), F(NaN)}, B(false)},
      {Op::CmpEQ, K::F32, {F(NaN), F(NaN)}, B(false)},
      {Op::CmpNE, K::F32, {F(NaN), F(NaN)}, B(true)},
      {Op::CmpNE, K::F16, {F(NaN), F(1)}, B(true)},
      {Op::CmpEQ, K::F32, {F(-0.0), F(0.0)}, B(true)},
      {Op::CmpLT, K::F32, {F(-0.0), F(0.0)}, B(false)},
      {Op::CmpLT, K::BF16, {F(-Inf), F(Inf)}, B(true)},
      {Op::Add, K::F64, {F(-0.0), F(0.0)}, F(0.0)},
      {Op::Add, K::F64, {F(-0.0), F(-0.0)}, F(-0.0)},
      {Op::Sub, K::F64, {F(-0.0), F(0.0)}, F(-0.0)},
      {Op::Mul, K::F32, {F(-1), F(0.0)}, F(-0.0)},
      {Op::Neg, K::F32, {F(0.0)}, F(-0.0)},
      {Op::Neg, K::F32, {F(-0.0)}, F(0.0)},
      {Op::Neg, K::F16, {F(Inf)}, F(-Inf)},
      // Computed nans are the default nan; neg only flips the sign bit.
      {Op::Add, K::F32, {PayloadNaN, F(1)}, nanOf(K::F32)},
      {Op::Neg, K::F32, {PayloadNaN}, floatBits(0xfff8000020000000)},
  });
}

TEST(EvalTest, TranscendentalsAndSpecialFunctions) {
  check({
      {Op::Exp2, K::F32, {F(10)}, F(1024)},
      {Op::Exp2, K::F32, {F(-1)}, F(0.5)},
      {Op::Exp2, K::F16, {F(15)}, F(32768)},
      {Op::Exp2, K::F16, {F(16)}, F(Inf)},
      {Op::Exp2, K::F64, {F(1024)}, F(Inf)},
      {Op::Exp2, K::F64, {F(-Inf)}, F(0)},
      {Op::Exp2, K::F32, {F(NaN)}, nanOf(K::F32)},
      {Op::Log2, K::F32, {F(8)}, F(3)},
      {Op::Log2, K::F32, {F(0)}, F(-Inf)},
      {Op::Log2, K::F32, {F(-0.0)}, F(-Inf)},
      {Op::Log2, K::F32, {F(-1)}, nanOf(K::F32)},
      {Op::Log2, K::F64, {F(Inf)}, F(Inf)},
      {Op::Sin, K::F64, {F(0)}, F(0)},
      {Op::Sin, K::F64, {F(-0.0)}, F(-0.0)},
      {Op::Sin, K::F32, {F(Inf)}, nanOf(K::F32)},
      {Op::Sin, K::F64, {F(1.5707963267948966)}, F(1)},
      {Op::Sqrt, K::F32, {F(4)}, F(2)},
      {Op::Sqrt, K::F32, {F(2)}, F(double(std::sqrt(2.0f)))},
      {Op::Sqrt, K::F16, {F(2)}, F(1.4140625)},
      {Op::Sqrt, K::F64, {F(2)}, F(std::sqrt(2.0))},
      {Op::Sqrt, K::F32, {F(-1)}, nanOf(K::F32)},
      {Op::Sqrt, K::F32, {F(-0.0)}, F(-0.0)},
      {Op::Sqrt, K::BF16, {F(Inf)}, F(Inf)},
      {Op::Recip, K::F32, {F(4)}, F(0.25)},
      {Op::Recip, K::F32, {F(3)}, F(double(1.0f / 3.0f))},
      {Op::Recip, K::F32, {F(0)}, F(Inf)},
      {Op::Recip, K::F32, {F(-0.0)}, F(-Inf)},
      {Op::Recip, K::F64, {F(-Inf)}, F(-0.0)},
      {Op::Trunc, K::F32, {F(3.75)}, F(3)},
      {Op::Trunc, K::F32, {F(-3.75)}, F(-3)},
      {Op::Trunc, K::F32, {F(-0.5)}, F(-0.0)},
      {Op::Trunc, K::F16, {F(1000.5)}, F(1000)},
      {Op::Trunc, K::F64, {F(Inf)}, F(Inf)},
      {Op::Trunc, K::F64, {F(NaN)}, nanOf(K::F64)},
      // pow follows C's pow (C99 Annex F).
      {Op::Pow, K::F32, {F(2), F(10)}, F(1024)},
      {Op::Pow, K::F32, {F(4), F(0.5)}, F(2)},
      {Op::Pow, K::F32, {F(-2), F(3)}, F(-8)},
      {Op::Pow, K::F32, {F(-8), F(double(1.0f / 3.0f))}, nanOf(K::F32)},
      {Op::Pow, K::F32, {F(0), F(-1)}, F(Inf)},
      {Op::Pow, K::F32, {F(-0.0), F(-1)}, F(-Inf)},
      {Op::Pow, K::F32, {F(1), F(NaN)}, F(1)},
      {Op::Pow, K::F32, {F(NaN), F(0)}, F(1)},
      {Op::Pow, K::F16, {F(2), F(16)}, F(Inf)},
  });
}

/// f32 and f64 arithmetic takes the host's float and double (Eval.cpp's
/// evalNative): checked bit for bit against APFloat in the type, one
/// rounding to nearest even, on random bit patterns (subnormals, zeros and
/// infinities included), with nan results the type's default nan.
TEST(EvalTest, NativeFloatArithmeticIsAPFloats) {
  using llvm::APFloat;
  std::mt19937_64 Rng(42);
  const APFloat::roundingMode Even = APFloat::rmNearestTiesToEven;
  for (K Type : {K::F32, K::F64}) {
    const llvm::fltSemantics &Sem =
        Type == K::F32 ? APFloat::IEEEsingle() : APFloat::IEEEdouble();
    auto Random = [&] {
      uint64_t Bits = Rng();
      // Mostly nearby exponents, so that sums round; now and then any.
      if (Rng() % 4)
        Bits = Type == K::F32
                   ? (Bits & 0x807fffffu) |
                         (0x3f000000u + (Bits >> 40) % 0x01000000u)
                   : (Bits & 0x800fffffffffffffull) | 0x3ff0000000000000ull;
      if (Rng() % 16 == 0)
        Bits &=
            Type == K::F32 ? 0x807fffffu : 0x800fffffffffffffull; // Subnormal.
      APFloat F(Sem, llvm::APInt(Type == K::F32 ? 32 : 64,
                                 Type == K::F32 ? Bits & 0xffffffffu : Bits));
      return F.isNaN() ? APFloat(Sem, 1) : F;
    };
    auto Value = [](APFloat F) {
      bool LosesInfo;
      if (F.isNaN())
        F = APFloat::getQNaN(F.getSemantics());
      F.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                &LosesInfo);
      return ConstValue::getFloat(F.convertToDouble());
    };
    for (int I = 0; I != 20000; ++I) {
      APFloat A = Random(), B = Random(), C = Random();
      std::vector<ConstValue> Ops = {Value(A), Value(B), Value(C)};
      auto Expect = [&](Op O, APFloat Want, unsigned N) {
        std::optional<ConstValue> Got =
            evalAlu(O, Type, Type, llvm::ArrayRef(Ops).take_front(N));
        ASSERT_TRUE(Got) << getMnemonic(O).str();
        EXPECT_EQ(llvm::bit_cast<uint64_t>(Got->getFloat()),
                  llvm::bit_cast<uint64_t>(Value(Want).getFloat()))
            << getMnemonic(O).str() << " on " << Ops[0].getFloat() << ", "
            << Ops[1].getFloat() << ", " << Ops[2].getFloat();
      };
      APFloat R = A;
      R.add(B, Even);
      Expect(Op::Add, R, 2);
      R = A;
      R.subtract(B, Even);
      Expect(Op::Sub, R, 2);
      R = A;
      R.multiply(B, Even);
      Expect(Op::Mul, R, 2);
      R = A;
      R.divide(B, Even);
      Expect(Op::FDiv, R, 2);
      R = APFloat(Sem, 1);
      R.divide(A, Even);
      Expect(Op::Recip, R, 1);
      R = A;
      R.fusedMultiplyAdd(B, C, Even);
      Expect(Op::MulAcc, R, 3);
      R = A;
      R.roundToIntegral(APFloat::rmTowardZero);
      Expect(Op::Trunc, R, 1);
      Expect(Op::Max, llvm::maximum(A, B), 2);
      EXPECT_EQ(
          evalAlu(Op::CmpLT, K::Bool, Type, llvm::ArrayRef(Ops).take_front(2))
              ->getInt(),
          A.compare(B) == APFloat::cmpLessThan);
    }
  }
}

TEST(EvalTest, MulAccIsFused) {
  // (1 + 2^-23) * (1 - 2^-23) = 1 - 2^-46 rounds to 1.0 in f32, so an
  // unfused a * b + c would give 0.
  double A = 1 + std::ldexp(1.0, -23), Bv = 1 - std::ldexp(1.0, -23);
  check({
      {Op::MulAcc, K::F32, {F(A), F(Bv), F(-1)}, F(-std::ldexp(1.0, -46))},
      {Op::MulAcc, K::F16, {F(2), F(3), F(1)}, F(7)},
      {Op::MulAcc, K::F64, {F(Inf), F(0), F(1)}, nanOf(K::F64)},
      {Op::MulAcc, K::I32, {I(I32Max), I(2), I(2)}, I(0)},
  });
}

TEST(EvalTest, WhereCopiesTheChosenOperand) {
  ConstValue PayloadNaN = floatBits(0x7ff8000020000000);
  EXPECT_EQ(evalAlu(Op::Where, K::I32, K::Bool, {B(true), I(1), I(2)}), I(1));
  EXPECT_EQ(evalAlu(Op::Where, K::I32, K::Bool, {B(false), I(1), I(2)}), I(2));
  EXPECT_EQ(evalAlu(Op::Where, K::F32, K::Bool, {B(true), F(-0.0), F(1)}),
            F(-0.0));
  EXPECT_EQ(evalAlu(Op::Where, K::F32, K::Bool, {B(false), F(1), PayloadNaN}),
            PayloadNaN);
  EXPECT_EQ(evalAlu(Op::Where, K::I32, K::I32, {I(1), I(1), I(2)}), NoValue);
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

TEST(EvalTest, CastFloatToInteger) {
  checkConversions(
      Op::Cast,
      {
          {K::F32, K::I32, F(double(3.9f)), I(3)},
          {K::F32, K::I32, F(double(-3.9f)), I(-3)},
          {K::F64, K::I32, F(3.9), I(3)},
          {K::F64, K::I32, F(-3.9), I(-3)},
          {K::F32, K::I32, F(NaN), NoValue},
          {K::F32, K::I32, F(double(1e20f)), NoValue},
          {K::F64, K::I64, F(Inf), NoValue},
          {K::F64, K::I32, F(2147483647.0), I(I32Max)},
          {K::F64, K::I32, F(2147483648.0), NoValue},
          {K::F64, K::I32, F(-2147483648.9), I(I32Min)},
          {K::F64, K::I32, F(-2147483649.0), NoValue},
          {K::F32, K::U8, F(-0.5), I(0)},
          {K::F32, K::U8, F(-1), NoValue},
          {K::F32, K::U8, F(255.5), I(255)},
          {K::F32, K::U8, F(256), NoValue},
          {K::F16, K::I8, F(127.5), I(127)},
          {K::F16, K::I8, F(-128.5), I(-128)},
          {K::F16, K::I8, F(128), NoValue},
          {K::F64, K::U64, F(1e19), I(int64_t(10000000000000000000ull))},
          {K::F64, K::U64, F(18446744073709551616.0), NoValue},
          {K::F32, K::I64, F(-0.0), I(0)},
          {K::BF16, K::I32, F(3.5), I(3)},
          {K::FP8E4M3, K::I32, F(448), I(448)},
          {K::FP8E4M3, K::U8, nanOf(K::FP8E4M3), NoValue},
          {K::F64, K::Index, F(3.9), I(3)},
          {K::F64, K::Index, F(-1e19), NoValue},
          {K::F64, K::Index, F(9223372036854775808.0), NoValue},
      });
}

TEST(EvalTest, CastBetweenIntegersWraps) {
  checkConversions(Op::Cast, {
                                 {K::I32, K::U8, I(300), I(44)},
                                 {K::I32, K::U32, I(-1), I(U32Max)},
                                 {K::I32, K::U64, I(-1), I(U64Max)},
                                 {K::U32, K::I32, I(U32Max), I(-1)},
                                 {K::I64, K::I32, I(0x100000001), I(1)},
                                 {K::I64, K::I16, I(0x18000), I(-32768)},
                                 {K::I8, K::I64, I(-1), I(-1)},
                                 {K::U8, K::I8, I(255), I(-1)},
                                 {K::I8, K::U16, I(-1), I(65535)},
                                 {K::U16, K::U8, I(0x1234), I(0x34)},
                                 {K::U64, K::I64, I(U64Max), I(-1)},
                                 {K::U64, K::Index, I(U64Max), NoValue},
                                 {K::U64, K::Index, I(5), I(5)},
                                 {K::I64, K::Index, I(I64Min), I(I64Min)},
                                 {K::Index, K::U8, I(300), I(44)},
                                 {K::Index, K::U64, I(-1), I(U64Max)},
                                 {K::Index, K::I32, I(int64_t(1) << 40), I(0)},
                             });
}

TEST(EvalTest, CastToAndFromBool) {
  checkConversions(Op::Cast, {
                                 {K::I32, K::Bool, I(2), B(true)},
                                 {K::I32, K::Bool, I(0), B(false)},
                                 {K::U64, K::Bool, I(I64Min), B(true)},
                                 {K::Index, K::Bool, I(-1), B(true)},
                                 {K::F32, K::Bool, F(NaN), B(true)},
                                 {K::F32, K::Bool, F(-0.0), B(false)},
                                 {K::F32, K::Bool, F(0.5), B(true)},
                                 {K::F16, K::Bool, F(Inf), B(true)},
                                 {K::Bool, K::Bool, B(true), B(true)},
                                 {K::Bool, K::F32, B(true), F(1)},
                                 {K::Bool, K::F16, B(false), F(0)},
                                 {K::Bool, K::I32, B(true), I(1)},
                                 {K::Bool, K::U8, B(true), I(1)},
                                 {K::Bool, K::Index, B(true), I(1)},
                             });
}

TEST(EvalTest, CastIntegerToFloatRoundsToNearestEven) {
  checkConversions(Op::Cast,
                   {
                       {K::I32, K::F32, I(16777217), F(16777216)},
                       {K::I32, K::F32, I(16777219), F(16777220)},
                       {K::I32, K::F32, I(0), F(0.0)},
                       {K::U64, K::F32, I(U64Max), F(18446744073709551616.0)},
                       {K::U64, K::F64, I(U64Max), F(18446744073709551616.0)},
                       {K::I64, K::F64, I(I64Min), F(-9223372036854775808.0)},
                       {K::I64, K::F64, I(I64Max), F(9223372036854775808.0)},
                       {K::I32, K::F16, I(65519), F(65504)},
                       {K::I32, K::F16, I(65520), F(Inf)},
                       {K::Index, K::F16, I(2049), F(2048)},
                       {K::I32, K::BF16, I(257), F(256)},
                       {K::I32, K::FP8E4M3, I(17), F(16)},
                       {K::I32, K::FP8E4M3, I(1000), nanOf(K::FP8E4M3)},
                       {K::I8, K::F32, I(-128), F(-128)},
                       {K::U8, K::F32, I(255), F(255)},
                   });
}

TEST(EvalTest, CastBetweenFloatsRoundsToNearestEven) {
  checkConversions(Op::Cast,
                   {
                       {K::F64, K::F16, F(0.1), F(0.0999755859375)},
                       {K::F64, K::BF16, F(0.1), F(0.10009765625)},
                       {K::F64, K::F32, F(0.1), F(double(0.1f))},
                       {K::F64, K::F16, F(1e10), F(Inf)},
                       {K::F64, K::F16, F(-1e10), F(-Inf)},
                       {K::F64, K::F16, F(1e-10), F(0)},
                       {K::F64, K::F16, F(-1e-10), F(-0.0)},
                       {K::F64, K::F16, F(1e-7), F(std::ldexp(1.0, -23))},
                       {K::F32, K::F16, F(-0.0), F(-0.0)},
                       {K::F16, K::F64, F(65504), F(65504)},
                       {K::F32, K::BF16, F(1.00390625), F(1)},
                       {K::F32, K::BF16, F(1.01171875), F(1.015625)},
                       {K::F64, K::FP8E4M3, F(460), F(448)},
                       {K::F64, K::FP8E4M3, F(464), F(448)},
                       {K::F64, K::FP8E4M3, F(465), nanOf(K::FP8E4M3)},
                       {K::F16, K::FP8E4M3, F(Inf), nanOf(K::FP8E4M3)},
                       {K::F64, K::FP8E5M2, F(1e6), F(Inf)},
                       {K::F16, K::FP8E5M2, F(-Inf), F(-Inf)},
                       {K::F64, K::F32, F(NaN), nanOf(K::F32)},
                       {K::F32, K::F64, F(-NaN), nanOf(K::F64)},
                   });
}

TEST(EvalTest, Bitcast) {
  checkConversions(
      Op::Bitcast,
      {
          {K::F32, K::I32, F(1), I(0x3f800000)},
          {K::I32, K::F32, I(0x3f800000), F(1)},
          {K::F32, K::U32, F(-0.0), I(0x80000000)},
          {K::F32, K::I32, F(-1), I(-1082130432)}, // 0xbf800000
          {K::F16, K::I16, F(1), I(0x3c00)},
          {K::F16, K::U16, F(-2), I(0xc000)},
          {K::U16, K::F16, I(0x7c00), F(Inf)},
          {K::F64, K::I64, F(1), I(0x3ff0000000000000)},
          {K::I64, K::F64, I(0x4000000000000000), F(2)},
          {K::U64, K::F64, I(0x7ff0000000000000), F(Inf)},
          {K::BF16, K::U16, F(1), I(0x3f80)},
          {K::U16, K::BF16, I(0x3fc0), F(1.5)},
          {K::FP8E4M3, K::U8, F(1), I(0x38)},
          {K::U8, K::FP8E4M3, I(0x7e), F(448)},
          {K::U8, K::FP8E4M3, I(0x7f), nanOf(K::FP8E4M3)},
          {K::U8, K::FP8E5M2, I(0x7c), F(Inf)},
          {K::I8, K::U8, I(-1), I(255)},
          {K::U32, K::I32, I(0x80000000), I(I32Min)},
          {K::U64, K::I64, I(U64Max), I(-1)},
          // A signaling nan of a type narrower than f64 is no constant.
          {K::U16, K::F16, I(0x7c01), NoValue},
          {K::I32, K::F32, I(0x7f800001), NoValue},
          {K::I64, K::F64, I(0x7ff0000000000001),
           floatBits(0x7ff0000000000001)},
          // The total width must match; index and bool have no bits.
          {K::F32, K::I64, F(1), NoValue},
          {K::I16, K::F32, I(1), NoValue},
          {K::Index, K::I64, I(1), NoValue},
          {K::I64, K::Index, I(1), NoValue},
          {K::Bool, K::U8, B(true), NoValue},
          {K::U8, K::Bool, I(1), NoValue},
      });
}

TEST(EvalTest, BitcastRoundTripsEveryNarrowFloat) {
  for (auto [IntType, FloatType] : {std::pair{K::U16, K::F16},
                                    {K::I16, K::BF16},
                                    {K::U8, K::FP8E4M3},
                                    {K::I8, K::FP8E5M2}}) {
    unsigned Bits = getScalarInfo(IntType).Bits;
    for (uint64_t Pattern = 0; Pattern != (uint64_t(1) << Bits); ++Pattern) {
      ConstValue In = *evalAlu(Op::Cast, IntType, K::U64, {I(Pattern)});
      std::optional<ConstValue> AsFloat =
          evalAlu(Op::Bitcast, FloatType, IntType, {In});
      llvm::APFloat Expected(getFloatSemantics(FloatType),
                             llvm::APInt(Bits, Pattern));
      if (Expected.isSignaling()) {
        EXPECT_EQ(AsFloat, NoValue);
        continue;
      }
      ASSERT_TRUE(AsFloat) << Pattern;
      EXPECT_EQ(evalAlu(Op::Bitcast, IntType, FloatType, {*AsFloat}), In)
          << Pattern;
      if (Expected.isNaN())
        EXPECT_TRUE(std::isnan(AsFloat->getFloat())) << Pattern;
      else
        EXPECT_EQ(*AsFloat, toConst(Expected)) << Pattern;
    }
  }
}

TEST(EvalTest, ThreefryKnownAnswers) {
  // Random123's kat_vectors for threefry2x32 with 20 rounds, as
  // (ctr0, ctr1, key0, key1) -> (out0, out1), packed low word first.
  check({
      {Op::Threefry, K::U64, {I(0), I(0)}, I(0x99ba4efe6b200159)},
      {Op::Threefry, K::U64, {I(U64Max), I(U64Max)}, I(0xbb002be71cb996fc)},
      {Op::Threefry,
       K::U64,
       {I(0x85a308d3243f6a88), I(0x0370734413198a2e)},
       I(0x483df7a0c4923a9c)},
      {Op::Threefry, K::U32, {I(0), I(0)}, NoValue},
      {Op::Threefry, K::I64, {I(0), I(0)}, NoValue},
  });
}

//===----------------------------------------------------------------------===//
// Coverage and laws
//===----------------------------------------------------------------------===//

TEST(EvalTest, OpsOutsideTheirTypesHaveNoValue) {
  for (ScalarKind Type : {K::I32, K::U8, K::Index, K::Bool}) {
    ConstValue One = I(1);
    for (Op O : {Op::Exp2, Op::Log2, Op::Sin, Op::Sqrt, Op::Recip, Op::Trunc})
      check({{O, Type, {One}, NoValue}});
    for (Op O : {Op::FDiv, Op::Pow})
      check({{O, Type, {One, One}, NoValue}});
  }
  for (ScalarKind Type : {K::F32, K::F16})
    for (Op O : {Op::FloorDiv, Op::FloorMod, Op::TruncDiv, Op::TruncMod,
                 Op::Shl, Op::Shr, Op::And, Op::Or, Op::Xor, Op::Threefry})
      check({{O, Type, {F(1), F(1)}, NoValue}});
  // Wrong result types, operand counts and ops that are not elementwise.
  EXPECT_EQ(evalAlu(Op::Add, K::I64, K::I32, {I(1), I(1)}), NoValue);
  EXPECT_EQ(evalAlu(Op::CmpLT, K::I32, K::I32, {I(1), I(1)}), NoValue);
  EXPECT_EQ(evalAlu(Op::Add, K::I32, K::I32, {I(1)}), NoValue);
  EXPECT_EQ(evalAlu(Op::Const, K::I32, K::I32, {}), NoValue);
  EXPECT_EQ(evalAlu(Op::Range, K::Index, K::Index, {I(4)}), NoValue);
  EXPECT_EQ(evalAlu(Op::Add, K::Void, K::Void, {I(0), I(0)}), NoValue);
  EXPECT_EQ(evalAlu(Op::Cast, K::I32, K::Void, {I(0)}), NoValue);
}

/// One, in type T's representation.
ConstValue oneOf(ScalarKind T) {
  return getScalarInfo(T).Category == ScalarCategory::Float ? F(1) : I(1);
}

TEST(EvalTest, EveryElementwiseOpHasAValue) {
  for (unsigned Index = 0; Index != NumOps; ++Index) {
    Op O = Op(Index);
    if (!hasTrait(O, OpTrait::Elementwise))
      continue;
    bool Evaluated = false;
    for (unsigned T = 0; T != NumScalarKinds && !Evaluated; ++T) {
      ScalarKind Type = ScalarKind(T);
      if (Type == K::Void)
        continue;
      std::vector<ConstValue> Operands(getOpInfo(O).MinOperands, oneOf(Type));
      if (O == Op::Where)
        Evaluated =
            evalAlu(O, Type, K::Bool, {B(true), oneOf(Type), oneOf(Type)})
                .has_value();
      else
        Evaluated = eval(O, Type, Operands).has_value();
    }
    EXPECT_TRUE(Evaluated) << getMnemonic(O).str() << " has no semantics";
  }
}

/// A few values of each type, from the same index or double values (cast
/// into the type, so they are normalized and exact).
std::vector<ConstValue> valuesOf(ScalarKind Type) {
  std::vector<ConstValue> Values;
  if (getScalarInfo(Type).Category == ScalarCategory::Float) {
    for (double V : {0.0, -0.0, 1.0, -1.5, 2.0, 448.0, 1e30, -Inf, NaN})
      Values.push_back(*evalAlu(Op::Cast, Type, K::F64, {F(V)}));
    return Values;
  }
  for (int64_t V : {int64_t(0), int64_t(1), int64_t(-1), int64_t(2),
                    int64_t(-7), int64_t(7), int64_t(127), int64_t(-128),
                    int64_t(255), int64_t(65536), I64Max, I64Min}) {
    if (std::optional<ConstValue> C = evalAlu(Op::Cast, Type, K::Index, {I(V)}))
      Values.push_back(*C);
  }
  return Values;
}

const ScalarKind AllValueTypes[] = {
    K::Bool, K::I8,  K::I16,  K::I32, K::I64, K::U8,      K::U16,     K::U32,
    K::U64,  K::F16, K::BF16, K::F32, K::F64, K::FP8E4M3, K::FP8E5M2, K::Index};

TEST(EvalTest, CommutativeOpsCommute) {
  for (ScalarKind Type : AllValueTypes)
    for (unsigned Index = 0; Index != NumOps; ++Index) {
      Op O = Op(Index);
      if (!hasTrait(O, OpTrait::Commutative))
        continue;
      for (ConstValue A : valuesOf(Type))
        for (ConstValue Bv : valuesOf(Type))
          EXPECT_EQ(eval(O, Type, {A, Bv}), eval(O, Type, {Bv, A}))
              << getMnemonic(O).str() << " " << getScalarInfo(Type).Mnemonic
              << " " << str(A) << ", " << str(Bv);
    }
}

TEST(EvalTest, IntegerResultsAreNormalized) {
  // Casting a fixed-width value to its own type wraps it, so a normalized
  // value is a fixed point.
  for (ScalarKind Type : {K::I8, K::I16, K::I32, K::U8, K::U16, K::U32})
    for (Op O :
         {Op::Add, Op::Sub, Op::Mul, Op::Max, Op::And, Op::Or, Op::Xor, Op::Shl,
          Op::Shr, Op::FloorDiv, Op::FloorMod, Op::TruncDiv, Op::TruncMod})
      for (ConstValue A : valuesOf(Type))
        for (ConstValue Bv : valuesOf(Type))
          if (std::optional<ConstValue> R = eval(O, Type, {A, Bv}))
            EXPECT_EQ(evalAlu(Op::Cast, Type, Type, {*R}), *R)
                << getMnemonic(O).str() << " " << getScalarInfo(Type).Mnemonic
                << " " << str(A) << ", " << str(Bv);
}

TEST(EvalTest, DivisionIdentities) {
  // a == b * (a div b) + (a mod b), floormod has the sign of b and truncmod
  // the sign of a.
  for (ScalarKind Type : {K::I8, K::I32, K::I64, K::Index})
    for (ConstValue A : valuesOf(Type))
      for (ConstValue Bv : valuesOf(Type)) {
        if (Bv.getInt() == 0)
          continue;
        for (auto [Div, Mod] : {std::pair{Op::FloorDiv, Op::FloorMod},
                                {Op::TruncDiv, Op::TruncMod}}) {
          std::optional<ConstValue> Q = eval(Div, Type, {A, Bv});
          std::optional<ConstValue> R = eval(Mod, Type, {A, Bv});
          ASSERT_TRUE(R);
          if (R->getInt() != 0)
            EXPECT_EQ(R->getInt() < 0,
                      (Mod == Op::FloorMod ? Bv : A).getInt() < 0);
          if (!Q) // truncdiv of the minimum by -1; index's -(-2^63)
            continue;
          // mulacc is exact on index, where b * q alone may overflow.
          EXPECT_EQ(eval(Op::MulAcc, Type, {Bv, *Q, *R}), A)
              << getScalarInfo(Type).Mnemonic << " " << str(A) << ", "
              << str(Bv);
        }
      }
}

TEST(EvalTest, ConstArgsRoundTrip) {
  Context Ctx;
  const std::pair<ScalarKind, ConstValue> Values[] = {
      {K::Bool, B(true)},
      {K::I8, I(-128)},
      {K::U64, I(U64Max)},
      {K::Index, I(I64Min)},
      {K::F32, F(-0.0)},
      {K::F16, F(NaN)},
      {K::F64, floatBits(0x7ff0000000000001)},
  };
  for (auto [Type, V] : Values) {
    const Arg *A = V.toArg(Ctx, Type);
    EXPECT_EQ(ConstValue::fromArg(*A), V) << getScalarInfo(Type).Mnemonic;
  }
  EXPECT_TRUE(B(true).toArg(Ctx, K::Bool)->isBool());
  EXPECT_TRUE(F(1).toArg(Ctx, K::F16)->isFloat());
  EXPECT_EQ(I(7).toArg(Ctx, K::I32), Ctx.getIntArg(7));
  EXPECT_EQ(ConstValue::fromArg(*Ctx.getBoolArg(true)), I(1));
}

} // namespace
