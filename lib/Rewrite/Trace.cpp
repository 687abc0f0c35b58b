//===- Trace.cpp - rewrite statistics, tracing, one-line expressions ------===//

#include "tg/Rewrite/Trace.h"

#include "tg/IR/Printer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"

using namespace tg;
using llvm::raw_ostream;

//===----------------------------------------------------------------------===//
// Statistics
//===----------------------------------------------------------------------===//

RuleSetStatistics &RewriteStatistics::getOrCreate(const RuleSet &S) {
  for (const std::unique_ptr<RuleSetStatistics> &R : Records)
    if (R->Set == &S)
      return *R;
  Records.push_back(std::make_unique<RuleSetStatistics>());
  RuleSetStatistics &R = *Records.back();
  R.Set = &S;
  R.Rules.resize(S.getRules().size());
  return R;
}

const RuleSetStatistics *RewriteStatistics::lookup(const RuleSet &S) const {
  for (const std::unique_ptr<RuleSetStatistics> &R : Records)
    if (R->Set == &S)
      return R.get();
  return nullptr;
}

uint64_t RewriteStatistics::getFired(const RuleSet &S,
                                     llvm::StringRef RuleName) const {
  const RuleSetStatistics *R = lookup(S);
  if (!R)
    return 0;
  uint64_t Fired = 0;
  for (unsigned I = 0; I != R->Rules.size(); ++I)
    if (S.getRule(I).getName() == RuleName)
      Fired += R->Rules[I].Fired;
  return Fired;
}

void RewriteStatistics::print(raw_ostream &OS) const {
  for (const std::unique_ptr<RuleSetStatistics> &R : Records) {
    OS << "rule set '" << R->Set->getName() << "': " << R->Runs << " runs, "
       << R->NodesVisited << " UOps visited, " << R->Rewrites << " rewrites";
    if (Timing)
      OS << llvm::format(", %.3f ms", R->Seconds * 1e3);
    OS << '\n';
    OS << "       fired        tried  rule\n";
    for (unsigned I = 0; I != R->Rules.size(); ++I) {
      const RuleCounts &C = R->Rules[I];
      if (C.Tried == 0)
        continue;
      OS << llvm::format("%12llu %12llu  ", (unsigned long long)C.Fired,
                         (unsigned long long)C.Tried)
         << R->Set->getRule(I).getName() << '\n';
    }
  }
}

//===----------------------------------------------------------------------===//
// Tracing
//===----------------------------------------------------------------------===//

void tg::printRewriteEvent(raw_ostream &OS, const RewriteEvent &E,
                           unsigned MaxDepth) {
  OS << '[' << E.Set.getName() << "] " << E.TheRule.getName() << ": ";
  printExpression(OS, E.Before, MaxDepth);
  OS << " -> ";
  printExpression(OS, E.After, MaxDepth);
  OS << '\n';
}

RewriteTracer tg::makeStreamTracer(raw_ostream &OS, unsigned MaxDepth) {
  return [&OS, MaxDepth](const RewriteEvent &E) {
    printRewriteEvent(OS, E, MaxDepth);
  };
}

//===----------------------------------------------------------------------===//
// One-line expressions
//===----------------------------------------------------------------------===//

/// Recurses at most `Depth` levels: the printer bounds the depth itself.
static void printExpressionAt(raw_ostream &OS, const UOp *U, unsigned Depth) {
  const OpInfo &Info = U->getInfo();
  ScalarKind Scalar = U->getDType().getScalarKind();
  if (U->getOp() == Op::Const && U->getArg()) {
    printArgValue(*U->getArg(), ArgType::Const, Scalar, OS);
    return;
  }
  if (U->getOp() == Op::DefineVar && U->getArg()) {
    OS << '%' << U->getArgField(0)->getString();
    return;
  }
  OS << Info.Mnemonic;
  if (U->getNumSrcs() != 0) {
    OS << '(';
    if (Depth == 0)
      OS << "...";
    else
      llvm::interleaveComma(U->getSrcs(), OS, [&](const UOp *Src) {
        printExpressionAt(OS, Src, Depth - 1);
      });
    OS << ')';
  }
  llvm::ArrayRef<ArgFieldInfo> Fields = Info.getArgFields();
  if (Fields.empty() || !U->getArg())
    return;
  OS << '{';
  for (unsigned I = 0; I != Fields.size(); ++I) {
    if (I != 0)
      OS << ", ";
    printArgValue(*U->getArgField(I), Fields[I].Type, Scalar, OS);
  }
  OS << '}';
}

void tg::printExpression(raw_ostream &OS, const UOp *U, unsigned MaxDepth) {
  printExpressionAt(OS, U, MaxDepth);
}

std::string tg::expressionToString(const UOp *U, unsigned MaxDepth) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  printExpression(OS, U, MaxDepth);
  return S;
}
