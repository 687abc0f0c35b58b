//===- Passes.cpp - symbolic-simple, symbolic, symbolic-stage -------------===//

#include "tg/Symbolic/Passes.h"

#include "tg/Pass/PassRegistry.h"
#include "tg/Rewrite/Declarative.h"
#include "tg/Rewrite/GraphRewrite.h"
#include "tg/Rewrite/RuleSetRegistry.h"

#include <string>

using namespace tg;

SymbolicPassOptions &tg::getSymbolicPassOptions() {
  static SymbolicPassOptions Options;
  return Options;
}

namespace {

/// Runs the rule set named like the pass over each function's root.
class SymbolicPass : public FunctionPass {
public:
  SymbolicPass(llvm::StringRef Name, llvm::StringRef Description)
      : Name(Name), Description(Description) {}

  llvm::StringRef getArgument() const override { return Name; }
  llvm::StringRef getDescription() const override { return Description; }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::z3();
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override;

private:
  Statistic NumRewritten{*this, "num-rewritten",
                         "Functions whose root changed"};
  std::string Name;
  std::string Description;
};

} // namespace

LogicalResult SymbolicPass::runOnFunction(Function &F, PassContext &C) {
  const RuleSet *Rules = RuleSetRegistry::get().lookup(Name);
  if (!Rules)
    return C.getDiag().error(F.getLoc(), "no rule set named '" + Name + "'");
  if (!F.getRoot())
    return success();
  const SymbolicPassOptions &Opts = getSymbolicPassOptions();
  RewriteAnalyses Analyses;
  RewriteOptions Options;
  Options.State = &Analyses;
  Options.Statistics = Opts.Statistics;
  Options.Tracer = Opts.Tracer;
  llvm::Expected<const UOp *> Result =
      graphRewrite(C.getContext(), F.getRoot(), *Rules, Options);
  if (!Result)
    return C.getDiag().error(
        F.getLoc(),
        "'" + Name + "' failed: " + llvm::toString(Result.takeError()));
  if (*Result != F.getRoot()) {
    ++NumRewritten;
    F.setRoot(*Result);
  }
  return success();
}

void tg::registerSymbolicPasses() {
  static const bool Registered = [] {
    registerSymbolicRuleSets();
    struct Entry {
      const char *Name;
      const char *Description;
    };
    for (Entry E :
         {Entry{"symbolic-simple",
                "Constant folding and identities (rule set symbolic-simple)"},
          Entry{"symbolic", "The full symbolic simplifier: sums, div/mod, "
                            "comparisons, gates (rule set symbolic)"},
          Entry{"symbolic-stage",
                "The simplifier run between codegen stages (rule set "
                "symbolic-stage)"}})
      registerPass([E] {
        return std::make_unique<SymbolicPass>(E.Name, E.Description);
      });
    return true;
  }();
  (void)Registered;
}
