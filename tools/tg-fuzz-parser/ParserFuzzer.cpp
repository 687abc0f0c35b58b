//===- ParserFuzzer.cpp - libFuzzer target for the text form --------------===//
//
// Feeds arbitrary bytes to the parser. Any input must give a module or a
// diagnostic, never a crash, hang, leak or undefined behaviour (the target is
// built with ASan and UBSan). For inputs that parse, it also checks the
// printer: verify must not crash, and printing is a fixed point of
// parse-then-print.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Parser.h"
#include "tg/IR/Printer.h"
#include "tg/IR/Verifier.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>

using namespace tg;

namespace {

/// Parses `Text` in a fresh context; returns the printed module or nothing.
std::optional<std::string> parseAndPrint(llvm::StringRef Text, bool Verify) {
  llvm::SourceMgr SM;
  unsigned ID = SM.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(Text, "fuzz.tg"), llvm::SMLoc());
  DiagnosticEngine Diag(SM);
  Diag.setHandler([](const Diagnostic &) {});
  Context Ctx;
  std::unique_ptr<Module> M = parseModule(ID, Ctx, Diag);
  if (!M)
    return std::nullopt;
  if (Verify)
    (void)verifyModule(*M, Diag);
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  printModule(*M, OS);
  return Out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  std::optional<std::string> First = parseAndPrint(Text, /*Verify=*/true);
  if (!First)
    return 0;
  std::optional<std::string> Second = parseAndPrint(*First, /*Verify=*/false);
  if (Second && *Second == *First)
    return 0;
  std::fprintf(stderr, "printed module does not %s:\n%s\n",
               Second ? "print back the same" : "parse again", First->c_str());
  std::abort();
}
