//===- PassPipeline.cpp - the textual pass pipeline -----------------------===//
//
//   pipeline := (pass (',' pass)*)?
//   pass     := name ('{' (key '=' value)* '}')?
//   value    := '"' any but '"' '"' | chars other than space ',' '{' '}' '"'
//
// with spaces allowed between any two tokens.
//
//===----------------------------------------------------------------------===//

#include "tg/Pass/PassManager.h"
#include "tg/Pass/PassRegistry.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace tg;

namespace {

class PipelineParser {
public:
  PipelineParser(llvm::StringRef Pipeline, llvm::raw_ostream &Errs)
      : Errs(Errs) {
    SM.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(Pipeline, "pass-pipeline"),
        llvm::SMLoc());
    Text = SM.getMemoryBuffer(1)->getBuffer();
  }

  LogicalResult parse(PassManager &PM);

private:
  LogicalResult parsePass(PassManager &PM);
  LogicalResult parseOptions(Pass &P);
  LogicalResult parseOption(Pass &P);
  /// A pass or option name: letters, digits, `-`, `_`, `.`.
  llvm::StringRef lexName();
  /// The value of `key=value`; fails on an unterminated quote.
  LogicalResult lexValue(llvm::StringRef &Value);

  void skipSpaces() {
    while (Pos < Text.size() && llvm::isSpace(Text[Pos]))
      ++Pos;
  }
  bool consume(char C) {
    skipSpaces();
    if (Pos >= Text.size() || Text[Pos] != C)
      return false;
    ++Pos;
    return true;
  }
  llvm::SMLoc locAt(size_t At) const {
    return llvm::SMLoc::getFromPointer(Text.data() + At);
  }
  LogicalResult error(size_t At, const llvm::Twine &Message) {
    SM.PrintMessage(Errs, locAt(At), llvm::SourceMgr::DK_Error, Message);
    return failure();
  }

  llvm::SourceMgr SM;
  llvm::raw_ostream &Errs;
  llvm::StringRef Text;
  size_t Pos = 0;
};

} // namespace

static bool isNameChar(char C) {
  return llvm::isAlnum(C) || C == '-' || C == '_' || C == '.';
}

llvm::StringRef PipelineParser::lexName() {
  skipSpaces();
  size_t Begin = Pos;
  while (Pos < Text.size() && isNameChar(Text[Pos]))
    ++Pos;
  return Text.slice(Begin, Pos);
}

LogicalResult PipelineParser::lexValue(llvm::StringRef &Value) {
  skipSpaces();
  size_t Begin = Pos;
  if (Pos < Text.size() && Text[Pos] == '"') {
    size_t Close = Text.find('"', Pos + 1);
    if (Close == llvm::StringRef::npos)
      return error(Begin, "unterminated quoted value");
    Value = Text.slice(Pos + 1, Close);
    Pos = Close + 1;
    return success();
  }
  while (Pos < Text.size() && !llvm::isSpace(Text[Pos]) &&
         !llvm::StringRef(",{}\"").contains(Text[Pos]))
    ++Pos;
  Value = Text.slice(Begin, Pos);
  return success();
}

LogicalResult PipelineParser::parse(PassManager &PM) {
  skipSpaces();
  if (Pos == Text.size())
    return success();
  do {
    if (failed(parsePass(PM)))
      return failure();
  } while (consume(','));
  skipSpaces();
  if (Pos != Text.size())
    return error(Pos, "expected ',' or the end of the pipeline");
  return success();
}

LogicalResult PipelineParser::parsePass(PassManager &PM) {
  llvm::StringRef Name = lexName();
  size_t NameBegin = Pos - Name.size();
  if (Name.empty())
    return error(Pos, "expected a pass name");
  const PassInfo *Info = lookupPass(Name);
  if (!Info)
    return error(NameBegin, getUnknownPassMessage(Name));
  std::unique_ptr<Pass> P = Info->Factory();
  if (consume('{') && failed(parseOptions(*P)))
    return failure();
  PM.addPass(std::move(P));
  return success();
}

LogicalResult PipelineParser::parseOptions(Pass &P) {
  while (!consume('}')) {
    if (Pos == Text.size())
      return error(Pos, "expected '}' to close the options of pass '" +
                            P.getArgument() + "'");
    if (failed(parseOption(P)))
      return failure();
  }
  return success();
}

/// "(options: a, b)" or "(it has no options)".
static std::string describeOptions(const Pass &P) {
  if (P.getOptions().empty())
    return "(it has no options)";
  std::string Names;
  for (const PassOptionBase *O : P.getOptions())
    Names += (Names.empty() ? "" : ", ") + O->getName().str();
  return "(options: " + Names + ")";
}

LogicalResult PipelineParser::parseOption(Pass &P) {
  llvm::StringRef Key = lexName();
  size_t KeyBegin = Pos - Key.size();
  if (Key.empty())
    return error(Pos, "expected an option name or '}'");
  PassOptionBase *O = P.lookupOption(Key);
  if (!O)
    return error(KeyBegin, "pass '" + P.getArgument() + "' has no option '" +
                               Key + "' " + describeOptions(P));
  if (!consume('='))
    return error(Pos, "expected '=' after option '" + Key + "'");
  skipSpaces();
  size_t ValueBegin = Pos;
  llvm::StringRef Value;
  if (failed(lexValue(Value)))
    return failure();
  if (!O->parse(Value))
    return error(ValueBegin, "invalid value '" + Value + "' for option '" +
                                 Key + "' of pass '" + P.getArgument() +
                                 "': expected " + O->getExpectedForm());
  return success();
}

LogicalResult tg::parsePassPipeline(llvm::StringRef Pipeline, PassManager &PM,
                                    llvm::raw_ostream &Errs) {
  return PipelineParser(Pipeline, Errs).parse(PM);
}
