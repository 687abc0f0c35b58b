//===- tg-fuzz-symbolic.cpp - the symbolic simplifier against Z3 ----------===//
//
// Draws random integer expressions (tg/Testing/RandomExpr.h), simplifies
// each with the `symbolic` rule set as the pass does, and has Z3 prove the
// result refines the input under the variables' bounds: wherever the input
// is defined, the output is defined and equal, the query of
// proveRefinement (tg/Verify/TranslationValidation.h). A counterexample is
// reduced by delta debugging and printed as a lit test ready to commit;
// Z3's `unknown` is reported apart. Two modes: `index` (unbounded integers)
// and `fixed` (fixed-width integers that wrap, where overflow must not be
// folded away). docs/Verification.md describes it.
//
// Speed: the simplifier's rewrites are traced, and each rule application
// (one UOp into another) is proved alone, cached; together they prove the
// result (refinement is transitive and every op monotone in it). Linear
// index math goes to Z3's linear integer arithmetic, also after the UOps a
// rewrite keeps are made free values; the rest is bit-blasted: the
// variables are bounded, so range analysis bounds every index value and
// the query encodes index as bit-vectors just wide enough
// (getExactIndexBits). A step that is not proved at once falls back to the
// whole query, tried harder, which alone decides a failure.
// Expression N is drawn from a generator seeded by (seed, N), so worker
// threads check expressions independently and the output, printed in
// order, does not depend on how many there are.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Module.h"
#include "tg/IR/Printer.h"
#include "tg/IR/Walk.h"
#include "tg/Rewrite/Declarative.h"
#include "tg/Rewrite/GraphRewrite.h"
#include "tg/Rewrite/RuleSetRegistry.h"
#include "tg/Symbolic/Passes.h"
#include "tg/Testing/RandomExpr.h"
#include "tg/Verify/Semantics.h"
#include "tg/Verify/TranslationValidation.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace tg;
namespace cl = llvm::cl;

namespace {

enum class ModeKind { Index, Fixed, Both };

cl::OptionCategory FuzzCategory("Fuzzing");
cl::opt<uint64_t> Seed("seed", cl::desc("Seed of the random expressions"),
                       cl::init(1), cl::cat(FuzzCategory));
cl::opt<uint64_t>
    Count("count",
          cl::desc("Expressions to draw (default: 1000, or no limit with "
                   "--seconds)"),
          cl::init(0), cl::cat(FuzzCategory));
cl::opt<double> Seconds("seconds", cl::desc("Stop after this many seconds"),
                        cl::init(0), cl::cat(FuzzCategory));
cl::opt<ModeKind> Mode("mode", cl::desc("Which expressions to draw"),
                       cl::values(clEnumValN(ModeKind::Index, "index",
                                             "unbounded index math"),
                                  clEnumValN(ModeKind::Fixed, "fixed",
                                             "fixed-width integers that wrap"),
                                  clEnumValN(ModeKind::Both, "both",
                                             "alternate the two (default)")),
                       cl::init(ModeKind::Both), cl::cat(FuzzCategory));
cl::opt<unsigned> MaxDepth("depth", cl::desc("Largest expression depth"),
                           cl::init(6), cl::cat(FuzzCategory));
cl::opt<unsigned>
    MaxFailures("max-failures",
                cl::desc("Stop after this many failures (each reduced and "
                         "printed as a lit test)"),
                cl::init(1), cl::cat(FuzzCategory));
cl::opt<unsigned> ResourceLimit(
    "resource-limit",
    cl::desc("Z3's resource limit per query, tried again at 20 times as "
             "much before it counts as unknown (deterministic, unlike time)"),
    cl::init(2'000'000), cl::cat(FuzzCategory));
cl::opt<unsigned> Jobs("jobs",
                       cl::desc("Worker threads (the output is the "
                                "same for any number)"),
                       cl::init(2), cl::cat(FuzzCategory));
cl::opt<bool> PrintOnly(
    "print-only",
    cl::desc("Print each expression and, on the next line, its simplified "
             "form on stdout, without proving anything (to diff the "
             "simplifier's results between two builds)"),
    cl::init(false), cl::cat(FuzzCategory));

/// The index mode: three index variables with small and wide ranges; the
/// ops of index arithmetic (no bitwise ops: index math does not use them).
RandomExprOptions indexOptions() {
  RandomExprOptions O;
  O.Types = {ScalarKind::Index};
  O.MaxWidth = 16;
  O.WidePercent = 30;
  O.WideWidth = 200;
  O.SmallBound = 20;
  // Index math divides and multiplies mostly by constants; products and
  // divisions of variables are nonlinear, where Z3 is slow.
  O.ConstantOperandPercent = 75;
  O.SmallConstant = 9;
  O.StridePercent = 30;
  O.CastWeight = 0;
  O.MulAccWeight = 1;
  O.MinWeight = 1;
  O.IndexBitwise = false;
  return O;
}

/// The fixed mode: variables of mixed widths placed where wrapping happens,
/// extreme constants, every op including shifts and bitwise ones, casts.
RandomExprOptions fixedOptions() {
  RandomExprOptions O;
  O.Types = {ScalarKind::I8, ScalarKind::U8, ScalarKind::I16, ScalarKind::I32,
             ScalarKind::U32};
  O.MaxWidth = 16;
  O.LowEdgePercent = 25;
  O.HighEdgePercent = 25;
  O.ExtremeConstantPercent = 15;
  O.MulAccWeight = 1;
  O.MinWeight = 1;
  O.SmallShiftPercent = 60;
  O.ConstantOperandPercent = 60;
  O.CastToBoolWeight = 1;
  return O;
}

/// What a check of one expression found.
struct Outcome {
  enum class Kind { Unchanged, Proved, Failed, Unknown };
  Kind TheKind;
  const UOp *After = nullptr;
  std::string Detail; ///< The counterexample, Z3's reason or an error.
};

/// Z3's side of one worker: a context, renewed now and then (Z3 keeps every
/// term it ever made), with a bit-blasting solver for queries where every
/// index value is bounded and the general one for the others.
class Prover {
public:
  /// Whether `After` refines `Before` within the variables' bounds.
  llvm::Expected<ProofResult> prove(const UOp *Before, const UOp *After);
  /// Whether Z3 proves, under the resource limit once, that `After`
  /// refines `Before`: on Ints when the index math is linear, or is once
  /// the UOps both share are free values, else on bit-vectors. False says
  /// nothing about the rewrite.
  bool proveStep(const UOp *Before, const UOp *After);

private:
  void renew();
  /// One try: index as bit-vectors of IndexBits bits, or as Int if none.
  llvm::Expected<ProofResult> proveWith(const UOp *Before, const UOp *After,
                                        std::optional<unsigned> IndexBits,
                                        unsigned Limit,
                                        ValueEncoder::LeafFn Leaf = nullptr,
                                        bool LinearQuery = false);

  std::unique_ptr<z3::context> Z3;
  std::optional<z3::solver> BitBlasting, General, Linear;
  unsigned QueriesOnContext = 0;
};

/// What a worker reports about one expression, printed by the main thread
/// in the order of the expressions.
struct Report {
  Outcome::Kind TheKind = Outcome::Kind::Unchanged;
  std::string Message; ///< For stderr: what an unknown or failure is.
  std::string LitTest; ///< For stdout: a failure, reduced.
  std::string Printed; ///< For stdout with --print-only.
};

/// One thread's fuzzing: its own IR context, generators and Z3.
class Worker {
public:
  Worker()
      : Rules(*RuleSetRegistry::get().lookup("symbolic")),
        IndexGen(Ctx, indexOptions(), 0), FixedGen(Ctx, fixedOptions(), 0) {}

  /// Draws expression `Number` and checks it; a failure is reduced.
  Report run(uint64_t Number);

private:
  Outcome check(const UOp *Before);
  /// Whether every rewrite of `Steps` is proved (each alone, cached).
  bool proveSteps(llvm::ArrayRef<std::pair<const UOp *, const UOp *>> Steps);
  const UOp *
  simplify(const UOp *Root, std::string &Error,
           std::vector<std::pair<const UOp *, const UOp *>> *Steps = nullptr);
  const UOp *reduce(const UOp *Root);
  void printLitTest(const UOp *Root, const Outcome &O, llvm::StringRef Mode,
                    uint64_t Number, llvm::raw_ostream &OS);

  Context Ctx;
  const RuleSet &Rules;
  RandomExprGenerator IndexGen, FixedGen;
  Prover Z3;
  /// Rewrites (before, after) proved so far: UOps are interned in `Ctx`,
  /// which lives as long as the worker, so a pair is the same rewrite.
  llvm::DenseSet<std::pair<const UOp *, const UOp *>> ProvedSteps;
};

class Fuzzer {
public:
  int run();

private:
  void printProgress(bool Final);

  uint64_t Drawn = 0, Changed = 0, Failed = 0, Unknown = 0;
  std::chrono::steady_clock::time_point Start =
      std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point LastProgress = Start;
};

} // namespace

void Prover::renew() {
  BitBlasting.reset();
  General.reset();
  Linear.reset();
  Z3 = std::make_unique<z3::context>();
  // Bit-blasting after using the variables' bounds (propagate-bv-bounds
  // decides comparisons against them) and eliminating definitions.
  auto T = [&](const char *Name) { return z3::tactic(*Z3, Name); };
  z3::tactic BitBlast = T("simplify") & T("propagate-bv-bounds") &
                        T("simplify") & T("solve-eqs") & T("simplify") &
                        T("bit-blast") & T("sat");
  BitBlasting.emplace(BitBlast.mk_solver());
  General.emplace(*Z3);
  Linear.emplace(*Z3, "QF_LIA");
  QueriesOnContext = 0;
}

llvm::Expected<ProofResult> Prover::prove(const UOp *Before, const UOp *After) {
  if (!Z3 || ++QueriesOnContext > 2000)
    renew();
  // Each try deterministic: bit-blasting the bounded encoding, again with
  // 20 times the resource limit, then nonlinear arithmetic on the Int
  // encoding (the two find different queries hard).
  std::optional<unsigned> IndexBits = getExactIndexBits({Before, After});
  std::pair<std::optional<unsigned>, unsigned> Tries[] = {
      {IndexBits, 1}, {IndexBits, 20}, {std::nullopt, 20}};
  ProofResult Proof;
  for (auto [Bits, Factor] : Tries) {
    if (!IndexBits && Factor == 1)
      continue;
    llvm::Expected<ProofResult> Try =
        proveWith(Before, After, Bits, ResourceLimit * Factor);
    if (!Try || Try->TheKind != ProofResult::Kind::Unknown)
      return Try;
    Proof = *Try;
    if (!IndexBits)
      break;
  }
  return Proof;
}

/// Whether the index arithmetic of `Roots`, not looking below the UOps of
/// `Opaque`, is linear: every product has a constant factor and every
/// quotient and remainder a constant divisor. Z3's linear integer
/// arithmetic decides such a query at once, where proving two division
/// circuits equal by bit-blasting is slow even at a few bits.
static bool isLinearIndexMath(llvm::ArrayRef<const UOp *> Roots,
                              const llvm::DenseSet<const UOp *> &Opaque = {}) {
  llvm::DenseSet<const UOp *> Seen;
  std::vector<const UOp *> Stack(Roots.begin(), Roots.end());
  while (!Stack.empty()) {
    const UOp *U = Stack.back();
    Stack.pop_back();
    if (Opaque.contains(U) || !Seen.insert(U).second)
      continue;
    DType T = U->getDType();
    if (T.isInteger() && T.getScalarKind() != ScalarKind::Index)
      return false;
    auto isConst = [&](unsigned I) {
      return U->getSrc(I)->getOp() == Op::Const;
    };
    switch (U->getOp()) {
    case Op::Mul:
    case Op::MulAcc:
      if (!isConst(0) && !isConst(1))
        return false;
      break;
    case Op::FloorDiv:
    case Op::FloorMod:
    case Op::TruncDiv:
    case Op::TruncMod:
      if (!isConst(1))
        return false;
      break;
    case Op::Shl:
    case Op::Shr:
    case Op::And:
    case Op::Or:
    case Op::Xor:
      if (T.isInteger())
        return false;
      break;
    default:
      break;
    }
    for (const UOp *Src : U->getSrcs())
      Stack.push_back(Src);
  }
  return true;
}

bool Prover::proveStep(const UOp *Before, const UOp *After) {
  if (!Z3 || ++QueriesOnContext > 2000)
    renew();
  auto proved = [&](std::optional<unsigned> Bits,
                    ValueEncoder::LeafFn Leaf) -> std::optional<bool> {
    llvm::Expected<ProofResult> Proof =
        proveWith(Before, After, Bits, ResourceLimit, std::move(Leaf),
                  /*LinearQuery=*/!Bits);
    if (!Proof) {
      llvm::consumeError(Proof.takeError());
      return std::nullopt;
    }
    if (Proof->TheKind == ProofResult::Kind::Proved)
      return true;
    if (Proof->TheKind == ProofResult::Kind::Counterexample)
      return false;
    return std::nullopt;
  };
  // Linear: integer arithmetic decides it.
  if (isLinearIndexMath({Before, After})) {
    std::optional<bool> Linear = proved(std::nullopt, nullptr);
    if (Linear)
      return *Linear;
  }
  std::optional<unsigned> IndexBits = getExactIndexBits({Before, After});
  // The UOps both share (but constants and variables) as free Ints: a
  // model of the query is one of this weaker one with each at its value
  // (a shared UOp's UB is the whole input's, which the query excludes), so
  // unsat proves it. A rewrite that holds for any value of its operands,
  // as most rules do, becomes a linear query when they alone are
  // nonlinear; one that needs their ranges is tried as it is.
  llvm::DenseSet<const UOp *> InBefore, Shared;
  for (const UOp *U : collectUOps(Before))
    InBefore.insert(U);
  for (const UOp *U : collectUOps(After))
    if (U != Before && U != After && InBefore.contains(U) &&
        U->getNumSrcs() != 0)
      Shared.insert(U);
  if (!Shared.empty() && isLinearIndexMath({Before, After}, Shared)) {
    unsigned NumShared = 0;
    ValueEncoder::LeafFn Abstract =
        [&](const UOp *U) -> std::optional<Z3Value> {
      if (!Shared.contains(U))
        return std::nullopt;
      std::string Name = "shared!" + std::to_string(NumShared++);
      return Z3Value{makeFreeConst(*Z3, U->getDType().getScalarKind(), Name),
                     Z3->bool_val(false)};
    };
    if (proved(std::nullopt, Abstract).value_or(false))
      return true;
  }
  if (!IndexBits || isLinearIndexMath({Before, After}))
    return false;
  return proved(IndexBits, nullptr).value_or(false);
}

llvm::Expected<ProofResult>
Prover::proveWith(const UOp *Before, const UOp *After,
                  std::optional<unsigned> IndexBits, unsigned Limit,
                  ValueEncoder::LeafFn Leaf, bool LinearQuery) {
  try {
    ValueEncoder E(*Z3, std::move(Leaf), IndexBits.value_or(0));
    llvm::Expected<Z3Value> B = E.encode(Before);
    if (!B)
      return B.takeError();
    llvm::Expected<Z3Value> A = E.encode(After);
    if (!A)
      return A.takeError();
    z3::expr Query =
        z3::mk_and(E.getBounds()) && !B->UB && (A->UB || A->Value != B->Value);
    // Z3's simplifier alone often reduces the query to false.
    Query = Query.simplify();
    if (Query.is_false())
      return ProofResult{ProofResult::Kind::Proved, ""};
    z3::solver &S = IndexBits ? *BitBlasting : LinearQuery ? *Linear : *General;
    S.set("rlimit", Limit);
    S.push();
    S.add(Query);
    z3::check_result Result = S.check();
    ProofResult Proof{ProofResult::Kind::Proved, ""};
    if (Result == z3::unknown)
      Proof = {ProofResult::Kind::Unknown, S.reason_unknown()};
    if (Result == z3::sat) {
      z3::model M = S.get_model();
      std::string Values;
      for (const ValueEncoder::FreeConstant &C : E.getFreeConstants())
        Values +=
            C.Const.decl().name().str() + " = " +
            ProgramEncoder::describeValue(M, {C.Const, Z3->bool_val(false)},
                                          C.Leaf->getDType().getScalarKind()) +
            ", ";
      ScalarKind Kind = Before->getDType().getScalarKind();
      Proof = {ProofResult::Kind::Counterexample,
               Values +
                   "before = " + ProgramEncoder::describeValue(M, *B, Kind) +
                   ", after = " + ProgramEncoder::describeValue(M, *A, Kind)};
    }
    S.pop();
    return Proof;
  } catch (const z3::exception &Ex) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   llvm::Twine("Z3 failed: ") + Ex.msg());
  }
}

const UOp *
Worker::simplify(const UOp *Root, std::string &Error,
                 std::vector<std::pair<const UOp *, const UOp *>> *Steps) {
  RewriteAnalyses Analyses;
  RewriteOptions Options;
  Options.State = &Analyses;
  if (Steps)
    Options.Tracer = [Steps](const RewriteEvent &E) {
      Steps->push_back({E.Before, E.After});
    };
  llvm::Expected<const UOp *> Result = graphRewrite(Ctx, Root, Rules, Options);
  if (!Result) {
    Error = llvm::toString(Result.takeError());
    return nullptr;
  }
  return *Result;
}

bool Worker::proveSteps(
    llvm::ArrayRef<std::pair<const UOp *, const UOp *>> Steps) {
  auto proveStep = [&](const UOp *From, const UOp *To) {
    if (ProvedSteps.contains({From, To}))
      return true;
    if (!Z3.proveStep(From, To))
      return false;
    ProvedSteps.insert({From, To});
    return true;
  };
  // Rules applied in a row to one UOp (each rewriting the last one's
  // result) are proved as one rewrite first, then one by one.
  for (size_t First = 0; First != Steps.size();) {
    size_t End = First + 1;
    while (End != Steps.size() && Steps[End].first == Steps[End - 1].second)
      ++End;
    if (End - First == 1 ||
        !proveStep(Steps[First].first, Steps[End - 1].second))
      for (size_t I = First; I != End; ++I)
        if (!proveStep(Steps[I].first, Steps[I].second))
          return false;
    First = End;
  }
  return true;
}

Outcome Worker::check(const UOp *Before) {
  std::string Error;
  std::vector<std::pair<const UOp *, const UOp *>> Steps;
  const UOp *After = simplify(Before, Error, &Steps);
  if (!After)
    return {Outcome::Kind::Failed, nullptr, "the simplifier failed: " + Error};
  if (After == Before) // interned: the simplifier changed nothing
    return {Outcome::Kind::Unchanged, After, ""};
  // Each rule application rewrote one UOp, whose sources were already
  // rewritten, into another; `After` is `Before` with these replacements
  // made bottom-up. Refinement is transitive and every op is monotone in
  // it (an op is undefined where an operand is), so when each step alone
  // refines its UOp under the variables' bounds, `After` refines `Before`.
  // A step that needs its surroundings (a rule may look at the parent) or
  // that Z3 cannot decide at once falls back to the whole query, which
  // alone decides a failure. A small expression rewritten in several steps
  // is one small query.
  constexpr size_t SmallExpression = 6;
  bool Proved =
      (Steps.size() > 1 && collectUOps(Before).size() <= SmallExpression &&
       Z3.proveStep(Before, After)) ||
      proveSteps(Steps);
  if (Proved)
    return {Outcome::Kind::Proved, After, ""};
  llvm::Expected<ProofResult> Proof = Z3.prove(Before, After);
  if (!Proof)
    return {Outcome::Kind::Failed, After,
            "cannot encode: " + llvm::toString(Proof.takeError())};
  switch (Proof->TheKind) {
  case ProofResult::Kind::Proved:
    return {Outcome::Kind::Proved, After, ""};
  case ProofResult::Kind::Unknown:
    return {Outcome::Kind::Unknown, After, Proof->Detail};
  case ProofResult::Kind::Counterexample:
    break;
  }
  return {Outcome::Kind::Failed, After, Proof->Detail};
}

/// `Root` with `From` replaced by `To`.
static const UOp *replace(Context &Ctx, const UOp *Root, const UOp *From,
                          const UOp *To,
                          llvm::DenseMap<const UOp *, const UOp *> &Memo) {
  if (Root == From)
    return To;
  if (auto It = Memo.find(Root); It != Memo.end())
    return It->second;
  llvm::SmallVector<const UOp *, 3> Srcs;
  for (const UOp *Src : Root->getSrcs())
    Srcs.push_back(replace(Ctx, Src, From, To, Memo));
  const UOp *Result =
      Ctx.get(Root->getOp(), Root->getDType(), Srcs, Root->getArg());
  Memo[Root] = Result;
  return Result;
}

/// The define_vars `Root` reaches, sorted by name.
static std::vector<const UOp *> variablesOf(const UOp *Root) {
  std::vector<const UOp *> Vars;
  for (const UOp *U : collectUOps(Root))
    if (U->getOp() == Op::DefineVar)
      Vars.push_back(U);
  llvm::sort(Vars, [](const UOp *A, const UOp *B) {
    return A->getArgField(0)->getString() < B->getArgField(0)->getString();
  });
  return Vars;
}

/// Smaller expressions to try in place of `U`: its operands of its type,
/// small constants, the variables (cast to its type), and for a variable
/// the halves of its range.
static std::vector<const UOp *>
candidatesFor(Context &Ctx, const UOp *U, llvm::ArrayRef<const UOp *> Vars) {
  std::vector<const UOp *> Result;
  DType T = U->getDType();
  for (const UOp *Src : U->getSrcs())
    if (Src->getDType() == T)
      Result.push_back(Src);
  if (U->getOp() == Op::DefineVar) {
    int64_t Lo = U->getArgField(1)->getInt(), Hi = U->getArgField(2)->getInt();
    if (Lo < Hi) {
      int64_t Mid = Lo + (Hi - Lo) / 2;
      for (auto [L, H] : {std::pair(Lo, Mid), std::pair(Mid + 1, Hi)})
        Result.push_back(
            Ctx.get(Op::DefineVar, T, {},
                    Ctx.getListArg({U->getArgField(0), Ctx.getIntArg(L),
                                    Ctx.getIntArg(H)})));
    }
  }
  for (int64_t C : {0, 1, -1})
    if (!(T.isUnsigned() && C < 0) && !(T.isBool() && C < 0))
      Result.push_back(Ctx.getConst(T, C));
  if (U->getOp() == Op::Const && !T.isBool()) {
    int64_t V = U->getArg()->getInt();
    if (V / 2 != 0)
      Result.push_back(Ctx.getConst(T, V / 2));
  }
  if (!T.isBool())
    for (const UOp *V : Vars)
      Result.push_back(V->getDType() == T ? V : Ctx.get(Op::Cast, T, {V}));
  llvm::erase(Result, U);
  return Result;
}

const UOp *Worker::reduce(const UOp *Root) {
  auto StillFails = [&](const UOp *Candidate) {
    return check(Candidate).TheKind == Outcome::Kind::Failed;
  };
  for (bool Progress = true; Progress;) {
    Progress = false;
    std::vector<const UOp *> Vars = variablesOf(Root);
    for (const UOp *U : collectUOps(Root)) {
      for (const UOp *Candidate : candidatesFor(Ctx, U, Vars)) {
        llvm::DenseMap<const UOp *, const UOp *> Memo;
        const UOp *Smaller = replace(Ctx, Root, U, Candidate, Memo);
        if (Smaller == Root || !StillFails(Smaller))
          continue;
        Root = Smaller;
        Progress = true;
        break;
      }
      if (Progress)
        break;
    }
  }
  return Root;
}

/// A func returning `Root`, with the variables it reaches as parameters.
static std::unique_ptr<Function> makeFunc(const std::string &Name,
                                          const UOp *Root) {
  auto F = std::make_unique<Function>(Function::Kind::Func, Name);
  F->Params = variablesOf(Root);
  F->setRoot(Root);
  return F;
}

static std::string printFunc(const Function &F) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  printFunction(F, OS);
  return Text;
}

static void printCommented(llvm::StringRef Text, llvm::StringRef Prefix,
                           llvm::raw_ostream &OS) {
  llvm::SmallVector<llvm::StringRef, 16> Lines;
  Text.trim().split(Lines, '\n');
  for (llvm::StringRef Line : Lines)
    OS << Prefix << Line << "\n";
}

void Worker::printLitTest(const UOp *Root, const Outcome &O,
                          llvm::StringRef ModeName, uint64_t Number,
                          llvm::raw_ostream &OS) {
  std::string Name = "fuzz_" + ModeName.str() + "_" +
                     std::to_string(Seed.getValue()) + "_" +
                     std::to_string(Number);
  std::string Input = printFunc(*makeFunc(Name, Root));
  OS << "// Found by tg-fuzz-symbolic --seed=" << Seed << " --mode=" << ModeName
     << " (expression " << Number << "), reduced.\n"
     << "// The symbolic simplifier changes the value of @" << Name << ":\n"
     << "//   " << O.Detail << "\n";
  if (O.After) {
    OS << "// It simplifies it to:\n";
    printCommented(printFunc(*makeFunc(Name, O.After)), "//   ", OS);
  }
  OS << "// The CHECK lines hold the input, a correct result; a fix that\n"
     << "// simplifies it correctly updates them. Remove the XFAIL once\n"
     << "// fixed.\n"
     << "// XFAIL: *\n"
     << "// RUN: tg-opt %s --pass-pipeline=symbolic | FileCheck %s\n"
     << "// RUN: tg-opt %s --pass-pipeline=symbolic --verify-each=z3\n\n";
  llvm::SmallVector<llvm::StringRef, 16> Lines;
  llvm::StringRef(Input).trim().split(Lines, '\n');
  OS << "// CHECK-LABEL: func @" << Name << "(\n";
  for (llvm::StringRef Line : llvm::ArrayRef(Lines).drop_front())
    OS << "// CHECK-NEXT: " << Line << "\n";
  OS << Input;
}

/// The seed of expression `Number` (splitmix64 of the two), so that each
/// expression can be drawn alone.
static uint64_t seedOf(uint64_t Number) {
  uint64_t Z = Seed + 0x9e3779b97f4a7c15 * (Number + 1);
  Z = (Z ^ (Z >> 30)) * 0xbf58476d1ce4e5b9;
  Z = (Z ^ (Z >> 27)) * 0x94d049bb133111eb;
  return Z ^ (Z >> 31);
}

Report Worker::run(uint64_t Number) {
  bool Fixed =
      Mode == ModeKind::Fixed || (Mode == ModeKind::Both && Number % 2);
  RandomExprGenerator &Gen = Fixed ? FixedGen : IndexGen;
  Gen.getEngine().seed(seedOf(Number));
  DType T = Gen.anyType();
  Gen.newVariables(T, Fixed && Gen.chance(50));
  int D = int(Gen.pick(1, std::max(1u, MaxDepth.getValue())));
  const UOp *Before = Gen.chance(15) ? Gen.genBool(T, D) : Gen.gen(T, D);
  if (PrintOnly) {
    std::string Error;
    const UOp *After = simplify(Before, Error);
    Report R{After == Before ? Outcome::Kind::Unchanged : Outcome::Kind::Proved,
             "", "", ""};
    R.Printed = std::to_string(Number) + ": " + printExprInline(Before) +
                "\n  -> " +
                (After ? printExprInline(After) : "error: " + Error) + "\n";
    return R;
  }
  Outcome O = check(Before);
  Report R{O.TheKind, "", "", ""};
  llvm::raw_string_ostream Message(R.Message);
  if (O.TheKind == Outcome::Kind::Unknown)
    Message << "unknown (" << O.Detail << ") for expression " << Number << ": "
            << printExprInline(Before) << "\n";
  if (O.TheKind != Outcome::Kind::Failed)
    return R;
  Message << "FAILED expression " << Number << ": " << printExprInline(Before)
          << "\n  " << O.Detail << "\n  reduced, on stdout\n";
  const UOp *Reduced = reduce(Before);
  llvm::raw_string_ostream LitTest(R.LitTest);
  printLitTest(Reduced, check(Reduced), Fixed ? "fixed" : "index", Number,
               LitTest);
  LitTest << "\n";
  return R;
}

void Fuzzer::printProgress(bool Final) {
  auto Now = std::chrono::steady_clock::now();
  if (!Final && Now - LastProgress < std::chrono::seconds(2))
    return;
  LastProgress = Now;
  double Elapsed = std::chrono::duration<double>(Now - Start).count();
  llvm::errs() << llvm::format(
      "tg-fuzz-symbolic: %llu expressions, %llu changed, %llu failed, %llu "
      "unknown, %.0f changed/s (%.0f drawn/s) in %.1f s\n",
      (unsigned long long)Drawn, (unsigned long long)Changed,
      (unsigned long long)Failed, (unsigned long long)Unknown,
      Elapsed > 0 ? Changed / Elapsed : 0.0,
      Elapsed > 0 ? Drawn / Elapsed : 0.0, Elapsed);
}

int Fuzzer::run() {
  uint64_t Limit = Count ? Count.getValue() : (Seconds > 0 ? 0 : 1000);
  unsigned NumWorkers = std::max(1u, Jobs.getValue());
  std::vector<std::unique_ptr<Worker>> Workers;
  for (unsigned I = 0; I != NumWorkers; ++I)
    Workers.push_back(std::make_unique<Worker>());
  // Batches of expressions, each worker taking every NumWorkers-th one.
  constexpr uint64_t BatchSize = 256;
  auto TimeIsUp = [&] {
    return Seconds > 0 && std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - Start)
                                  .count() >= Seconds;
  };
  for (uint64_t First = 0;
       (!Limit || First < Limit) && !TimeIsUp() && Failed < MaxFailures;
       First += BatchSize) {
    uint64_t End =
        Limit ? std::min(First + BatchSize, Limit) : First + BatchSize;
    std::vector<Report> Reports(End - First);
    std::vector<std::thread> Threads;
    for (unsigned W = 0; W != NumWorkers; ++W)
      Threads.emplace_back([&, W] {
        for (uint64_t I = First + W; I < End; I += NumWorkers)
          Reports[I - First] = Workers[W]->run(I);
      });
    for (std::thread &T : Threads)
      T.join();
    for (const Report &R : Reports) {
      ++Drawn;
      llvm::outs() << R.Printed;
      if (R.TheKind == Outcome::Kind::Unchanged)
        continue;
      ++Changed;
      llvm::errs() << R.Message;
      if (R.TheKind == Outcome::Kind::Unknown)
        ++Unknown;
      if (R.TheKind != Outcome::Kind::Failed)
        continue;
      ++Failed;
      llvm::outs() << R.LitTest;
      llvm::outs().flush();
      if (Failed >= MaxFailures)
        break;
    }
    printProgress(false);
  }
  printProgress(true);
  return Failed || Unknown ? 1 : 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM InitLLVM(argc, argv);
  cl::HideUnrelatedOptions(FuzzCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "tg-fuzz-symbolic: random integer expressions, simplified by the "
      "`symbolic` rule set and proved equal by Z3; a failure is reduced and "
      "printed as a lit test on stdout, progress goes to stderr. Exit "
      "status 1 if any expression failed or Z3 could not decide.\n");
  if (Seconds < 0) {
    llvm::WithColor::error(llvm::errs(), "tg-fuzz-symbolic")
        << "--seconds must not be negative\n";
    return 1;
  }
  registerSymbolicRuleSets();
  return Fuzzer().run();
}
