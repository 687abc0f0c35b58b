//===- TranslationValidation.cpp - proving a pass run correct -------------===//

#include "tg/Verify/TranslationValidation.h"

#include "tg/IR/Arg.h"
#include "tg/IR/ReduceIdentity.h"
#include "tg/IR/UOp.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

using namespace tg;

//===----------------------------------------------------------------------===//
// ProgramEncoder
//===----------------------------------------------------------------------===//

ProgramEncoder::ProgramEncoder(z3::context &Ctx, const Function *F)
    : Ctx(Ctx), F(F),
      Values(Ctx, [this](const UOp *U) -> std::optional<Z3Value> {
        if (U->getOp() == Op::Load)
          return encodeLoad(U);
        if (U->getOp() == Op::Reduce)
          return encodeReduce(U);
        return std::nullopt;
      }) {}

llvm::Expected<Z3Value> ProgramEncoder::encode(const UOp *U) {
  llvm::Expected<Z3Value> V = Values.encode(U);
  if (V && !LeafError.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), LeafError);
  return V;
}

/// The buffer an access goes through, past the `after` ops that order it.
static const UOp *bufferOf(const UOp *Index) {
  const UOp *Buffer = Index->getSrc(0);
  while (Buffer->getOp() == Op::After)
    Buffer = Buffer->getSrc(0);
  return Buffer;
}

llvm::Expected<ProgramEncoder::Access>
ProgramEncoder::encodeAccess(const UOp *Index) {
  Access A{bufferOf(Index), {}, {Ctx.bool_val(true), Ctx.bool_val(false)}};
  llvm::ArrayRef<const UOp *> Operands = Index->getSrcs().drop_front();
  if (!Operands.empty() && Operands.back()->getDType().isBool()) {
    llvm::Expected<Z3Value> Gate = encode(Operands.back());
    if (!Gate)
      return Gate.takeError();
    A.Gate = *Gate;
    Operands = Operands.drop_back();
  }
  for (const UOp *Operand : Operands) {
    llvm::Expected<Z3Value> V = encode(Operand);
    if (!V)
      return V.takeError();
    A.Indices.push_back(*V);
  }
  return A;
}

std::optional<Z3Value> ProgramEncoder::encodeLoad(const UOp *Load) {
  const UOp *Pointer = Load->getSrc(0);
  if (Pointer->getOp() != Op::Index)
    return std::nullopt; // a free value, as the encoder makes for any leaf
  llvm::Expected<Access> A = encodeAccess(Pointer);
  if (!A) {
    LeafError = llvm::toString(A.takeError());
    return std::nullopt;
  }
  ScalarKind Kind = Load->getDType().getScalarKind();
  z3::sort_vector Domain(Ctx);
  z3::expr_vector Arguments(Ctx);
  z3::expr UB = A->Gate.UB;
  z3::expr IndexUB = Ctx.bool_val(false);
  for (const Z3Value &I : A->Indices) {
    Domain.push_back(I.Value.get_sort());
    Arguments.push_back(I.Value);
    IndexUB = IndexUB || I.UB;
  }
  // One function per buffer, index arity and element type: the memory as
  // the kernel found it.
  auto Key = std::make_pair(A->Buffer,
                            unsigned(A->Indices.size()) * 256 + unsigned(Kind));
  auto It = LoadFunctions.find(Key);
  if (It == LoadFunctions.end()) {
    std::string Name = "load." + nameOf(A->Buffer) + "." +
                       std::to_string(LoadFunctions.size());
    It =
        LoadFunctions
            .emplace(Key, Ctx.function(Name.c_str(), Domain, sortOf(Ctx, Kind)))
            .first;
  }
  z3::expr Read = It->second(Arguments);
  z3::expr Otherwise = Load->getDType().isFloat()
                           ? encodeConst(Ctx, Kind, ConstValue::getFloat(0.0))
                           : encodeConst(Ctx, Kind, ConstValue::getInt(0));
  if (Load->getNumSrcs() > 1) {
    llvm::Expected<Z3Value> Alternative = encode(Load->getSrc(1));
    if (!Alternative) {
      LeafError = llvm::toString(Alternative.takeError());
      return std::nullopt;
    }
    Otherwise = Alternative->Value;
    UB = UB || Alternative->UB;
  }
  return Z3Value{z3::ite(A->Gate.Value, Read, Otherwise),
                 UB || (A->Gate.Value && IndexUB)};
}

/// The most iterations a reduce is unrolled over: a larger one is not
/// encoded, and the program is reported as not validated.
static constexpr int64_t MaxReduceIterations = 256;

std::optional<Z3Value> ProgramEncoder::encodeReduce(const UOp *Reduce) {
  // Exactly what remove-reduce makes of it: the identity, then `op` with the
  // body at each point of the ranges, the last range innermost.
  auto Fail = [&](const llvm::Twine &Why) -> std::optional<Z3Value> {
    LeafError = ("reduce: " + Why).str();
    return std::nullopt;
  };
  llvm::SmallVector<z3::expr, 4> Counters;
  llvm::SmallVector<int64_t, 4> Sizes;
  int64_t Iterations = 1;
  for (const UOp *Range : Reduce->getSrcs().drop_front()) {
    if (Range->getOp() != Op::Range || Range->getSrc(0)->getOp() != Op::Const)
      return Fail("over a range whose size is not a constant");
    int64_t Size = Range->getSrc(0)->getArg()->getInt();
    Iterations *= std::max<int64_t>(Size, 0);
    if (Iterations > MaxReduceIterations)
      return Fail("more than " + llvm::Twine(MaxReduceIterations) +
                  " iterations are not unrolled");
    llvm::Expected<Z3Value> Counter = encode(Range);
    if (!Counter) {
      LeafError = llvm::toString(Counter.takeError());
      return std::nullopt;
    }
    Counters.push_back(Counter->Value);
    Sizes.push_back(Size);
  }
  llvm::Expected<Z3Value> Body = encode(Reduce->getSrc(0));
  if (!Body) {
    LeafError = llvm::toString(Body.takeError());
    return std::nullopt;
  }
  ScalarKind Kind = Reduce->getDType().getScalarKind();
  Op Combine = Reduce->getArgField(0)->getOp();
  Z3Value Acc{encodeConst(Ctx, Kind,
                          getReduceIdentityValue(Combine, Reduce->getDType())),
              Ctx.bool_val(false)};
  llvm::SmallVector<int64_t, 4> Point(Sizes.size(), 0);
  for (int64_t I = 0; I != Iterations; ++I) {
    z3::expr_vector From(Ctx), To(Ctx);
    for (size_t D = 0; D != Counters.size(); ++D) {
      From.push_back(Counters[D]);
      To.push_back(Ctx.num_val(Point[D], Counters[D].get_sort()));
    }
    Z3Value At{Body->Value, Body->UB};
    if (!Counters.empty()) {
      At.Value = At.Value.substitute(From, To);
      At.UB = At.UB.substitute(From, To);
    }
    llvm::Expected<Z3Value> Next =
        encodeOp(Ctx, Combine, Kind, Kind, {Acc, At});
    if (!Next) {
      LeafError = llvm::toString(Next.takeError());
      return std::nullopt;
    }
    Acc = *Next;
    for (size_t D = Point.size(); D-- > 0;) { // The next point, odometer-wise.
      if (++Point[D] < Sizes[D])
        break;
      Point[D] = 0;
    }
  }
  return Acc;
}

std::string ProgramEncoder::nameOf(const UOp *Leaf) const {
  if (F && !F->getName(Leaf).empty())
    return F->getName(Leaf).str();
  switch (Leaf->getOp()) {
  case Op::DefineVar:
  case Op::Special:
    return Leaf->getArgField(0)->getString().str();
  case Op::Range:
    return "range" + std::to_string(Leaf->getArgField(0)->getInt());
  case Op::Define:
    return "buffer" + std::to_string(Leaf->getArg()->getInt());
  default:
    return getMnemonic(Leaf->getOp()).str();
  }
}

/// A float of a model in decimal (up to 9 digits after the point), `nan`,
/// `inf` or `-inf`; fp8e4m3, kept as its bits, as hex bits.
static std::string describeFloat(const z3::model &M, const z3::expr &V) {
  z3::context &Ctx = V.ctx();
  if (!V.is_fpa())
    return M.eval(V, true).to_string();
  auto Holds = [&](Z3_ast Predicate) {
    Ctx.check_error();
    return M.eval(z3::expr(Ctx, Predicate), true).is_true();
  };
  if (Holds(Z3_mk_fpa_is_nan(Ctx, V)))
    return "nan";
  if (Holds(Z3_mk_fpa_is_infinite(Ctx, V)))
    return Holds(Z3_mk_fpa_is_negative(Ctx, V)) ? "-inf" : "inf";
  z3::expr Real(Ctx, Z3_mk_fpa_to_real(Ctx, V));
  Ctx.check_error();
  std::string Text = M.eval(Real, true).get_decimal_string(9);
  if (Text.back() == '?')
    Text.pop_back();
  if (Text.find('.') == std::string::npos)
    Text += ".0";
  if (Holds(Z3_mk_fpa_is_zero(Ctx, V)) && Holds(Z3_mk_fpa_is_negative(Ctx, V)))
    Text = "-0.0";
  return Text;
}

std::string ProgramEncoder::describeValue(const z3::model &M, const Z3Value &V,
                                          ScalarKind Kind) {
  if (M.eval(V.UB, true).is_true())
    return "undefined";
  const ScalarInfo &Info = getScalarInfo(Kind);
  if (Info.Category == ScalarCategory::Bool)
    return M.eval(V.Value, true).is_true() ? "true" : "false";
  if (Info.Category == ScalarCategory::Float)
    return describeFloat(M, V.Value);
  return M.eval(toInt(V.Value, Kind), true).get_decimal_string(0);
}

std::string ProgramEncoder::describeModel(const z3::model &M) const {
  std::string Text;
  for (const ValueEncoder::FreeConstant &C : Values.getFreeConstants()) {
    Op O = C.Leaf->getOp();
    if (O != Op::DefineVar && O != Op::Range && O != Op::Special)
      continue;
    Z3Value V{C.Const, Ctx.bool_val(false)};
    Text += (Text.empty() ? "" : ", ") + nameOf(C.Leaf) + " = " +
            describeValue(M, V, C.Leaf->getDType().getScalarKind());
  }
  return Text.empty() ? "for any values" : Text;
}

//===----------------------------------------------------------------------===//
// Proofs
//===----------------------------------------------------------------------===//

static llvm::Error z3Error(const z3::exception &E) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 llvm::Twine("Z3 failed: ") + E.msg());
}

z3::solver tg::makeSolver(z3::context &Ctx, unsigned ResourceLimit) {
  z3::solver S(Ctx);
  z3::params P(Ctx);
  P.set("rlimit", ResourceLimit);
  S.set(P);
  return S;
}

llvm::Expected<ProofResult>
tg::proveRefinement(z3::context &Ctx, const UOp *Before, const UOp *After,
                    unsigned ResourceLimit, const Function *F) {
  try {
    z3::solver S = makeSolver(Ctx, ResourceLimit);
    return proveRefinement(S, Before, After, F);
  } catch (const z3::exception &Ex) {
    return z3Error(Ex);
  }
}

llvm::Expected<ProofResult> tg::proveRefinement(z3::solver &S,
                                                const UOp *Before,
                                                const UOp *After,
                                                const Function *F) {
  try {
    ProgramEncoder E(S.ctx(), F);
    llvm::Expected<Z3Value> B = E.encode(Before);
    if (!B)
      return B.takeError();
    llvm::Expected<Z3Value> A = E.encode(After);
    if (!A)
      return A.takeError();
    S.push();
    S.add(E.getBounds());
    S.add(!B->UB && (A->UB || A->Value != B->Value));
    z3::check_result Result = S.check();
    ProofResult Proof{ProofResult::Kind::Proved, ""};
    if (Result == z3::unknown)
      Proof = {ProofResult::Kind::Unknown, S.reason_unknown()};
    if (Result == z3::sat) {
      z3::model M = S.get_model();
      ScalarKind Kind = Before->getDType().getScalarKind();
      Proof = {ProofResult::Kind::Counterexample,
               E.describeModel(M) +
                   ": before = " + ProgramEncoder::describeValue(M, *B, Kind) +
                   ", after = " + ProgramEncoder::describeValue(M, *A, Kind)};
    }
    S.pop();
    return Proof;
  } catch (const z3::exception &Ex) {
    return z3Error(Ex);
  }
}

//===----------------------------------------------------------------------===//
// Validating a pass run
//===----------------------------------------------------------------------===//

namespace {

/// The loads and stores of a kernel in a deterministic order (sources
/// first, as Function::setRoot orders a body).
struct MemoryOps {
  std::vector<const UOp *> Loads, Stores;
};

MemoryOps collectMemoryOps(const UOp *Root) {
  MemoryOps Result;
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
    if (U->getOp() == Op::Load)
      Result.Loads.push_back(U);
    if (U->getOp() == Op::Store)
      Result.Stores.push_back(U);
    Stack.pop_back();
  }
  return Result;
}

/// Validates one function changed by one pass run.
class FunctionValidator {
public:
  FunctionValidator(const Pass &P, const Function &F, PassContext &C)
      : P(P), F(F), C(C), Encoder(Ctx, &F),
        Solver(makeSolver(Ctx, DefaultResourceLimit)) {}

  LogicalResult run(const UOp *Before, const UOp *After);

private:
  LogicalResult validateFunc(const UOp *Before, const UOp *After);
  LogicalResult validateKernel(const UOp *Before, const UOp *After);
  /// Proves the accesses of `Before` and `After` (and, for stores, the
  /// values written) equal; `What` is `store 1 of 2`. With `Differs`, a
  /// counterexample sets it instead of being reported.
  LogicalResult validateAccess(const UOp *Before, const UOp *After,
                               const std::string &What,
                               bool *Differs = nullptr);

  std::string header() const {
    return "pass '" + P.getArgument().str() + "' changed the meaning of " +
           (F.isKernel() ? "kernel" : "func") + " @" + F.getName().str();
  }
  LogicalResult notValidated(const llvm::Twine &Why) {
    C.getDiag().warning(F.getLoc(),
                        "pass '" + P.getArgument() +
                            "': " + (F.isKernel() ? "kernel" : "func") + " @" +
                            F.getName() + " not validated: " + Why);
    return success();
  }
  /// Checks `Query` (the negation of what must hold): unsat proves it.
  /// Reports an unknown result; sets `Model` on sat.
  LogicalResult check(const z3::expr &Query, llvm::SMLoc Loc,
                      std::optional<z3::model> &Model);

  const Pass &P;
  const Function &F;
  PassContext &C;
  z3::context Ctx;
  ProgramEncoder Encoder;
  z3::solver Solver;
};

} // namespace

LogicalResult FunctionValidator::run(const UOp *Before, const UOp *After) {
  try {
    return F.isKernel() ? validateKernel(Before, After)
                        : validateFunc(Before, After);
  } catch (const z3::exception &E) {
    return notValidated(llvm::Twine("Z3 failed: ") + E.msg());
  }
}

LogicalResult FunctionValidator::check(const z3::expr &Query, llvm::SMLoc Loc,
                                       std::optional<z3::model> &Model) {
  Solver.push();
  Solver.add(Encoder.getBounds());
  Solver.add(Query);
  z3::check_result Result = Solver.check();
  if (Result == z3::sat)
    Model = Solver.get_model();
  std::string Reason =
      Result == z3::unknown ? Solver.reason_unknown() : std::string();
  Solver.pop();
  if (Result != z3::unknown)
    return success();
  return C.getDiag().error(Loc, "could not prove pass '" + P.getArgument() +
                                    "' correct on @" + F.getName() +
                                    " (Z3: " + Reason + ")");
}

LogicalResult FunctionValidator::validateFunc(const UOp *Before,
                                              const UOp *After) {
  llvm::Expected<Z3Value> B = Encoder.encode(Before);
  if (!B)
    return notValidated(llvm::toString(B.takeError()));
  llvm::Expected<Z3Value> A = Encoder.encode(After);
  if (!A)
    return notValidated(llvm::toString(A.takeError()));
  std::optional<z3::model> Model;
  llvm::SMLoc Loc = F.getLocOrDefault(Before);
  if (failed(check(!B->UB && (A->UB || A->Value != B->Value), Loc, Model)))
    return failure();
  if (!Model)
    return success();
  ScalarKind Kind = Before->getDType().getScalarKind();
  C.getDiag().emit(DiagnosticSeverity::Error, Loc,
                   header() + ": the returned value differs");
  C.getDiag().note(
      Loc, "counterexample: " + Encoder.describeModel(*Model) +
               ": before = " + ProgramEncoder::describeValue(*Model, *B, Kind) +
               ", after = " + ProgramEncoder::describeValue(*Model, *A, Kind));
  return failure();
}

LogicalResult FunctionValidator::validateKernel(const UOp *Before,
                                                const UOp *After) {
  MemoryOps B = collectMemoryOps(Before), A = collectMemoryOps(After);
  if (B.Stores.size() != A.Stores.size())
    return C.getDiag().error(
        F.getLoc(), header() + ": it has " + std::to_string(A.Stores.size()) +
                        " stores, not " + std::to_string(B.Stores.size()));
  for (size_t I = 0; I != B.Stores.size(); ++I)
    if (failed(validateAccess(B.Stores[I], A.Stores[I],
                              "store " + std::to_string(I + 1) + " of " +
                                  std::to_string(B.Stores.size()))))
      return failure();
  // Loads are paired only when the pass kept their number; their values
  // reach the stores through the load functions either way. A pass may
  // reorder loads (a sum reassociated): each changed load must read where
  // one of the old loads of its buffer did, the one at its own position
  // tried first.
  if (B.Loads.size() != A.Loads.size())
    return success();
  llvm::DenseSet<const UOp *> Old(B.Loads.begin(), B.Loads.end());
  for (size_t I = 0; I != A.Loads.size(); ++I) {
    const UOp *Load = A.Loads[I];
    if (Old.contains(Load))
      continue;
    std::string What = "load " + std::to_string(I + 1) + " of " +
                       std::to_string(B.Loads.size());
    bool Matched = false;
    for (size_t K = 0; K != B.Loads.size() && !Matched; ++K) {
      size_t J = (I + K) % B.Loads.size();
      if (bufferOf(B.Loads[J]->getSrc(0)) != bufferOf(Load->getSrc(0)) ||
          B.Loads[J]->getSrc(0)->getOp() != Op::Index ||
          Load->getSrc(0)->getOp() != Op::Index)
        continue;
      bool Differs = false;
      if (failed(validateAccess(B.Loads[J], Load, What, &Differs)))
        return failure();
      Matched = !Differs;
    }
    if (!Matched) // Report against the load at the same position.
      return validateAccess(B.Loads[I], Load, What);
  }
  return success();
}

namespace {
/// An access with what it reads or writes, encoded.
struct EncodedAccess {
  ProgramEncoder::Access Where;
  std::optional<Z3Value> Stored;
};
} // namespace

static std::string describeAccess(const z3::model &M, const EncodedAccess &A,
                                  const UOp *U) {
  std::string Text =
      "gate " +
      ProgramEncoder::describeValue(M, A.Where.Gate, ScalarKind::Bool) +
      ", index [";
  const UOp *Index = U->getSrc(0);
  for (size_t I = 0; I != A.Where.Indices.size(); ++I)
    Text +=
        (I ? ", " : "") + ProgramEncoder::describeValue(
                              M, A.Where.Indices[I],
                              Index->getSrc(I + 1)->getDType().getScalarKind());
  Text += "]";
  if (A.Stored)
    Text += ", value " +
            ProgramEncoder::describeValue(
                M, *A.Stored, U->getSrc(1)->getDType().getScalarKind());
  return Text;
}

LogicalResult FunctionValidator::validateAccess(const UOp *Before,
                                                const UOp *After,
                                                const std::string &What,
                                                bool *Differs) {
  llvm::SMLoc Loc = F.getLocOrDefault(Before);
  if (Before->getSrc(0)->getOp() != Op::Index ||
      After->getSrc(0)->getOp() != Op::Index)
    return notValidated(What + " does not go through an 'index'");
  auto EncodeSide = [&](const UOp *U) -> llvm::Expected<EncodedAccess> {
    llvm::Expected<ProgramEncoder::Access> Where =
        Encoder.encodeAccess(U->getSrc(0));
    if (!Where)
      return Where.takeError();
    EncodedAccess Result{*Where, std::nullopt};
    if (U->getOp() == Op::Store) {
      llvm::Expected<Z3Value> V = Encoder.encode(U->getSrc(1));
      if (!V)
        return V.takeError();
      Result.Stored = *V;
    }
    return Result;
  };
  llvm::Expected<EncodedAccess> B = EncodeSide(Before);
  if (!B)
    return notValidated(llvm::toString(B.takeError()));
  llvm::Expected<EncodedAccess> A = EncodeSide(After);
  if (!A)
    return notValidated(llvm::toString(A.takeError()));
  if (B->Where.Buffer != A->Where.Buffer ||
      B->Where.Indices.size() != A->Where.Indices.size())
    return C.getDiag().error(Loc, header() + ": " + What +
                                      " goes to another buffer or shape");

  // Where the old access is defined and enabled, the new one must be
  // enabled, defined and equal; a disabled one must stay disabled.
  z3::expr DefinedBefore = !B->Where.Gate.UB;
  z3::expr DefinedInside = Ctx.bool_val(true);
  z3::expr DiffersInside = Ctx.bool_val(false);
  for (size_t I = 0; I != B->Where.Indices.size(); ++I) {
    const Z3Value &X = B->Where.Indices[I], &Y = A->Where.Indices[I];
    DefinedInside = DefinedInside && !X.UB;
    DiffersInside = DiffersInside || Y.UB || X.Value != Y.Value;
  }
  if (B->Stored) {
    DefinedInside = DefinedInside && !B->Stored->UB;
    DiffersInside =
        DiffersInside || A->Stored->UB || A->Stored->Value != B->Stored->Value;
  }
  const Z3Value &GateB = B->Where.Gate, &GateA = A->Where.Gate;
  z3::expr Query = DefinedBefore && (!GateB.Value || DefinedInside) &&
                   (GateA.UB || GateA.Value != GateB.Value ||
                    (GateB.Value && DiffersInside));
  std::optional<z3::model> Model;
  if (failed(check(Query, Loc, Model)))
    return failure();
  if (!Model)
    return success();
  if (Differs) {
    *Differs = true;
    return success();
  }
  std::string How;
  if (Model->eval(GateA.UB || GateA.Value != GateB.Value, true).is_true())
    How = "under a different gate";
  else if (B->Stored &&
           Model
               ->eval(A->Stored->Value != B->Stored->Value || A->Stored->UB,
                      true)
               .is_true())
    How = "writes a different value";
  else
    How = "at a different index";
  C.getDiag().emit(DiagnosticSeverity::Error, Loc,
                   header() + ": " + What + " " + How);
  C.getDiag().note(Loc, "counterexample: " + Encoder.describeModel(*Model) +
                            "; before: " + describeAccess(*Model, *B, Before) +
                            "; after: " + describeAccess(*Model, *A, After));
  return failure();
}

//===----------------------------------------------------------------------===//
// The instrumentation
//===----------------------------------------------------------------------===//

void TranslationValidationInstrumentation::runBeforePass(Pass &, Module &M,
                                                         PassContext &) {
  RootsBefore.clear();
  for (const std::unique_ptr<Function> &F : M.Functions)
    RootsBefore.push_back({F.get(), F->getRoot()});
}

LogicalResult
TranslationValidationInstrumentation::runAfterPass(Pass &P, Module &M,
                                                   PassContext &C) {
  if (P.getTranslationValidation().isExempt())
    return success();
  for (const std::unique_ptr<Function> &F : M.Functions) {
    auto It = llvm::find_if(
        RootsBefore, [&](const auto &Entry) { return Entry.first == F.get(); });
    // A function the pass made has nothing to be compared with.
    if (It == RootsBefore.end() || !It->second || !F->getRoot() ||
        It->second == F->getRoot())
      continue;
    if (failed(FunctionValidator(P, *F, C).run(It->second, F->getRoot())))
      return failure();
  }
  return success();
}
