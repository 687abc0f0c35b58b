//===- InterpreterTest.cpp - running lowered kernels on host memory -------===//
//
// Each kernel goes through remove-reduce and linearize, runs in the
// interpreter, and its outputs are compared with values computed here in
// C++; the error tests check that a bad run is reported, never run on.
//
//===----------------------------------------------------------------------===//

#include "../Common/KernelLowering.h"

#include "tg/Codegen/Passes.h"
#include "tg/IR/Parser.h"
#include "tg/Interp/Interpreter.h"
#include "tg/Pass/PassManager.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>

using namespace tg;

namespace {

class InterpreterTest : public unittest::KernelLoweringTest {};

TEST_F(InterpreterTest, SoftmaxRows) {
  Function &F = lower(R"(
kernel @softmax(%out: ptr<f32, global, 32>, %in: ptr<f32, global, 32>) {
  %rows = const 4 : index
  %cols = const 8 : index
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
})");
  DType F32 = type("f32");
  HostBuffer Out(F32, 32), In(F32, 32);
  for (int I = 0; I < 32; ++I)
    In.set(I, ConstValue::getFloat(float((I * 7) % 11) / 4.0f));
  KernelArguments Args;
  Args.Buffers = {&Out, &In};
  ASSERT_TRUE(succeeded(interpret(F, Args, Diag))) << Errors;
  for (int Row = 0; Row < 4; ++Row) {
    float Max = -INFINITY, Sum = 0;
    auto X = [&](int C) { return float(In.get(Row * 8 + C).getFloat()); };
    for (int C = 0; C < 8; ++C)
      Max = std::max(Max, X(C));
    for (int C = 0; C < 8; ++C)
      Sum += std::exp2(X(C) - Max);
    for (int C = 0; C < 8; ++C)
      EXPECT_NEAR(Out.get(Row * 8 + C).getFloat(), std::exp2(X(C) - Max) / Sum,
                  1e-6)
          << "row " << Row << " col " << C;
  }
}

/// A matmul whose size is a variable: C = A * B for n x n matrices.
static const char *MatmulText = R"(
kernel @matmul(%c: ptr<i32, global, 64>, %a: ptr<i32, global, 64>, %b: ptr<i32, global, 64>, %n: index [1, 8]) {
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
})";

TEST_F(InterpreterTest, MatmulWithVariableSize) {
  Function &F = lower(MatmulText);
  DType I32 = type("i32");
  HostBuffer C(I32, 64), A(I32, 64), B(I32, 64);
  const int N = 5;
  for (int I = 0; I < N * N; ++I) {
    A.set(I, ConstValue::getInt(I - 7));
    B.set(I, ConstValue::getInt(3 * I % 13));
  }
  KernelArguments Args;
  Args.Buffers = {&C, &A, &B};
  Args.Variables["n"] = N;
  ASSERT_TRUE(succeeded(interpret(F, Args, Diag))) << Errors;
  for (int I = 0; I < N; ++I)
    for (int J = 0; J < N; ++J) {
      int64_t Want = 0;
      for (int K = 0; K < N; ++K)
        Want += A.get(I * N + K).getInt() * B.get(K * N + J).getInt();
      EXPECT_EQ(C.get(I * N + J).getInt(), Want) << I << "," << J;
    }
}

TEST_F(InterpreterTest, MatmulOnGPULaunchIndices) {
  // The same matmul with locals, an upcast and an unroll, its global and
  // local ranges turned into launch indices: the interpreter runs 2 x 2
  // work-groups of 4 x 2 threads.
  std::string Text = MatmulText;
  Text.replace(Text.find("%n: index [1, 8])"), 17,
               "%n: index [1, 8]) attributes {opts = [local(0, 4), "
               "local(1, 2), unroll(2, 2)]}");
  // Launch sizes must be known: n is fixed at 8 by a constant.
  Text.replace(Text.find("  %i = range(%n)"), 0, "  %n8 = const 8 : index\n");
  for (size_t At; (At = Text.find("range(%n)")) != std::string::npos;)
    Text.replace(At, 9, "range(%n8)");
  Function &F = lower(Text, "opt{arch=sm_90},expand,gpudims{arch=sm_90},"
                            "lower-index,remove-reduce,linearize");
  unsigned Specials = 0;
  for (const UOp *U : F.getBody())
    Specials += U->getOp() == Op::Special;
  EXPECT_EQ(Specials, 4u);
  DType I32 = type("i32");
  HostBuffer C(I32, 64), A(I32, 64), B(I32, 64);
  for (int I = 0; I < 64; ++I) {
    A.set(I, ConstValue::getInt(I % 7 - 3));
    B.set(I, ConstValue::getInt(I % 5));
  }
  KernelArguments Args;
  Args.Buffers = {&C, &A, &B};
  Args.Variables["n"] = 8;
  ASSERT_TRUE(succeeded(interpret(F, Args, Diag))) << Errors;
  for (int I = 0; I < 8; ++I)
    for (int J = 0; J < 8; ++J) {
      int64_t Want = 0;
      for (int K = 0; K < 8; ++K)
        Want += A.get(I * 8 + K).getInt() * B.get(K * 8 + J).getInt();
      EXPECT_EQ(C.get(I * 8 + J).getInt(), Want) << I << "," << J;
    }
}

TEST_F(InterpreterTest, MissingOrOutOfRangeVariable) {
  Function &F = lower(MatmulText);
  DType I32 = type("i32");
  HostBuffer C(I32, 64), A(I32, 64), B(I32, 64);
  KernelArguments Args;
  Args.Buffers = {&C, &A, &B};
  EXPECT_TRUE(failed(interpret(F, Args, Diag)));
  EXPECT_NE(Errors.find("no value given for variable 'n'"), std::string::npos)
      << Errors;
  Errors.clear();
  Args.Variables["n"] = 9;
  EXPECT_TRUE(failed(interpret(F, Args, Diag)));
  EXPECT_NE(Errors.find("'n' = 9 is outside [1, 8]"), std::string::npos)
      << Errors;
}

TEST_F(InterpreterTest, GatedStoreAndWrappingBytes) {
  // out[i] = i8(i * 100) for i < 10 of 16 threads: only ten stores happen,
  // and the products wrap at 8 bits.
  Function &F = lower(R"(
kernel @gated(%out: ptr<i8, global, 10>) {
  %n = const 16 : index
  %ten = const 10 : index
  %hundred = const 100 : i8
  %i = range(%n) {axis = 0, kind = global} : index
  %ok = cmplt(%i, %ten) : bool
  %p = index(%out, %i, %ok) : ptr<i8, global>
  %v = cast(%i) : i8
  %w = mul(%v, %hundred) : i8
  %st = store(%p, %w) : void
  %e = end(%st, %i) : void
  sink(%e) : void
})");
  HostBuffer Out(type("i8"), 10);
  KernelArguments Args;
  Args.Buffers = {&Out};
  ASSERT_TRUE(succeeded(interpret(F, Args, Diag))) << Errors;
  for (int I = 0; I < 10; ++I)
    EXPECT_EQ(Out.get(I).getInt(), int8_t(uint8_t(I * 100))) << I;
}

TEST_F(InterpreterTest, Where) {
  Function &F = lower(R"(
kernel @select(%out: ptr<i32, global, 4>) {
  %n = const 4 : index
  %two = const 2 : index
  %i = range(%n) {axis = 0, kind = global} : index
  %small = cmplt(%i, %two) : bool
  %v = cast(%i) : i32
  %w = neg(%v) : i32
  %x = where(%small, %v, %w) : i32
  %p = index(%out, %i) : ptr<i32, global>
  %st = store(%p, %x) : void
  %e = end(%st, %i) : void
  sink(%e) : void
})");
  HostBuffer Out(type("i32"), 4);
  KernelArguments Args;
  Args.Buffers = {&Out};
  ASSERT_TRUE(succeeded(interpret(F, Args, Diag))) << Errors;
  EXPECT_EQ(Out.get(1).getInt(), 1);
  EXPECT_EQ(Out.get(3).getInt(), -3);
}

TEST_F(InterpreterTest, HalfMemoryRounds) {
  // Storing 1/3 in an f16 buffer keeps the nearest half, 0x3555.
  Function &F = lower(R"(
kernel @third(%out: ptr<f16, global, 1>) {
  %zero = const 0 : index
  %one = const 1.0 : f32
  %three = const 3.0 : f32
  %t = fdiv(%one, %three) : f32
  %h = cast(%t) : f16
  %p = index(%out, %zero) : ptr<f16, global>
  %st = store(%p, %h) : void
  sink(%st) : void
})");
  HostBuffer Out(type("f16"), 1);
  KernelArguments Args;
  Args.Buffers = {&Out};
  ASSERT_TRUE(succeeded(interpret(F, Args, Diag))) << Errors;
  EXPECT_EQ(Out.Bytes[0] | Out.Bytes[1] << 8, 0x3555);
  EXPECT_NEAR(Out.get(0).getFloat(), 1.0 / 3, 1e-3);
}

TEST_F(InterpreterTest, OutOfBoundsIsAnError) {
  Function &F = lower(R"(
kernel @off_by_one(%out: ptr<f32, global, 8>) {
  %n = const 9 : index
  %v = const 1.0 : f32
  %i = range(%n) {axis = 0, kind = global} : index
  %p = index(%out, %i) : ptr<f32, global>
  %st = store(%p, %v) : void
  %e = end(%st, %i) : void
  sink(%e) : void
})");
  HostBuffer Out(type("f32"), 8);
  KernelArguments Args;
  Args.Buffers = {&Out};
  EXPECT_TRUE(failed(interpret(F, Args, Diag)));
  EXPECT_NE(Errors.find("'store': index 8 is out of bounds of a buffer of 8 "
                        "elements"),
            std::string::npos)
      << Errors;
}

TEST_F(InterpreterTest, WorkGroupSumThroughLocalMemory) {
  // Two groups of four threads: each thread writes its value to local
  // memory; after a barrier thread 0 sums the four and stores the group's
  // total.
  Function &F = lower(R"(
kernel @group_sum(%out: ptr<i32, global, 2>, %in: ptr<i32, global, 8>) {
  %two = const 2 : index
  %four = const 4 : index
  %zero = const 0 : index
  %g = special(%two) {name = "gidx0"} : index
  %l = special(%four) {name = "lidx0"} : index
  %tmp = define {id = 0} : ptr<i32, local, 4>
  %base = mul(%g, %four) : index
  %gi = add(%base, %l) : index
  %pin = index(%in, %gi) : ptr<i32, global>
  %x = load(%pin) : i32
  %pl = index(%tmp, %l) : ptr<i32, local>
  %st = store(%pl, %x) : void
  %bar = barrier(%st) : void
  %first = cmpeq(%l, %zero) : bool
  %tmp2 = after(%tmp, %bar) : ptr<i32, local, 4>
  %r = range(%four) {axis = 1, kind = reduce} : index
  %pr = index(%tmp2, %r) : ptr<i32, local>
  %y = load(%pr) : i32
  %s = reduce(%y, %r) {op = add} : i32
  %po = index(%out, %g, %first) : ptr<i32, global>
  %sto = store(%po, %s) : void
  sink(%sto) : void
})");
  DType I32 = type("i32");
  HostBuffer Out(I32, 2), In(I32, 8);
  for (int I = 0; I < 8; ++I)
    In.set(I, ConstValue::getInt(I * I));
  KernelArguments Args;
  Args.Buffers = {&Out, &In};
  ASSERT_TRUE(succeeded(interpret(F, Args, Diag))) << Errors;
  EXPECT_EQ(Out.get(0).getInt(), 0 + 1 + 4 + 9);
  EXPECT_EQ(Out.get(1).getInt(), 16 + 25 + 36 + 49);
}

TEST_F(InterpreterTest, BarrierAfterAnIfIsReachedByAll) {
  Function &F = lower(R"(
kernel @divergent(%out: ptr<i32, global, 4>) {
  %four = const 4 : index
  %one = const 1 : index
  %l = special(%four) {name = "lidx0"} : index
  %small = cmplt(%l, %one) : bool
  %v = cast(%l) : i32
  %p = index(%out, %l, %small) : ptr<i32, global>
  %st = store(%p, %v) : void
  %bar = barrier(%st) : void
  sink(%bar) : void
})",
                      "linearize");
  HostBuffer Out(type("i32"), 4);
  KernelArguments Args;
  Args.Buffers = {&Out};
  // Every thread reaches this barrier (the if closes before it): it runs.
  ASSERT_TRUE(succeeded(interpret(F, Args, Diag))) << Errors;
  EXPECT_EQ(Out.get(0).getInt(), 0);
}

TEST_F(InterpreterTest, DivergentBarrierIsAnError) {
  // Thread l loops l + 1 times around a barrier: thread 0 finishes while
  // the others wait at the barrier's second round.
  Function &F = lower(R"(
kernel @divergent(%out: ptr<i32, global, 4>) {
  %four = const 4 : index
  %one = const 1 : index
  %l = special(%four) {name = "lidx0"} : index
  %n = add(%l, %one) : index
  %r = range(%n) {axis = 1, kind = loop} : index
  %v = cast(%r) : i32
  %p = index(%out, %l) : ptr<i32, global>
  %st = store(%p, %v) : void
  %bar = barrier(%st) : void
  %e = end(%bar, %r) : void
  sink(%e) : void
})",
                      "linearize");
  HostBuffer Out(type("i32"), 4);
  KernelArguments Args;
  Args.Buffers = {&Out};
  EXPECT_TRUE(failed(interpret(F, Args, Diag)));
  EXPECT_NE(Errors.find("'barrier': only 3 of 4 threads of a work-group "
                        "reached it"),
            std::string::npos)
      << Errors;
}

TEST_F(InterpreterTest, RefusesProgramsThatAreNotLinear) {
  Function &F = lower(MatmulText, "remove-reduce");
  DType I32 = type("i32");
  HostBuffer C(I32, 64), A(I32, 64), B(I32, 64);
  KernelArguments Args;
  Args.Buffers = {&C, &A, &B};
  Args.Variables["n"] = 2;
  EXPECT_TRUE(failed(interpret(F, Args, Diag)));
  EXPECT_NE(Errors.find("run linearize first"), std::string::npos) << Errors;
}

TEST_F(InterpreterTest, WrongBufferIsAnError) {
  Function &F = lower(MatmulText);
  HostBuffer C(type("f32"), 64), A(type("i32"), 64), B(type("i32"), 64);
  KernelArguments Args;
  Args.Buffers = {&C, &A, &B};
  Args.Variables["n"] = 2;
  EXPECT_TRUE(failed(interpret(F, Args, Diag)));
  EXPECT_NE(Errors.find("buffer 0 holds 64 x f32, the parameter is "
                        "ptr<i32, global, 64>"),
            std::string::npos)
      << Errors;
}

} // namespace
