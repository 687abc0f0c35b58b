//===- CPUBackendTest.cpp - CPU kernels against the interpreter -----------===//
//
// Each kernel is parsed, lowered with remove-reduce and linearize, rendered,
// compiled by both CPU compilers (C through clang, LLVM IR through ORC) and
// run on seeded random inputs three ways: the whole outermost global range
// in one call, and split into two and into three slices. Every element of
// every buffer must equal the interpreter's: integers and most floats bit
// for bit; any nan matches any nan (hardware picks nan payloads); kernels
// with transcendentals allow a few ulps (CheckOptions::Ulps).
//
//===----------------------------------------------------------------------===//

#include "../Common/KernelLowering.h"

#include "CRenderer.h"
#include "ClangCompiler.h"
#include "JIT.h"
#include "LLVMRenderer.h"

#include "tg/Codegen/Passes.h"
#include "tg/IR/Parser.h"
#include "tg/IR/UOp.h"
#include "tg/Interp/Interpreter.h"
#include "tg/Pass/PassManager.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cmath>
#include <functional>
#include <random>
#include <string>

using namespace tg;
using namespace tg::cpu;

namespace {

enum class CompilerKind { Clang, JIT };

/// Fills buffer parameter `Id`.
using FillFn = std::function<void(HostBuffer &, unsigned Id)>;

struct CheckOptions {
  llvm::StringMap<int64_t> Variables;
  /// Float outputs may differ by this many units in the last place.
  unsigned Ulps = 0;
  /// Fills inputs; null: randomFill.
  FillFn Fill;
};

class CPUBackendTest : public ::testing::TestWithParam<CompilerKind>,
                       public unittest::KernelLowering {
protected:
  llvm::Expected<std::unique_ptr<LoadedCode>> compile(Function &F) {
#ifndef TG_CPU_TEST_CLANG_ONLY
    if (GetParam() == CompilerKind::JIT)
      return compileWithJIT(F);
#endif
    return compileWithClang(F);
  }

  /// A value of scalar type `K` drawn from a spread that exercises
  /// wraparound (integers over their whole range) but keeps floats finite.
  ConstValue randomValue(ScalarKind K) {
    const ScalarInfo &Info = getScalarInfo(K);
    if (Info.Category == ScalarCategory::Float) {
      double D = std::uniform_real_distribution<double>(-4, 4)(Random);
      return *evalAlu(Op::Cast, K, ScalarKind::F64, {ConstValue::getFloat(D)});
    }
    if (Info.Category == ScalarCategory::Bool)
      return ConstValue::getBool(Random() & 1);
    // Any 64-bit pattern, wrapped to the type.
    return *evalAlu(Op::Cast, K, ScalarKind::I64,
                    {ConstValue::getInt(int64_t(Random()))});
  }

  void randomFill(HostBuffer &B) {
    for (int64_t I = 0; I < B.Count; ++I)
      for (unsigned L = 0; L < B.Element.getCount(); ++L)
        B.set(I, randomValue(B.Element.getScalarKind()), L);
  }

  /// The bound of `Range` under `Variables`.
  static int64_t getBound(const UOp *Range,
                          const llvm::StringMap<int64_t> &Variables) {
    const UOp *Bound = Range->getSrc(0);
    if (Bound->getOp() == Op::DefineVar)
      return Variables.lookup(Bound->getArgField(0)->getString());
    EXPECT_EQ(Bound->getOp(), Op::Const) << "the test needs a simple bound";
    return Bound->getArg()->getInt();
  }

  static bool equalLanes(ConstValue Want, ConstValue Got, ScalarKind K,
                         unsigned Ulps) {
    if (Want == Got)
      return true;
    if (!Want.isFloat())
      return false;
    double W = Want.getFloat(), G = Got.getFloat();
    if (std::isnan(W) || std::isnan(G))
      return std::isnan(W) && std::isnan(G);
    if (!Ulps || std::isinf(W) || std::isinf(G))
      return false;
    int Exponent = std::max(std::ilogb(W), -14);
    double Ulp = std::ldexp(1.0, Exponent - int(getScalarInfo(K).MantissaBits));
    return std::fabs(W - G) <= Ulps * Ulp;
  }

  /// Runs `F` in the interpreter and compiled, whole and in slices, and
  /// compares every buffer.
  void check(Function &F, CheckOptions Options = {}) {
    ASSERT_TRUE(Errors.empty()) << Errors;
    llvm::Expected<const UOp *> Sliced = analyzeKernel(F);
    ASSERT_TRUE(bool(Sliced)) << llvm::toString(Sliced.takeError());
    llvm::Expected<std::unique_ptr<LoadedCode>> Kernel = compile(F);
    ASSERT_TRUE(bool(Kernel)) << llvm::toString(Kernel.takeError());

    std::vector<HostBuffer> Inputs;
    std::vector<int64_t> Vars;
    for (const UOp *P : F.Params) {
      if (P->getOp() == Op::DefineVar) {
        Vars.push_back(
            Options.Variables.lookup(P->getArgField(0)->getString()));
        continue;
      }
      HostBuffer B(P->getDType().getElement(), P->getDType().getSize());
      if (Options.Fill)
        Options.Fill(B, Inputs.size());
      else
        randomFill(B);
      Inputs.push_back(std::move(B));
    }

    std::vector<HostBuffer> Want = Inputs;
    KernelArguments Args;
    for (HostBuffer &B : Want)
      Args.Buffers.push_back(&B);
    Args.Variables = Options.Variables;
    ASSERT_TRUE(succeeded(interpret(F, Args, Diag))) << Errors;

    int64_t Bound = *Sliced ? getBound(*Sliced, Options.Variables) : 1;
    for (unsigned Slices = 1; Slices <= 3; ++Slices) {
      std::vector<HostBuffer> Got = Inputs;
      std::vector<void *> Pointers;
      for (HostBuffer &B : Got)
        Pointers.push_back(B.Bytes.data());
      if (!*Sliced) { // No global range: one call.
        (*Kernel)->getEntry()(Pointers.data(), Vars.data(), 0, 0);
        Slices = 3;
      } else {
        for (unsigned S = 0; S < Slices; ++S)
          (*Kernel)->getEntry()(Pointers.data(), Vars.data(),
                                Bound * S / Slices, Bound * (S + 1) / Slices);
      }
      for (size_t Id = 0; Id < Got.size(); ++Id) {
        const HostBuffer &W = Want[Id], &G = Got[Id];
        ScalarKind K = W.Element.getScalarKind();
        unsigned Mismatches = 0;
        for (int64_t I = 0; I < W.Count && Mismatches < 5; ++I)
          for (unsigned L = 0; L < W.Element.getCount(); ++L) {
            if (equalLanes(W.get(I, L), G.get(I, L), K, Options.Ulps))
              continue;
            ++Mismatches;
            ADD_FAILURE() << "@" << F.getName().str() << ", " << Slices
                          << " slice(s): buffer " << Id << "[" << I << "]"
                          << (W.Element.getCount() > 1
                                  ? " lane " + std::to_string(L)
                                  : std::string())
                          << ": interpreter " << describe(W.get(I, L))
                          << ", compiled " << describe(G.get(I, L));
          }
      }
    }
  }

  static std::string describe(ConstValue V) {
    if (!V.isFloat())
      return std::to_string(V.getInt());
    char Buffer[64];
    std::snprintf(Buffer, sizeof Buffer, "%a", V.getFloat());
    return Buffer;
  }

  std::mt19937_64 Random{20240601};
};

} // namespace

TEST_P(CPUBackendTest, ElementwiseAdd) {
  check(lower(R"(
kernel @add(%out: ptr<f32, global, 1000>, %a: ptr<f32, global, 1000>, %b: ptr<f32, global, 1000>) {
  %n = const 1000 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %pa = index(%a, %i) : ptr<f32, global>
  %pb = index(%b, %i) : ptr<f32, global>
  %x = load(%pa) : f32
  %y = load(%pb) : f32
  %s = add(%x, %y) : f32
  %po = index(%out, %i) : ptr<f32, global>
  %st = store(%po, %s) : void
  %e = end(%st, %i) : void
  sink(%e) : void
})"));
}

/// out[i] = op over j of in[i * 16 + j], for op in add and max.
static std::string rowReduce(llvm::StringRef Name, llvm::StringRef Op) {
  return (R"(
kernel @)" +
          Name + R"((%out: ptr<f32, global, 8>, %in: ptr<f32, global, 128>) {
  %rows = const 8 : index
  %cols = const 16 : index
  %i = range(%rows) {axis = 0, kind = global} : index
  %j = range(%cols) {axis = 1, kind = reduce} : index
  %row = mul(%i, %cols) : index
  %a = add(%row, %j) : index
  %p = index(%in, %a) : ptr<f32, global>
  %x = load(%p) : f32
  %r = reduce(%x, %j) {op = )" +
          Op + R"(} : f32
  %po = index(%out, %i) : ptr<f32, global>
  %st = store(%po, %r) : void
  %e = end(%st, %i) : void
  sink(%e) : void
})")
      .str();
}

TEST_P(CPUBackendTest, SumReduction) { check(lower(rowReduce("sum", "add"))); }

TEST_P(CPUBackendTest, MaxReductionWithNanAndSignedZeros) {
  // Row 0 holds a nan, row 1 only zeros of both signs, row 2 -0.0 and
  // negatives, the rest random.
  CheckOptions Options;
  Options.Fill = [this](HostBuffer &B, unsigned Id) {
    randomFill(B);
    if (Id != 1)
      return;
    B.set(5, ConstValue::getFloat(NAN));
    for (int J = 0; J < 16; ++J) {
      B.set(16 + J, ConstValue::getFloat(J % 3 ? -0.0 : 0.0));
      B.set(32 + J, ConstValue::getFloat(J == 7 ? -0.0 : -1.0 - J));
    }
  };
  check(lower(rowReduce("max", "max")), Options);
}

TEST_P(CPUBackendTest, VectorAccumulatorsWithNanAndSignedZeros) {
  // The rows of MaxReductionWithNanAndSignedZeros unrolled by 4 with
  // expand{lane-accumulators}: a vec<f32, 4> accumulator over 4 iterations,
  // whose max is one vector op in both compilers (LLVM selects, C
  // tg_vmax). Row 0's nan reaches one lane; in row 1 some lanes see +0.0
  // then -0.0, others -0.0 then +0.0; in row 3 every lane sees +0.0 first,
  // then only -0.0 (+0.0 only if the lanes keep it). The sums go through
  // the same path (vector add).
  CheckOptions Options;
  Options.Fill = [this](HostBuffer &B, unsigned Id) {
    randomFill(B);
    if (Id != 1)
      return;
    B.set(5, ConstValue::getFloat(NAN));
    for (int J = 0; J < 16; ++J) {
      B.set(16 + J, ConstValue::getFloat(J % 3 ? -0.0 : 0.0));
      B.set(32 + J, ConstValue::getFloat(J == 7 ? -0.0 : -1.0 - J));
      B.set(48 + J, ConstValue::getFloat(J < 4 ? 0.0 : -0.0));
    }
  };
  const char *Pipeline =
      "opt,expand{lane-accumulators=true},remove-reduce,linearize";
  for (auto [Name, OpName] :
       {std::pair<const char *, const char *>{"max", "max"}, {"sum", "add"}}) {
    SCOPED_TRACE(Name);
    std::string Text = rowReduce(Name, OpName);
    std::string Kernel = "kernel @" + std::string(Name) + "(";
    size_t Body = Text.find(") {\n", Text.find(Kernel));
    ASSERT_NE(Body, std::string::npos);
    Text.insert(Body + 1, " attributes {opts = [unroll(1, 4)]}");
    Function &F = lower(Text, Pipeline);
    EXPECT_TRUE(llvm::any_of(F.getBody(), [](const UOp *U) {
      return U->getOp() == Op::Define &&
             U->getDType().getAddrSpace() == AddrSpace::Reg &&
             U->getDType().getElement().isVector();
    })) << "no vector accumulator";
    check(F, Options);
  }
}

TEST_P(CPUBackendTest, FloatMaxOperandOrder) {
  // max(a, b) and max(b, a) over pairs of specials, bit for bit.
  CheckOptions Options;
  Options.Fill = [](HostBuffer &B, unsigned) {
    const double Specials[] = {0.0, -0.0, 1.0, -1.0, INFINITY, -INFINITY, NAN};
    for (int64_t I = 0; I < B.Count; ++I)
      B.set(I, ConstValue::getFloat(Specials[I % 7]));
  };
  Options.Fill = [F = Options.Fill](HostBuffer &B, unsigned Id) {
    F(B, Id);
    if (Id == 2) // b cycles with a different period than a.
      for (int64_t I = 0; I < B.Count; ++I)
        B.set(I, B.get((I / 7) % 7));
  };
  check(lower(R"(
kernel @fmax(%out: ptr<f32, global, 98>, %a: ptr<f32, global, 49>, %b: ptr<f32, global, 49>) {
  %n = const 49 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %pa = index(%a, %i) : ptr<f32, global>
  %pb = index(%b, %i) : ptr<f32, global>
  %x = load(%pa) : f32
  %y = load(%pb) : f32
  %m1 = max(%x, %y) : f32
  %m2 = max(%y, %x) : f32
  %po = index(%out, %i) : ptr<f32, global>
  %s1 = store(%po, %m1) : void
  %c = const 49 : index
  %i2 = add(%i, %c) : index
  %po2 = index(%out, %i2) : ptr<f32, global>
  %s2 = store(%po2, %m2) : void
  %g = group(%s1, %s2) : void
  %e = end(%g, %i) : void
  sink(%e) : void
})"),
        Options);
}

TEST_P(CPUBackendTest, FloatMaxWithConstants) {
  // max against a constant, both orders, over the specials, bit for bit: a
  // constant that is neither a nan nor a zero takes the LLVM renderer's one
  // select (a clamp), a zero the whole IEEE maximum.
  CheckOptions Options;
  Options.Fill = [](HostBuffer &B, unsigned) {
    const double Specials[] = {0.0,    -0.0,     1.0,       -1.0, 2.5,
                               -130.0, INFINITY, -INFINITY, NAN};
    for (int64_t I = 0; I < B.Count; ++I)
      B.set(I, ConstValue::getFloat(Specials[I % 9]));
  };
  check(lower(R"(
kernel @fmaxc(%out: ptr<f32, global, 36>, %a: ptr<f32, global, 9>) {
  %n = const 9 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %pa = index(%a, %i) : ptr<f32, global>
  %x = load(%pa) : f32
  %c = const -130.0 : f32
  %z = const -0.0 : f32
  %m0 = max(%x, %c) : f32
  %m1 = max(%c, %x) : f32
  %m2 = max(%x, %z) : f32
  %m3 = max(%z, %x) : f32
  %k = const 9 : index
  %i1 = add(%i, %k) : index
  %i2 = add(%i1, %k) : index
  %i3 = add(%i2, %k) : index
  %o0 = index(%out, %i) : ptr<f32, global>
  %o1 = index(%out, %i1) : ptr<f32, global>
  %o2 = index(%out, %i2) : ptr<f32, global>
  %o3 = index(%out, %i3) : ptr<f32, global>
  %s0 = store(%o0, %m0) : void
  %s1 = store(%o1, %m1) : void
  %s2 = store(%o2, %m2) : void
  %s3 = store(%o3, %m3) : void
  %g = group(%s0, %s1, %s2, %s3) : void
  %e = end(%g, %i) : void
  sink(%e) : void
})"),
        Options);
}

TEST_P(CPUBackendTest, RowSoftmax) {
  CheckOptions Options;
  Options.Ulps = 2; // exp2 through libm; both sides call glibc's exp2.
  check(lower(R"(
kernel @softmax(%out: ptr<f32, global, 64>, %in: ptr<f32, global, 64>) {
  %rows = const 4 : index
  %cols = const 16 : index
  %i = range(%rows) {axis = 0, kind = global} : index
  %r1 = range(%cols) {axis = 1, kind = reduce} : index
  %row = mul(%i, %cols) : index
  %a1 = add(%row, %r1) : index
  %p1 = index(%in, %a1) : ptr<f32, global>
  %x1 = load(%p1) : f32
  %m = reduce(%x1, %r1) {op = max} : f32
  %r2 = range(%cols) {axis = 2, kind = reduce} : index
  %a2 = add(%row, %r2) : index
  %p2 = index(%in, %a2) : ptr<f32, global>
  %x2 = load(%p2) : f32
  %d2 = sub(%x2, %m) : f32
  %e2 = exp2(%d2) : f32
  %s = reduce(%e2, %r2) {op = add} : f32
  %r3 = range(%cols) {axis = 3, kind = loop} : index
  %a3 = add(%row, %r3) : index
  %p3 = index(%in, %a3) : ptr<f32, global>
  %x3 = load(%p3) : f32
  %d3 = sub(%x3, %m) : f32
  %e3 = exp2(%d3) : f32
  %y = fdiv(%e3, %s) : f32
  %po = index(%out, %a3) : ptr<f32, global>
  %st = store(%po, %y) : void
  %end = end(%st, %i, %r3) : void
  sink(%end) : void
})"),
        Options);
}

TEST_P(CPUBackendTest, MatmulWithVariableSize) {
  Function &F = lower(R"(
kernel @matmul(%c: ptr<f32, global, 144>, %a: ptr<f32, global, 144>, %b: ptr<f32, global, 144>, %n: index [1, 12]) {
  %i = range(%n) {axis = 0, kind = global} : index
  %j = range(%n) {axis = 1, kind = global} : index
  %k = range(%n) {axis = 2, kind = reduce} : index
  %row = mul(%i, %n) : index
  %ai = add(%row, %k) : index
  %kn = mul(%k, %n) : index
  %bi = add(%kn, %j) : index
  %pa = index(%a, %ai) : ptr<f32, global>
  %pb = index(%b, %bi) : ptr<f32, global>
  %x = load(%pa) : f32
  %y = load(%pb) : f32
  %xy = mul(%x, %y) : f32
  %acc = reduce(%xy, %k) {op = add} : f32
  %fused = mulacc(%acc, %acc, %acc) : f32
  %ci = add(%row, %j) : index
  %pc = index(%c, %ci) : ptr<f32, global>
  %st = store(%pc, %fused) : void
  %e = end(%st, %j, %i) : void
  sink(%e) : void
})");
  for (int64_t N : {1, 7, 12}) {
    CheckOptions Options;
    Options.Variables["n"] = N;
    check(F, Options);
  }
}

TEST_P(CPUBackendTest, IntegerMatmulWithVariableSize) {
  Function &F = lower(R"(
kernel @imatmul(%c: ptr<i32, global, 64>, %a: ptr<i32, global, 64>, %b: ptr<i32, global, 64>, %n: index [1, 8]) {
  %i = range(%n) {axis = 0, kind = global} : index
  %j = range(%n) {axis = 1, kind = global} : index
  %k = range(%n) {axis = 2, kind = reduce} : index
  %row = mul(%i, %n) : index
  %ai = add(%row, %k) : index
  %kn = mul(%k, %n) : index
  %bi = add(%kn, %j) : index
  %pa = index(%a, %ai) : ptr<i32, global>
  %pb = index(%b, %bi) : ptr<i32, global>
  %x = load(%pa) : i32
  %y = load(%pb) : i32
  %xy = mul(%x, %y) : i32
  %acc = reduce(%xy, %k) {op = add} : i32
  %ci = add(%row, %j) : index
  %pc = index(%c, %ci) : ptr<i32, global>
  %st = store(%pc, %acc) : void
  %e = end(%st, %j, %i) : void
  sink(%e) : void
})");
  CheckOptions Options;
  Options.Variables["n"] = 5;
  check(F, Options);
}

TEST_P(CPUBackendTest, GatedStoresAndLoads) {
  // out[i] = in[i + 3] * 100 (i8, wrapping) where i + 3 < 12, else 7, and
  // only for i < 10 of 16: out's last six elements keep their contents.
  check(lower(R"(
kernel @gated(%out: ptr<i8, global, 16>, %in: ptr<i8, global, 12>) {
  %n = const 16 : index
  %ten = const 10 : index
  %three = const 3 : index
  %twelve = const 12 : index
  %hundred = const 100 : i8
  %seven = const 7 : i8
  %i = range(%n) {axis = 0, kind = global} : index
  %j = add(%i, %three) : index
  %inside = cmplt(%j, %twelve) : bool
  %pin = index(%in, %j, %inside) : ptr<i8, global>
  %v = load(%pin, %seven) : i8
  %w = mul(%v, %hundred) : i8
  %ok = cmplt(%i, %ten) : bool
  %p = index(%out, %i, %ok) : ptr<i8, global>
  %st = store(%p, %w) : void
  %e = end(%st, %i) : void
  sink(%e) : void
})"));
}

/// `Text` with every `$T` replaced by `T`.
static std::string withType(llvm::StringRef Text, llvm::StringRef T) {
  return llvm::join(llvm::split(Text, "$T"), T);
}

/// The end of a kernel of `Rows` results %r0, %r1, ... of type `T`: result
/// k stored at %out[%i + 64 k], the stores grouped, the range %i closed.
static std::string storeRows(unsigned Rows, llvm::StringRef T) {
  std::string Text, Stores;
  for (unsigned K = 0; K != Rows; ++K) {
    std::string Row = std::to_string(K);
    std::string I = K ? "%i" + Row : "%i";
    if (K)
      Text += "  " + I + " = add(" +
              (K > 1 ? "%i" + std::to_string(K - 1) : "%i") +
              ", %stride) : index\n";
    Text += "  %o" + Row + " = index(%out, " + I + ") : ptr<$T, global>\n";
    Text += "  %s" + Row + " = store(%o" + Row + ", %r" + Row + ") : void\n";
    Stores += (K ? ", %s" : "%s") + Row;
  }
  Text += "  %g = group(" + Stores +
          ") : void\n  %e = end(%g, %i) : void\n  sink(%e) : void\n}\n";
  return withType(Text, T);
}

/// The same arithmetic on a fixed-width integer type.
static std::string integerOps(llvm::StringRef Name, llvm::StringRef T) {
  return withType(
             R"(
kernel @)" + Name.str() +
                 R"((%out: ptr<$T, global, 640>, %a: ptr<$T, global, 64>, %b: ptr<$T, global, 64>) {
  %n = const 64 : index
  %stride = const 64 : index
  %three = const 3 : $T
  %i = range(%n) {axis = 0, kind = global} : index
  %pa = index(%a, %i) : ptr<$T, global>
  %pb = index(%b, %i) : ptr<$T, global>
  %x = load(%pa) : $T
  %y = load(%pb) : $T
  %r0 = add(%x, %y) : $T
  %r1 = sub(%x, %y) : $T
  %r2 = mul(%x, %y) : $T
  %r3 = neg(%x) : $T
  %r4 = mulacc(%x, %y, %x) : $T
  %r5 = shl(%x, %three) : $T
  %r6 = shr(%x, %three) : $T
  %r7 = max(%x, %y) : $T
  %r8 = and(%x, %y) : $T
  %r9 = xor(%x, %y) : $T
)",
             T) +
         storeRows(10, T);
}

TEST_P(CPUBackendTest, Int8Wraparound) { check(lower(integerOps("i8", "i8"))); }
TEST_P(CPUBackendTest, UInt8Wraparound) {
  check(lower(integerOps("u8", "u8")));
}
TEST_P(CPUBackendTest, Int64Wraparound) {
  check(lower(integerOps("i64", "i64")));
}
TEST_P(CPUBackendTest, UInt16Wraparound) {
  check(lower(integerOps("u16", "u16")));
}

TEST_P(CPUBackendTest, IntegerDivisionWithNegatives) {
  // Divisors are nonzero and include -1; dividends include INT_MIN (but not
  // for truncdiv, where INT_MIN / -1 is undefined).
  CheckOptions Options;
  Options.Fill = [this](HostBuffer &B, unsigned Id) {
    randomFill(B);
    for (int64_t I = 0; I < B.Count; ++I) {
      int64_t V = B.get(I).getInt();
      if (Id == 1)
        B.set(I, ConstValue::getInt(I % 5 == 0 ? INT32_MIN : V % 1000));
      if (Id == 2)
        B.set(I, ConstValue::getInt(I % 4 == 0 ? -1 : (V % 19) | 1));
    }
  };
  check(lower(R"(
kernel @divmod(%out: ptr<i32, global, 256>, %a: ptr<i32, global, 64>, %b: ptr<i32, global, 64>) {
  %n = const 64 : index
  %stride = const 64 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %pa = index(%a, %i) : ptr<i32, global>
  %pb = index(%b, %i) : ptr<i32, global>
  %x = load(%pa) : i32
  %y = load(%pb) : i32
  %r0 = floordiv(%x, %y) : i32
  %r1 = floormod(%x, %y) : i32
  %one = const 1 : i32
  %x2 = or(%x, %one) : i32
  %r2 = truncdiv(%x2, %y) : i32
  %r3 = truncmod(%x, %y) : i32
)" + storeRows(4, "i32")),
        Options);
}

/// Storage and arithmetic in a 16-bit float type `T`: each result rounded
/// to `T` once, and casts from f32 and from integers.
static std::string halfOps(llvm::StringRef Name, llvm::StringRef T) {
  return withType(
             R"(
kernel @)" + Name.str() +
                 R"((%out: ptr<$T, global, 512>, %a: ptr<$T, global, 64>, %b: ptr<$T, global, 64>, %f: ptr<f32, global, 64>, %k: ptr<i32, global, 64>) {
  %n = const 64 : index
  %stride = const 64 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %pa = index(%a, %i) : ptr<$T, global>
  %pb = index(%b, %i) : ptr<$T, global>
  %pf = index(%f, %i) : ptr<f32, global>
  %pk = index(%k, %i) : ptr<i32, global>
  %x = load(%pa) : $T
  %y = load(%pb) : $T
  %z = load(%pf) : f32
  %w = load(%pk) : i32
  %r0 = add(%x, %y) : $T
  %r1 = mul(%x, %y) : $T
  %r2 = fdiv(%x, %y) : $T
  %r3 = mulacc(%x, %y, %r0) : $T
  %r4 = max(%x, %y) : $T
  %ax = mul(%x, %x) : $T
  %r5 = sqrt(%ax) : $T
  %r6 = cast(%z) : $T
  %r7 = cast(%w) : $T
)",
             T) +
         storeRows(8, T);
}

/// Integers whose conversion to a narrow float rounds: near 2^k plus
/// halfway points, the cases a double rounding gets wrong.
static void fillRoundingCases(HostBuffer &B, unsigned Id,
                              std::function<void(HostBuffer &)> Random) {
  Random(B);
  if (Id != 4)
    return;
  for (int64_t I = 0; I < B.Count; ++I) {
    int Shift = 9 + I % 20;
    int64_t V =
        (int64_t(1) << (Shift + 1)) + (int64_t(1) << (Shift - 8)) + (I % 3) - 1;
    B.set(I, ConstValue::getInt(I % 2 ? V : -V));
  }
}

TEST_P(CPUBackendTest, HalfStorageAndCompute) {
  CheckOptions Options;
  Options.Fill = [this](HostBuffer &B, unsigned Id) {
    fillRoundingCases(B, Id, [this](HostBuffer &B) { randomFill(B); });
  };
  check(lower(halfOps("f16", "f16")), Options);
}

TEST_P(CPUBackendTest, BFloat16StorageAndCompute) {
  CheckOptions Options;
  Options.Fill = [this](HostBuffer &B, unsigned Id) {
    fillRoundingCases(B, Id, [this](HostBuffer &B) { randomFill(B); });
  };
  check(lower(halfOps("bf16", "bf16")), Options);
}

TEST_P(CPUBackendTest, Transcendentals) {
  CheckOptions Options;
  Options.Ulps = 2;
  Options.Fill = [this](HostBuffer &B, unsigned) {
    for (int64_t I = 0; I < B.Count; ++I) // Positive, for log2 and pow.
      B.set(I, ConstValue::getFloat(
                   std::uniform_real_distribution<float>(0.01f, 4)(Random)));
  };
  check(lower(R"(
kernel @transcendental(%out: ptr<f32, global, 256>, %a: ptr<f32, global, 64>) {
  %n = const 64 : index
  %stride = const 64 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %pa = index(%a, %i) : ptr<f32, global>
  %x = load(%pa) : f32
  %r0 = exp2(%x) : f32
  %r1 = log2(%x) : f32
  %r2 = sin(%x) : f32
  %r3 = pow(%x, %r2) : f32
  %o0 = index(%out, %i) : ptr<f32, global>
  %s0 = store(%o0, %r0) : void
  %i1 = add(%i, %stride) : index
  %o1 = index(%out, %i1) : ptr<f32, global>
  %s1 = store(%o1, %r1) : void
  %i2 = add(%i1, %stride) : index
  %o2 = index(%out, %i2) : ptr<f32, global>
  %s2 = store(%o2, %r2) : void
  %i3 = add(%i2, %stride) : index
  %o3 = index(%out, %i3) : ptr<f32, global>
  %s3 = store(%o3, %r3) : void
  %g = group(%s0, %s1, %s2, %s3) : void
  %e = end(%g, %i) : void
  sink(%e) : void
})"),
        Options);
}

TEST_P(CPUBackendTest, VectorsThroughVectorizeAndGep) {
  // out[4i..4i+3] = reversed(in[4i..4i+3]) + (1, 2, 3, 4), as vectors.
  check(lower(R"(
kernel @vec(%out: ptr<f32, global, 64>, %in: ptr<f32, global, 64>) {
  %n = const 16 : index
  %four = const 4 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %base = mul(%i, %four) : index
  %pin = index(%in, %base) : ptr<f32, global>
  %v = load(%pin) : vec<f32, 4>
  %l0 = gep(%v) {lanes = [3]} : f32
  %l1 = gep(%v) {lanes = [2]} : f32
  %hi = gep(%v) {lanes = [1, 0]} : vec<f32, 2>
  %lo = vectorize(%l0, %l1) : vec<f32, 2>
  %r = cat(%lo, %hi) : vec<f32, 4>
  %k = vconst [1.0, 2.0, 3.0, 4.0] : vec<f32, 4>
  %s = add(%r, %k) : vec<f32, 4>
  %pout = index(%out, %base) : ptr<f32, global>
  %st = store(%pout, %s) : void
  %e = end(%st, %i) : void
  sink(%e) : void
})"));
}

TEST_P(CPUBackendTest, KernelWithoutGlobalRange) {
  check(lower(R"(
kernel @third(%out: ptr<f16, global, 1>) {
  %zero = const 0 : index
  %one = const 1.0 : f32
  %three = const 3.0 : f32
  %t = fdiv(%one, %three) : f32
  %h = cast(%t) : f16
  %p = index(%out, %zero) : ptr<f16, global>
  %st = store(%p, %h) : void
  sink(%st) : void
})"));
}

#ifndef TG_CPU_TEST_CLANG_ONLY
INSTANTIATE_TEST_SUITE_P(Compilers, CPUBackendTest,
                         ::testing::Values(CompilerKind::Clang,
                                           CompilerKind::JIT),
                         [](const auto &Info) {
                           return Info.param == CompilerKind::Clang ? "Clang"
                                                                    : "JIT";
                         });
#else
INSTANTIATE_TEST_SUITE_P(Compilers, CPUBackendTest,
                         ::testing::Values(CompilerKind::Clang));
#endif

//===----------------------------------------------------------------------===//
// What the CPU backend refuses
//===----------------------------------------------------------------------===//

class CPUBackendErrorTest : public CPUBackendTest {};

/// Both renderers' error for `Text`, which must contain `Message`.
static void expectRenderError(Function &F, llvm::StringRef Message) {
  llvm::Expected<std::string> C = renderC(F);
  ASSERT_FALSE(bool(C));
  std::string CError = llvm::toString(C.takeError());
  EXPECT_NE(CError.find(Message.str()), std::string::npos) << CError;
  EXPECT_NE(CError.find("@" + F.getName().str()), std::string::npos) << CError;
#ifndef TG_CPU_TEST_CLANG_ONLY
  llvm::LLVMContext LLVMCtx;
  auto IR = renderLLVM(F, LLVMCtx);
  ASSERT_FALSE(bool(IR));
  std::string IRError = llvm::toString(IR.takeError());
  EXPECT_NE(IRError.find(Message.str()), std::string::npos) << IRError;
#endif
}

TEST_F(CPUBackendErrorTest, LaunchIndicesAreRefused) {
  Function &F = lower(R"(
kernel @launched(%out: ptr<i32, global, 4>) {
  %four = const 4 : index
  %g = special(%four) {name = "gidx0"} : index
  %v = cast(%g) : i32
  %p = index(%out, %g) : ptr<i32, global>
  %st = store(%p, %v) : void
  sink(%st) : void
})");
  expectRenderError(F, "the CPU backend runs kernels without launch indices");
}

TEST_F(CPUBackendErrorTest, FP8IsRefused) {
  Function &F = lower(R"(
kernel @eight(%out: ptr<fp8e4m3, global, 4>, %in: ptr<f32, global, 4>) {
  %four = const 4 : index
  %i = range(%four) {axis = 0, kind = global} : index
  %pi = index(%in, %i) : ptr<f32, global>
  %x = load(%pi) : f32
  %y = cast(%x) : fp8e4m3
  %p = index(%out, %i) : ptr<fp8e4m3, global>
  %st = store(%p, %y) : void
  %e = end(%st, %i) : void
  sink(%e) : void
})");
  expectRenderError(F, "fp8 needs the decompose pass");
}

TEST_F(CPUBackendErrorTest, ReduceNeedsLowering) {
  registerCodegenPasses();
  unsigned Id =
      SM.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(
                                rowReduce("unlowered", "add"), "test.tg"),
                            llvm::SMLoc());
  M = parseModule(Id, Ctx, Diag);
  ASSERT_TRUE(M) << Errors;
  expectRenderError(*M->Functions.front(), "run remove-reduce and linearize");
}

TEST_F(CPUBackendErrorTest, ClangErrorsNameTheKernel) {
  auto Kernel = compileWithClang("this is not C", "entry", "broken");
  ASSERT_FALSE(bool(Kernel));
  std::string Error = llvm::toString(Kernel.takeError());
  EXPECT_NE(Error.find("kernel @broken: clang failed"), std::string::npos)
      << Error;
  EXPECT_NE(Error.find("error:"), std::string::npos) << Error;
}

TEST_F(CPUBackendErrorTest, RenderedCShowsTheABI) {
  llvm::Expected<std::string> C = renderC(lower(rowReduce("row.max", "max")));
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  // The entry point, the sliced outer loop, the reduce loop and the
  // IEEE maximum helper.
  for (const char *Want :
       {"void row_max(void **buffers, const int64_t *vars, int64_t begin, "
        "int64_t end) {",
        "float* const b0 = (float*)buffers[0];", " = begin > 0 ? begin : 0; ",
        " < end; ++", "tg_max_f32(", "float v2[1] = {0};"})
    EXPECT_NE(C->find(Want), std::string::npos) << Want << "\n" << *C;
}
