//===- DiagnosticVerifier.h - --verify-diagnostics --------------*- C++ -*-===//
//
// Checks the diagnostics a tool emits about a buffer against the
// expectations written in it, as mlir-opt does:
//
//   %x = bad(%y) : f32  // expected-error {{unknown op}}
//   // expected-warning@+1 {{...}}   (also @-N, @above, @below)
//
// Every diagnostic must match an expectation of its severity on its line
// (the expected text is a substring of the message), and every expectation
// must be produced. Mismatches are reported as errors with locations.
//
//===----------------------------------------------------------------------===//

#ifndef TG_TOOLS_DIAGNOSTICVERIFIER_H
#define TG_TOOLS_DIAGNOSTICVERIFIER_H

#include "tg/Support/Diagnostics.h"

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace tg {

class DiagnosticVerifier {
public:
  /// Reads the expectations of buffer `BufferID`; malformed ones are
  /// reported (to `Errs`) when verify() runs.
  DiagnosticVerifier(llvm::SourceMgr &SM, unsigned BufferID,
                     llvm::raw_ostream &Errs);

  /// For DiagnosticEngine::setHandler: matches `D` or reports it as
  /// unexpected.
  void handle(const Diagnostic &D);

  /// Reports the expectations no diagnostic produced; fails if anything did
  /// not match (an unexpected or malformed one included).
  LogicalResult verify();

private:
  struct Expectation {
    DiagnosticSeverity Severity;
    unsigned Line;
    std::string Message;
    llvm::SMLoc Loc; ///< Of the `expected-...` text.
    bool Produced = false;
  };

  void parseExpectations();
  void report(llvm::SMLoc Loc, const llvm::Twine &Message);

  llvm::SourceMgr &SM;
  unsigned BufferID;
  llvm::raw_ostream &Errs;
  std::vector<Expectation> Expectations;
  bool Failed = false;
};

} // namespace tg

#endif // TG_TOOLS_DIAGNOSTICVERIFIER_H
