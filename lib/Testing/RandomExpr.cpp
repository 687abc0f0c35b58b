//===- RandomExpr.cpp - seeded random integer expressions -----------------===//

#include "tg/Testing/RandomExpr.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <iterator>

using namespace tg;

int64_t tg::getTypeMin(DType T) {
  if (T.isUnsigned() || T.isBool())
    return 0;
  unsigned Bits = T.getScalarBits();
  return Bits == 64 ? INT64_MIN : -(int64_t(1) << (Bits - 1));
}

int64_t tg::getTypeMax(DType T) {
  if (T.isBool())
    return 1;
  unsigned Bits = T.getScalarBits();
  if (T.isUnsigned())
    return Bits == 64 ? -1 : int64_t((uint64_t(1) << Bits) - 1);
  return int64_t((uint64_t(1) << (Bits - 1)) - 1);
}

RandomExprGenerator::RandomExprGenerator(Context &Ctx,
                                         RandomExprOptions Options,
                                         uint64_t Seed)
    : Ctx(Ctx), Options(std::move(Options)), Rng(Seed) {
  assert(!this->Options.Types.empty() && "no types to draw from");
}

int64_t RandomExprGenerator::pick(int64_t Min, int64_t Max) {
  return std::uniform_int_distribution<int64_t>(Min, Max)(Rng);
}

DType RandomExprGenerator::anyType() {
  return Ctx.getScalar(Options.Types[pick(0, Options.Types.size() - 1)]);
}

void RandomExprGenerator::newVariables(DType Main, bool Mixed) {
  Vars.clear();
  int64_t Count = pick(Options.MinVariables, Options.MaxVariables);
  for (int64_t I = 0; I != Count; ++I) {
    DType T = Mixed ? anyType() : Main;
    if (T.isIndex() && chance(Options.LoopPercent)) {
      const Arg *A = Ctx.getListArg(
          {Ctx.getIntArg(I), Ctx.getAxisKindArg(AxisKind::Loop)});
      Vars.push_back(Ctx.get(Op::Range, T, {Ctx.getConst(T, pick(0, 8))}, A));
      continue;
    }
    bool Wide = T.isIndex() && chance(Options.WidePercent);
    int64_t Width = pick(0, Wide ? Options.WideWidth : Options.MaxWidth);
    int64_t Lo = pick(-Options.SmallBound, Options.SmallBound);
    if (!T.isIndex()) {
      int64_t Min = getTypeMin(T), Max = getTypeMax(T);
      if (T.isUnsigned() && T.getScalarBits() == 64)
        Max = INT64_MAX; // bounds are int64: stay in the signed half
      Width = std::min<int64_t>(Width, Max - Min);
      if (chance(Options.LowEdgePercent))
        Lo = Min + pick(0, 3);
      else if (chance(Options.HighEdgePercent))
        Lo = Max - Width - pick(0, 3);
      Lo = std::clamp(Lo, Min, Max - Width);
    }
    const Arg *A =
        Ctx.getListArg({Ctx.getStringArg("v" + std::to_string(I)),
                        Ctx.getIntArg(Lo), Ctx.getIntArg(Lo + Width)});
    Vars.push_back(Ctx.get(Op::DefineVar, T, {}, A));
  }
}

const UOp *RandomExprGenerator::constant(DType T) {
  if (T.isBool())
    return Ctx.getConst(T, chance(50));
  if (!T.isIndex() && chance(Options.ExtremeConstantPercent)) {
    if (chance(50))
      return Ctx.getConst(T, getTypeMax(T));
    if (T.isSigned())
      return Ctx.getConst(T, getTypeMin(T));
    return Ctx.getConst(T, int64_t(uint64_t(1) << (T.getScalarBits() - 1)));
  }
  // Divisors, strides and bounds as index arithmetic writes them.
  static const int64_t Strides[] = {2, 3, 4, 6, 8, 12, 16, 32, 64, -2, -4};
  if (T.isIndex() && chance(Options.StridePercent))
    return Ctx.getConst(T, Strides[pick(0, std::size(Strides) - 1)]);
  int64_t Small = Options.SmallConstant;
  return Ctx.getConst(T, pick(T.isUnsigned() ? 0 : -Small, Small));
}

const UOp *RandomExprGenerator::leaf(DType T) {
  if (chance(Options.ConstantLeafPercent) || Vars.empty())
    return constant(T);
  const UOp *V = Vars[pick(0, Vars.size() - 1)];
  return V->getDType() == T ? V : Ctx.get(Op::Cast, T, {V});
}

const UOp *RandomExprGenerator::binary(Op O, const UOp *A, const UOp *B) {
  DType T = hasTrait(O, OpTrait::Comparison) ? Ctx.getScalar(ScalarKind::Bool)
                                             : A->getDType();
  return Ctx.get(O, T, {A, B});
}

Op RandomExprGenerator::pickBinaryOp(DType T) {
  auto IsBitwise = [](Op O) {
    return O == Op::Shl || O == Op::Shr || O == Op::And || O == Op::Or ||
           O == Op::Xor;
  };
  llvm::SmallVector<Op, 16> Allowed;
  for (Op O : Options.BinaryOps)
    if (!T.isIndex() || Options.IndexBitwise || !IsBitwise(O))
      Allowed.push_back(O);
  assert(!Allowed.empty() && "no binary op for this type");
  return Allowed[pick(0, Allowed.size() - 1)];
}

const UOp *RandomExprGenerator::genMin(DType T, int Depth) {
  const UOp *A = gen(T, Depth - 1), *B = gen(T, Depth - 1);
  if (T.isUnsigned())
    return Ctx.get(Op::Where, T, {binary(Op::CmpLT, A, B), A, B});
  auto Neg = [&](const UOp *X) { return Ctx.get(Op::Neg, T, {X}); };
  return Neg(binary(Op::Max, Neg(A), Neg(B)));
}

const UOp *RandomExprGenerator::gen(DType T, int Depth) {
  if (T.isBool())
    return genBool(anyType(), Depth);
  if (Depth <= 0 || chance(Options.LeafPercent))
    return leaf(T);
  const RandomExprOptions &O = Options;
  unsigned Weights[] = {O.NegWeight,    O.WhereWeight, O.CastWeight,
                        O.MulAccWeight, O.MinWeight,   O.BinaryWeight};
  std::discrete_distribution<int> Kind(std::begin(Weights), std::end(Weights));
  switch (Kind(Rng)) {
  case 0:
    return Ctx.get(Op::Neg, T, {gen(T, Depth - 1)});
  case 1:
    return Ctx.get(
        Op::Where, T,
        {genBool(T, Depth - 1), gen(T, Depth - 1), gen(T, Depth - 1)});
  case 2:
    return Ctx.get(Op::Cast, T, {gen(anyType(), Depth - 1)});
  case 3:
    return Ctx.get(Op::MulAcc, T,
                   {gen(T, Depth - 1), gen(T, Depth - 1), gen(T, Depth - 1)});
  case 4:
    return genMin(T, Depth);
  default: {
    Op Bin = pickBinaryOp(T);
    const UOp *B =
        chance(O.ConstantOperandPercent) ? constant(T) : gen(T, Depth - 1);
    if ((Bin == Op::Shl || Bin == Op::Shr) && chance(O.SmallShiftPercent))
      B = Ctx.getConst(T, pick(0, 4));
    return binary(Bin, gen(T, Depth - 1), B);
  }
  }
}

const UOp *RandomExprGenerator::genBool(DType T, int Depth) {
  DType Bool = Ctx.getScalar(ScalarKind::Bool);
  if (Depth <= 0 || chance(Options.BoolLeafPercent)) {
    if (chance(Options.CompareLeafPercent))
      return binary(Op::CmpLT, leaf(T), constant(T));
    return constant(Bool);
  }
  const RandomExprOptions &O = Options;
  unsigned Weights[] = {O.LogicWeight, O.CastToBoolWeight, O.BoolCompareWeight,
                        O.CompareWeight};
  std::discrete_distribution<int> Kind(std::begin(Weights), std::end(Weights));
  switch (Kind(Rng)) {
  case 0: {
    Op Logic = chance(50) ? Op::And : (chance(50) ? Op::Or : Op::Xor);
    return binary(Logic, genBool(T, Depth - 1), genBool(T, Depth - 1));
  }
  case 1:
    return Ctx.get(Op::Cast, Bool, {gen(anyType(), Depth - 1)});
  case 2:
    return binary(Op::CmpNE, genBool(T, Depth - 1), constant(Bool));
  default: {
    static const Op Compare[] = {Op::CmpLT, Op::CmpNE, Op::CmpEQ};
    DType Compared = chance(O.SameTypeComparePercent) ? T : anyType();
    const UOp *B = chance(50) ? constant(Compared) : gen(Compared, Depth - 1);
    return binary(Compare[pick(0, 2)], gen(Compared, Depth - 1), B);
  }
  }
}

std::string tg::printExprInline(const UOp *U) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  switch (U->getOp()) {
  case Op::Const:
    if (U->getArg()->isBool())
      OS << (U->getArg()->getBool() ? "true" : "false");
    else if (U->getDType().isUnsigned())
      OS << uint64_t(U->getArg()->getInt());
    else
      OS << U->getArg()->getInt();
    OS << ':' << U->getDType();
    return S;
  case Op::DefineVar:
    OS << U->getArgField(0)->getString() << '[' << U->getArgField(1)->getInt()
       << ',' << U->getArgField(2)->getInt() << "]:" << U->getDType();
    return S;
  default:
    break;
  }
  OS << '(' << getMnemonic(U->getOp());
  if (U->getOp() == Op::Cast)
    OS << ':' << U->getDType();
  for (const UOp *Src : U->getSrcs())
    OS << ' ' << printExprInline(Src);
  OS << ')';
  return S;
}
