//===- DecomposeTest.cpp - the decompose pass against exact results -------===//
//
// Each test builds a kernel that applies one op to many inputs, lowers it
// with `decompose{...},lower-index,remove-reduce,linearize`, runs it in the
// reference interpreter, and compares every output:
//   - exp2, log2, sin and sqrt with the long double result of the C library
//     (64 significand bits), as the error in units in the last place of the
//     op's type; the maximum must stay within the bound of docs/Passes.md;
//   - integer divisions by constants with evalAlu, exactly, on every 16-bit
//     dividend and random 32-bit ones.
// The measured maxima are printed ("[ measured ]" lines).
//
//===----------------------------------------------------------------------===//

#include "../Common/KernelLowering.h"

#include "tg/Codegen/Passes.h"
#include "tg/IR/Parser.h"
#include "tg/Interp/Interpreter.h"
#include "tg/Pass/PassManager.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>
#include <string>

using namespace tg;

namespace {

class DecomposeTest : public unittest::KernelLoweringTest {
protected:
  static unsigned count(const Function &F, Op O) {
    unsigned N = 0;
    for (const UOp *U : F.getBody())
      N += U->getOp() == O;
    return N;
  }
};

//===----------------------------------------------------------------------===//
// Transcendentals
//===----------------------------------------------------------------------===//

struct FloatType {
  const char *Name;
  int Precision; ///< Significand bits, the implicit one included.
  int MinExponent;
  const llvm::fltSemantics &(*Semantics)();
};

const FloatType F16{"f16", 11, -14, llvm::APFloat::IEEEhalf};
const FloatType BF16{"bf16", 8, -126, llvm::APFloat::BFloat};
const FloatType F32{"f32", 24, -126, llvm::APFloat::IEEEsingle};
const FloatType F64{"f64", 53, -1022, llvm::APFloat::IEEEdouble};

/// `V` rounded to the type (to nearest even), as a double.
double roundTo(const FloatType &T, long double V) {
  llvm::APFloat A{double(V)};
  bool LosesInfo;
  A.convert(T.Semantics(), llvm::APFloat::rmNearestTiesToEven, &LosesInfo);
  A.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
            &LosesInfo);
  return A.convertToDouble();
}

/// The error of `Got` against the exact `Want` in ulps of the type (the ulp
/// of Want's binade; subnormals share the smallest normal binade's ulp).
/// Infinity where they differ in kind (nan, infinity, finite).
double ulpError(const FloatType &T, double Got, long double Want) {
  if (std::isnan(Want) || std::isnan(Got))
    return std::isnan(Want) && std::isnan(Got) ? 0 : INFINITY;
  double Rounded = roundTo(T, Want);
  if (std::isinf(Rounded) || std::isinf(Got))
    return Got == Rounded ? 0 : INFINITY;
  int Exponent = Want == 0 ? T.MinExponent
                           : std::max(std::ilogb(double(Want)), T.MinExponent);
  long double Ulp = std::ldexp(1.0L, Exponent - T.Precision + 1);
  return double(std::fabs((long double)Got - Want) / Ulp);
}

using Reference = long double (*)(long double);

struct Measured {
  double MaxError = 0;
  double WorstInput = 0;
  double WorstOutput = 0;
};

/// Values that every op sees: zeros, infinities, a nan, extremes.
std::vector<double> getSpecials(const FloatType &T) {
  double Max = roundTo(T, std::ldexp(2.0L - std::ldexp(1.0L, 1 - T.Precision),
                                     T.MinExponent == -14     ? 15
                                     : T.MinExponent == -1022 ? 1023
                                                              : 127));
  double MinSub = std::ldexp(1.0, T.MinExponent - T.Precision + 1);
  double MinNormal = std::ldexp(1.0, T.MinExponent);
  std::vector<double> V = {0.0,
                           -0.0,
                           INFINITY,
                           -INFINITY,
                           NAN,
                           1.0,
                           -1.0,
                           2.0,
                           0.5,
                           Max,
                           -Max,
                           MinSub,
                           -MinSub,
                           MinNormal,
                           -MinNormal,
                           3 * MinSub,
                           MinNormal - MinSub};
  return V;
}

/// Every value of a 16-bit type but the nans (one nan is among the
/// specials).
std::vector<double> getAll16(const FloatType &T) {
  std::vector<double> V;
  for (unsigned Bits = 0; Bits != 0x10000; ++Bits) {
    llvm::APFloat A(T.Semantics(), llvm::APInt(16, Bits));
    if (A.isNaN())
      continue;
    bool LosesInfo;
    A.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
              &LosesInfo);
    V.push_back(A.convertToDouble());
  }
  return V;
}

/// Random values of the type: `N` uniform bit patterns (every binade alike)
/// and `N` uniform in [Low, High].
std::vector<double> getRandom(const FloatType &T, unsigned N, double Low,
                              double High, uint64_t Seed) {
  std::mt19937_64 Random(Seed);
  std::vector<double> V;
  for (unsigned I = 0; I != N; ++I) {
    double X;
    if (T.Precision == 53) {
      uint64_t Bits = Random();
      std::memcpy(&X, &Bits, 8);
    } else {
      uint32_t Bits = uint32_t(Random());
      float Y;
      std::memcpy(&Y, &Bits, 4);
      X = Y;
    }
    if (!std::isnan(X))
      V.push_back(roundTo(T, X));
    std::uniform_real_distribution<double> Uniform(Low, High);
    V.push_back(roundTo(T, Uniform(Random)));
  }
  return V;
}

class TranscendentalTest : public DecomposeTest {
protected:
  /// Runs `op` of type T on every input and measures the error against
  /// `Want`, over the inputs `InRange` accepts.
  Measured run(llvm::StringRef OpName, const FloatType &T,
               const std::vector<double> &Inputs, Reference Want,
               llvm::function_ref<bool(double)> InRange = nullptr) {
    std::string N = std::to_string(Inputs.size());
    std::string Ty = T.Name;
    std::string Text =
        "kernel @k(%out: ptr<" + Ty + ", global, " + N + ">, %in: ptr<" + Ty +
        ", global, " + N + ">) {\n  %n = const " + N +
        " : index\n  %i = range(%n) {axis = 0, kind = global} : index\n"
        "  %a = index(%in, %i) : ptr<" +
        Ty + ", global>\n  %x = load(%a) : " + Ty + "\n  %y = " + OpName.str() +
        "(%x) : " + Ty + "\n  %b = index(%out, %i) : ptr<" + Ty +
        ", global>\n  %s = store(%b, %y) : void\n  %e = end(%s, %i) : "
        "void\n  sink(%e) : void\n}\n";
    Function &F = lower(Text, "decompose{ops=\"exp2,log2,sin,sqrt\"},"
                              "lower-index,remove-reduce,linearize");
    EXPECT_EQ(count(F, Op::Exp2) + count(F, Op::Log2) + count(F, Op::Sin) +
                  count(F, Op::Sqrt),
              0u);
    DType Type = type(T.Name);
    HostBuffer Out(Type, Inputs.size()), In(Type, Inputs.size());
    for (size_t I = 0; I != Inputs.size(); ++I)
      In.set(I, ConstValue::getFloat(Inputs[I]));
    KernelArguments Args;
    Args.Buffers = {&Out, &In};
    EXPECT_TRUE(succeeded(interpret(F, Args, Diag))) << Errors;
    Measured Result;
    for (size_t I = 0; I != Inputs.size(); ++I) {
      if (InRange && !InRange(Inputs[I]))
        continue;
      double Got = Out.get(I).getFloat();
      double Error = ulpError(T, Got, Want(Inputs[I]));
      if (Error > Result.MaxError)
        Result = {Error, Inputs[I], Got};
    }
    llvm::outs() << "[ measured ] " << OpName << " " << T.Name << ": max "
                 << llvm::format("%.3f", Result.MaxError)
                 << " ulp at x = " << llvm::format("%.17g", Result.WorstInput)
                 << " (got " << llvm::format("%.17g", Result.WorstOutput)
                 << ")\n";
    return Result;
  }

  /// All 16-bit values, or specials and 2 x 50000 random values.
  static std::vector<double> inputs(const FloatType &T, double Low,
                                    double High) {
    std::vector<double> V = T.Precision <= 11
                                ? getAll16(T)
                                : getRandom(T, 50000, Low, High, T.Precision);
    for (double X : getSpecials(T))
      V.push_back(X);
    return V;
  }
};

long double exp2Reference(long double X) { return exp2l(X); }
long double log2Reference(long double X) { return log2l(X); }
long double sinReference(long double X) { return sinl(X); }
long double sqrtReference(long double X) { return sqrtl(X); }

#define EXPECT_WITHIN(Measurement, Bound)                                      \
  EXPECT_LE((Measurement).MaxError, Bound)                                     \
      << "x = " << (Measurement).WorstInput << " gave "                        \
      << (Measurement).WorstOutput

TEST_F(TranscendentalTest, Exp2) {
  for (const FloatType *T : {&F16, &BF16, &F32, &F64}) {
    double High = T->Precision == 53 ? 1030 : 130;
    Measured R = run("exp2", *T, inputs(*T, -High, High), exp2Reference);
    EXPECT_WITHIN(R, T->Precision <= 11 ? 1.0 : 2.0) << T->Name;
  }
}

TEST_F(TranscendentalTest, Log2) {
  for (const FloatType *T : {&F16, &BF16, &F32, &F64}) {
    std::vector<double> V = inputs(*T, 0.5, 2.0);
    Measured R = run("log2", *T, V, log2Reference);
    EXPECT_WITHIN(R, T->Precision <= 11 ? 1.0 : 3.0) << T->Name;
  }
}

/// The largest |x| sin reduces: 12800 (f32), 1572864 (f64).
double getSinLimit(const FloatType &T) {
  return T.Precision == 53 ? 0x1.8p20 : 0x1.9p13;
}

TEST_F(TranscendentalTest, Sin) {
  for (const FloatType *T : {&F16, &BF16, &F32, &F64}) {
    double Limit = getSinLimit(*T);
    std::vector<double> V = inputs(*T, -Limit, Limit);
    std::vector<double> Small = getRandom(*T, 20000, -10, 10, 7);
    V.insert(V.end(), Small.begin(), Small.end());
    Measured R = run("sin", *T, V, sinReference,
                     [&](double X) { return std::fabs(X) < Limit; });
    EXPECT_WITHIN(R, T->Precision <= 11 ? 1.0 : 2.0) << T->Name;
  }
}

/// At and past the reduction's limit, as for infinities, sin is nan.
TEST_F(TranscendentalTest, SinBeyondLimit) {
  for (const FloatType *T : {&F32, &F64}) {
    double Limit = getSinLimit(*T);
    Measured R = run("sin", *T, {Limit, -Limit, 1e30},
                     [](long double) { return (long double)NAN; });
    EXPECT_EQ(R.MaxError, 0) << T->Name;
  }
}

TEST_F(TranscendentalTest, Sqrt) {
  for (const FloatType *T : {&F16, &BF16, &F32, &F64}) {
    Measured R = run("sqrt", *T, inputs(*T, 0, 4), sqrtReference);
    EXPECT_WITHIN(R, T->Precision <= 11 ? 0.5 : 1.0) << T->Name;
  }
}

//===----------------------------------------------------------------------===//
// Integer division by constants
//===----------------------------------------------------------------------===//

class DivisionTest : public DecomposeTest {
protected:
  /// Runs floordiv, floormod, truncdiv and truncmod of every input by `D`
  /// in type `Ty` and compares each with evalAlu.
  void check(llvm::StringRef Ty, int64_t D, const std::vector<int64_t> &Inputs,
             ScalarKind Kind) {
    std::string N = std::to_string(Inputs.size());
    std::string P = "ptr<" + Ty.str() + ", global, " + N + ">";
    std::string Text =
        "kernel @k(%o0: " + P + ", %o1: " + P + ", %o2: " + P + ", %o3: " + P +
        ", %in: " + P + ") {\n  %n = const " + N +
        " : index\n  %i = range(%n) {axis = 0, kind = global} "
        ": index\n  %a = index(%in, %i) : ptr<" +
        Ty.str() + ", global>\n  %x = load(%a) : " + Ty.str() +
        "\n  %d = const " + std::to_string(D) + " : " + Ty.str() + "\n";
    const char *Ops[] = {"floordiv", "floormod", "truncdiv", "truncmod"};
    for (int K = 0; K != 4; ++K) {
      std::string I = std::to_string(K);
      Text += "  %y" + I + " = " + Ops[K] + "(%x, %d) : " + Ty.str() +
              "\n  %b" + I + " = index(%o" + I + ", %i) : ptr<" + Ty.str() +
              ", global>\n  %s" + I + " = store(%b" + I + ", %y" + I +
              ") : void\n";
    }
    Text += "  %g = group(%s0, %s1, %s2, %s3) : void\n  %e = end(%g, %i) : "
            "void\n  sink(%e) : void\n}\n";
    Function &F = lower(Text, "decompose{ops=idiv},lower-index,remove-reduce,"
                              "linearize");
    EXPECT_EQ(count(F, Op::FloorDiv) + count(F, Op::FloorMod) +
                  count(F, Op::TruncDiv) + count(F, Op::TruncMod),
              0u)
        << "not decomposed: " << Ty.str() << " by " << D;
    DType Type = type(Ty);
    std::vector<HostBuffer> Out(4, HostBuffer(Type, Inputs.size()));
    HostBuffer In(Type, Inputs.size());
    for (size_t I = 0; I != Inputs.size(); ++I)
      In.set(I, ConstValue::getInt(Inputs[I]));
    KernelArguments Args;
    Args.Buffers = {&Out[0], &Out[1], &Out[2], &Out[3], &In};
    ASSERT_TRUE(succeeded(interpret(F, Args, Diag))) << Errors;
    const Op Opcodes[] = {Op::FloorDiv, Op::FloorMod, Op::TruncDiv,
                          Op::TruncMod};
    for (int K = 0; K != 4; ++K)
      for (size_t I = 0; I != Inputs.size(); ++I) {
        std::optional<ConstValue> Want =
            evalAlu(Opcodes[K], Kind, Kind,
                    {ConstValue::getInt(Inputs[I]), ConstValue::getInt(D)});
        if (!Want) // INT_MIN truncdiv -1 is undefined
          continue;
        ASSERT_EQ(Out[K].get(I).getInt(), Want->getInt())
            << Ops[K] << "(" << Inputs[I] << ", " << D << ") : " << Ty.str();
      }
  }
};

/// Every 16-bit value (signed or unsigned), the type's extremes and
/// `Random` random values of the type.
std::vector<int64_t> getDividends(bool Signed, unsigned Random) {
  std::vector<int64_t> V;
  for (int64_t X = 0; X != 0x10000; ++X)
    V.push_back(Signed ? X - 0x8000 : X);
  std::mt19937_64 Rng(42);
  for (unsigned I = 0; I != Random; ++I)
    V.push_back(Signed ? int64_t(int32_t(Rng())) : int64_t(uint32_t(Rng())));
  if (Signed)
    V.insert(V.end(), {INT32_MIN, INT32_MIN + 1, INT32_MAX, INT32_MAX - 1});
  else
    V.insert(V.end(), {UINT32_MAX, UINT32_MAX - 1, 0x80000000, 0x7fffffff});
  return V;
}

TEST_F(DivisionTest, I32) {
  std::vector<int64_t> X = getDividends(true, 20000);
  for (int64_t D : std::vector<int64_t>{
           1,      -1,      2,          -2,        3,          -3,       5,
           6,      7,       -7,         8,         10,         12,       25,
           100,    641,     1000,       4096,      -4096,      65535,    65536,
           -65537, 1 << 20, 1000000007, INT32_MAX, -INT32_MAX, INT32_MIN})
    check("i32", D, X, ScalarKind::I32);
}

TEST_F(DivisionTest, U32) {
  std::vector<int64_t> X = getDividends(false, 20000);
  for (int64_t D : std::vector<int64_t>{1, 2, 3, 7, 10, 641, 4096, 65535, 65536,
                                        1000000007, 0x7fffffff, 0x80000000,
                                        0x80000001, 3000000000, 0xffffffff})
    check("u32", D, X, ScalarKind::U32);
}

TEST_F(DivisionTest, I16) {
  std::vector<int64_t> X;
  for (int64_t V = -0x8000; V != 0x8000; ++V)
    X.push_back(V);
  for (int64_t D : std::vector<int64_t>{3, -7, 10, 16, 255, -32768, 32767})
    check("i16", D, X, ScalarKind::I16);
}

/// Index divisions use the dividend's range: here [-5000, 5000), computed in
/// index and later lowered to i64 by lower-index.
TEST_F(DivisionTest, IndexByRange) {
  Function &F =
      lower(R"(
kernel @k(%out: ptr<i32, global, 10000>) {
  %n = const 10000 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %c = const 5000 : index
  %v = sub(%i, %c) : index
  %d = const 7 : index
  %q = floordiv(%v, %d) : index
  %m = const -3 : index
  %r = truncmod(%v, %m) : index
  %t = mul(%q, %n) : index
  %u = add(%t, %r) : index
  %w = cast(%u) : i32
  %b = index(%out, %i) : ptr<i32, global>
  %s = store(%b, %w) : void
  %e = end(%s, %i) : void
  sink(%e) : void
})",
            "decompose{ops=idiv},lower-index,remove-reduce,linearize");
  EXPECT_EQ(count(F, Op::FloorDiv) + count(F, Op::TruncMod), 0u);
  HostBuffer Out(type("i32"), 10000);
  KernelArguments Args;
  Args.Buffers = {&Out};
  ASSERT_TRUE(succeeded(interpret(F, Args, Diag))) << Errors;
  for (int64_t I = 0; I != 10000; ++I) {
    int64_t V = I - 5000;
    int64_t Q = V >= 0 ? V / 7 : -((-V + 6) / 7);
    EXPECT_EQ(Out.get(I).getInt(), Q * 10000 + V % 3) << V;
  }
}

//===----------------------------------------------------------------------===//
// Missing dtypes
//===----------------------------------------------------------------------===//

/// fp8 arithmetic computes in f32 and rounds back: on every pair of fp8
/// values the result is what evalAlu computes in fp8.
TEST_F(DecomposeTest, Fp8ArithmeticInF32) {
  const char *Ops[] = {"add", "mul", "fdiv", "sub"};
  for (const char *Op : Ops) {
    std::string Text =
        std::string("kernel @k(%out: ptr<fp8e4m3, global, 65536>, %a: "
                    "ptr<fp8e4m3, global, 65536>, %b: ptr<fp8e4m3, global, "
                    "65536>) {\n  %n = const 65536 : index\n  %i = range(%n) "
                    "{axis = 0, kind = global} : index\n  %pa = index(%a, "
                    "%i) : ptr<fp8e4m3, global>\n  %pb = index(%b, %i) : "
                    "ptr<fp8e4m3, global>\n  %x = load(%pa) : fp8e4m3\n  %y "
                    "= load(%pb) : fp8e4m3\n  %z = ") +
        Op +
        "(%x, %y) : fp8e4m3\n  %po = index(%out, %i) : ptr<fp8e4m3, "
        "global>\n  %s = store(%po, %z) : void\n  %e = end(%s, %i) : "
        "void\n  sink(%e) : void\n}\n";
    Function &F = lower(Text, "decompose,remove-reduce,linearize");
    for (const UOp *U : F.getBody())
      if (U->hasTrait(OpTrait::Elementwise) && U->getOp() != Op::Cast)
        EXPECT_NE(U->getDType().getScalarKind(), ScalarKind::FP8E4M3)
            << getMnemonic(U->getOp()).str();
    DType T = type("fp8e4m3");
    HostBuffer Out(T, 65536), A(T, 65536), B(T, 65536);
    std::vector<ConstValue> Values;
    for (unsigned Bits = 0; Bits != 256; ++Bits) {
      llvm::APFloat V(llvm::APFloat::Float8E4M3FN(), llvm::APInt(8, Bits));
      bool LosesInfo;
      V.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
                &LosesInfo);
      Values.push_back(ConstValue::getFloat(V.convertToDouble()));
    }
    for (unsigned I = 0; I != 65536; ++I) {
      A.set(I, Values[I & 255]);
      B.set(I, Values[I >> 8]);
    }
    KernelArguments Args;
    Args.Buffers = {&Out, &A, &B};
    ASSERT_TRUE(succeeded(interpret(F, Args, Diag))) << Errors;
    tg::Op O = *parseOp(Op);
    for (unsigned I = 0; I != 65536; ++I) {
      std::optional<ConstValue> Want =
          evalAlu(O, ScalarKind::FP8E4M3, ScalarKind::FP8E4M3,
                  {Values[I & 255], Values[I >> 8]});
      ASSERT_TRUE(Want);
      double G = Out.get(I).getFloat(), W = Want->getFloat();
      ASSERT_TRUE(G == W || (std::isnan(G) && std::isnan(W)))
          << Op << "(" << Values[I & 255].getFloat() << ", "
          << Values[I >> 8].getFloat() << ") = " << G << ", want " << W;
    }
  }
}

} // namespace
