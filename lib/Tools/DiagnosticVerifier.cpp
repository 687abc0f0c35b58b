//===- DiagnosticVerifier.cpp ---------------------------------------------===//

#include "DiagnosticVerifier.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Regex.h"

using namespace tg;

static llvm::StringRef getSeverityName(DiagnosticSeverity Severity) {
  switch (Severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  llvm_unreachable("unknown severity");
}

static DiagnosticSeverity parseSeverity(llvm::StringRef Name) {
  if (Name == "warning")
    return DiagnosticSeverity::Warning;
  if (Name == "note")
    return DiagnosticSeverity::Note;
  if (Name == "remark")
    return DiagnosticSeverity::Remark;
  return DiagnosticSeverity::Error;
}

DiagnosticVerifier::DiagnosticVerifier(llvm::SourceMgr &SM, unsigned BufferID,
                                       llvm::raw_ostream &Errs)
    : SM(SM), BufferID(BufferID), Errs(Errs) {
  parseExpectations();
}

void DiagnosticVerifier::report(llvm::SMLoc Loc, const llvm::Twine &Message) {
  SM.PrintMessage(Errs, Loc, llvm::SourceMgr::DK_Error, Message);
  Failed = true;
}

void DiagnosticVerifier::parseExpectations() {
  // expected-<severity>[@<offset>] {{<message>}}; the message runs to the
  // last `}}` on the line.
  static const llvm::Regex Directive(
      "expected-(error|warning|note|remark)(@([+-][0-9]+|above|below))? *"
      "\\{\\{(.*)\\}\\}");
  llvm::StringRef Text = SM.getMemoryBuffer(BufferID)->getBuffer();
  unsigned Line = 0;
  while (!Text.empty()) {
    ++Line;
    auto [LineText, Rest] = Text.split('\n');
    Text = Rest;
    size_t At = LineText.find("expected-");
    if (At == llvm::StringRef::npos)
      continue;
    llvm::StringRef Candidate = LineText.substr(At);
    llvm::SMLoc Loc = llvm::SMLoc::getFromPointer(Candidate.data());
    llvm::SmallVector<llvm::StringRef, 5> Groups;
    if (!Directive.match(Candidate, &Groups)) {
      if (llvm::Regex("^expected-(error|warning|note|remark)").match(Candidate))
        report(Loc, "malformed expectation: expected "
                    "`expected-<severity>[@<offset>] {{message}}`");
      continue;
    }
    Expectation E{parseSeverity(Groups[1]), Line, Groups[4].str(), Loc};
    llvm::StringRef Offset = Groups[3];
    int Delta = 0;
    if (Offset == "above")
      Delta = -1;
    else if (Offset == "below")
      Delta = 1;
    else if (Offset.consume_front("+") || Offset.starts_with("-"))
      Offset.getAsInteger(10, Delta);
    if (int(Line) + Delta < 1) {
      report(Loc, "expectation points before the first line");
      continue;
    }
    E.Line = unsigned(int(Line) + Delta);
    Expectations.push_back(std::move(E));
  }
}

void DiagnosticVerifier::handle(const Diagnostic &D) {
  unsigned Line = 0;
  if (D.Loc.isValid() && SM.FindBufferContainingLoc(D.Loc) == BufferID)
    Line = SM.getLineAndColumn(D.Loc, BufferID).first;
  // Prefer an expectation not yet produced; one already produced absorbs a
  // repeated diagnostic, as in mlir-opt.
  Expectation *Match = nullptr;
  for (Expectation &E : Expectations) {
    if (E.Line != Line || E.Severity != D.Severity ||
        !llvm::StringRef(D.Message).contains(E.Message))
      continue;
    if (!Match || (Match->Produced && !E.Produced))
      Match = &E;
  }
  if (Match) {
    Match->Produced = true;
    return;
  }
  report(D.Loc, "unexpected " + getSeverityName(D.Severity) + ": " + D.Message);
}

LogicalResult DiagnosticVerifier::verify() {
  for (const Expectation &E : Expectations)
    if (!E.Produced)
      report(E.Loc, "expected " + getSeverityName(E.Severity) + " \"" +
                        E.Message + "\" was not produced");
  return failure(Failed);
}
