//===- VerifierTest.cpp - the rules of tg's IR ----------------------------===//
//
// Each test builds UOps through a Context, puts them in a Module and checks
// the verifier's messages: a valid program gives none, each broken rule gives
// exactly one error naming the op.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Verifier.h"

#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>
#include <vector>

using namespace tg;

namespace {

class VerifierTest : public ::testing::Test {
protected:
  VerifierTest() {
    Diag.setHandler([this](const Diagnostic &D) {
      EXPECT_EQ(D.Severity, DiagnosticSeverity::Error);
      Errors.push_back(D.Message);
      Locs.push_back(D.Loc);
    });
  }

  //--- Building -----------------------------------------------------------//

  const UOp *get(Op O, DType T, llvm::ArrayRef<const UOp *> Srcs = {},
                 const Arg *A = nullptr) {
    return Ctx.get(O, T, Srcs, A);
  }
  const UOp *index(int64_t V) { return Ctx.getConst(Index, V); }
  const UOp *f32(double V) { return Ctx.getFloatConst(F32, V); }
  const UOp *define(int64_t Id, DType T) {
    return get(Op::Define, T, {}, Ctx.getIntArg(Id));
  }
  const UOp *var(llvm::StringRef Name, int64_t Min, int64_t Max,
                 DType T = DType()) {
    return get(Op::DefineVar, T ? T : Index, {},
               Ctx.getListArg({Ctx.getStringArg(Name), Ctx.getIntArg(Min),
                               Ctx.getIntArg(Max)}));
  }
  const Arg *rangeArg(int64_t Axis, AxisKind Kind = AxisKind::Global) {
    return Ctx.getListArg({Ctx.getIntArg(Axis), Ctx.getAxisKindArg(Kind)});
  }
  const UOp *range(int64_t Size, int64_t Axis = 0,
                   AxisKind Kind = AxisKind::Global) {
    return get(Op::Range, Index, {index(Size)}, rangeArg(Axis, Kind));
  }
  const UOp *sink(llvm::ArrayRef<const UOp *> Srcs) {
    return get(Op::Sink, Void, Srcs);
  }
  /// `index(Out, I)` with the result type of the buffer's element.
  const UOp *at(const UOp *Buffer, const UOp *I) {
    DType T = Buffer->getDType();
    return get(Op::Index, Ctx.getPointer(T.getElement(), T.getAddrSpace()),
               {Buffer, I});
  }

  /// Adds a function whose body is everything `Root` reaches.
  Function &add(Function::Kind Kind, llvm::StringRef Name,
                std::vector<const UOp *> Params, const UOp *Root) {
    auto F = std::make_unique<Function>(Kind, Name.str());
    F->Params = std::move(Params);
    F->setRoot(Root);
    M.Functions.push_back(std::move(F));
    return *M.Functions.back();
  }
  Function &kernel(std::vector<const UOp *> Params, const UOp *Root,
                   llvm::StringRef Name = "k") {
    return add(Function::Kind::Kernel, Name, std::move(Params), Root);
  }
  Function &func(std::vector<const UOp *> Params, const UOp *Root,
                 llvm::StringRef Name = "f") {
    return add(Function::Kind::Func, Name, std::move(Params), Root);
  }

  //--- Checking -----------------------------------------------------------//

  std::vector<std::string> verify() {
    Errors.clear();
    Locs.clear();
    bool Failed = failed(verifyModule(M, Diag));
    EXPECT_EQ(Failed, !Errors.empty()) << "failure iff an error is reported";
    return Errors;
  }
  /// Verifies a kernel (with parameters Out and In) that sinks `U`.
  std::vector<std::string> verifySunk(const UOp *U,
                                      std::vector<const UOp *> Params = {}) {
    if (Params.empty())
      Params = {Out, In};
    kernel(std::move(Params), sink({U}));
    return verify();
  }

  Context Ctx;
  Module M{Ctx};
  llvm::SourceMgr SM;
  DiagnosticEngine Diag{SM};
  std::vector<std::string> Errors;
  std::vector<llvm::SMLoc> Locs;

  DType Void = Ctx.getScalar(ScalarKind::Void);
  DType Bool = Ctx.getScalar(ScalarKind::Bool);
  DType Index = Ctx.getScalar(ScalarKind::Index);
  DType I8 = Ctx.getScalar(ScalarKind::I8);
  DType I32 = Ctx.getScalar(ScalarKind::I32);
  DType U8 = Ctx.getScalar(ScalarKind::U8);
  DType U32 = Ctx.getScalar(ScalarKind::U32);
  DType U64 = Ctx.getScalar(ScalarKind::U64);
  DType F16 = Ctx.getScalar(ScalarKind::F16);
  DType F32 = Ctx.getScalar(ScalarKind::F32);
  DType Vec4F32 = Ctx.getVector(F32, 4);
  DType GlobalF32 = Ctx.getPointer(F32, AddrSpace::Global, 16);
  const UOp *Out = define(0, GlobalF32);
  const UOp *In = define(1, GlobalF32);
};

/// Exactly one error, containing `Expected`.
::testing::AssertionResult isOneError(const std::vector<std::string> &Errors,
                                      const std::string &Expected) {
  if (Errors.size() == 1 && Errors[0].find(Expected) != std::string::npos)
    return ::testing::AssertionSuccess();
  auto Result = ::testing::AssertionFailure()
                << "expected one error containing \"" << Expected << "\", got "
                << Errors.size() << ":";
  for (const std::string &E : Errors)
    Result << "\n  " << E;
  return Result;
}

//===----------------------------------------------------------------------===//
// Valid programs
//===----------------------------------------------------------------------===//

TEST_F(VerifierTest, AddOneKernelIsValid) {
  const UOp *I = range(16);
  const UOp *X = get(Op::Load, F32, {at(In, I)});
  const UOp *Y = get(Op::Add, F32, {X, f32(1.0)});
  const UOp *Store = get(Op::Store, Void, {at(Out, I), Y});
  kernel({Out, In}, sink({get(Op::End, Void, {Store, I})}));
  EXPECT_TRUE(verify().empty());
}

TEST_F(VerifierTest, EveryKernelLevelOpFamilyIsValid) {
  DType Image = Ctx.getImage(ScalarKind::F32, 4, 4);
  const UOp *Img = define(2, Image);
  const UOp *N = var("n", 1, 16);
  const UOp *I = range(16);
  const UOp *R = range(4, 1, AxisKind::Reduce);
  const UOp *Gate = get(Op::CmpLT, Bool, {I, N});
  const UOp *Zero = f32(0.0);
  const UOp *X = get(
      Op::Load, F32,
      {get(Op::Index, Ctx.getPointer(F32, AddrSpace::Global), {In, I, Gate}),
       Zero});
  const UOp *Sum = get(Op::Reduce, F32, {X, R}, Ctx.getOpArg(Op::Add));
  const UOp *Root = get(Op::Sqrt, F32, {get(Op::Mul, F32, {Sum, Sum})});
  const UOp *W = get(Op::Where, F32, {Gate, Root, Zero});
  std::vector<const UOp *> Values = {W};
  for (Op O : {Op::Exp2, Op::Log2, Op::Sin, Op::Recip, Op::Trunc, Op::Neg})
    Values.push_back(get(O, F32, {W}));
  for (Op O : {Op::FDiv, Op::Pow, Op::Sub, Op::Max})
    Values.push_back(get(O, F32, {W, W}));
  Values.push_back(get(Op::MulAcc, F32, {W, W, W}));
  for (Op O : {Op::FloorDiv, Op::FloorMod, Op::TruncDiv, Op::TruncMod, Op::Shl,
               Op::Shr, Op::And, Op::Or, Op::Xor})
    Values.push_back(get(O, Index, {I, N}));
  for (Op O : {Op::And, Op::Or, Op::Xor, Op::Add, Op::Mul, Op::Max})
    Values.push_back(get(O, Bool, {Gate, Gate}));
  for (Op O : {Op::CmpNE, Op::CmpEQ})
    Values.push_back(get(O, Bool, {W, Zero}));
  const UOp *Seed = Ctx.getConst(U64, -1);
  Values.push_back(get(Op::Threefry, U64, {Seed, Seed}));
  const UOp *Bits = get(Op::Bitcast, U32, {W});
  Values.push_back(get(Op::Cast, I8, {get(Op::Cast, F16, {Bits})}));
  Values.push_back(get(Op::Bitcast, Ctx.getVector(F16, 2), {Bits}));
  // Vectors.
  const UOp *V = get(Op::Vectorize, Vec4F32, {W, W, W, W});
  const UOp *Half =
      get(Op::GEP, Ctx.getVector(F32, 2), {V}, Ctx.getIntListArg({0, 2}));
  const UOp *Cat = get(Op::Cat, Vec4F32, {Half, Half});
  const Arg *Lanes =
      Ctx.getListArg({Ctx.getFloatArg(1.0), Ctx.getFloatArg(2.0),
                      Ctx.getFloatArg(0.5), Ctx.getFloatArg(-0.0)});
  const UOp *VSum =
      get(Op::Add, Vec4F32, {Cat, get(Op::VConst, Vec4F32, {}, Lanes)});
  Values.push_back(get(Op::GEP, F32, {VSum}, Ctx.getIntListArg({3})));
  const UOp *U = range(4, 1, AxisKind::Unroll);
  const UOp *Unrolled = get(Op::Unroll, F32, {V, U});
  Values.push_back(get(Op::Contract, Vec4F32, {Unrolled, U}));
  Values.push_back(
      get(Op::WMMA, Vec4F32, {VSum, VSum, VSum},
          Ctx.getListArg({Ctx.getStringArg("wmma_f32"),
                          Ctx.getIntListArg({8, 16, 16}), Ctx.getIntArg(32)})));
  Values.push_back(get(Op::PtrCat,
                       Ctx.getPointer(Ctx.getVector(F32, 2), AddrSpace::Global),
                       {at(In, I), at(In, I)}));
  // Variables, launch indices and escapes.
  Values.push_back(get(Op::Bind, Index, {N, index(4)}));
  Values.push_back(
      get(Op::Special, Index, {index(16)}, Ctx.getStringArg("gidx0")));
  Values.push_back(get(Op::CustomI, Index, {I}, Ctx.getStringArg("{0}+1")));
  Values.push_back(get(Op::Noop, F32, {W}));
  // Local memory, a barrier, images, if/endif.
  const UOp *Local = define(0, Ctx.getPointer(F32, AddrSpace::Local, 16));
  const UOp *LocalStore = get(Op::Store, Void, {at(Local, I), W});
  const UOp *Barrier = get(Op::Barrier, Void, {LocalStore});
  const UOp *Synced = get(Op::After, Local->getDType(), {Local, Barrier});
  const UOp *LocalValue = get(Op::Load, F32, {at(Synced, I)});
  const UOp *Reg = define(1, Ctx.getPointer(F32, AddrSpace::Reg, 1));
  const UOp *RegStore = get(Op::Store, Void, {at(Reg, index(0)), LocalValue});
  const UOp *Texel = get(Op::Index, Image, {Img, I, I});
  const UOp *ImageStore = get(Op::Store, Void, {Texel, VSum});
  Values.push_back(get(Op::Load, Vec4F32, {Texel}));
  const UOp *If = get(Op::If, Void, {Gate});
  const UOp *Store = get(Op::Store, Void, {at(Out, I), W});
  const UOp *EndIf = get(Op::EndIf, Void, {If});
  const UOp *Effects =
      get(Op::Group, Void, {Store, RegStore, ImageStore, EndIf});
  Values.push_back(get(Op::End, Void, {Effects, I}));
  kernel({Out, In, Img, N}, sink(Values));
  std::vector<std::string> Found = verify();
  EXPECT_TRUE(Found.empty()) << Found.front();
}

TEST_F(VerifierTest, TensorLevelOpsAreValid) {
  const UOp *Buf =
      get(Op::Buffer, GlobalF32, {},
          Ctx.getListArg({Ctx.getIntArg(0), Ctx.getStringArg("CPU")}));
  DType Half = Ctx.getPointer(F32, AddrSpace::Global, 8);
  const UOp *View = get(Op::BufferView, Half, {Buf},
                        Ctx.getListArg({Ctx.getIntArg(8), Ctx.getIntArg(0)}));
  const UOp *T = get(Op::Copy, GlobalF32, {Buf}, Ctx.getStringArg("NV"));
  for (Op O : {Op::Contiguous, Op::Detach, Op::ContiguousBackward})
    T = get(O, GlobalF32, {T});
  T = get(Op::Reshape, GlobalF32, {T}, Ctx.getIntListArg({4, 4}));
  T = get(Op::Permute, GlobalF32, {T}, Ctx.getIntListArg({1, 0}));
  T = get(Op::Expand, GlobalF32, {T}, Ctx.getIntListArg({4, 4}));
  auto Pairs = [&](int64_t A, int64_t B, int64_t C, int64_t D) {
    return Ctx.getListArg(
        {Ctx.getIntListArg({A, B}), Ctx.getIntListArg({C, D})});
  };
  T = get(Op::Pad, GlobalF32, {T}, Pairs(0, 1, 1, 0));
  T = get(Op::Shrink, GlobalF32, {T}, Pairs(0, 4, 1, 5));
  T = get(Op::Flip, GlobalF32, {T}, Ctx.getIntListArg({0, 1}));
  T = get(Op::ReduceAxis, GlobalF32, {T},
          Ctx.getListArg({Ctx.getOpArg(Op::Max), Ctx.getIntListArg({1})}));
  kernel({}, sink({get(Op::Assign, GlobalF32, {Buf, T}), View}));
  EXPECT_TRUE(verify().empty());
}

TEST_F(VerifierTest, FuncOverBoundedVariablesIsValid) {
  const UOp *X = var("x", 0, 99), *Y = var("y", 0, 7);
  func({X, Y}, get(Op::FloorMod, Index, {get(Op::Add, Index, {X, Y}), Y}));
  EXPECT_TRUE(verify().empty());
}

TEST_F(VerifierTest, FuncMayReturnAParameter) {
  const UOp *X = var("x", 0, 99);
  func({X}, X);
  EXPECT_TRUE(verify().empty());
}

//===----------------------------------------------------------------------===//
// Generic rules from td/UOps.td
//===----------------------------------------------------------------------===//

TEST_F(VerifierTest, OperandCountIsCheckedFirst) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Add, Index, {index(1)})),
                         "'add' expects 2 operands, got 1"));
}

TEST_F(VerifierTest, VariadicOperandCount) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::End, Void, {sink({})})),
                         "'end' expects at least 2 operands, got 1"));
}

TEST_F(VerifierTest, OperandCountRange) {
  const UOp *P = at(In, index(0));
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Load, F32, {P, f32(0), f32(0)})),
                         "'load' expects 1 to 2 operands, got 3"));
}

TEST_F(VerifierTest, WrongCountSkipsOpRules) {
  // A store without a value must not reach the store rule (which reads
  // operand 2).
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Store, Void, {at(Out, index(0))})),
                         "'store' expects 2 operands, got 1"));
}

TEST_F(VerifierTest, ArgumentOnOpWithoutFields) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Add, Index, {index(1), index(2)}, Ctx.getIntArg(3))),
      "'add' takes no argument"));
}

TEST_F(VerifierTest, MissingArgument) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Range, Index, {index(4)})),
                         "'range' requires an argument {axis, kind}"));
}

TEST_F(VerifierTest, ArgumentWithTooFewFields) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Range, Index, {index(4)},
                                        Ctx.getListArg({Ctx.getIntArg(0)}))),
                         "'range' argument must have the fields {axis, kind}"));
}

TEST_F(VerifierTest, FieldOfTheWrongKind) {
  const Arg *A = Ctx.getListArg(
      {Ctx.getStringArg("zero"), Ctx.getAxisKindArg(AxisKind::Loop)});
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Range, Index, {index(4)}, A)),
                         "'range' field 'axis' must be an integer"));
}

TEST_F(VerifierTest, ConstantKindFollowsTheType) {
  EXPECT_TRUE(
      isOneError(verifySunk(get(Op::Const, I32, {}, Ctx.getFloatArg(1.0))),
                 "'const' field 'value' must be an integer constant for i32"));
}

TEST_F(VerifierTest, BoolConstantNeedsABoolValue) {
  EXPECT_TRUE(
      isOneError(verifySunk(get(Op::Const, Bool, {}, Ctx.getIntArg(1))),
                 "'const' field 'value' must be a bool constant for bool"));
}

TEST_F(VerifierTest, IntPairListNeedsPairs) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Shrink, F32, {f32(1)},
                     Ctx.getListArg({Ctx.getIntListArg({1, 2, 3})}))),
      "'shrink' field 'bounds' must be a list of integer pairs"));
}

TEST_F(VerifierTest, OptListAttribute) {
  kernel({Out, In}, sink({}));
  M.Functions.back()->Attributes.push_back({"opts", Ctx.getIntArg(1)});
  M.Functions.back()->Attributes.push_back(
      {"applied_opts",
       Ctx.getListArg({Ctx.getOptArg(OptKind::Upcast,
                                     {Ctx.getIntArg(0), Ctx.getIntArg(4)})})});
  EXPECT_TRUE(isOneError(verify(), "attribute 'opts' of kernel @k must be a "
                                   "list of opts"));
}

TEST_F(VerifierTest, UnknownAttribute) {
  kernel({Out, In}, sink({}));
  M.Functions.back()->Attributes.push_back({"speed", Ctx.getIntArg(1)});
  EXPECT_TRUE(isOneError(verify(), "unknown attribute 'speed' on kernel @k"));
}

TEST_F(VerifierTest, VoidResult) {
  EXPECT_TRUE(
      isOneError(verifySunk(get(Op::Store, F32, {at(Out, index(0)), f32(1)})),
                 "'store' result must be void, got f32"));
}

TEST_F(VerifierTest, BoolResult) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::CmpLT, I32, {index(0), index(1)})),
                         "'cmplt' result must be bool, got i32"));
}

TEST_F(VerifierTest, IntegerResult) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Range, F32, {f32(4)}, rangeArg(0))),
      "'range' result must be index or a fixed-width integer, got f32"));
}

TEST_F(VerifierTest, PointerResult) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Index, F32, {In, index(0)})),
                         "'index' result must be a pointer, got f32"));
}

TEST_F(VerifierTest, SameAsOperands) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Add, F32, {f32(1), Ctx.getConst(I32, 1)})),
      "'add' operand 2 type i32 does not match the result type f32"));
}

TEST_F(VerifierTest, SameAsFirst) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Noop, F32, {index(1)})),
                         "'noop' result type f32 does not match operand 1 "
                         "type index"));
}

//===----------------------------------------------------------------------===//
// ALU, conversions and constants
//===----------------------------------------------------------------------===//

TEST_F(VerifierTest, TranscendentalsNeedFloats) {
  const UOp *X = Ctx.getConst(I32, 4);
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Sqrt, I32, {X})),
                         "'sqrt' requires a float type, got i32"));
}

TEST_F(VerifierTest, FloorDivNeedsIntegers) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::FloorDiv, F32, {f32(1), f32(2)})),
                         "'floordiv' requires an integer type (index or "
                         "fixed-width), got f32"));
}

TEST_F(VerifierTest, BitwiseOpsNeedIntegersOrBool) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Xor, F32, {f32(1), f32(2)})),
                         "'xor' requires an integer or bool type, got f32"));
}

TEST_F(VerifierTest, SubHasNoBoolMeaning) {
  const UOp *T = Ctx.getConst(Bool, 1);
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Sub, Bool, {T, T})),
                         "'sub' requires a numeric (non-bool) type, got bool"));
}

TEST_F(VerifierTest, AluOnPointers) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Max, GlobalF32, {In, In})),
                         "'max' requires a scalar or vector type"));
}

TEST_F(VerifierTest, ThreefryNeedsU64) {
  const UOp *X = Ctx.getConst(U32, 1);
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Threefry, U32, {X, X})),
                         "'threefry' requires u64, got u32"));
}

TEST_F(VerifierTest, ComparedOperandsShareAType) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::CmpEQ, Bool, {f32(1), index(1)})),
                         "'cmpeq' operands have different types f32 and "
                         "index"));
}

TEST_F(VerifierTest, ComparisonKeepsLanes) {
  const UOp *V = get(Op::Vectorize, Vec4F32, {f32(1), f32(1), f32(1), f32(1)});
  EXPECT_TRUE(isOneError(verifySunk(get(Op::CmpLT, Bool, {V, V})),
                         "'cmplt' result has 1 lane, the operands have 4"));
}

TEST_F(VerifierTest, WhereNeedsABoolCondition) {
  EXPECT_TRUE(
      isOneError(verifySunk(get(Op::Where, F32, {index(1), f32(1), f32(2)})),
                 "'where' condition (operand 1) must be bool, got index"));
}

TEST_F(VerifierTest, WhereValuesHaveTheResultType) {
  const UOp *T = Ctx.getConst(Bool, 1);
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Where, F32, {T, f32(1), Ctx.getFloatConst(F16, 0)})),
      "'where' operand 3 type f16 does not match the result type f32"));
}

TEST_F(VerifierTest, WhereConditionLanes) {
  const UOp *T = Ctx.getConst(Bool, 1);
  const UOp *C2 = get(Op::Vectorize, Ctx.getVector(Bool, 2), {T, T});
  const UOp *V = get(Op::Vectorize, Vec4F32, {f32(1), f32(1), f32(1), f32(1)});
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Where, Vec4F32, {C2, V, V})),
                         "'where' condition has 2 lanes, the result has 4"));
}

TEST_F(VerifierTest, CastOfAPointer) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Cast, I32, {In})),
                         "'cast' operand must be a scalar or vector"));
}

TEST_F(VerifierTest, CastKeepsLanes) {
  const UOp *V = get(Op::Vectorize, Vec4F32, {f32(1), f32(1), f32(1), f32(1)});
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Cast, I32, {V})),
                         "'cast' changes the lane count from 4 to 1"));
}

TEST_F(VerifierTest, BitcastKeepsTheWidth) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Bitcast, Ctx.getScalar(ScalarKind::I64), {f32(1)})),
      "'bitcast' changes the width from 32 bits (f32) to "
      "64 bits (i64)"));
}

TEST_F(VerifierTest, BitcastOfIndex) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Bitcast, I32, {index(1)})),
                         "'bitcast' cannot reinterpret index"));
}

TEST_F(VerifierTest, IntegerConstantsFitTheirWidth) {
  EXPECT_TRUE(isOneError(verifySunk(Ctx.getConst(U8, 256)),
                         "'const' value 256 does not fit in u8"));
  M.Functions.clear();
  EXPECT_TRUE(isOneError(verifySunk(Ctx.getConst(I8, -129)),
                         "'const' value -129 does not fit in i8"));
  M.Functions.clear();
  // u64 constants are bit patterns: -1 is UINT64_MAX.
  EXPECT_TRUE(verifySunk(Ctx.getConst(U64, -1)).empty());
  M.Functions.clear();
  EXPECT_TRUE(verifySunk(Ctx.getConst(U8, 255)).empty());
}

TEST_F(VerifierTest, FloatConstantsAreExactInTheirType) {
  EXPECT_TRUE(isOneError(verifySunk(f32(0.1)),
                         "'const' value 0.1 is not exact in f32"));
  M.Functions.clear();
  EXPECT_TRUE(verifySunk(f32(float(0.1))).empty());
  M.Functions.clear();
  EXPECT_TRUE(isOneError(verifySunk(Ctx.getFloatConst(F16, 1e10)),
                         "is not exact in f16"));
  M.Functions.clear();
  DType FP8 = Ctx.getScalar(ScalarKind::FP8E4M3);
  EXPECT_TRUE(isOneError(verifySunk(Ctx.getFloatConst(FP8, INFINITY)),
                         "value inf is not exact in fp8e4m3"));
}

TEST_F(VerifierTest, ConstantOfVoid) {
  EXPECT_TRUE(
      isOneError(verifySunk(get(Op::Const, Void, {}, Ctx.getIntArg(0))),
                 "'const' result must be a scalar or vector, got void"));
}

TEST_F(VerifierTest, VectorConstantHasOneValuePerLane) {
  const Arg *Values =
      Ctx.getListArg({Ctx.getFloatArg(1.0), Ctx.getFloatArg(2.0)});
  EXPECT_TRUE(isOneError(verifySunk(get(Op::VConst, Vec4F32, {}, Values)),
                         "'vconst' has 2 values, but vec<f32, 4> has 4 lanes"));
}

TEST_F(VerifierTest, VectorConstantOfAScalar) {
  const Arg *Values = Ctx.getListArg({Ctx.getFloatArg(1.0)});
  EXPECT_TRUE(isOneError(verifySunk(get(Op::VConst, F32, {}, Values)),
                         "'vconst' result must be a vector, got f32"));
}

//===----------------------------------------------------------------------===//
// Definitions, parameters and variables
//===----------------------------------------------------------------------===//

TEST_F(VerifierTest, GlobalDefineInTheBody) {
  EXPECT_TRUE(isOneError(verifySunk(define(2, GlobalF32)),
                         "'define' of a global buffer may only be a kernel "
                         "parameter"));
}

TEST_F(VerifierTest, LocalDefineNeedsASize) {
  EXPECT_TRUE(
      isOneError(verifySunk(define(0, Ctx.getPointer(F32, AddrSpace::Local))),
                 "'define' local buffer needs a known size"));
}

TEST_F(VerifierTest, DefineIdIsNonNegative) {
  EXPECT_TRUE(
      isOneError(verifySunk(define(-1, Ctx.getPointer(F32, AddrSpace::Reg, 4))),
                 "'define' id must be non-negative, got -1"));
}

TEST_F(VerifierTest, KernelParameterIdsFollowPositions) {
  kernel({In, Out}, sink({}));
  std::vector<std::string> Found = verify();
  ASSERT_EQ(Found.size(), 2u);
  EXPECT_NE(Found[0].find("'define' kernel parameter id 1 does not match its "
                          "position 0 among the buffer parameters"),
            std::string::npos);
}

TEST_F(VerifierTest, KernelParametersAreGlobal) {
  const UOp *Local = define(0, Ctx.getPointer(F32, AddrSpace::Local, 4));
  kernel({Local}, sink({}));
  EXPECT_TRUE(isOneError(
      verify(),
      "'define' kernel parameter must be in global memory, got local"));
}

TEST_F(VerifierTest, FuncsTakeOnlyVariables) {
  func({Out}, index(0));
  EXPECT_TRUE(isOneError(verify(), "'define' cannot be a func parameter"));
}

TEST_F(VerifierTest, ParameterOfAnotherOp) {
  kernel({index(1)}, sink({}));
  EXPECT_TRUE(isOneError(verify(), "'const' cannot be a parameter"));
}

TEST_F(VerifierTest, VariableNamesAreUnique) {
  func({var("x", 0, 9), var("x", 0, 5)}, index(0));
  EXPECT_TRUE(
      isOneError(verify(), "'define_var' name 'x' is used by two parameters"));
}

TEST_F(VerifierTest, VariableBoundsAreOrdered) {
  func({var("x", 5, 3)}, index(0));
  EXPECT_TRUE(isOneError(verify(), "'define_var' min 5 is greater than max 3"));
}

TEST_F(VerifierTest, VariableBoundsFitTheType) {
  func({var("x", 0, 1000, I8)}, index(0));
  EXPECT_TRUE(
      isOneError(verify(), "'define_var' bounds [0, 1000] do not fit in i8"));
}

TEST_F(VerifierTest, BindNeedsAVariable) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Bind, Index, {index(1), index(1)})),
                         "'bind' operand 1 must be a 'define_var', got "
                         "'const'"));
}

TEST_F(VerifierTest, BoundValueLiesInTheVariablesRange) {
  const UOp *N = var("n", 0, 10);
  EXPECT_TRUE(
      isOneError(verifySunk(get(Op::Bind, Index, {N, index(11)}), {Out, In, N}),
                 "'bind' value 11 is outside [0, 10] of variable 'n'"));
}

//===----------------------------------------------------------------------===//
// Loops, memory and control flow
//===----------------------------------------------------------------------===//

TEST_F(VerifierTest, RangeBoundHasTheResultType) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Range, Index, {Ctx.getConst(I32, 4)}, rangeArg(0))),
      "'range' operand type i32 does not match the result type index"));
}

TEST_F(VerifierTest, RangeAxisIsNonNegative) {
  EXPECT_TRUE(isOneError(verifySunk(range(4, -1)),
                         "'range' axis must be non-negative, got -1"));
}

TEST_F(VerifierTest, EndClosesAnEffect) {
  const UOp *I = range(4);
  EXPECT_TRUE(isOneError(verifySunk(get(Op::End, Void, {I, I})),
                         "'end' operand 1 must be an effect (void), got "
                         "index"));
}

TEST_F(VerifierTest, EndClosesRanges) {
  const UOp *I = range(4);
  const UOp *S = get(Op::Store, Void, {at(Out, I), f32(1)});
  EXPECT_TRUE(isOneError(verifySunk(get(Op::End, Void, {S, index(4)})),
                         "'end' operand 2 must be a 'range', got 'const'"));
}

TEST_F(VerifierTest, EndClosesOnlyRangesItEncloses) {
  const UOp *I = range(4), *J = range(8, 1);
  const UOp *S = get(Op::Store, Void, {at(Out, I), f32(1)});
  EXPECT_TRUE(isOneError(verifySunk(get(Op::End, Void, {S, I, J})),
                         "'end' operand 3 is a range that does not enclose "
                         "operand 1"));
}

TEST_F(VerifierTest, NestedEndsAreValid) {
  const UOp *I = range(4), *J = range(8, 1, AxisKind::Loop);
  const UOp *Offset =
      get(Op::Add, Index, {get(Op::Mul, Index, {I, index(8)}), J});
  const UOp *S = get(Op::Store, Void, {at(Out, Offset), f32(1)});
  const UOp *Inner = get(Op::End, Void, {S, J});
  EXPECT_TRUE(verifySunk(get(Op::End, Void, {Inner, I})).empty());
}

TEST_F(VerifierTest, ManyEndsAreCheckedInGroupsOf64) {
  // 150 loops, each storing through its own range; loop 100 ends a range its
  // store does not use.
  std::vector<const UOp *> Ends;
  const UOp *Previous = nullptr;
  for (int64_t K = 0; K != 150; ++K) {
    const UOp *R = range(K + 1, K, AxisKind::Loop);
    const UOp *S = get(Op::Store, Void, {at(Out, R), f32(1)});
    Ends.push_back(get(Op::End, Void, {S, K == 100 ? Previous : R}));
    Previous = R;
  }
  kernel({Out, In}, sink(Ends));
  EXPECT_TRUE(isOneError(verify(), "'end' operand 2 is a range that does not "
                                   "enclose operand 1"));
}

TEST_F(VerifierTest, DeepRangesAreFoundPastTheSearchBudget) {
  // Each store's value reaches its range only at the bottom of a long chain,
  // so the breadth-first searches spend their budget and the bounded pass
  // decides. The second end's range is reached by no store.
  auto Chain = [&](const UOp *R, int64_t Length) {
    const UOp *Acc = get(Op::Load, F32, {at(In, R)});
    for (int64_t K = 0; K != Length; ++K)
      Acc = get(Op::Add, F32, {Acc, f32(double(K))});
    return get(Op::Store, Void, {at(Out, index(0)), Acc});
  };
  const UOp *I = range(4, 0, AxisKind::Loop), *J = range(8, 1);
  const UOp *First = get(Op::End, Void, {Chain(I, 300), I});
  const UOp *Second = get(Op::End, Void, {Chain(I, 200), I});
  kernel({Out, In}, sink({First, Second}));
  EXPECT_TRUE(verify().empty());
  M.Functions.clear();
  const UOp *Bad = get(Op::End, Void, {Chain(I, 200), I, J});
  kernel({Out, In}, sink({First, Bad}));
  EXPECT_TRUE(isOneError(verify(), "'end' operand 3 is a range that does not "
                                   "enclose operand 1"));
}

TEST_F(VerifierTest, SpecialBoundHasTheResultType) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Special, I32, {index(16)}, Ctx.getStringArg("gidx0"))),
      "'special' operand type index does not match the "
      "result type i32"));
}

TEST_F(VerifierTest, SpecialNeedsAName) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Special, Index, {index(16)}, Ctx.getStringArg(""))),
      "'special' name must not be empty"));
}

TEST_F(VerifierTest, IndexIntoAPointer) {
  EXPECT_TRUE(
      isOneError(verifySunk(get(Op::Index, GlobalF32, {f32(1), index(0)})),
                 "'index' operand 1 must be a pointer, got f32"));
}

TEST_F(VerifierTest, IndexOperandsAreIntegers) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Index, GlobalF32, {In, f32(0)})),
      "'index' operand 2 must be an integer (index or fixed-width)"));
}

TEST_F(VerifierTest, IndexGateComesAfterAnIndex) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Index, GlobalF32, {In, Ctx.getConst(Bool, 1)})),
      "'index' needs an index operand before the gate"));
}

TEST_F(VerifierTest, IndexKeepsTheElementType) {
  DType Wrong = Ctx.getPointer(F16, AddrSpace::Global);
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Index, Wrong, {In, index(0)})),
                         "'index' result type ptr<f16, global> must point to "
                         "the element type and address space of operand 1"));
}

TEST_F(VerifierTest, IndexKeepsTheAddressSpace) {
  DType Wrong = Ctx.getPointer(F32, AddrSpace::Local);
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Index, Wrong, {In, index(0)})),
                         "must point to the element type and address space"));
}

TEST_F(VerifierTest, LoadGivesTheElementType) {
  EXPECT_TRUE(
      isOneError(verifySunk(get(Op::Load, F16, {at(In, index(0))})),
                 "'load' result type f16 does not match the type f32 "
                 "(or a vector of it) loaded through ptr<f32, global>"));
}

TEST_F(VerifierTest, VectorOfTheElementIsAVectorAccess) {
  const UOp *Vector = get(Op::Load, Ctx.getVector(F32, 4), {at(In, index(0))});
  EXPECT_EQ(verifySunk(get(Op::Store, Void, {at(Out, index(0)), Vector})),
            std::vector<std::string>());
}

TEST_F(VerifierTest, ImageLoadGivesFourTexels) {
  DType Image = Ctx.getImage(ScalarKind::F16, 2, 2);
  const UOp *Img = define(0, Image);
  const UOp *P = get(Op::Index, Image, {Img, index(0), index(1)});
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Load, F16, {P}), {Img}),
                         "'load' result type f16 does not match the type "
                         "vec<f16, 4> loaded through image<f16, 2, 2>"));
}

TEST_F(VerifierTest, LoadAlternativeHasTheResultType) {
  const UOp *Gated = get(Op::Index, Ctx.getPointer(F32, AddrSpace::Global),
                         {In, index(0), Ctx.getConst(Bool, 0)});
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Load, F32, {Gated, index(0)})),
                         "'load' alternative value (operand 2) type index does "
                         "not match the result type f32"));
}

TEST_F(VerifierTest, StoreValueHasTheElementType) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Store, Void, {at(Out, index(0)), index(1)})),
      "'store' value type index does not match the type f32 (or a vector of "
      "it) stored through ptr<f32, global>"));
}

TEST_F(VerifierTest, StoreThroughAPointer) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Store, Void, {f32(1), f32(1)})),
                         "'store' operand 1 must be a pointer, got f32"));
}

TEST_F(VerifierTest, ReduceOpIsAReduction) {
  EXPECT_TRUE(isOneError(
      verifySunk(
          get(Op::Reduce, F32, {f32(1), range(4)}, Ctx.getOpArg(Op::Sub))),
      "'reduce' op must be one of add, mul, max, and, or, xor, got 'sub'"));
}

TEST_F(VerifierTest, ReduceOpFitsTheType) {
  EXPECT_TRUE(isOneError(
      verifySunk(
          get(Op::Reduce, F32, {f32(1), range(4)}, Ctx.getOpArg(Op::And))),
      "'reduce' op 'and' requires an integer or bool type, got f32"));
}

TEST_F(VerifierTest, ReduceOverRanges) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Reduce, F32, {f32(1), index(4)},
                                        Ctx.getOpArg(Op::Add))),
                         "'reduce' operand 2 must be a 'range', got 'const'"));
}

TEST_F(VerifierTest, ReduceAxisAxesAreUnique) {
  const Arg *A =
      Ctx.getListArg({Ctx.getOpArg(Op::Add), Ctx.getIntListArg({1, 0, 1})});
  EXPECT_TRUE(isOneError(verifySunk(get(Op::ReduceAxis, F32, {f32(1)}, A)),
                         "'reduce_axis' axis 1 appears twice"));
}

TEST_F(VerifierTest, IfNeedsABool) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::If, Void, {index(1)})),
                         "'if' operand 1 must be bool, got index"));
}

TEST_F(VerifierTest, EndIfClosesAnIf) {
  EXPECT_TRUE(isOneError(verifySunk(get(Op::EndIf, Void, {sink({})})),
                         "'endif' operand 1 must be an 'if', got 'sink'"));
}

//===----------------------------------------------------------------------===//
// Vectors, tensor cores and movement
//===----------------------------------------------------------------------===//

TEST_F(VerifierTest, VectorizeOperandsShareAType) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Vectorize, Ctx.getVector(F32, 2),
                     {f32(1), Ctx.getFloatConst(F16, 1)})),
      "'vectorize' operand 2 type f16 does not match operand 1 type f32"));
}

TEST_F(VerifierTest, VectorizeResultHasOneLanePerOperand) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Vectorize, Vec4F32, {f32(1), f32(1), f32(1)})),
      "'vectorize' result must be vec<f32, 3>, got vec<f32, 4>"));
}

TEST_F(VerifierTest, GEPLaneInRange) {
  const UOp *V = get(Op::Vectorize, Vec4F32, {f32(1), f32(1), f32(1), f32(1)});
  EXPECT_TRUE(
      isOneError(verifySunk(get(Op::GEP, F32, {V}, Ctx.getIntListArg({4}))),
                 "'gep' lane 4 is out of range for vec<f32, 4>"));
}

TEST_F(VerifierTest, GEPResultLanes) {
  const UOp *V = get(Op::Vectorize, Vec4F32, {f32(1), f32(1), f32(1), f32(1)});
  EXPECT_TRUE(
      isOneError(verifySunk(get(Op::GEP, F32, {V}, Ctx.getIntListArg({0, 1}))),
                 "'gep' result must be vec<f32, 2>, got f32"));
}

TEST_F(VerifierTest, GEPOfAScalar) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::GEP, F32, {f32(1)}, Ctx.getIntListArg({0}))),
      "'gep' operand must be a vector, got f32"));
}

TEST_F(VerifierTest, CatSumsLanes) {
  const UOp *V = get(Op::Vectorize, Ctx.getVector(F32, 2), {f32(1), f32(1)});
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Cat, Vec4F32, {V, V, V})),
                         "'cat' result has 4 lanes, the operands have 6 in "
                         "total"));
}

TEST_F(VerifierTest, WMMAShape) {
  const UOp *V = get(Op::Vectorize, Vec4F32, {f32(1), f32(1), f32(1), f32(1)});
  const Arg *A = Ctx.getListArg(
      {Ctx.getStringArg("tc"), Ctx.getIntListArg({8, 16}), Ctx.getIntArg(0)});
  std::vector<std::string> Found =
      verifySunk(get(Op::WMMA, Vec4F32, {V, V, V}, A));
  ASSERT_EQ(Found.size(), 2u);
  EXPECT_EQ(Found[0], "'wmma' dims must be 3 positive sizes [n, m, k], got "
                      "[8, 16]");
  EXPECT_EQ(Found[1], "'wmma' threads must be positive, got 0");
}

TEST_F(VerifierTest, PermuteOrderIsAPermutation) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Permute, F32, {f32(1)}, Ctx.getIntListArg({0, 2}))),
      "'permute' order [0, 2] is not a permutation"));
}

TEST_F(VerifierTest, ShrinkBoundsAreOrdered) {
  const Arg *Bounds = Ctx.getListArg({Ctx.getIntListArg({3, 2})});
  EXPECT_TRUE(isOneError(verifySunk(get(Op::Shrink, F32, {f32(1)}, Bounds)),
                         "'shrink' bounds (3, 2) must satisfy 0 <= begin <= "
                         "end"));
}

TEST_F(VerifierTest, FlipAxesAreNonNegative) {
  EXPECT_TRUE(isOneError(
      verifySunk(get(Op::Flip, F32, {f32(1)}, Ctx.getIntListArg({-1}))),
      "'flip' axis -1 must be non-negative"));
}

//===----------------------------------------------------------------------===//
// Functions and modules
//===----------------------------------------------------------------------===//

TEST_F(VerifierTest, KernelRootIsASink) {
  kernel({Out, In}, get(Op::Store, Void, {at(Out, index(0)), f32(1)}));
  EXPECT_TRUE(isOneError(verify(), "kernel @k must end in a 'sink', got "
                                   "'store'"));
}

TEST_F(VerifierTest, FuncReturnsAValue) {
  func({}, sink({}));
  EXPECT_TRUE(
      isOneError(verify(), "func @f must return a scalar or vector, got void"));
}

TEST_F(VerifierTest, FuncHasNoSideEffects) {
  const UOp *Local = define(0, Ctx.getPointer(F32, AddrSpace::Local, 4));
  const UOp *S = get(Op::Store, Void, {at(Local, index(0)), f32(1)});
  const UOp *Synced = get(Op::After, Local->getDType(), {Local, S});
  func({}, get(Op::Load, F32, {at(Synced, index(0))}));
  EXPECT_TRUE(isOneError(verify(), "'store' is not allowed in a func"));
}

TEST_F(VerifierTest, OperandsAreDefinedBeforeUse) {
  const UOp *One = index(1);
  const UOp *Sum = get(Op::Add, Index, {One, One});
  auto F = std::make_unique<Function>(Function::Kind::Func, "f");
  F->setBody(Sum, {Sum, One});
  M.Functions.push_back(std::move(F));
  EXPECT_TRUE(
      isOneError(verify(), "'add' operand 1 is not defined before use"));
}

TEST_F(VerifierTest, RootIsInTheBody) {
  auto F = std::make_unique<Function>(Function::Kind::Func, "f");
  F->setBody(index(1), {});
  M.Functions.push_back(std::move(F));
  EXPECT_TRUE(isOneError(verify(), "the root of func @f is not defined in it"));
}

TEST_F(VerifierTest, FunctionNamesAreUnique) {
  func({}, index(0));
  func({}, index(1));
  EXPECT_TRUE(isOneError(verify(), "function @f is defined twice"));
}

TEST_F(VerifierTest, EveryViolationIsReportedInOrder) {
  const UOp *A = get(Op::Sqrt, I32, {Ctx.getConst(I32, 4)});
  const UOp *B = get(Op::Add, Index, {index(1)});
  const UOp *C = Ctx.getConst(U8, 300);
  kernel({Out, In}, sink({A, B, C}));
  std::vector<std::string> Found = verify();
  ASSERT_EQ(Found.size(), 3u);
  EXPECT_EQ(Found[0], "'sqrt' requires a float type, got i32");
  EXPECT_EQ(Found[1], "'add' expects 2 operands, got 1");
  EXPECT_EQ(Found[2], "'const' value 300 does not fit in u8");
}

TEST_F(VerifierTest, ErrorsPointAtTheUOp) {
  std::unique_ptr<llvm::MemoryBuffer> Buffer =
      llvm::MemoryBuffer::getMemBuffer("kernel @k\n  %x = sqrt\n", "test.tg");
  const char *Start = Buffer->getBufferStart();
  SM.AddNewSourceBuffer(std::move(Buffer), llvm::SMLoc());
  const UOp *Bad = get(Op::Sqrt, I32, {Ctx.getConst(I32, 4)});
  Function &F = kernel({Out, In}, sink({Bad}));
  F.setLoc(llvm::SMLoc::getFromPointer(Start));
  F.setLoc(Bad, llvm::SMLoc::getFromPointer(Start + 12));
  ASSERT_EQ(verify().size(), 1u);
  EXPECT_EQ(Locs[0].getPointer(), Start + 12);
  // A UOp made by a pass has no location: the function's is used.
  F.setLoc(Bad, llvm::SMLoc());
  ASSERT_EQ(verify().size(), 1u);
  EXPECT_EQ(Locs[0].getPointer(), Start);
}

class MainTest : public VerifierTest {
protected:
  void SetUp() override {
    const UOp *I = range(16);
    const UOp *S = get(Op::Store, Void, {at(Out, I), f32(1)});
    kernel({Out, N}, sink({get(Op::End, Void, {S, I})}));
    func({}, index(0));
    M.Buffers.push_back({"a", GlobalF32, llvm::SMLoc()});
    M.Buffers.push_back(
        {"b", Ctx.getPointer(F32, AddrSpace::Global, 8), llvm::SMLoc()});
    M.Main.emplace();
  }
  std::vector<std::string> verifyCall(std::string Callee,
                                      std::vector<CallArg> Args) {
    M.Main->Calls.push_back(
        {std::move(Callee), std::move(Args), llvm::SMLoc()});
    return verify();
  }
  static CallArg buffer(std::string Name) { return {std::move(Name), {}}; }
  static CallArg integer(int64_t V) { return {V, {}}; }

  const UOp *N = var("n", 1, 16);
};

TEST_F(MainTest, ValidCall) {
  EXPECT_TRUE(verifyCall("k", {buffer("a"), integer(16)}).empty());
}

TEST_F(MainTest, UnknownKernel) {
  EXPECT_TRUE(isOneError(verifyCall("g", {}), "call to unknown kernel @g"));
}

TEST_F(MainTest, CallOfAFunc) {
  EXPECT_TRUE(isOneError(verifyCall("f", {}), "call to func @f (main calls "
                                              "only kernels)"));
}

TEST_F(MainTest, ArgumentCount) {
  EXPECT_TRUE(isOneError(verifyCall("k", {buffer("a")}),
                         "call to @k passes 1 argument, but it has 2 "
                         "parameters"));
}

TEST_F(MainTest, UnknownBuffer) {
  EXPECT_TRUE(isOneError(verifyCall("k", {buffer("c"), integer(1)}),
                         "argument 1 of the call to @k names unknown buffer "
                         "@c"));
}

TEST_F(MainTest, BufferTypeMatchesTheParameter) {
  EXPECT_TRUE(isOneError(verifyCall("k", {buffer("b"), integer(1)}),
                         "buffer @b has type ptr<f32, global, 8>, the "
                         "parameter has type ptr<f32, global, 16>"));
}

TEST_F(MainTest, IntegerForABuffer) {
  EXPECT_TRUE(isOneError(verifyCall("k", {integer(1), integer(1)}),
                         "argument 1 of the call to @k must be a buffer, got "
                         "1"));
}

TEST_F(MainTest, BufferForAVariable) {
  EXPECT_TRUE(isOneError(verifyCall("k", {buffer("a"), buffer("a")}),
                         "argument 2 of the call to @k must be an integer, got "
                         "buffer @a"));
}

TEST_F(MainTest, IntegerWithinTheVariablesBounds) {
  EXPECT_TRUE(isOneError(verifyCall("k", {buffer("a"), integer(17)}),
                         "argument 2 of the call to @k: 17 is outside [1, 16] "
                         "of variable 'n'"));
}

TEST_F(MainTest, BuffersAreGlobalWithASize) {
  M.Buffers.push_back({"c", F32, llvm::SMLoc()});
  M.Buffers.push_back(
      {"d", Ctx.getPointer(F32, AddrSpace::Global), llvm::SMLoc()});
  std::vector<std::string> Found = verify();
  ASSERT_EQ(Found.size(), 2u);
  EXPECT_EQ(Found[0],
            "buffer @c must have a global pointer or image type, got f32");
  EXPECT_EQ(Found[1], "buffer @d needs a known size, got ptr<f32, global>");
}

} // namespace
