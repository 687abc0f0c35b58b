//===- tg-fuzz-symbolic.cpp - the symbolic simplifier against Z3 ----------===//
//
// Draws random integer expressions (tg/Testing/RandomExpr.h), simplifies
// each with the `symbolic` rule set as the pass does, and has Z3 prove the
// result refines the input under the variables' bounds (wherever the input
// is defined, the output is defined and equal; proveRefinement in
// tg/Verify/TranslationValidation.h). A counterexample is reduced by delta
// debugging and printed as a lit test ready to commit; Z3's `unknown` is
// reported apart. Two modes: `index` (unbounded integers) and `fixed`
// (fixed-width integers that wrap, where overflow must not be folded away).
// docs/Verification.md describes it.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Module.h"
#include "tg/IR/Printer.h"
#include "tg/Rewrite/Declarative.h"
#include "tg/Rewrite/GraphRewrite.h"
#include "tg/Rewrite/RuleSetRegistry.h"
#include "tg/Symbolic/Passes.h"
#include "tg/Testing/RandomExpr.h"
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

#include <chrono>
#include <memory>
#include <optional>
#include <string>
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
    cl::desc("Z3's resource limit per query (deterministic, unlike time)"),
    cl::init(5'000'000), cl::cat(FuzzCategory));

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

class Fuzzer {
public:
  Fuzzer() : Rules(*RuleSetRegistry::get().lookup("symbolic")) {}

  int run();

private:
  Outcome check(const UOp *Before);
  const UOp *simplify(const UOp *Root, std::string &Error);
  const UOp *reduce(const UOp *Root);
  void printLitTest(const UOp *Root, const Outcome &O, llvm::StringRef Mode,
                    uint64_t Number, llvm::raw_ostream &OS);
  void printProgress(bool Final);

  z3::solver &getSolver() {
    // A fresh context now and then: Z3 keeps every term it ever made.
    if (!Z3 || ++QueriesOnContext > 2000) {
      Solver.reset();
      Z3 = std::make_unique<z3::context>();
      Solver.emplace(makeSolver(*Z3, ResourceLimit));
      QueriesOnContext = 0;
    }
    return *Solver;
  }

  Context Ctx;
  const RuleSet &Rules;
  std::unique_ptr<z3::context> Z3;
  std::optional<z3::solver> Solver;
  unsigned QueriesOnContext = 0;
  uint64_t Drawn = 0, Changed = 0, Failed = 0, Unknown = 0;
  std::chrono::steady_clock::time_point Start =
      std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point LastProgress = Start;
};

} // namespace

const UOp *Fuzzer::simplify(const UOp *Root, std::string &Error) {
  RewriteAnalyses Analyses;
  RewriteOptions Options;
  Options.State = &Analyses;
  llvm::Expected<const UOp *> Result = graphRewrite(Ctx, Root, Rules, Options);
  if (!Result) {
    Error = llvm::toString(Result.takeError());
    return nullptr;
  }
  return *Result;
}

Outcome Fuzzer::check(const UOp *Before) {
  std::string Error;
  const UOp *After = simplify(Before, Error);
  if (!After)
    return {Outcome::Kind::Failed, nullptr, "the simplifier failed: " + Error};
  if (After == Before)
    return {Outcome::Kind::Unchanged, After, ""};
  llvm::Expected<ProofResult> Proof =
      proveRefinement(getSolver(), Before, After);
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

/// The UOps of `Root`, root first (the order the reducer tries them in:
/// cutting near the root removes the most).
static std::vector<const UOp *> preOrder(const UOp *Root) {
  std::vector<const UOp *> Nodes = {Root};
  llvm::DenseSet<const UOp *> Seen = {Root};
  for (size_t I = 0; I != Nodes.size(); ++I)
    for (const UOp *Src : Nodes[I]->getSrcs())
      if (Seen.insert(Src).second)
        Nodes.push_back(Src);
  return Nodes;
}

/// The define_vars `Root` reaches, sorted by name.
static std::vector<const UOp *> variablesOf(const UOp *Root) {
  std::vector<const UOp *> Vars;
  for (const UOp *U : preOrder(Root))
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

const UOp *Fuzzer::reduce(const UOp *Root) {
  auto StillFails = [&](const UOp *Candidate) {
    return check(Candidate).TheKind == Outcome::Kind::Failed;
  };
  for (bool Progress = true; Progress;) {
    Progress = false;
    std::vector<const UOp *> Vars = variablesOf(Root);
    for (const UOp *U : preOrder(Root)) {
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

void Fuzzer::printLitTest(const UOp *Root, const Outcome &O,
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
  RandomExprGenerator IndexGen(Ctx, indexOptions(), Seed);
  RandomExprGenerator FixedGen(Ctx, fixedOptions(), Seed ^ 0x5eed);
  int Depth = int(std::max(1u, MaxDepth.getValue()));
  for (uint64_t I = 0; !Limit || I != Limit; ++I) {
    if (Seconds > 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
                .count() >= Seconds)
      break;
    bool Fixed = Mode == ModeKind::Fixed || (Mode == ModeKind::Both && I % 2);
    RandomExprGenerator &Gen = Fixed ? FixedGen : IndexGen;
    DType T = Gen.anyType();
    Gen.newVariables(T, Fixed && Gen.chance(50));
    int D = int(Gen.pick(1, Depth));
    const UOp *Before = Gen.chance(15) ? Gen.genBool(T, D) : Gen.gen(T, D);
    ++Drawn;
    Outcome O = check(Before);
    printProgress(false);
    if (O.TheKind == Outcome::Kind::Unchanged)
      continue;
    ++Changed;
    if (O.TheKind == Outcome::Kind::Unknown) {
      ++Unknown;
      llvm::errs() << "unknown (" << O.Detail << ") for expression " << I
                   << ": " << printExprInline(Before) << "\n";
      continue;
    }
    if (O.TheKind != Outcome::Kind::Failed)
      continue;
    ++Failed;
    llvm::errs() << "failure on expression " << I << ": "
                 << printExprInline(Before) << "\n  " << O.Detail
                 << "\n  reducing...\n";
    const UOp *Reduced = reduce(Before);
    printLitTest(Reduced, check(Reduced), Fixed ? "fixed" : "index", I,
                 llvm::outs());
    llvm::outs() << "\n";
    llvm::outs().flush();
    if (Failed >= MaxFailures)
      break;
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
