//===- CheckOOB.cpp - proving every memory access in bounds ---------------===//

#include "tg/IR/UOp.h"
#include "tg/Pass/PassRegistry.h"
#include "tg/Verify/Passes.h"
#include "tg/Verify/TranslationValidation.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

using namespace tg;

namespace {

/// Every `index` the root reaches (sources first) with the load or store
/// that first uses it, whose location the error is reported at.
std::vector<std::pair<const UOp *, const UOp *>>
collectAccesses(const UOp *Root) {
  std::vector<std::pair<const UOp *, const UOp *>> Accesses;
  llvm::DenseMap<const UOp *, size_t> Position;
  llvm::DenseSet<const UOp *> Seen = {Root};
  llvm::SmallVector<std::pair<const UOp *, unsigned>, 64> Stack = {{Root, 0}};
  while (!Stack.empty()) {
    auto &[U, Next] = Stack.back();
    if (Next < U->getNumSrcs()) {
      const UOp *Src = U->getSrc(Next++);
      if (Seen.insert(Src).second)
        Stack.push_back({Src, 0});
      continue;
    }
    if (U->getOp() == Op::Index) {
      Position[U] = Accesses.size();
      Accesses.push_back({U, nullptr});
    }
    bool IsAccess = U->getOp() == Op::Load || U->getOp() == Op::Store;
    if (IsAccess && U->getSrc(0)->getOp() == Op::Index) {
      auto It = Position.find(U->getSrc(0));
      if (It != Position.end() && !Accesses[It->second].second)
        Accesses[It->second].second = U;
    }
    Stack.pop_back();
  }
  return Accesses;
}

class CheckOOBPass : public FunctionPass {
public:
  llvm::StringRef getArgument() const override { return "check-oob"; }
  llvm::StringRef getDescription() const override {
    return "Prove with Z3 that every load and store is within its buffer";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt("does not change the IR");
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override;

private:
  /// Proves one access in bounds; reports it and fails if it may not be.
  LogicalResult checkAccess(const Function &F, const UOp *Index,
                            const UOp *User, z3::context &Ctx, PassContext &C);

  Statistic NumProved{*this, "num-proved", "Accesses proved in bounds"};
  Statistic NumUnchecked{*this, "num-unchecked",
                         "Accesses not checked (unknown size, images)"};
};

} // namespace

LogicalResult CheckOOBPass::runOnFunction(Function &F, PassContext &C) {
  if (!F.isKernel() || !F.getRoot())
    return success();
  z3::context Ctx;
  bool Failed = false;
  for (auto [Index, User] : collectAccesses(F.getRoot()))
    Failed |= failed(checkAccess(F, Index, User, Ctx, C));
  return failure(Failed);
}

LogicalResult CheckOOBPass::checkAccess(const Function &F, const UOp *Index,
                                        const UOp *User, z3::context &Ctx,
                                        PassContext &C) {
  DType Buffer = Index->getSrc(0)->getDType();
  bool HasGate = Index->getSrcs().back()->getDType().isBool();
  unsigned NumIndices = Index->getNumSrcs() - 1 - HasGate;
  if (!Buffer.isPointer() || Buffer.isImage() || Buffer.getSize() < 0 ||
      NumIndices != 1) {
    ++NumUnchecked;
    return success();
  }
  llvm::SMLoc Loc = F.getLocOrDefault(User ? User : Index);
  std::string What =
      std::string(User ? getMnemonic(User->getOp()) : "index") +
      " of buffer %" +
      (F.getName(Index->getSrc(0)).empty() ? "?"
                                           : F.getName(Index->getSrc(0)).str());
  try {
    // A fresh encoder per access: the counterexample names only the
    // variables this access depends on.
    ProgramEncoder Encoder(Ctx, &F);
    llvm::Expected<ProgramEncoder::Access> A = Encoder.encodeAccess(Index);
    if (!A) {
      C.getDiag().warning(Loc, "check-oob: " + What + " not checked: " +
                                   llvm::toString(A.takeError()));
      ++NumUnchecked;
      return success();
    }
    const Z3Value &I = A->Indices.front();
    ScalarKind Kind = Index->getSrc(1)->getDType().getScalarKind();
    z3::expr Value = toInt(I.Value, Kind);
    z3::expr Size = Ctx.int_val(int64_t(Buffer.getSize()));
    z3::solver S(Ctx);
    z3::params P(Ctx);
    P.set("rlimit", DefaultResourceLimit);
    S.set(P);
    S.add(Encoder.getBounds());
    S.add(!A->Gate.UB && A->Gate.Value && !I.UB);
    S.add(Value < 0 || Value >= Size);
    switch (S.check()) {
    case z3::unsat:
      ++NumProved;
      return success();
    case z3::unknown:
      return C.getDiag().error(
          Loc, "could not prove the " + What +
                   " in bounds (Z3: " + S.reason_unknown() + ")");
    case z3::sat:
      break;
    }
    z3::model M = S.get_model();
    C.getDiag().emit(DiagnosticSeverity::Error, Loc,
                     What + " may be out of bounds: index " +
                         ProgramEncoder::describeValue(M, I, Kind) +
                         " outside [0, " + std::to_string(Buffer.getSize()) +
                         ")");
    C.getDiag().note(Loc, "counterexample: " + Encoder.describeModel(M));
    return failure();
  } catch (const z3::exception &E) {
    return C.getDiag().error(Loc,
                             llvm::Twine("check-oob: Z3 failed: ") + E.msg());
  }
}

std::unique_ptr<Pass> tg::createCheckOOBPass() {
  return std::make_unique<CheckOOBPass>();
}
