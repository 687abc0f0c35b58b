//===- SoundnessTest.cpp - the simplifier never changes a value -----------===//
//
// A brute-force check of the `symbolic-stage` rule set, the largest: every
// func of test/Symbolic/*.tg, and a few thousand seeded random expressions,
// are simplified and then evaluated before and after with tg::evalAlu, at
// every assignment of their define_vars (or, where there are too many, at
// seeded random points and every corner of the box). Where the input has no
// value (division by zero, ...) the point says nothing; anywhere else the
// output must have the same value. A failure prints the point, both values
// and the output. Until the Z3 prover exists this is what "sound" means.
//
// `where` is evaluated eagerly, as evalAlu and the range analysis read it: a
// branch with no value leaves the where without one, taken or not, so a
// rewrite under a gate must not take the value of the other lanes away.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Eval.h"
#include "tg/IR/Module.h"
#include "tg/IR/Parser.h"
#include "tg/IR/Printer.h"
#include "tg/IR/Walk.h"
#include "tg/Rewrite/Declarative.h"
#include "tg/Rewrite/GraphRewrite.h"
#include "tg/Rewrite/RuleSetRegistry.h"
#include "tg/Symbolic/Passes.h"
#include "tg/Testing/RandomExpr.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

using namespace tg;

namespace {

/// Points where every assignment is tried; beyond, random points and corners.
constexpr uint64_t ExhaustiveLimit = 20000;
constexpr unsigned RandomPoints = 2000;

/// An expression flattened for evaluation: every UOp after its sources.
class Evaluator {
public:
  /// False when `Root` reaches an op that is not a const, a define_var or a
  /// scalar elementwise op (the evaluator has no value for it).
  bool build(const UOp *Root) {
    Nodes.clear();
    Index.clear();
    return add(Root);
  }

  /// The value of the root with `Vars[I]` set to `Point[I]`; nullopt where
  /// it has none. A define_var not in `Vars` has no value.
  std::optional<ConstValue> run(llvm::ArrayRef<const UOp *> Vars,
                                llvm::ArrayRef<int64_t> Point) {
    Values.assign(Nodes.size(), std::nullopt);
    for (size_t I = 0; I != Nodes.size(); ++I)
      Values[I] = compute(Nodes[I], Vars, Point);
    return Values.back();
  }

private:
  bool add(const UOp *U) {
    if (Index.count(U))
      return true;
    bool Known = U->getOp() == Op::Const || U->getOp() == Op::DefineVar ||
                 U->hasTrait(OpTrait::Elementwise);
    if (!Known || !U->getDType().isScalar())
      return false;
    for (const UOp *Src : U->getSrcs())
      if (!Src->getDType().isScalar() || !add(Src))
        return false;
    Index[U] = Nodes.size();
    Nodes.push_back(U);
    return true;
  }

  std::optional<ConstValue> compute(const UOp *U,
                                    llvm::ArrayRef<const UOp *> Vars,
                                    llvm::ArrayRef<int64_t> Point) {
    if (U->getOp() == Op::Const)
      return ConstValue::fromArg(*U->getArg());
    if (U->getOp() == Op::DefineVar) {
      const UOp *const *It = llvm::find(Vars, U);
      if (It == Vars.end())
        return std::nullopt;
      return ConstValue::getInt(Point[It - Vars.begin()]);
    }
    llvm::SmallVector<ConstValue, 3> Operands;
    for (const UOp *Src : U->getSrcs()) {
      std::optional<ConstValue> V = Values[Index.lookup(Src)];
      if (!V)
        return std::nullopt;
      Operands.push_back(*V);
    }
    return evalAlu(U->getOp(), U->getDType().getScalarKind(),
                   U->getSrc(0)->getDType().getScalarKind(), Operands);
  }

  std::vector<const UOp *> Nodes;
  llvm::DenseMap<const UOp *, size_t> Index;
  std::vector<std::optional<ConstValue>> Values;
};

std::string show(std::optional<ConstValue> V) {
  if (!V)
    return "<no value>";
  if (V->isFloat())
    return std::to_string(V->getFloat());
  return std::to_string(V->getInt());
}

int64_t varMin(const UOp *V) { return V->getArgField(1)->getInt(); }
int64_t varMax(const UOp *V) { return V->getArgField(2)->getInt(); }

/// The define_vars `Root` reaches, in a deterministic order.
std::vector<const UOp *> collectVars(const UOp *Root) {
  std::vector<const UOp *> Vars;
  for (const UOp *U : collectUOps(Root))
    if (U->getOp() == Op::DefineVar)
      Vars.push_back(U);
  llvm::sort(Vars, [](const UOp *A, const UOp *B) {
    return A->getArgField(0)->getString() < B->getArgField(0)->getString();
  });
  return Vars;
}

/// The points to try: every one of the box of `Vars`, or when there are more
/// than ExhaustiveLimit, RandomPoints seeded random ones and every corner.
std::vector<std::vector<int64_t>> pointsOf(llvm::ArrayRef<const UOp *> Vars,
                                           std::mt19937_64 &Rng) {
  uint64_t Size = 1;
  for (const UOp *V : Vars) {
    uint64_t Width = uint64_t(varMax(V)) - uint64_t(varMin(V)) + 1;
    Size = (Width == 0 || Width > ExhaustiveLimit) ? ExhaustiveLimit + 1
                                                   : Size * Width;
    Size = std::min(Size, ExhaustiveLimit + 1);
  }
  std::vector<std::vector<int64_t>> Points(1);
  if (Size <= ExhaustiveLimit) {
    for (const UOp *V : Vars) {
      std::vector<std::vector<int64_t>> Next;
      for (const std::vector<int64_t> &P : Points)
        for (int64_t X = varMin(V);; ++X) {
          Next.push_back(P);
          Next.back().push_back(X);
          if (X == varMax(V))
            break;
        }
      Points = std::move(Next);
    }
    return Points;
  }
  for (const UOp *V : Vars) {
    std::vector<std::vector<int64_t>> Next;
    for (const std::vector<int64_t> &P : Points)
      for (int64_t X : {varMin(V), varMax(V)}) {
        Next.push_back(P);
        Next.back().push_back(X);
      }
    Points = std::move(Next);
  }
  for (unsigned I = 0; I != RandomPoints; ++I) {
    std::vector<int64_t> P;
    for (const UOp *V : Vars)
      P.push_back(
          std::uniform_int_distribution<int64_t>(varMin(V), varMax(V))(Rng));
    Points.push_back(std::move(P));
  }
  return Points;
}

class SoundnessTest : public ::testing::Test {
protected:
  Context Ctx;
  std::mt19937_64 Rng{20240612};
  uint64_t PointsChecked = 0;

  static const RuleSet &stageRules() {
    registerSymbolicRuleSets();
    const RuleSet *Rules = RuleSetRegistry::get().lookup("symbolic-stage");
    EXPECT_TRUE(Rules) << "no rule set symbolic-stage";
    return *Rules;
  }

  /// `Root` simplified by symbolic-stage exactly as the pass does it.
  const UOp *simplify(const UOp *Root) {
    RewriteAnalyses Analyses;
    RewriteOptions Options;
    Options.State = &Analyses;
    llvm::Expected<const UOp *> Result =
        graphRewrite(Ctx, Root, stageRules(), Options);
    if (!Result) {
      ADD_FAILURE() << llvm::toString(Result.takeError());
      return Root;
    }
    return *Result;
  }

  /// Checks `After` against `Before` over the box of `Vars`; returns false
  /// (after reporting) at the first point where they disagree.
  bool expectSame(llvm::StringRef Name, const UOp *Before, const UOp *After,
                  std::vector<const UOp *> Vars,
                  llvm::function_ref<std::string()> PrintAfter) {
    Evaluator In, Out;
    if (!In.build(Before) || !Out.build(After)) {
      ADD_FAILURE() << Name.str() << ": cannot evaluate";
      return false;
    }
    for (const std::vector<int64_t> &P : pointsOf(Vars, Rng)) {
      std::optional<ConstValue> B = In.run(Vars, P);
      if (!B)
        continue;
      ++PointsChecked;
      std::optional<ConstValue> A = Out.run(Vars, P);
      if (A == B)
        continue;
      std::string Point;
      for (size_t I = 0; I != Vars.size(); ++I)
        Point += (I ? ", " : "") + Vars[I]->getArgField(0)->getString().str() +
                 " = " + std::to_string(P[I]);
      ADD_FAILURE() << Name.str() << " at " << Point << ": input " << show(B)
                    << ", output " << show(A) << "\n"
                    << PrintAfter();
      return false;
    }
    return true;
  }
};

/// Every func of every test/Symbolic/*.tg file, split as lit splits it.
TEST_F(SoundnessTest, LitFuncsKeepTheirValues) {
  std::error_code EC;
  std::string Dir = std::string(TG_SOURCE_DIR) + "/test/Symbolic";
  std::vector<std::string> Files;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    if (llvm::sys::path::extension(It->path()) == ".tg")
      Files.push_back(It->path());
  ASSERT_FALSE(EC) << Dir << ": " << EC.message();
  llvm::sort(Files);
  unsigned Funcs = 0;
  for (const std::string &File : Files) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Text =
        llvm::MemoryBuffer::getFile(File);
    ASSERT_TRUE(bool(Text)) << File;
    llvm::SmallVector<llvm::StringRef, 16> Chunks;
    (*Text)->getBuffer().split(Chunks, "// -----");
    for (llvm::StringRef Chunk : Chunks) {
      llvm::SourceMgr SM;
      unsigned Buffer = SM.AddNewSourceBuffer(
          llvm::MemoryBuffer::getMemBufferCopy(Chunk, File), llvm::SMLoc());
      DiagnosticEngine Diag(SM);
      Diag.setHandler([](const Diagnostic &) {}); // expected-error cases
      std::unique_ptr<Module> M = parseModule(Buffer, Ctx, Diag);
      if (!M)
        continue;
      for (const std::unique_ptr<Function> &F : M->Functions) {
        if (F->isKernel() || !F->getRoot())
          continue;
        ++Funcs;
        std::vector<const UOp *> Vars;
        for (const UOp *P : F->Params)
          if (P->getOp() == Op::DefineVar)
            Vars.push_back(P);
        const UOp *After = simplify(F->getRoot());
        std::string Name =
            llvm::sys::path::filename(File).str() + " @" + F->getName().str();
        expectSame(Name, F->getRoot(), After, Vars, [&] {
          Function Out(Function::Kind::Func, F->getName().str());
          Out.Params = F->Params;
          Out.setRoot(After);
          std::string S;
          llvm::raw_string_ostream OS(S);
          printFunction(Out, OS);
          return S;
        });
      }
    }
  }
  EXPECT_GT(Funcs, 300u) << "the lit tests must be found and parsed";
  EXPECT_GT(PointsChecked, 300000u);
}

//===----------------------------------------------------------------------===//
// Random expressions
//===----------------------------------------------------------------------===//

/// The generator's options for this test: two or three variables of one
/// type (or of mixed types) with ranges of at most 9 values placed where
/// signs and wrapping are interesting, strides as index arithmetic writes
/// them, and mostly small constant shift amounts.
RandomExprOptions symbolicOptions() {
  RandomExprOptions O;
  O.Types = {ScalarKind::Index, ScalarKind::I8, ScalarKind::U8,
             ScalarKind::I32};
  O.MinVariables = 2;
  O.MaxVariables = 3;
  O.MaxWidth = 8;
  O.WidePercent = 30;
  O.WideWidth = 40;
  O.SmallBound = 10;
  O.LowEdgePercent = 15;
  O.HighEdgePercent = 30;
  O.SmallConstant = 8;
  O.ExtremeConstantPercent = 10;
  O.StridePercent = 30;
  O.ConstantOperandPercent = 50;
  O.SmallShiftPercent = 80;
  O.SameTypeComparePercent = 70;
  return O;
}

class RandomSoundnessTest : public SoundnessTest {
protected:
  RandomExprGenerator Gen{Ctx, symbolicOptions(), 20240612};
};

/// The expression as one line, for a failure message.
std::string showExpr(const UOp *U) { return printExprInline(U); }

TEST_F(RandomSoundnessTest, RandomExpressionsKeepTheirValues) {
  unsigned Failures = 0, Changed = 0;
  for (int Trial = 0; Trial != 30000 && Failures < 10; ++Trial) {
    DType T = Gen.anyType();
    Gen.newVariables(T, Gen.chance(30));
    const UOp *Before = Gen.chance(20) ? Gen.genBool(T, 5) : Gen.gen(T, 5);
    const UOp *After = simplify(Before);
    Changed += After != Before;
    std::string Name =
        "expression " + std::to_string(Trial) + " " + showExpr(Before);
    if (!expectSame(Name, Before, After, collectVars(Before),
                    [&] { return showExpr(After); }))
      ++Failures;
  }
  EXPECT_GT(PointsChecked, 1000000u);
  EXPECT_GT(Changed, 15000u) << "most expressions must simplify";
}

} // namespace
