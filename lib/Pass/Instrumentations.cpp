//===- Instrumentations.cpp - print-ir, verify-each, timing ---------------===//

#include "tg/Pass/Instrumentations.h"
#include "tg/IR/Printer.h"
#include "tg/IR/Verifier.h"

#include "llvm/Support/Format.h"

using namespace tg;

LogicalResult PrintIRInstrumentation::runAfterPass(Pass &P, Module &M,
                                                   PassContext &) {
  if (!ShouldPrint(P))
    return success();
  OS << "// -----// IR Dump After " << P.getArgument() << " //----- //\n";
  printModule(M, OS);
  OS.flush();
  return success();
}

LogicalResult VerifyEachInstrumentation::runAfterPass(Pass &P, Module &M,
                                                      PassContext &C) {
  if (succeeded(verifyModule(M, C.getDiag())))
    return success();
  return C.getDiag().error(llvm::SMLoc(), "the IR is invalid after pass '" +
                                              P.getArgument() + "'");
}

PassTiming::Scope::Scope(PassTiming *Timing, llvm::StringRef Name)
    : Timing(Timing), Name(Name), Start(Clock::now()) {}

PassTiming::Scope::~Scope() {
  if (Timing)
    Timing->record(Name,
                   std::chrono::duration<double>(Clock::now() - Start).count());
}

void PassTiming::runBeforePass(Pass &, Module &, PassContext &) {
  PassStart = Clock::now();
}

LogicalResult PassTiming::runAfterPass(Pass &P, Module &, PassContext &) {
  stopPass(P);
  return success();
}

void PassTiming::runAfterPassFailed(Pass &P, Module &, PassContext &) {
  stopPass(P);
}

void PassTiming::stopPass(const Pass &P) {
  record(P.getArgument(),
         std::chrono::duration<double>(Clock::now() - PassStart).count());
}

void PassTiming::record(llvm::StringRef Name, double Seconds) {
  auto [It, Inserted] = RowIndex.try_emplace(Name, Rows.size());
  if (Inserted)
    Rows.push_back({Name.str(), 0.0});
  Rows[It->second].second += Seconds;
}

void PassTiming::print(llvm::raw_ostream &OS) const {
  double Total = std::chrono::duration<double>(Clock::now() - Start).count();
  double Timed = 0;
  for (const auto &Row : Rows)
    Timed += Row.second;
  auto PrintRow = [&](llvm::StringRef Name, double Seconds) {
    double Percent = Total > 0 ? 100 * Seconds / Total : 0;
    OS << llvm::format("  %10.4f (%5.1f%%)  ", Seconds, Percent) << Name
       << "\n";
  };
  OS << "===" << std::string(73, '-') << "===\n"
     << "                      ... Execution time report ...\n"
     << "===" << std::string(73, '-') << "===\n"
     << llvm::format("  Total Execution Time: %.4f seconds\n\n", Total)
     << "   ----Wall Time----  ----Name----\n";
  for (const auto &[Name, Seconds] : Rows)
    PrintRow(Name, Seconds);
  PrintRow("Rest", std::max(0.0, Total - Timed));
  PrintRow("Total", Total);
  OS.flush();
}
