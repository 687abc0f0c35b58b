//===- PrintStats.cpp - the `print-stats` pass ----------------------------===//
//
// Prints, for each function, how many UOps of each op it holds (parameters
// included), in op order, and their total, to stderr:
//
//   kernel @add_one
//     define     2
//     ...
//     total     11
//
// With `json=true` the same numbers as one JSON document. This file is built
// with exceptions for nlohmann_json; dump() replaces bad UTF-8 instead of
// throwing, and nothing else here can throw.
//
//===----------------------------------------------------------------------===//

#include "tg/Pass/Passes.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <array>

using namespace tg;

namespace {

using OpCounts = std::array<uint64_t, NumOps>;

struct PrintStatsPass : Pass {
  Option<bool> Json{*this, "json", "Print JSON instead of text", false};

  llvm::StringRef getArgument() const override { return "print-stats"; }
  llvm::StringRef getDescription() const override {
    return "Print the number of UOps per op of each function to stderr";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt("does not change the IR");
  }
  LogicalResult run(Module &M, PassContext &C) override;
};

} // namespace

static OpCounts countOps(const Function &F) {
  OpCounts Counts{};
  for (const UOp *U : F.Params)
    ++Counts[unsigned(U->getOp())];
  for (const UOp *U : F.getBody())
    ++Counts[unsigned(U->getOp())];
  return Counts;
}

static uint64_t getTotal(const OpCounts &Counts) {
  uint64_t Total = 0;
  for (uint64_t N : Counts)
    Total += N;
  return Total;
}

static llvm::StringRef getKindName(const Function &F) {
  return F.isKernel() ? "kernel" : "func";
}

static void printText(const Module &M, llvm::raw_ostream &OS) {
  for (const std::unique_ptr<Function> &F : M.Functions) {
    OpCounts Counts = countOps(*F);
    OS << getKindName(*F) << " @" << F->getName() << "\n";
    for (unsigned I = 0; I < NumOps; ++I)
      if (Counts[I])
        OS << llvm::formatv("  {0,-12} {1,6}\n", getMnemonic(Op(I)), Counts[I]);
    OS << llvm::formatv("  {0,-12} {1,6}\n", "total", getTotal(Counts));
  }
}

static void printJson(const Module &M, llvm::raw_ostream &OS) {
  nlohmann::ordered_json Functions = nlohmann::ordered_json::array();
  for (const std::unique_ptr<Function> &F : M.Functions) {
    OpCounts Counts = countOps(*F);
    nlohmann::ordered_json Ops = nlohmann::ordered_json::object();
    for (unsigned I = 0; I < NumOps; ++I)
      if (Counts[I])
        Ops[getMnemonic(Op(I)).str()] = Counts[I];
    Functions.push_back({{"name", F->getName().str()},
                         {"kind", getKindName(*F).str()},
                         {"ops", std::move(Ops)},
                         {"total", getTotal(Counts)}});
  }
  nlohmann::ordered_json Document = {{"functions", std::move(Functions)}};
  OS << Document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
     << "\n";
}

LogicalResult PrintStatsPass::run(Module &M, PassContext &) {
  llvm::raw_ostream &OS = llvm::errs();
  if (Json)
    printJson(M, OS);
  else
    printText(M, OS);
  OS.flush();
  return success();
}

std::unique_ptr<Pass> tg::createPrintStatsPass() {
  return std::make_unique<PrintStatsPass>();
}
