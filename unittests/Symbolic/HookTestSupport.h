//===- HookTestSupport.h - building and checking symbolic expressions -----===//
//
// A fixture for the hook tests: bounded index variables, builders, a rewrite
// with a rule set made of hooks, and a brute-force check that a rewrite kept
// the value of an expression at every point of its variables' ranges.
//
//===----------------------------------------------------------------------===//

#ifndef TG_UNITTESTS_SYMBOLIC_HOOKTESTSUPPORT_H
#define TG_UNITTESTS_SYMBOLIC_HOOKTESTSUPPORT_H

#include "tg/IR/Eval.h"
#include "tg/Rewrite/Declarative.h"
#include "tg/Rewrite/GraphRewrite.h"
#include "tg/Symbolic/Hooks.h"

#include "llvm/ADT/DenseMap.h"

#include "gtest/gtest.h"

#include <functional>
#include <vector>

namespace tg {

class HookTest : public ::testing::Test {
protected:
  Context Ctx;
  DType Index = Ctx.getScalar(ScalarKind::Index);
  DType Bool = Ctx.getScalar(ScalarKind::Bool);

  const UOp *var(llvm::StringRef Name, int64_t Min, int64_t Max) {
    return Ctx.get(Op::DefineVar, Index, {},
                   Ctx.getListArg({Ctx.getStringArg(Name), Ctx.getIntArg(Min),
                                   Ctx.getIntArg(Max)}));
  }
  const UOp *c(int64_t V) { return Ctx.getConst(Index, V); }
  const UOp *bin(Op O, const UOp *A, const UOp *B) {
    return Ctx.get(O, hasTrait(O, OpTrait::Comparison) ? Bool : A->getDType(),
                   {A, B});
  }
  const UOp *add(const UOp *A, const UOp *B) { return bin(Op::Add, A, B); }
  const UOp *sub(const UOp *A, const UOp *B) { return bin(Op::Sub, A, B); }
  const UOp *mul(const UOp *A, const UOp *B) { return bin(Op::Mul, A, B); }
  const UOp *div(const UOp *A, const UOp *B) { return bin(Op::FloorDiv, A, B); }
  const UOp *mod(const UOp *A, const UOp *B) { return bin(Op::FloorMod, A, B); }
  const UOp *lt(const UOp *A, const UOp *B) {
    return Ctx.get(Op::CmpLT, Bool, {A, B});
  }
  const UOp *ne(const UOp *A, const UOp *B) {
    return Ctx.get(Op::CmpNE, Bool, {A, B});
  }
  const UOp *eq(const UOp *A, const UOp *B) {
    return Ctx.get(Op::CmpEQ, Bool, {A, B});
  }
  const UOp *where(const UOp *C, const UOp *A, const UOp *B) {
    return Ctx.get(Op::Where, A->getDType(), {C, A, B});
  }

  /// Rewrites `U` to a fixed point of `Rules` with fresh analyses.
  const UOp *rewrite(const UOp *U, const RuleSet &Rules) {
    RewriteAnalyses Analyses;
    RewriteOptions Options;
    Options.State = &Analyses;
    llvm::Expected<const UOp *> Result = graphRewrite(Ctx, U, Rules, Options);
    if (!Result) {
      ADD_FAILURE() << llvm::toString(Result.takeError());
      return U;
    }
    return *Result;
  }

  /// The value of `U` with define_vars given by `Env`; nullopt where
  /// undefined.
  static std::optional<int64_t>
  evaluate(const UOp *U, const llvm::DenseMap<const UOp *, int64_t> &Env) {
    if (U->getOp() == Op::DefineVar)
      return Env.lookup(U);
    if (U->getOp() == Op::Const)
      return U->getArg()->getInt();
    llvm::SmallVector<ConstValue, 3> Operands;
    for (const UOp *Src : U->getSrcs()) {
      std::optional<int64_t> V = evaluate(Src, Env);
      if (!V)
        return std::nullopt;
      Operands.push_back(ConstValue::getInt(*V));
    }
    std::optional<ConstValue> R =
        evalAlu(U->getOp(), U->getDType().getScalarKind(),
                U->getSrc(0)->getDType().getScalarKind(), Operands);
    if (!R)
      return std::nullopt;
    return R->getInt();
  }

  /// The define_vars under `U`.
  static void collectVars(const UOp *U, std::vector<const UOp *> &Vars) {
    if (U->getOp() == Op::DefineVar) {
      if (!llvm::is_contained(Vars, U))
        Vars.push_back(U);
      return;
    }
    for (const UOp *Src : U->getSrcs())
      collectVars(Src, Vars);
  }

  /// Checks that `Before` and `After` agree at every point of the ranges of
  /// `Before`'s variables (where `Before` is defined).
  void expectEquivalent(const UOp *Before, const UOp *After) {
    std::vector<const UOp *> Vars;
    collectVars(Before, Vars);
    llvm::DenseMap<const UOp *, int64_t> Env;
    std::function<void(size_t)> Visit = [&](size_t I) {
      if (I == Vars.size()) {
        std::optional<int64_t> B = evaluate(Before, Env);
        if (!B)
          return;
        std::optional<int64_t> A = evaluate(After, Env);
        ASSERT_TRUE(A.has_value());
        ASSERT_EQ(*A, *B);
        return;
      }
      llvm::ArrayRef<const Arg *> Fields = Vars[I]->getArg()->getElements();
      for (int64_t V = Fields[1]->getInt(); V <= Fields[2]->getInt(); ++V) {
        Env[Vars[I]] = V;
        Visit(I + 1);
      }
    };
    Visit(0);
  }
};

/// A rule set of hooks, each tried on every root op (the hooks choose).
inline RuleSet makeHookSet(
    std::initializer_list<std::pair<const char *, RewriteAction>> Hooks) {
  RuleSet Set("hooks");
  for (auto [Name, Hook] : Hooks)
    Set.add(Rule(Name, pattern::any(), Hook));
  return Set;
}

} // namespace tg

#endif // TG_UNITTESTS_SYMBOLIC_HOOKTESTSUPPORT_H
