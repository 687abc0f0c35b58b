//===- RemoveReduce.cpp - the `remove-reduce` pass ------------------------===//
//
// Turns each `reduce` into a register accumulator that loops update, as
// tinygrad's reduce_to_acc does:
//
//   %m = reduce(%x, %r) {op = max} : f32
//
// becomes
//
//   %acc  = define {id = K} : ptr<f32, reg, 1>
//   %a0   = after(%acc, %i)               (the ranges enclosing the reduce)
//   %init = store(index(%a0, 0), -inf)    (once per iteration of %i)
//   %a1   = after(%acc, %init, %r)
//   %old  = load(index(%a1, 0))
//   %upd  = store(index(%a1, 0), max(%old, %x))
//   %done = end(%upd, %r)
//   %m    = load(index(after(%acc, %done), 0))
//
// `after` orders the accumulator's uses: the initial store comes before the
// loop, the update inside it, and the final load after the `end`. A sum of
// tensor-core products `wmma(a, b, 0)` (or of several, unrolled) accumulates
// in the instructions' C instead: the update is `wmma(a, b, %old)`, chained.
//
//===----------------------------------------------------------------------===//

#include "tg/Codegen/Passes.h"

#include "BodyBuilder.h"
#include "tg/IR/ReduceIdentity.h"
#include "tg/Codegen/RangeScope.h"

#include "llvm/ADT/SmallVector.h"

using namespace tg;

namespace {

struct RemoveReducePass : FunctionPass {
  Statistic NumReduces{*this, "num-reduces", "Reductions turned into loops"};

  llvm::StringRef getArgument() const override { return "remove-reduce"; }
  llvm::StringRef getDescription() const override {
    return "Turn each reduce into a register accumulator updated in its loops";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt(
        "replaces values by loops over memory; the interpreter checks it");
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override;
};

/// Collects in `Products` the `wmma`s with a zero C that `Value` is the sum
/// of (a tree of adds over them, as `expand` makes of an unrolled
/// reduction); false if it is anything else.
bool collectWMMASum(const UOp *Value,
                    llvm::SmallVectorImpl<const UOp *> &Products) {
  if (Value->getOp() == Op::Add)
    return collectWMMASum(Value->getSrc(0), Products) &&
           collectWMMASum(Value->getSrc(1), Products);
  if (Value->getOp() != Op::WMMA)
    return false;
  const UOp *C = Value->getSrc(2);
  if (C->getOp() != Op::Const || !C->getArg()->isFloat() ||
      C->getArg()->getFloat() != 0.0)
    return false;
  Products.push_back(Value);
  return true;
}

} // namespace

LogicalResult RemoveReducePass::runOnFunction(Function &F, PassContext &C) {
  if (!F.isKernel() || !F.getRoot())
    return success();
  Context &Ctx = C.getContext();
  BodyBuilder Body(F, Ctx);

  // Accumulators are numbered after every `define` the body has already.
  int64_t NextId = 0;
  for (const UOp *U : F.getBody())
    if (U->getOp() == Op::Define)
      NextId = std::max(NextId, U->getArgField(0)->getInt() + 1);

  RangeScope Scope;
  const UOp *Zero = Ctx.getConst(Ctx.getScalar(ScalarKind::Index), 0);
  for (const UOp *Old : F.getBody()) {
    if (Old->getOp() != Op::Reduce) {
      Body.rebuild(Old);
      continue;
    }
    const UOp *Value = Body.lookup(Old->getSrc(0));
    llvm::SmallVector<const UOp *, 4> Reduced;
    for (const UOp *R : Old->getSrcs().drop_front())
      Reduced.push_back(Body.lookup(R));
    if (Reduced.empty()) { // Over no range: the value itself.
      Body.replace(Old, Value);
      continue;
    }
    ++NumReduces;
    DType T = Old->getDType();
    Op Combine = Old->getArgField(0)->getOp();

    // The ranges open at the value but not reduced enclose the reduction:
    // each of their iterations starts a new accumulation.
    llvm::SmallVector<const UOp *, 4> Enclosing;
    llvm::SmallBitVector Open = Scope.getOpen(Value);
    for (const UOp *R : Reduced)
      if (unsigned N = Scope.getNumber(R); N < Open.size())
        Open.reset(N);
    for (unsigned N : Open.set_bits())
      Enclosing.push_back(Scope.getRange(N));

    DType AccType = Ctx.getPointer(T, AddrSpace::Reg, 1);
    DType AddrType = Ctx.getPointer(T, AddrSpace::Reg);
    DType Void = Ctx.getScalar(ScalarKind::Void);
    const UOp *Acc =
        Body.add(Ctx.get(Op::Define, AccType, {}, Ctx.getIntArg(NextId++)));
    auto AccAfter = [&](llvm::ArrayRef<const UOp *> Deps) {
      if (Deps.empty())
        return Acc;
      llvm::SmallVector<const UOp *, 6> Srcs{Acc};
      Srcs.append(Deps.begin(), Deps.end());
      return Body.add(Ctx.get(Op::After, AccType, Srcs));
    };
    auto Address = [&](const UOp *Buffer) {
      return Body.add(Ctx.get(Op::Index, AddrType, {Buffer, Body.add(Zero)}));
    };

    const UOp *Init = Body.add(
        Ctx.get(Op::Store, Void,
                {Address(AccAfter(Enclosing)),
                 Body.addWithSources(getReduceIdentity(Ctx, Combine, T))}));
    llvm::SmallVector<const UOp *, 6> InLoop{Init};
    InLoop.append(Reduced.begin(), Reduced.end());
    const UOp *Inside = Address(AccAfter(InLoop));
    const UOp *Prev = Body.add(Ctx.get(Op::Load, T, {Inside}));
    llvm::SmallVector<const UOp *, 4> Products;
    const UOp *New = Prev;
    if (Combine == Op::Add && collectWMMASum(Value, Products))
      for (const UOp *W : Products)
        New = Body.add(Ctx.get(Op::WMMA, T, {W->getSrc(0), W->getSrc(1), New},
                               W->getArg()));
    else
      New = Body.add(Ctx.get(Combine, T, {Prev, Value}));
    const UOp *Update = Body.add(Ctx.get(Op::Store, Void, {Inside, New}));
    llvm::SmallVector<const UOp *, 6> EndSrcs{Update};
    EndSrcs.append(Reduced.begin(), Reduced.end());
    const UOp *Done = Body.add(Ctx.get(Op::End, Void, EndSrcs));
    Body.replace(Old,
                 Body.add(Ctx.get(Op::Load, T, {Address(AccAfter({Done}))})));
  }
  Body.finish();
  return success();
}

std::unique_ptr<Pass> tg::createRemoveReducePass() {
  return std::make_unique<RemoveReducePass>();
}
