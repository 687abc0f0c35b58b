//===- Renderer.cpp - a linearized kernel as an LLVM module ---------------===//
//
// One pass over the linear body with an IRBuilder. Registers are allocas in
// a block of their own before the body, local buffers what the target's
// hooks make. Vector ALU ops are built lane by lane from the scalar form
// (the O3 pipeline re-vectorizes), so a vector op means exactly what the
// scalar op means.
//
//===----------------------------------------------------------------------===//

#include "tg/LLVMGen/LLVMGen.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Eval.h"
#include "tg/IR/UOp.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace tg;
using namespace tg::llvmgen;

namespace {

/// An open loop: its counter and the blocks its `end` closes.
struct Loop {
  llvm::PHINode *Counter;
  llvm::BasicBlock *Header, *Exit;
};

class LLVMRenderer {
public:
  LLVMRenderer(const Function &Kernel, llvm::LLVMContext &Ctx,
               TargetHooks &Hooks)
      : Kernel(Kernel), Ctx(Ctx), Hooks(Hooks), B(Ctx) {}
  llvm::Expected<std::unique_ptr<llvm::Module>> render();

private:
  llvm::Error renderUOp(const UOp *U);
  llvm::Expected<llvm::Value *> scalar(const UOp *U,
                                       llvm::ArrayRef<llvm::Value *> Ops);
  llvm::Expected<llvm::Value *> scalarCast(const UOp *U, llvm::Value *X);
  llvm::Expected<llvm::Value *> scalarFloat(const UOp *U,
                                            llvm::ArrayRef<llvm::Value *> Ops);
  llvm::Expected<llvm::Value *>
  scalarInteger(const UOp *U, llvm::ArrayRef<llvm::Value *> Ops);
  llvm::Value *constant(ConstValue V, ScalarKind K);
  llvm::Type *scalarType(ScalarKind K);
  llvm::Type *memoryType(ScalarKind K);
  llvm::Type *valueType(DType T);
  llvm::Value *lane(const UOp *U, unsigned Lane);
  llvm::Value *load(const UOp *U);
  /// Runs `Body` only when `Gate` (if any) holds; returns the value `Body`
  /// made, or `Otherwise`.
  llvm::Value *guarded(llvm::Value *Gate, llvm::Value *Otherwise,
                       llvm::function_ref<llvm::Value *()> Body);

  // Floats: f16 and bf16 compute in float, f64 in double.
  llvm::Value *widen(llvm::Value *X, ScalarKind K);
  llvm::Value *fromF32(llvm::Value *X, ScalarKind K);
  llvm::Value *fromF64(llvm::Value *X, ScalarKind K);
  llvm::Value *f32ToBF16(llvm::Value *X);
  llvm::Value *integerToBF16(llvm::Value *X, bool Signed);
  llvm::Value *intrinsic(llvm::Intrinsic::ID ID,
                         llvm::ArrayRef<llvm::Value *> Args) {
    return B.CreateIntrinsic(ID, {Args[0]->getType()}, Args);
  }

  llvm::Error error(const UOp *U, const llvm::Twine &Why) const {
    return makeRenderError(Kernel, U, Why);
  }

  const Function &Kernel;
  llvm::LLVMContext &Ctx;
  TargetHooks &Hooks;
  llvm::IRBuilder<> B;
  std::unique_ptr<llvm::Module> M;
  llvm::Function *F = nullptr;
  llvm::BasicBlock *Allocas = nullptr;
  llvm::DenseMap<const UOp *, llvm::Value *> Values;
  /// Pointers: the i1 under which an access happens (null: always).
  llvm::DenseMap<const UOp *, llvm::Value *> Gates;
  llvm::DenseMap<const UOp *, Loop> Loops;
  llvm::DenseMap<const UOp *, llvm::BasicBlock *> IfMerges;
};

} // namespace

llvm::Type *llvmgen::getScalarType(llvm::LLVMContext &Ctx, ScalarKind K) {
  switch (K) {
  case ScalarKind::Bool:
    return llvm::Type::getInt1Ty(Ctx);
  case ScalarKind::F16:
    return llvm::Type::getHalfTy(Ctx);
  case ScalarKind::F32:
    return llvm::Type::getFloatTy(Ctx);
  case ScalarKind::F64:
    return llvm::Type::getDoubleTy(Ctx);
  case ScalarKind::BF16: // Its bits; see f32ToBF16.
    return llvm::Type::getInt16Ty(Ctx);
  case ScalarKind::Index:
    return llvm::Type::getInt64Ty(Ctx);
  default:
    return llvm::Type::getIntNTy(Ctx, getScalarInfo(K).Bits);
  }
}

llvm::Type *LLVMRenderer::scalarType(ScalarKind K) {
  return getScalarType(Ctx, K);
}

llvm::Type *LLVMRenderer::memoryType(ScalarKind K) {
  return K == ScalarKind::Bool ? B.getInt8Ty() : scalarType(K);
}

llvm::Type *LLVMRenderer::valueType(DType T) {
  if (T.isPointer())
    return B.getPtrTy(Hooks.getAddrSpace(T.getAddrSpace()));
  llvm::Type *Scalar = scalarType(T.getScalarKind());
  if (!T.isVector())
    return Scalar;
  return llvm::FixedVectorType::get(Scalar, T.getCount());
}

llvm::Value *LLVMRenderer::constant(ConstValue V, ScalarKind K) {
  if (!V.isFloat())
    return llvm::ConstantInt::get(scalarType(K), uint64_t(V.getInt()));
  unsigned Bits = getScalarInfo(K).Bits;
  ScalarKind Unsigned = Bits == 16   ? ScalarKind::U16
                        : Bits == 32 ? ScalarKind::U32
                                     : ScalarKind::U64;
  uint64_t Pattern = uint64_t(evalAlu(Op::Bitcast, Unsigned, K, {V})->getInt());
  if (K == ScalarKind::BF16)
    return B.getInt16(uint16_t(Pattern));
  return llvm::ConstantFP::get(
      Ctx, llvm::APFloat(getFloatSemantics(K), llvm::APInt(Bits, Pattern)));
}

/// Whether `U` is an f32 or f64 add, sub, mul or max whose operands are
/// vectors of its lane count: LLVM computes it whole.
static bool isWholeVectorFloatOp(const UOp *U) {
  Op O = U->getOp();
  if (O != Op::Add && O != Op::Sub && O != Op::Mul && O != Op::Max)
    return false;
  DType T = U->getDType();
  ScalarKind K = T.getScalarKind();
  if (K != ScalarKind::F32 && K != ScalarKind::F64)
    return false;
  return llvm::all_of(U->getSrcs(),
                      [&](const UOp *Src) { return Src->getDType() == T; });
}

/// Lane `Lane` of `U`'s value (a scalar is every lane).
llvm::Value *LLVMRenderer::lane(const UOp *U, unsigned Lane) {
  llvm::Value *V = Values.lookup(U);
  if (!V->getType()->isVectorTy())
    return V;
  return B.CreateExtractElement(V, B.getInt32(Lane));
}

//===----------------------------------------------------------------------===//
// Floats
//===----------------------------------------------------------------------===//

llvm::Value *LLVMRenderer::widen(llvm::Value *X, ScalarKind K) {
  if (K == ScalarKind::BF16)
    return B.CreateBitCast(B.CreateShl(B.CreateZExt(X, B.getInt32Ty()), 16),
                           B.getFloatTy());
  if (K == ScalarKind::F16)
    return B.CreateFPExt(X, B.getFloatTy());
  return X;
}

/// Round to nearest even; every nan becomes the default nan 0x7fc0.
llvm::Value *LLVMRenderer::f32ToBF16(llvm::Value *X) {
  llvm::Value *U = B.CreateBitCast(X, B.getInt32Ty());
  llvm::Value *Odd = B.CreateAnd(B.CreateLShr(U, 16), 1);
  llvm::Value *Rounded =
      B.CreateLShr(B.CreateAdd(B.CreateAdd(U, B.getInt32(0x7fff)), Odd), 16);
  return B.CreateSelect(B.CreateFCmpUNO(X, X), B.getInt16(0x7fc0),
                        B.CreateTrunc(Rounded, B.getInt16Ty()));
}

llvm::Value *LLVMRenderer::fromF32(llvm::Value *X, ScalarKind K) {
  switch (K) {
  case ScalarKind::BF16:
    return f32ToBF16(X);
  case ScalarKind::F16:
    return B.CreateFPTrunc(X, B.getHalfTy());
  case ScalarKind::F64:
    return B.CreateFPExt(X, B.getDoubleTy());
  default:
    return X;
  }
}

llvm::Value *LLVMRenderer::fromF64(llvm::Value *X, ScalarKind K) {
  if (K == ScalarKind::F64)
    return X;
  if (K != ScalarKind::BF16)
    return B.CreateFPTrunc(X, scalarType(K));
  // Round to odd to float, so that rounding again to bf16 is exact.
  llvm::Value *F = B.CreateFPTrunc(X, B.getFloatTy());
  llvm::Value *Back = B.CreateFPExt(F, B.getDoubleTy());
  llvm::Value *U = B.CreateBitCast(F, B.getInt32Ty());
  llvm::Value *Inexact = B.CreateFCmpONE(Back, X);
  llvm::Value *Even = B.CreateICmpEQ(B.CreateAnd(U, 1), B.getInt32(0));
  llvm::Value *Up = B.CreateICmpEQ(B.CreateFCmpOLT(Back, X),
                                   B.CreateICmpSGE(U, B.getInt32(0)));
  llvm::Value *Step = B.CreateSelect(Up, B.getInt32(1), B.getInt32(-1));
  U = B.CreateSelect(B.CreateAnd(Inexact, Even), B.CreateAdd(U, Step), U);
  return f32ToBF16(B.CreateBitCast(U, B.getFloatTy()));
}

/// An integer of up to 64 bits to bf16, rounded once: keep 8 significant
/// bits rounded to nearest even, then convert exactly.
llvm::Value *LLVMRenderer::integerToBF16(llvm::Value *X, bool Signed) {
  llvm::Type *I64 = B.getInt64Ty();
  X = Signed ? B.CreateSExt(X, I64) : B.CreateZExt(X, I64);
  llvm::Value *Negative =
      Signed ? B.CreateICmpSLT(X, B.getInt64(0)) : B.getFalse();
  llvm::Value *M = B.CreateSelect(Negative, B.CreateSub(B.getInt64(0), X), X);
  llvm::Value *Leading = B.CreateIntrinsic(llvm::Intrinsic::ctlz, {I64},
                                           {B.CreateOr(M, 1), B.getTrue()});
  llvm::Value *Shift = B.CreateSub(B.getInt64(56), Leading);
  llvm::Value *Q = B.CreateLShr(M, Shift);
  llvm::Value *Rest = B.CreateAnd(
      M, B.CreateSub(B.CreateShl(B.getInt64(1), Shift), B.getInt64(1)));
  llvm::Value *Half =
      B.CreateShl(B.getInt64(1), B.CreateSub(Shift, B.getInt64(1)));
  llvm::Value *Up = B.CreateOr(
      B.CreateICmpUGT(Rest, Half),
      B.CreateAnd(B.CreateICmpEQ(Rest, Half), B.CreateTrunc(Q, B.getInt1Ty())));
  llvm::Value *Rounded =
      B.CreateShl(B.CreateAdd(Q, B.CreateZExt(Up, I64)), Shift);
  M = B.CreateSelect(B.CreateICmpSGT(Shift, B.getInt64(0)), Rounded, M);
  llvm::Value *F = B.CreateUIToFP(M, B.getFloatTy()); // Exact.
  return f32ToBF16(B.CreateSelect(Negative, B.CreateFNeg(F), F));
}

llvm::Expected<llvm::Value *> LLVMRenderer::scalarCast(const UOp *U,
                                                       llvm::Value *X) {
  ScalarKind RK = U->getDType().getScalarKind();
  ScalarKind OK = U->getSrc(0)->getDType().getScalarKind();
  ScalarCategory To = getScalarInfo(RK).Category,
                 From = getScalarInfo(OK).Category;
  llvm::Type *Type = scalarType(RK);
  bool FromSigned =
      From == ScalarCategory::Signed || From == ScalarCategory::Index;
  if (U->getOp() == Op::Bitcast) {
    if (From == ScalarCategory::Bool || To == ScalarCategory::Bool ||
        From == ScalarCategory::Index || To == ScalarCategory::Index ||
        getScalarInfo(OK).Bits != getScalarInfo(RK).Bits)
      return error(U, "bitcast needs two types of the same width");
    return B.CreateBitCast(X, Type);
  }
  if (To == ScalarCategory::Bool)
    return From == ScalarCategory::Float
               ? B.CreateFCmpUNE(
                     widen(X, OK),
                     llvm::ConstantFP::get(widen(X, OK)->getType(), 0.0))
               : B.CreateICmpNE(X, llvm::Constant::getNullValue(X->getType()));
  if (From == ScalarCategory::Float) {
    llvm::Value *W = widen(X, OK);
    if (To == ScalarCategory::Float)
      return OK == ScalarKind::F64 ? fromF64(W, RK) : fromF32(W, RK);
    return To == ScalarCategory::Unsigned ? B.CreateFPToUI(W, Type)
                                          : B.CreateFPToSI(W, Type);
  }
  if (To != ScalarCategory::Float) // Integer to integer: wrap.
    return B.CreateIntCast(X, Type, FromSigned);
  if (RK == ScalarKind::BF16)
    return integerToBF16(X, FromSigned);
  if (RK == ScalarKind::F16) // Beyond float's 24 bits f16 is inf anyway.
    return B.CreateFPTrunc(FromSigned ? B.CreateSIToFP(X, B.getFloatTy())
                                      : B.CreateUIToFP(X, B.getFloatTy()),
                           Type);
  return FromSigned ? B.CreateSIToFP(X, Type) : B.CreateUIToFP(X, Type);
}

llvm::Expected<llvm::Value *>
LLVMRenderer::scalarFloat(const UOp *U, llvm::ArrayRef<llvm::Value *> Ops) {
  ScalarKind K = U->getSrc(0)->getDType().getScalarKind();
  bool IsF64 = K == ScalarKind::F64;
  llvm::SmallVector<llvm::Value *, 3> W;
  for (llvm::Value *V : Ops)
    W.push_back(widen(V, K));
  auto Round = [&](llvm::Value *V) { return IsF64 ? V : fromF32(V, K); };
  auto InDouble =
      [&](llvm::function_ref<llvm::Value *(llvm::ArrayRef<llvm::Value *>)>
              Compute) {
        llvm::SmallVector<llvm::Value *, 3> D;
        for (llvm::Value *V : W)
          D.push_back(IsF64 ? V : B.CreateFPExt(V, B.getDoubleTy()));
        return fromF64(Compute(D), K);
      };
  auto Transcendental = [&]() -> llvm::Expected<llvm::Value *> {
    llvm::Error Failed = llvm::Error::success();
    llvm::Value *V =
        InDouble([&](llvm::ArrayRef<llvm::Value *> D) -> llvm::Value * {
          llvm::Expected<llvm::Value *> R =
              Hooks.transcendental(B, *M, U->getOp(), K, D);
          if (R)
            return *R;
          Failed = R.takeError();
          return llvm::PoisonValue::get(B.getDoubleTy());
        });
    if (Failed)
      return error(U, llvm::toString(std::move(Failed)));
    return V;
  };
  switch (U->getOp()) {
  case Op::Add:
    return Round(B.CreateFAdd(W[0], W[1]));
  case Op::Sub:
    return Round(B.CreateFSub(W[0], W[1]));
  case Op::Mul:
    return Round(B.CreateFMul(W[0], W[1]));
  case Op::FDiv:
    return Round(B.CreateFDiv(W[0], W[1]));
  case Op::Recip:
    return Round(
        B.CreateFDiv(llvm::ConstantFP::get(W[0]->getType(), 1.0), W[0]));
  case Op::Neg:
    if (K == ScalarKind::BF16)
      return B.CreateXor(Ops[0], B.getInt16(0x8000));
    return B.CreateFNeg(Ops[0]);
  case Op::Max:
    return Round(Hooks.floatMax(B, W[0], W[1]));
  case Op::MulAcc:
    if (K == ScalarKind::F32)
      return intrinsic(llvm::Intrinsic::fma, W);
    // Exact for f16 and bf16: a double fma of narrower values.
    return InDouble([&](llvm::ArrayRef<llvm::Value *> D) {
      return intrinsic(llvm::Intrinsic::fma, D);
    });
  case Op::Sqrt:
    return Round(intrinsic(llvm::Intrinsic::sqrt, W));
  case Op::Trunc:
    return Round(intrinsic(llvm::Intrinsic::trunc, W));
  case Op::Exp2:
  case Op::Log2:
  case Op::Sin:
  case Op::Pow:
    return Transcendental();
  case Op::CmpLT:
    return B.CreateFCmpOLT(W[0], W[1]);
  case Op::CmpNE:
    return B.CreateFCmpUNE(W[0], W[1]);
  case Op::CmpEQ:
    return B.CreateFCmpOEQ(W[0], W[1]);
  default:
    return error(U, "not defined on floats");
  }
}

llvm::Expected<llvm::Value *>
LLVMRenderer::scalarInteger(const UOp *U, llvm::ArrayRef<llvm::Value *> Ops) {
  ScalarKind K = U->getSrc(0)->getDType().getScalarKind();
  bool Signed = getScalarInfo(K).Category != ScalarCategory::Unsigned;
  llvm::Value *A = Ops[0], *Bv = Ops.size() > 1 ? Ops[1] : nullptr;
  llvm::Type *Type = A->getType();
  auto Const = [&](int64_t V) { return llvm::ConstantInt::get(Type, V); };
  // Signed division by -1 is done as a negation (INT_MIN / -1 wraps for
  // floordiv; both mods give 0), the divisor replaced by 1 so that the
  // division itself never traps.
  llvm::Value *MinusOne =
      Signed ? B.CreateICmpEQ(Bv ? Bv : A, Const(-1)) : nullptr;
  auto SafeDivisor = [&] { return B.CreateSelect(MinusOne, Const(1), Bv); };
  auto Negated = [&] { return B.CreateSub(Const(0), A); };
  switch (U->getOp()) {
  case Op::Add:
    return B.CreateAdd(A, Bv);
  case Op::Sub:
    return B.CreateSub(A, Bv);
  case Op::Mul:
    return B.CreateMul(A, Bv);
  case Op::Neg:
    return Negated();
  case Op::MulAcc:
    return B.CreateAdd(B.CreateMul(A, Bv), Ops[2]);
  case Op::Shl:
    return B.CreateShl(A, B.CreateIntCast(Bv, Type, false));
  case Op::Shr: {
    llvm::Value *Amount = B.CreateIntCast(Bv, Type, false);
    if (K != ScalarKind::Index)
      return Signed ? B.CreateAShr(A, Amount) : B.CreateLShr(A, Amount);
    // index: floor(a / 2^b) for any b >= 0.
    llvm::Value *Big = B.CreateICmpUGE(Amount, Const(64));
    return B.CreateAShr(A, B.CreateSelect(Big, Const(63), Amount));
  }
  case Op::And:
    return B.CreateAnd(A, Bv);
  case Op::Or:
    return B.CreateOr(A, Bv);
  case Op::Xor:
    return B.CreateXor(A, Bv);
  case Op::Max:
    return B.CreateSelect(
        Signed ? B.CreateICmpSGT(A, Bv) : B.CreateICmpUGT(A, Bv), A, Bv);
  case Op::CmpLT:
    return Signed ? B.CreateICmpSLT(A, Bv) : B.CreateICmpULT(A, Bv);
  case Op::CmpNE:
    return B.CreateICmpNE(A, Bv);
  case Op::CmpEQ:
    return B.CreateICmpEQ(A, Bv);
  case Op::TruncDiv:
  case Op::FloorDiv:
  case Op::TruncMod:
  case Op::FloorMod: {
    bool IsDiv = U->getOp() == Op::TruncDiv || U->getOp() == Op::FloorDiv;
    if (!Signed)
      return IsDiv ? B.CreateUDiv(A, Bv) : B.CreateURem(A, Bv);
    llvm::Value *D = SafeDivisor();
    llvm::Value *Q = B.CreateSDiv(A, D), *R = B.CreateSRem(A, D);
    bool Floor = U->getOp() == Op::FloorDiv || U->getOp() == Op::FloorMod;
    if (Floor) { // Adjust where the remainder's sign differs from b's.
      llvm::Value *Adjust =
          B.CreateAnd(B.CreateICmpNE(R, Const(0)),
                      B.CreateICmpSLT(B.CreateXor(R, D), Const(0)));
      Q = B.CreateSub(Q, B.CreateZExt(Adjust, Type));
      R = B.CreateSelect(Adjust, B.CreateAdd(R, D), R);
    }
    return IsDiv ? B.CreateSelect(MinusOne, Negated(), Q)
                 : B.CreateSelect(MinusOne, Const(0), R);
  }
  default:
    return error(U, "not rendered to LLVM IR on integers");
  }
}

/// One lane of the elementwise op `U` on one lane of each operand.
llvm::Expected<llvm::Value *>
LLVMRenderer::scalar(const UOp *U, llvm::ArrayRef<llvm::Value *> Ops) {
  Op O = U->getOp();
  if (O == Op::Where)
    return B.CreateSelect(Ops[0], Ops[1], Ops[2]);
  if (O == Op::Cast || O == Op::Bitcast)
    return scalarCast(U, Ops[0]);
  ScalarCategory Category =
      getScalarInfo(U->getSrc(0)->getDType().getScalarKind()).Category;
  if (Category == ScalarCategory::Float)
    return scalarFloat(U, Ops);
  if (Category != ScalarCategory::Bool)
    return scalarInteger(U, Ops);
  switch (O) {
  case Op::Add:
  case Op::Max:
  case Op::Or:
    return B.CreateOr(Ops[0], Ops[1]);
  case Op::Mul:
  case Op::And:
    return B.CreateAnd(Ops[0], Ops[1]);
  case Op::Xor:
  case Op::CmpNE:
    return B.CreateXor(Ops[0], Ops[1]);
  case Op::CmpEQ:
    return B.CreateICmpEQ(Ops[0], Ops[1]);
  case Op::CmpLT:
    return B.CreateICmpULT(Ops[0], Ops[1]);
  case Op::MulAcc:
    return B.CreateOr(B.CreateAnd(Ops[0], Ops[1]), Ops[2]);
  default:
    return error(U, "not defined on bool");
  }
}

//===----------------------------------------------------------------------===//
// Memory and control flow
//===----------------------------------------------------------------------===//

llvm::Value *LLVMRenderer::guarded(llvm::Value *Gate, llvm::Value *Otherwise,
                                   llvm::function_ref<llvm::Value *()> Body) {
  if (!Gate)
    return Body();
  llvm::BasicBlock *From = B.GetInsertBlock();
  llvm::BasicBlock *Then = llvm::BasicBlock::Create(Ctx, "gated", F);
  llvm::BasicBlock *Join = llvm::BasicBlock::Create(Ctx, "join", F);
  B.CreateCondBr(Gate, Then, Join);
  B.SetInsertPoint(Then);
  llvm::Value *V = Body();
  llvm::BasicBlock *ThenEnd = B.GetInsertBlock();
  B.CreateBr(Join);
  B.SetInsertPoint(Join);
  if (!V)
    return nullptr;
  llvm::PHINode *Phi = B.CreatePHI(V->getType(), 2);
  Phi->addIncoming(Otherwise, From);
  Phi->addIncoming(V, ThenEnd);
  return Phi;
}

llvm::Value *LLVMRenderer::load(const UOp *U) {
  DType T = U->getDType();
  ScalarKind K = T.getScalarKind();
  llvm::Type *Memory = memoryType(K);
  if (T.isVector())
    Memory = llvm::FixedVectorType::get(Memory, T.getCount());
  llvm::Value *Pointer = Values.lookup(U->getSrc(0));
  llvm::Value *Otherwise = U->getNumSrcs() > 1
                               ? Values.lookup(U->getSrc(1))
                               : llvm::Constant::getNullValue(valueType(T));
  return guarded(Gates.lookup(U->getSrc(0)), Otherwise, [&] {
    llvm::Value *V = B.CreateAlignedLoad(
        Memory, Pointer, llvm::Align(memoryType(K)->getScalarSizeInBits() / 8));
    if (K == ScalarKind::Bool)
      V = B.CreateICmpNE(V, llvm::Constant::getNullValue(Memory));
    return V;
  });
}

llvm::Error LLVMRenderer::renderUOp(const UOp *U) {
  DType T = U->getDType();
  switch (U->getOp()) {
  case Op::Sink:
  case Op::Group:
    return llvm::Error::success();
  case Op::Barrier:
    Hooks.barrier(B, *M);
    return llvm::Error::success();
  case Op::WMMA: {
    llvm::Expected<llvm::Value *> D = Hooks.wmma(
        B, *M, U->getArgField(0)->getString(), Values.lookup(U->getSrc(0)),
        Values.lookup(U->getSrc(1)), Values.lookup(U->getSrc(2)));
    if (!D)
      return error(U, llvm::toString(D.takeError()));
    Values[U] = *D;
    return llvm::Error::success();
  }
  case Op::Special: {
    llvm::Expected<llvm::Value *> Index =
        Hooks.launchIndex(B, *M, U->getArg()->getString());
    if (!Index)
      return error(U, llvm::toString(Index.takeError()));
    Values[U] = B.CreateZExtOrTrunc(*Index, valueType(T));
    return llvm::Error::success();
  }
  case Op::After:
  case Op::Noop:
    Values[U] = Values.lookup(U->getSrc(0));
    Gates[U] = Gates.lookup(U->getSrc(0));
    return llvm::Error::success();
  case Op::Const:
  case Op::VConst: {
    ScalarKind K = T.getScalarKind();
    if (!T.isVector()) {
      Values[U] = constant(ConstValue::fromArg(*U->getArg()), K);
      return llvm::Error::success();
    }
    llvm::SmallVector<llvm::Constant *, 8> Lanes;
    for (unsigned L = 0, E = T.getCount(); L != E; ++L) {
      const Arg *A =
          U->getOp() == Op::Const ? U->getArg() : U->getArg()->getElements()[L];
      Lanes.push_back(
          llvm::cast<llvm::Constant>(constant(ConstValue::fromArg(*A), K)));
    }
    Values[U] = llvm::ConstantVector::get(Lanes);
    return llvm::Error::success();
  }
  case Op::Define: { // Registers and local memory, zeroed as in tg-interp.
    if (T.getAddrSpace() == AddrSpace::Global)
      return error(U, "a global buffer must be a kernel parameter");
    if (T.getSize() < 0)
      return error(U, "a register or local buffer needs a size");
    llvm::IRBuilder<> AllocaBuilder(Allocas->getTerminator());
    llvm::Type *Element = memoryType(T.getElement().getScalarKind());
    uint64_t Count = T.getSize() * T.getElement().getCount();
    llvm::ArrayType *Type = llvm::ArrayType::get(Element, Count);
    Values[U] = T.getAddrSpace() == AddrSpace::Local
                    ? Hooks.createLocal(AllocaBuilder, *M, U, Type)
                    : TargetHooks::createZeroedAlloca(AllocaBuilder, Type);
    return llvm::Error::success();
  }
  case Op::Range: {
    llvm::Type *Type = valueType(T);
    llvm::Value *Start = llvm::ConstantInt::get(Type, 0);
    llvm::Value *Limit = Values.lookup(U->getSrc(0));
    Hooks.boundRange(B, U, Start, Limit);
    llvm::BasicBlock *From = B.GetInsertBlock();
    Loop L;
    L.Header = llvm::BasicBlock::Create(Ctx, "loop", F);
    llvm::BasicBlock *Body = llvm::BasicBlock::Create(Ctx, "body", F);
    L.Exit = llvm::BasicBlock::Create(Ctx, "exit", F);
    B.CreateBr(L.Header);
    B.SetInsertPoint(L.Header);
    L.Counter = B.CreatePHI(Type, 2);
    L.Counter->addIncoming(Start, From);
    B.CreateCondBr(B.CreateICmpSLT(L.Counter, Limit), Body, L.Exit);
    B.SetInsertPoint(Body);
    Loops[U] = L;
    Values[U] = L.Counter;
    return llvm::Error::success();
  }
  case Op::End: {
    Loop L = Loops.lookup(U->getSrc(1));
    llvm::Value *Next =
        B.CreateAdd(L.Counter, llvm::ConstantInt::get(L.Counter->getType(), 1));
    L.Counter->addIncoming(Next, B.GetInsertBlock());
    B.CreateBr(L.Header);
    B.SetInsertPoint(L.Exit);
    return llvm::Error::success();
  }
  case Op::If: {
    llvm::BasicBlock *Then = llvm::BasicBlock::Create(Ctx, "then", F);
    llvm::BasicBlock *Merge = llvm::BasicBlock::Create(Ctx, "endif", F);
    B.CreateCondBr(Values.lookup(U->getSrc(0)), Then, Merge);
    B.SetInsertPoint(Then);
    IfMerges[U] = Merge;
    return llvm::Error::success();
  }
  case Op::EndIf: {
    llvm::BasicBlock *Merge = IfMerges.lookup(U->getSrc(0));
    B.CreateBr(Merge);
    B.SetInsertPoint(Merge);
    return llvm::Error::success();
  }
  case Op::Index: {
    auto Srcs = U->getSrcs().drop_front();
    llvm::Value *Gate = Gates.lookup(U->getSrc(0));
    if (!Srcs.empty() && Srcs.back()->getDType().isBool()) {
      llvm::Value *Own = Values.lookup(Srcs.back());
      Gate = Gate ? B.CreateAnd(Gate, Own) : Own;
      Srcs = Srcs.drop_back();
    }
    if (Srcs.size() > 1)
      return error(U, "multi-dimensional (image) indexing");
    DType Element = U->getSrc(0)->getDType().getElement();
    llvm::Value *Offset =
        Srcs.empty()
            ? B.getInt64(0)
            : B.CreateSExtOrTrunc(Values.lookup(Srcs[0]), B.getInt64Ty());
    if (Element.getCount() > 1)
      Offset = B.CreateMul(Offset, B.getInt64(Element.getCount()));
    Values[U] = B.CreateGEP(memoryType(Element.getScalarKind()),
                            Values.lookup(U->getSrc(0)), Offset);
    Gates[U] = Gate;
    return llvm::Error::success();
  }
  case Op::Load:
    Values[U] = load(U);
    return llvm::Error::success();
  case Op::Store: {
    llvm::Value *Pointer = Values.lookup(U->getSrc(0));
    const UOp *Stored = U->getSrc(1);
    ScalarKind K = Stored->getDType().getScalarKind();
    guarded(Gates.lookup(U->getSrc(0)), nullptr, [&]() -> llvm::Value * {
      llvm::Value *V = Values.lookup(Stored);
      if (K == ScalarKind::Bool)
        V = B.CreateZExt(
            V, valueType(Stored->getDType())->getWithNewType(B.getInt8Ty()));
      B.CreateAlignedStore(
          V, Pointer, llvm::Align(memoryType(K)->getScalarSizeInBits() / 8));
      return nullptr;
    });
    return llvm::Error::success();
  }
  case Op::Vectorize:
  case Op::Cat:
  case Op::GEP: {
    llvm::SmallVector<llvm::Value *, 8> Lanes;
    if (U->getOp() == Op::GEP)
      for (const Arg *A : U->getArg()->getElements())
        Lanes.push_back(lane(U->getSrc(0), A->getInt()));
    else
      for (const UOp *Src : U->getSrcs())
        for (unsigned L = 0, E = Src->getDType().getCount(); L != E; ++L)
          Lanes.push_back(lane(Src, L));
    if (!T.isVector()) {
      Values[U] = Lanes.front();
      return llvm::Error::success();
    }
    llvm::Value *V = llvm::PoisonValue::get(valueType(T));
    for (unsigned L = 0; L != Lanes.size(); ++L)
      V = B.CreateInsertElement(V, Lanes[L], B.getInt32(L));
    Values[U] = V;
    return llvm::Error::success();
  }
  default:
    break;
  }
  if (!U->hasTrait(OpTrait::Elementwise))
    return error(U, "has no LLVM IR form");
  if (U->getOp() == Op::Threefry)
    return error(U, "threefry is rendered only to C so far");
  // An f32 or f64 add, sub, mul or max of whole vectors is one LLVM vector
  // op (a vector accumulator of `expand{lane-accumulators}`); computed lane
  // by lane, its packing would be left to the SLP vectorizer.
  if (T.isVector() && isWholeVectorFloatOp(U)) {
    llvm::SmallVector<llvm::Value *, 2> Ops;
    for (const UOp *Src : U->getSrcs())
      Ops.push_back(Values.lookup(Src));
    llvm::Expected<llvm::Value *> V = scalarFloat(U, Ops);
    if (!V)
      return V.takeError();
    Values[U] = *V;
    return llvm::Error::success();
  }
  llvm::SmallVector<llvm::Value *, 8> Lanes;
  for (unsigned L = 0, E = T.getCount(); L != E; ++L) {
    llvm::SmallVector<llvm::Value *, 3> Ops;
    for (const UOp *Src : U->getSrcs())
      Ops.push_back(lane(Src, L));
    llvm::Expected<llvm::Value *> V = scalar(U, Ops);
    if (!V)
      return V.takeError();
    Lanes.push_back(*V);
  }
  if (!T.isVector()) {
    Values[U] = Lanes.front();
    return llvm::Error::success();
  }
  llvm::Value *V = llvm::PoisonValue::get(valueType(T));
  for (unsigned L = 0; L != Lanes.size(); ++L)
    V = B.CreateInsertElement(V, Lanes[L], B.getInt32(L));
  Values[U] = V;
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<llvm::Module>> LLVMRenderer::render() {
  if (llvm::Error E = Hooks.checkKernel(Kernel))
    return std::move(E);
  M = std::make_unique<llvm::Module>(getEntryName(Kernel), Ctx);
  Hooks.prepareModule(*M);
  F = Hooks.createEntry(*M, Kernel);
  Allocas = llvm::BasicBlock::Create(Ctx, "allocas", F);
  llvm::BasicBlock *Entry = llvm::BasicBlock::Create(Ctx, "entry", F);
  B.SetInsertPoint(Allocas);
  B.CreateBr(Entry);
  B.SetInsertPoint(Entry);
  Hooks.loadParams(B, *F, Kernel, Values);
  for (const UOp *U : Kernel.getBody())
    if (llvm::Error E = renderUOp(U))
      return std::move(E);
  B.CreateRetVoid();
  Hooks.finishKernel(*M, *F, Kernel);

  std::string Problems;
  llvm::raw_string_ostream OS(Problems);
  if (llvm::verifyModule(*M, &OS))
    return makeRenderError(Kernel, nullptr,
                           "the LLVM IR is invalid (a renderer bug): " +
                               Problems);
  return std::move(M);
}

//===----------------------------------------------------------------------===//
// The library's entry points
//===----------------------------------------------------------------------===//

TargetHooks::~TargetHooks() = default;

llvm::Value *TargetHooks::createZeroedAlloca(llvm::IRBuilder<> &Allocas,
                                             llvm::ArrayType *Type) {
  llvm::AllocaInst *Memory = Allocas.CreateAlloca(Type);
  uint64_t Bytes = Type->getNumElements() *
                   Type->getElementType()->getScalarSizeInBits() / 8;
  Allocas.CreateMemSet(Memory, Allocas.getInt8(0), Bytes, Memory->getAlign());
  return Memory;
}

llvm::Value *TargetHooks::createLocal(llvm::IRBuilder<> &Allocas,
                                      llvm::Module &, const UOp *,
                                      llvm::ArrayType *Type) {
  return createZeroedAlloca(Allocas, Type);
}

llvm::Value *TargetHooks::floatMax(llvm::IRBuilder<> &B, llvm::Value *A,
                                   llvm::Value *BValue) {
  return B.CreateIntrinsic(llvm::Intrinsic::maximum, {A->getType()},
                           {A, BValue});
}

llvm::Expected<llvm::Value *> TargetHooks::wmma(llvm::IRBuilder<> &,
                                                llvm::Module &, llvm::StringRef,
                                                llvm::Value *, llvm::Value *,
                                                llvm::Value *) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "has no LLVM IR form");
}

llvm::Expected<std::unique_ptr<llvm::Module>>
llvmgen::renderModule(const Function &Kernel, llvm::LLVMContext &Context,
                      TargetHooks &Hooks) {
  return LLVMRenderer(Kernel, Context, Hooks).render();
}

llvm::Expected<std::string> llvmgen::renderText(const Function &Kernel,
                                                TargetHooks &Hooks) {
  llvm::LLVMContext Context;
  llvm::Expected<std::unique_ptr<llvm::Module>> M =
      renderModule(Kernel, Context, Hooks);
  if (!M)
    return M.takeError();
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  (*M)->print(OS, nullptr);
  return Text;
}

llvm::Expected<std::unique_ptr<llvm::Module>>
llvmgen::parseText(const Function &Kernel, llvm::StringRef Text,
                   llvm::LLVMContext &Context) {
  llvm::SMDiagnostic Diag;
  std::unique_ptr<llvm::Module> M =
      llvm::parseAssemblyString(Text, Diag, Context);
  if (M)
    return std::move(M);
  std::string Message;
  llvm::raw_string_ostream OS(Message);
  Diag.print("kernel", OS);
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "kernel @" + Kernel.getName() +
                                     ": invalid LLVM IR: " + Message);
}

std::string llvmgen::getEntryName(const Function &Kernel) {
  std::string Name = Kernel.getName().str();
  for (char &C : Name)
    if (!llvm::isAlnum(C) && C != '_')
      C = '_';
  return Name;
}

llvm::Error llvmgen::makeRenderError(const Function &Kernel, const UOp *U,
                                     const llvm::Twine &Why) {
  std::string What = U ? "'" + getMnemonic(U->getOp()).str() + "'" : "it";
  if (U && !Kernel.getName(U).empty())
    What += " (%" + Kernel.getName(U).str() + ")";
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "cannot render " + What + " in kernel @" +
                                     Kernel.getName() + ": " + Why);
}
