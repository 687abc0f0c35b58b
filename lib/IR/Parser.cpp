//===- Parser.cpp - the text form to a Module -----------------------------===//
//
// A recursive-descent parser over the tokens of Lexer.h, one method per rule
// of the grammar in docs/LangRef.md. Each line is parsed, typed and interned
// in the Context before the next one starts, and the parser stops at the
// first error.
//
// What an op looks like comes from the tables of td/UOps.td (argument
// fields, InlineArg); the only ops named here are those the syntax itself
// stands for: `define` and `define_var` (parameters) and `sink` (a kernel's
// root). Operand counts and types are the verifier's business.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Parser.h"

#include "Lexer.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/CachedHashString.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>

using namespace tg;
using llvm::SMLoc;
using llvm::StringRef;
using llvm::Twine;

namespace {

/// Types nest only through `ptr<ptr<...>>`; deeper than this is not a type
/// anyone means, and the limit keeps the recursion bounded on hostile input.
constexpr unsigned MaxTypeDepth = 32;

/// A constant as written. It becomes an Arg only once the line's type, which
/// comes last, is known: `300` is fine for i32 but not for u8.
struct ConstLiteral {
  enum class Kind : uint8_t {
    Integer,
    Float,
    True,
    False,
    Inf,
    NegInf,
    NaN,
    NaNPayload,
  };
  Kind TheKind;
  /// The literal; for NaNPayload the payload integer, for NegInf the `-`.
  Token Tok;
};

/// One argument field of the line being parsed.
struct FieldSlot {
  bool Present = false;
  const Arg *Value = nullptr; ///< Set at once, or after the type (constants).
  unsigned FirstLiteral = 0, NumLiterals = 0; ///< Const and ConstList.
};

/// What the parser knows about the function being parsed.
struct FunctionScope {
  explicit FunctionScope(Function &F) : F(F) {}
  Function &F;
  /// Written names (without `%`, pointing into the buffer) to their UOps;
  /// null while the line defining the name is being parsed. The cached hash
  /// spares most string compares in large functions.
  llvm::DenseMap<llvm::CachedHashStringRef, const UOp *> Values;
  std::vector<const UOp *> Body;
  unsigned NumBufferParams = 0;
};

/// Sign and magnitude of an Integer token; false if the magnitude needs more
/// than 64 bits.
bool getIntegerValue(const Token &T, bool &Negative, uint64_t &Magnitude) {
  StringRef Text = T.Spelling;
  Negative = Text.consume_front("-");
  unsigned Radix = 10;
  if (Text.consume_front("0x") || Text.consume_front("0X"))
    Radix = 16;
  // getAsInteger fails on overflow; radix 10 keeps `010` decimal.
  return !Text.getAsInteger(Radix, Magnitude);
}

/// The literal as a value of a `Bits`-wide integer (the bit pattern for
/// unsigned 64-bit values), if it fits.
std::optional<int64_t> fitInteger(const Token &T, unsigned Bits, bool Signed) {
  bool Negative;
  uint64_t Magnitude;
  if (!getIntegerValue(T, Negative, Magnitude))
    return std::nullopt;
  if (!Signed) {
    if ((Negative && Magnitude != 0) || Magnitude > llvm::maxUIntN(Bits))
      return std::nullopt;
    return int64_t(Magnitude);
  }
  uint64_t Limit = uint64_t(llvm::maxIntN(Bits)) + (Negative ? 1 : 0);
  if (Magnitude > Limit)
    return std::nullopt;
  return Negative ? int64_t(0 - Magnitude) : int64_t(Magnitude);
}

StringRef getSpelling(Token::Kind K) {
  switch (K) {
  case Token::LParen:
    return "(";
  case Token::RParen:
    return ")";
  case Token::LSquare:
    return "[";
  case Token::RSquare:
    return "]";
  case Token::LBrace:
    return "{";
  case Token::RBrace:
    return "}";
  case Token::Greater:
    return ">";
  default:
    return "?";
  }
}

class Parser {
public:
  Parser(StringRef Buffer, Context &Ctx, DiagnosticEngine &Diag)
      : Lex(Buffer), Ctx(Ctx), Diag(Diag) {
    consume();
  }

  LogicalResult parseModule(Module &Mod);
  /// A type and nothing after it (parseType's entry point).
  LogicalResult parseWholeType(DType &Result);

private:
  //--- Tokens ---------------------------------------------------------------//
  void consume() { Tok = Lex.lex(); }
  bool consumeIf(Token::Kind K) {
    if (!Tok.is(K))
      return false;
    consume();
    return true;
  }
  LogicalResult expect(Token::Kind K, const Twine &Message) {
    if (consumeIf(K))
      return success();
    return emitError(Message);
  }
  /// Reports an error at the current token; a malformed token reports what
  /// the lexer found wrong instead.
  LogicalResult emitError(const Twine &Message) {
    return emitError(Tok.getLoc(), Message);
  }
  LogicalResult emitError(SMLoc Loc, const Twine &Message) {
    if (Tok.is(Token::Error) && Loc == Tok.getLoc())
      return Diag.error(Loc, Lex.getErrorMessage());
    return Diag.error(Loc, Message);
  }
  /// `element (, element)* Close`, or just `Close`; the opening bracket is
  /// already consumed. `What` names the list in messages.
  LogicalResult parseCommaList(Token::Kind Close, StringRef What,
                               llvm::function_ref<LogicalResult()> Element);

  //--- Module items ---------------------------------------------------------//
  LogicalResult parseItem();
  LogicalResult parseSymbolDefinition(StringRef &Name);
  LogicalResult parseBuffer();
  LogicalResult parseFunction(Function::Kind K);
  LogicalResult parseMain();
  LogicalResult parseCall(Schedule &S);
  LogicalResult parseCallArg(Call &C);

  //--- Functions ------------------------------------------------------------//
  LogicalResult parseParam(FunctionScope &S);
  LogicalResult parseAttributes(Function &F);
  LogicalResult parseKernelBody(FunctionScope &S, const UOp *&Root);
  LogicalResult parseFuncBody(FunctionScope &S, const UOp *&Root);
  LogicalResult parseLine(FunctionScope &S, const UOp *&Result, SMLoc &Loc);
  LogicalResult parseOpBody(FunctionScope &S, Op O, SMLoc OpLoc,
                            const UOp *&Result);
  LogicalResult parseOperand(FunctionScope &S);
  LogicalResult parseArgField(Op O);
  LogicalResult parseFieldValue(ArgType Type, FieldSlot &Slot);
  LogicalResult buildArg(const OpInfo &Info, DType Type, const Arg *&Result);
  LogicalResult declareValue(FunctionScope &S, const UOp **&Slot);
  LogicalResult lookupValue(FunctionScope &S, const UOp *&Result);

  //--- Types ----------------------------------------------------------------//
  LogicalResult parseType(DType &Result, unsigned Depth = 0);
  LogicalResult parseVectorType(DType &Result);
  LogicalResult parsePointerType(DType &Result, unsigned Depth);
  LogicalResult parseImageType(DType &Result);
  LogicalResult parseScalarType(DType &Result);
  LogicalResult parseBoundedInt(int64_t &Result, int64_t Min, StringRef What);

  //--- Argument values ------------------------------------------------------//
  LogicalResult parseArg(ArgType Type, const Arg *&Result);
  LogicalResult parseInt(int64_t &Result);
  LogicalResult parseIntArg(const Arg *&Result);
  LogicalResult parseAxisKindArg(const Arg *&Result);
  LogicalResult parseOpArg(const Arg *&Result);
  LogicalResult parseIntList(const Arg *&Result);
  LogicalResult parseIntPairList(const Arg *&Result);
  LogicalResult parseOptList(const Arg *&Result);
  LogicalResult parseOpt(const Arg *&Result);
  LogicalResult parseConstLiteral();
  LogicalResult parseNaNLiteral();
  LogicalResult convertConst(const ConstLiteral &L, DType Type,
                             const Arg *&Result);
  LogicalResult convertBoolConst(const ConstLiteral &L, const Arg *&Result);
  LogicalResult convertIntConst(const ConstLiteral &L, ScalarKind K,
                                const Arg *&Result);
  LogicalResult convertFloatConst(const ConstLiteral &L, ScalarKind K,
                                  const Arg *&Result);
  LogicalResult convertNaNPayload(const ConstLiteral &L, ScalarKind K,
                                  llvm::APFloat &Result);

  Lexer Lex;
  Token Tok;
  Context &Ctx;
  DiagnosticEngine &Diag;
  Module *M = nullptr;
  /// Functions and buffers share one namespace of `@` names.
  llvm::DenseSet<StringRef> Symbols;
  // Scratch space of the line being parsed, kept to reuse its storage.
  llvm::SmallVector<const UOp *, 8> Operands;
  llvm::SmallVector<FieldSlot, 4> Fields;
  llvm::SmallVector<ConstLiteral, 8> Literals;
  llvm::SmallString<64> StringValue;
};

} // namespace

LogicalResult
Parser::parseCommaList(Token::Kind Close, StringRef What,
                       llvm::function_ref<LogicalResult()> Element) {
  if (consumeIf(Close))
    return success();
  while (true) {
    if (failed(Element()))
      return failure();
    if (consumeIf(Close))
      return success();
    if (!consumeIf(Token::Comma))
      return emitError("expected ',' or '" + getSpelling(Close) + "' in " +
                       What);
  }
}

//===----------------------------------------------------------------------===//
// Module items
//===----------------------------------------------------------------------===//

LogicalResult Parser::parseModule(Module &Mod) {
  M = &Mod;
  while (!Tok.is(Token::Eof))
    if (failed(parseItem()))
      return failure();
  return success();
}

LogicalResult Parser::parseItem() {
  if (Tok.isKeyword("kernel"))
    return parseFunction(Function::Kind::Kernel);
  if (Tok.isKeyword("func"))
    return parseFunction(Function::Kind::Func);
  if (Tok.isKeyword("buffer"))
    return parseBuffer();
  if (Tok.isKeyword("main"))
    return parseMain();
  return emitError("expected 'kernel', 'func', 'buffer' or 'main'");
}

LogicalResult Parser::parseSymbolDefinition(StringRef &Name) {
  if (!Tok.is(Token::SymbolName))
    return emitError("expected symbol name");
  if (!Symbols.insert(Tok.getName()).second)
    return emitError("redefinition of symbol '" + Tok.Spelling + "'");
  Name = Tok.getName();
  consume();
  return success();
}

/// buffer @name : type
LogicalResult Parser::parseBuffer() {
  BufferDecl B;
  B.Loc = Tok.getLoc();
  consume();
  StringRef Name;
  if (failed(parseSymbolDefinition(Name)) ||
      failed(expect(Token::Colon, "expected ':' after buffer name")) ||
      failed(parseType(B.Type)))
    return failure();
  B.Name = Name.str();
  M->Buffers.push_back(std::move(B));
  return success();
}

/// kernel @name(params) [attributes {...}] { lines }
/// func @name(params) { lines return %v }
LogicalResult Parser::parseFunction(Function::Kind K) {
  SMLoc Loc = Tok.getLoc();
  consume();
  StringRef Name;
  if (failed(parseSymbolDefinition(Name)))
    return failure();
  auto F = std::make_unique<Function>(K, Name.str());
  F->setLoc(Loc);
  FunctionScope S(*F);
  if (failed(expect(Token::LParen, "expected '(' before parameters")) ||
      failed(parseCommaList(Token::RParen, "parameter list",
                            [&] { return parseParam(S); })))
    return failure();
  if (K == Function::Kind::Kernel && Tok.isKeyword("attributes") &&
      failed(parseAttributes(*F)))
    return failure();
  if (failed(expect(Token::LBrace, "expected '{' before function body")))
    return failure();
  const UOp *Root = nullptr;
  if (failed(K == Function::Kind::Kernel ? parseKernelBody(S, Root)
                                         : parseFuncBody(S, Root)))
    return failure();
  F->setBody(Root, std::move(S.Body));
  M->Functions.push_back(std::move(F));
  return success();
}

/// main { call @kernel(args) ... }
LogicalResult Parser::parseMain() {
  if (M->Main)
    return emitError("redefinition of main");
  Schedule S;
  S.Loc = Tok.getLoc();
  consume();
  if (failed(expect(Token::LBrace, "expected '{' after 'main'")))
    return failure();
  while (!consumeIf(Token::RBrace)) {
    if (!Tok.isKeyword("call"))
      return emitError("expected 'call' or '}' in main");
    if (failed(parseCall(S)))
      return failure();
  }
  M->Main = std::move(S);
  return success();
}

LogicalResult Parser::parseCall(Schedule &S) {
  Call C;
  C.Loc = Tok.getLoc();
  consume();
  if (!Tok.is(Token::SymbolName))
    return emitError("expected callee name after 'call'");
  C.Callee = Tok.getName().str();
  consume();
  if (failed(expect(Token::LParen, "expected '(' after callee name")) ||
      failed(parseCommaList(Token::RParen, "call arguments",
                            [&] { return parseCallArg(C); })))
    return failure();
  S.Calls.push_back(std::move(C));
  return success();
}

/// `@buffer` or an integer.
LogicalResult Parser::parseCallArg(Call &C) {
  CallArg A;
  A.Loc = Tok.getLoc();
  if (Tok.is(Token::SymbolName)) {
    A.Value = Tok.getName().str();
    consume();
    C.Args.push_back(std::move(A));
    return success();
  }
  if (!Tok.is(Token::Integer))
    return emitError("expected buffer name or integer in call");
  int64_t Value;
  if (failed(parseInt(Value)))
    return failure();
  A.Value = Value;
  C.Args.push_back(std::move(A));
  return success();
}

//===----------------------------------------------------------------------===//
// Functions
//===----------------------------------------------------------------------===//

/// `%name: type` is a buffer (`define`, id = its position among buffers);
/// `%name: type [lo, hi]` is a bounded integer (`define_var`).
LogicalResult Parser::parseParam(FunctionScope &S) {
  if (!Tok.is(Token::ValueName))
    return emitError("expected parameter name");
  Token Name = Tok;
  const UOp **Slot;
  if (failed(declareValue(S, Slot)))
    return failure();
  consume();
  DType Type;
  if (failed(expect(Token::Colon, "expected ':' after value name")) ||
      failed(parseType(Type)))
    return failure();
  const UOp *U;
  if (consumeIf(Token::LSquare)) {
    int64_t Min, Max;
    if (failed(parseInt(Min)) ||
        failed(expect(Token::Comma, "expected ',' between bounds")) ||
        failed(parseInt(Max)) ||
        failed(expect(Token::RSquare, "expected ']' after bounds")))
      return failure();
    // Fields in td order: name, min, max.
    const Arg *VarFields[] = {Ctx.getStringArg(Name.getName()),
                              Ctx.getIntArg(Min), Ctx.getIntArg(Max)};
    U = Ctx.get(Op::DefineVar, Type, {}, Ctx.getListArg(VarFields));
  } else {
    U = Ctx.get(Op::Define, Type, {}, Ctx.getIntArg(S.NumBufferParams++));
  }
  S.F.Params.push_back(U);
  S.F.setSource(U, M->save(Name.getName()), Name.getLoc());
  *Slot = U;
  return success();
}

/// attributes {name = value, ...}, stored in getFunctionAttributeInfos()
/// order.
LogicalResult Parser::parseAttributes(Function &F) {
  consume();
  llvm::ArrayRef<FunctionAttributeInfo> Infos = getFunctionAttributeInfos();
  llvm::SmallVector<const Arg *, 4> Values(Infos.size(), nullptr);
  auto ParseAttribute = [&]() -> LogicalResult {
    if (!Tok.is(Token::Identifier))
      return emitError("expected attribute name");
    const auto *Info =
        llvm::find_if(Infos, [&](const FunctionAttributeInfo &I) {
          return Tok.Spelling == I.Name;
        });
    if (Info == Infos.end())
      return emitError("unknown function attribute '" + Tok.Spelling + "'");
    const Arg *&Value = Values[Info - Infos.begin()];
    if (Value)
      return emitError("duplicate function attribute '" + Tok.Spelling + "'");
    consume();
    if (failed(expect(Token::Equal, "expected '=' after attribute name")))
      return failure();
    return parseArg(Info->Type, Value);
  };
  if (failed(expect(Token::LBrace, "expected '{' after 'attributes'")) ||
      failed(parseCommaList(Token::RBrace, "attribute list", ParseAttribute)))
    return failure();
  for (size_t I = 0; I != Infos.size(); ++I)
    if (Values[I])
      F.Attributes.push_back({Infos[I].Name, Values[I]});
  return success();
}

/// Lines up to `}`; the last one is the root and must be a sink.
LogicalResult Parser::parseKernelBody(FunctionScope &S, const UOp *&Root) {
  SMLoc RootLoc;
  while (!Tok.is(Token::RBrace)) {
    if (Tok.is(Token::Eof))
      return emitError("expected '}' at end of kernel body");
    if (failed(parseLine(S, Root, RootLoc)))
      return failure();
  }
  if (!Root || Root->getOp() != Op::Sink)
    return emitError(Root ? RootLoc : Tok.getLoc(),
                     "kernel body must end with a sink");
  consume();
  if (S.Body.back() == Root)
    return success();
  // The last line repeated an earlier one (interning), so the root sits
  // early in the body; it must move last, after lines it does not feed.
  auto RootPos = llvm::find(S.Body, Root);
  assert(RootPos != S.Body.end() && "a sink is never a parameter");
  auto UsesRoot = [&](const UOp *U) {
    return llvm::is_contained(U->getSrcs(), Root);
  };
  if (std::any_of(RootPos + 1, S.Body.end(), UsesRoot))
    return emitError(RootLoc, "kernel root is used by another line");
  std::rotate(RootPos, RootPos + 1, S.Body.end());
  return success();
}

/// Lines up to `return %v }`; %v is the root.
LogicalResult Parser::parseFuncBody(FunctionScope &S, const UOp *&Root) {
  SMLoc Loc;
  while (!Tok.isKeyword("return")) {
    if (Tok.is(Token::RBrace) || Tok.is(Token::Eof))
      return emitError("func body must end with 'return'");
    const UOp *Line;
    if (failed(parseLine(S, Line, Loc)))
      return failure();
  }
  consume();
  if (!Tok.is(Token::ValueName))
    return emitError("expected value name after 'return'");
  if (failed(lookupValue(S, Root)))
    return failure();
  return expect(Token::RBrace, "expected '}' after return value");
}

/// [%name =] mnemonic [inline-arg] [(operands)] [{fields}] : type
LogicalResult Parser::parseLine(FunctionScope &S, const UOp *&Result,
                                SMLoc &Loc) {
  Token Name; // Eof when the line has no name.
  const UOp **Slot = nullptr;
  Loc = Tok.getLoc();
  if (Tok.is(Token::ValueName)) {
    Name = Tok;
    if (failed(declareValue(S, Slot)))
      return failure();
    consume();
    if (failed(expect(Token::Equal, "expected '=' after value name")))
      return failure();
  }
  if (!Tok.is(Token::Identifier))
    return emitError("expected op mnemonic");
  std::optional<Op> O = parseOp(Tok.Spelling);
  if (!O)
    return emitError("unknown op '" + Tok.Spelling + "'");
  SMLoc OpLoc = Tok.getLoc();
  consume();
  size_t NumUOps = Ctx.getNumUOps();
  if (failed(parseOpBody(S, *O, OpLoc, Result)))
    return failure();
  if (Slot)
    *Slot = Result;
  // Interning may return a UOp an earlier line (or parameter) of this
  // function already wrote; then this line is only an alias. A UOp the
  // Context just made cannot be one, which spares a lookup per line.
  bool IsFirst = Ctx.getNumUOps() != NumUOps || !S.F.getLoc(Result).isValid();
  // The first name a UOp is written with is the one it prints with.
  llvm::StringRef Written = Slot ? M->save(Name.getName()) : "";
  if (IsFirst) {
    S.Body.push_back(Result);
    S.F.setSource(Result, Written, Loc);
  } else if (Slot && S.F.getName(Result).empty()) {
    S.F.setName(Result, Written);
  }
  return success();
}

LogicalResult Parser::parseOpBody(FunctionScope &S, Op O, SMLoc OpLoc,
                                  const UOp *&Result) {
  const OpInfo &Info = getOpInfo(O);
  llvm::ArrayRef<ArgFieldInfo> FieldInfos = Info.getArgFields();
  Operands.clear();
  Literals.clear();
  Fields.assign(FieldInfos.size(), FieldSlot());
  // `const 1.0 : f32`: the single field, unnamed. Nothing it can start with
  // is also the start of operands, fields or the type.
  bool HasInlineArg = Info.InlineArg && FieldInfos.size() == 1 &&
                      !Tok.is(Token::LParen) && !Tok.is(Token::LBrace) &&
                      !Tok.is(Token::Colon);
  if (HasInlineArg && failed(parseFieldValue(FieldInfos[0].Type, Fields[0])))
    return failure();
  if (consumeIf(Token::LParen) &&
      failed(parseCommaList(Token::RParen, "operand list",
                            [&] { return parseOperand(S); })))
    return failure();
  if (consumeIf(Token::LBrace) &&
      failed(parseCommaList(Token::RBrace, "argument field list",
                            [&] { return parseArgField(O); })))
    return failure();
  for (size_t I = 0; I != FieldInfos.size(); ++I)
    if (!Fields[I].Present)
      return emitError(OpLoc, "op '" + Twine(Info.Mnemonic) +
                                  "' requires argument field '" +
                                  FieldInfos[I].Name + "'");
  DType Type;
  const Arg *A;
  if (failed(expect(Token::Colon, "expected ':' before result type")) ||
      failed(parseType(Type)) || failed(buildArg(Info, Type, A)))
    return failure();
  Result = Ctx.get(O, Type, Operands, A);
  return success();
}

LogicalResult Parser::parseOperand(FunctionScope &S) {
  if (!Tok.is(Token::ValueName))
    return emitError("expected operand name");
  const UOp *U;
  if (failed(lookupValue(S, U)))
    return failure();
  Operands.push_back(U);
  return success();
}

/// name = value
LogicalResult Parser::parseArgField(Op O) {
  const OpInfo &Info = getOpInfo(O);
  llvm::ArrayRef<ArgFieldInfo> FieldInfos = Info.getArgFields();
  if (!Tok.is(Token::Identifier))
    return emitError("expected argument field name");
  const auto *Field = llvm::find_if(FieldInfos, [&](const ArgFieldInfo &F) {
    return Tok.Spelling == F.Name;
  });
  if (Field == FieldInfos.end())
    return emitError("unknown argument field '" + Tok.Spelling + "' for op '" +
                     Info.Mnemonic + "'");
  FieldSlot &Slot = Fields[Field - FieldInfos.begin()];
  if (Slot.Present)
    return emitError("duplicate argument field '" + Tok.Spelling + "'");
  consume();
  if (failed(expect(Token::Equal, "expected '=' after argument field name")))
    return failure();
  return parseFieldValue(Field->Type, Slot);
}

LogicalResult Parser::parseFieldValue(ArgType Type, FieldSlot &Slot) {
  Slot.Present = true;
  Slot.FirstLiteral = Literals.size();
  if (Type == ArgType::Const) {
    Slot.NumLiterals = 1;
    return parseConstLiteral();
  }
  if (Type != ArgType::ConstList)
    return parseArg(Type, Slot.Value);
  if (failed(expect(Token::LSquare, "expected '[' before constant list")) ||
      failed(parseCommaList(Token::RSquare, "constant list",
                            [&] { return parseConstLiteral(); })))
    return failure();
  Slot.NumLiterals = Literals.size() - Slot.FirstLiteral;
  return success();
}

/// Converts the constants now that the type is known, and packs the fields
/// as Arg.h describes: none -> nullptr, one -> itself, more -> a List.
LogicalResult Parser::buildArg(const OpInfo &Info, DType Type,
                               const Arg *&Result) {
  llvm::ArrayRef<ArgFieldInfo> FieldInfos = Info.getArgFields();
  llvm::SmallVector<const Arg *, 8> Elements;
  for (size_t I = 0; I != FieldInfos.size(); ++I) {
    FieldSlot &Slot = Fields[I];
    ArgType FieldType = FieldInfos[I].Type;
    if (FieldType != ArgType::Const && FieldType != ArgType::ConstList)
      continue;
    Elements.clear();
    for (const ConstLiteral &L :
         llvm::ArrayRef(Literals).slice(Slot.FirstLiteral, Slot.NumLiterals)) {
      const Arg *Value;
      if (failed(convertConst(L, Type, Value)))
        return failure();
      Elements.push_back(Value);
    }
    Slot.Value = FieldType == ArgType::Const ? Elements.front()
                                             : Ctx.getListArg(Elements);
  }
  Result = nullptr;
  if (Fields.size() == 1)
    Result = Fields.front().Value;
  if (Fields.size() < 2)
    return success();
  Elements.clear();
  for (const FieldSlot &Slot : Fields)
    Elements.push_back(Slot.Value);
  Result = Ctx.getListArg(Elements);
  return success();
}

/// Enters the current ValueName token into the scope; `Slot` receives its
/// UOp once the definition is parsed.
LogicalResult Parser::declareValue(FunctionScope &S, const UOp **&Slot) {
  auto [It, Inserted] =
      S.Values.try_emplace(llvm::CachedHashStringRef(Tok.getName()), nullptr);
  if (!Inserted)
    return emitError("redefinition of value '" + Tok.Spelling + "'");
  Slot = &It->second;
  return success();
}

/// The UOp the current ValueName token refers to; consumes the token.
LogicalResult Parser::lookupValue(FunctionScope &S, const UOp *&Result) {
  auto It = S.Values.find(llvm::CachedHashStringRef(Tok.getName()));
  // A name is null inside its own definition: `%x = add(%x, %x)`.
  if (It == S.Values.end() || !It->second)
    return emitError("use of undefined value '" + Tok.Spelling + "'");
  Result = It->second;
  consume();
  return success();
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

LogicalResult Parser::parseWholeType(DType &Result) {
  if (failed(parseType(Result)))
    return failure();
  if (!Tok.is(Token::Eof))
    return emitError("expected end of type");
  return success();
}

/// scalar | vec<scalar, n> | ptr<type, space[, size]> | image<texel, h, w>
LogicalResult Parser::parseType(DType &Result, unsigned Depth) {
  if (Depth > MaxTypeDepth)
    return emitError("type nesting is too deep");
  if (!Tok.is(Token::Identifier))
    return emitError("expected type");
  if (Tok.Spelling == "vec")
    return parseVectorType(Result);
  if (Tok.Spelling == "ptr")
    return parsePointerType(Result, Depth);
  if (Tok.Spelling == "image")
    return parseImageType(Result);
  return parseScalarType(Result);
}

LogicalResult Parser::parseScalarType(DType &Result) {
  if (!Tok.is(Token::Identifier))
    return emitError("expected scalar type");
  std::optional<ScalarKind> K = parseScalarKind(Tok.Spelling);
  if (!K)
    return emitError("unknown type '" + Tok.Spelling + "'");
  Result = Ctx.getScalar(*K);
  consume();
  return success();
}

/// An integer in [Min, INT64_MAX], for sizes and counts.
LogicalResult Parser::parseBoundedInt(int64_t &Result, int64_t Min,
                                      StringRef What) {
  SMLoc Loc = Tok.getLoc();
  if (failed(parseInt(Result)))
    return failure();
  if (Result < Min)
    return emitError(Loc, What + " must be at least " + Twine(Min));
  return success();
}

/// vec<scalar, lanes>
LogicalResult Parser::parseVectorType(DType &Result) {
  consume();
  DType Scalar;
  int64_t Lanes;
  SMLoc LanesLoc;
  if (failed(expect(Token::Less, "expected '<' after 'vec'")) ||
      failed(parseScalarType(Scalar)) ||
      failed(expect(Token::Comma, "expected ',' after vector element type")))
    return failure();
  LanesLoc = Tok.getLoc();
  if (failed(parseBoundedInt(Lanes, 1, "vector length")) ||
      failed(expect(Token::Greater, "expected '>' after vector length")))
    return failure();
  if (Lanes > int64_t(UINT32_MAX))
    return emitError(LanesLoc, "vector length is too large");
  Result = Ctx.getVector(Scalar, unsigned(Lanes));
  return success();
}

/// ptr<element, space[, size]>
LogicalResult Parser::parsePointerType(DType &Result, unsigned Depth) {
  consume();
  DType Element;
  if (failed(expect(Token::Less, "expected '<' after 'ptr'")) ||
      failed(parseType(Element, Depth + 1)) ||
      failed(expect(Token::Comma, "expected ',' after pointer element type")))
    return failure();
  std::optional<AddrSpace> Space;
  if (Tok.is(Token::Identifier))
    Space = parseAddrSpace(Tok.Spelling);
  if (!Space)
    return emitError("expected address space (global, local or reg)");
  consume();
  int64_t Size = -1;
  if (consumeIf(Token::Comma) &&
      failed(parseBoundedInt(Size, 0, "pointer size")))
    return failure();
  if (failed(expect(Token::Greater, "expected '>' after pointer type")))
    return failure();
  Result = Ctx.getPointer(Element, *Space, Size);
  return success();
}

/// image<texel, height, width>; texels are RGBA of f16 or f32.
LogicalResult Parser::parseImageType(DType &Result) {
  consume();
  DType Texel;
  if (failed(expect(Token::Less, "expected '<' after 'image'")))
    return failure();
  SMLoc TexelLoc = Tok.getLoc();
  if (failed(parseScalarType(Texel)))
    return failure();
  ScalarKind K = Texel.getScalarKind();
  if (K != ScalarKind::F16 && K != ScalarKind::F32)
    return emitError(TexelLoc, "image texel type must be f16 or f32");
  int64_t Height, Width;
  SMLoc SizeLoc;
  if (failed(expect(Token::Comma, "expected ',' after image texel type")) ||
      failed(parseBoundedInt(Height, 1, "image height")) ||
      failed(expect(Token::Comma, "expected ',' after image height")))
    return failure();
  SizeLoc = Tok.getLoc();
  if (failed(parseBoundedInt(Width, 1, "image width")) ||
      failed(expect(Token::Greater, "expected '>' after image width")))
    return failure();
  // The pointer size is height * width * 4 lanes; it must fit in int64.
  if (Height > INT64_MAX / 4 / Width)
    return emitError(SizeLoc, "image size is too large");
  Result = Ctx.getImage(K, Height, Width);
  return success();
}

//===----------------------------------------------------------------------===//
// Argument values
//===----------------------------------------------------------------------===//

/// Any ArgType but constants, which need the line's type (parseFieldValue).
LogicalResult Parser::parseArg(ArgType Type, const Arg *&Result) {
  switch (Type) {
  case ArgType::Int:
    return parseIntArg(Result);
  case ArgType::Bool:
    if (!Tok.isKeyword("true") && !Tok.isKeyword("false"))
      return emitError("expected 'true' or 'false'");
    Result = Ctx.getBoolArg(Tok.Spelling == "true");
    consume();
    return success();
  case ArgType::String:
    if (!Tok.is(Token::String))
      return emitError("expected string literal");
    decodeString(Tok.Spelling, StringValue);
    Result = Ctx.getStringArg(StringValue);
    consume();
    return success();
  case ArgType::IntList:
    return parseIntList(Result);
  case ArgType::IntPairList:
    return parseIntPairList(Result);
  case ArgType::AxisKind:
    return parseAxisKindArg(Result);
  case ArgType::Op:
    return parseOpArg(Result);
  case ArgType::OptList:
    return parseOptList(Result);
  case ArgType::Const:
  case ArgType::ConstList:
    break;
  }
  llvm_unreachable("constants are parsed by parseFieldValue");
}

LogicalResult Parser::parseAxisKindArg(const Arg *&Result) {
  if (!Tok.is(Token::Identifier))
    return emitError("expected axis kind");
  std::optional<AxisKind> K = parseAxisKind(Tok.Spelling);
  if (!K)
    return emitError("unknown axis kind '" + Tok.Spelling + "'");
  Result = Ctx.getAxisKindArg(*K);
  consume();
  return success();
}

LogicalResult Parser::parseOpArg(const Arg *&Result) {
  if (!Tok.is(Token::Identifier))
    return emitError("expected op mnemonic");
  std::optional<Op> O = parseOp(Tok.Spelling);
  if (!O)
    return emitError("unknown op '" + Tok.Spelling + "'");
  Result = Ctx.getOpArg(*O);
  consume();
  return success();
}

/// An integer literal that fits in int64.
LogicalResult Parser::parseInt(int64_t &Result) {
  if (!Tok.is(Token::Integer))
    return emitError("expected integer literal");
  std::optional<int64_t> Value = fitInteger(Tok, 64, /*Signed=*/true);
  if (!Value)
    return emitError("integer literal " + Tok.Spelling +
                     " does not fit in 64 bits (a signed integer)");
  Result = *Value;
  consume();
  return success();
}

LogicalResult Parser::parseIntArg(const Arg *&Result) {
  int64_t Value;
  if (failed(parseInt(Value)))
    return failure();
  Result = Ctx.getIntArg(Value);
  return success();
}

/// [1, 2, 3] or (1, 2, 3)
LogicalResult Parser::parseIntList(const Arg *&Result) {
  Token::Kind Close = Tok.is(Token::LParen) ? Token::RParen : Token::RSquare;
  if (!consumeIf(Token::LParen) && !consumeIf(Token::LSquare))
    return emitError("expected '[' before integer list");
  llvm::SmallVector<const Arg *, 8> Elements;
  auto ParseElement = [&]() -> LogicalResult {
    const Arg *Element;
    if (failed(parseIntArg(Element)))
      return failure();
    Elements.push_back(Element);
    return success();
  };
  if (failed(parseCommaList(Close, "integer list", ParseElement)))
    return failure();
  Result = Ctx.getListArg(Elements);
  return success();
}

/// [(0, 1), (2, 3)]; inner brackets may be square too.
LogicalResult Parser::parseIntPairList(const Arg *&Result) {
  llvm::SmallVector<const Arg *, 8> Pairs;
  auto ParsePair = [&]() -> LogicalResult {
    Token::Kind Close = Tok.is(Token::LSquare) ? Token::RSquare : Token::RParen;
    if (!consumeIf(Token::LParen) && !consumeIf(Token::LSquare))
      return emitError("expected '(' before integer pair");
    const Arg *Pair[2];
    if (failed(parseIntArg(Pair[0])) ||
        failed(expect(Token::Comma, "expected ',' in integer pair")) ||
        failed(parseIntArg(Pair[1])) ||
        failed(expect(Close, "expected '" + getSpelling(Close) +
                                 "' after integer pair")))
      return failure();
    Pairs.push_back(Ctx.getListArg(Pair));
    return success();
  };
  if (failed(expect(Token::LSquare, "expected '[' before integer pair list")) ||
      failed(parseCommaList(Token::RSquare, "integer pair list", ParsePair)))
    return failure();
  Result = Ctx.getListArg(Pairs);
  return success();
}

/// [upcast(0, 4), nolocals()]
LogicalResult Parser::parseOptList(const Arg *&Result) {
  llvm::SmallVector<const Arg *, 8> Opts;
  auto ParseElement = [&]() -> LogicalResult {
    const Arg *Opt;
    if (failed(parseOpt(Opt)))
      return failure();
    Opts.push_back(Opt);
    return success();
  };
  if (failed(expect(Token::LSquare, "expected '[' before opt list")) ||
      failed(parseCommaList(Token::RSquare, "opt list", ParseElement)))
    return failure();
  Result = Ctx.getListArg(Opts);
  return success();
}

/// kind(int, ...)
LogicalResult Parser::parseOpt(const Arg *&Result) {
  if (!Tok.is(Token::Identifier))
    return emitError("expected opt");
  std::optional<OptKind> K = parseOptKind(Tok.Spelling);
  if (!K)
    return emitError("unknown opt '" + Tok.Spelling + "'");
  consume();
  llvm::SmallVector<const Arg *, 4> Operands;
  auto ParseOperand = [&]() -> LogicalResult {
    const Arg *Operand;
    if (failed(parseIntArg(Operand)))
      return failure();
    Operands.push_back(Operand);
    return success();
  };
  if (failed(expect(Token::LParen, "expected '(' after opt name")) ||
      failed(parseCommaList(Token::RParen, "opt operands", ParseOperand)))
    return failure();
  Result = Ctx.getOptArg(*K, Operands);
  return success();
}

/// integer | float | true | false | inf | -inf | nan | nan(payload)
LogicalResult Parser::parseConstLiteral() {
  using Kind = ConstLiteral::Kind;
  Token Start = Tok;
  if (Tok.isKeyword("nan"))
    return parseNaNLiteral();
  if (consumeIf(Token::Minus)) {
    if (!Tok.isKeyword("inf"))
      return emitError("expected 'inf' after '-'");
    consume();
    Literals.push_back({Kind::NegInf, Start});
    return success();
  }
  std::optional<Kind> K;
  if (Tok.is(Token::Integer))
    K = Kind::Integer;
  else if (Tok.is(Token::Float))
    K = Kind::Float;
  else if (Tok.isKeyword("true"))
    K = Kind::True;
  else if (Tok.isKeyword("false"))
    K = Kind::False;
  else if (Tok.isKeyword("inf"))
    K = Kind::Inf;
  if (!K)
    return emitError("expected constant");
  consume();
  Literals.push_back({*K, Start});
  return success();
}

/// nan | nan(bits)
LogicalResult Parser::parseNaNLiteral() {
  Token NaN = Tok;
  consume();
  if (!consumeIf(Token::LParen)) {
    Literals.push_back({ConstLiteral::Kind::NaN, NaN});
    return success();
  }
  if (!Tok.is(Token::Integer))
    return emitError("expected nan payload bits");
  Literals.push_back({ConstLiteral::Kind::NaNPayload, Tok});
  consume();
  return expect(Token::RParen, "expected ')' after nan payload");
}

LogicalResult Parser::convertConst(const ConstLiteral &L, DType Type,
                                   const Arg *&Result) {
  if (!Type.isValue())
    return emitError(L.Tok.getLoc(),
                     "cannot write a constant of type " + Type.str());
  ScalarKind K = Type.getScalarKind();
  switch (getScalarInfo(K).Category) {
  case ScalarCategory::Bool:
    return convertBoolConst(L, Result);
  case ScalarCategory::Float:
    return convertFloatConst(L, K, Result);
  case ScalarCategory::Signed:
  case ScalarCategory::Unsigned:
  case ScalarCategory::Index:
    return convertIntConst(L, K, Result);
  case ScalarCategory::Void:
    break;
  }
  llvm_unreachable("void is not a value type");
}

LogicalResult Parser::convertBoolConst(const ConstLiteral &L,
                                       const Arg *&Result) {
  using Kind = ConstLiteral::Kind;
  if (L.TheKind == Kind::True || L.TheKind == Kind::False) {
    Result = Ctx.getBoolArg(L.TheKind == Kind::True);
    return success();
  }
  if (L.TheKind != Kind::Integer)
    return emitError(L.Tok.getLoc(),
                     "expected true, false, 0 or 1 for type bool");
  std::optional<int64_t> Value = fitInteger(L.Tok, 1, /*Signed=*/false);
  if (!Value)
    return emitError(L.Tok.getLoc(), "integer literal " + L.Tok.Spelling +
                                         " does not fit in type bool");
  Result = Ctx.getBoolArg(*Value != 0);
  return success();
}

LogicalResult Parser::convertIntConst(const ConstLiteral &L, ScalarKind K,
                                      const Arg *&Result) {
  const ScalarInfo &Info = getScalarInfo(K);
  if (L.TheKind != ConstLiteral::Kind::Integer)
    return emitError(L.Tok.getLoc(), "expected integer literal for type " +
                                         Twine(Info.Mnemonic));
  // index is an unbounded integer in the IR but an int64 in the text.
  unsigned Bits = Info.Category == ScalarCategory::Index ? 64 : Info.Bits;
  std::optional<int64_t> Value =
      fitInteger(L.Tok, Bits, Info.Category != ScalarCategory::Unsigned);
  if (!Value)
    return emitError(L.Tok.getLoc(), "integer literal " + L.Tok.Spelling +
                                         " does not fit in type " +
                                         Info.Mnemonic);
  Result = Ctx.getIntArg(*Value);
  return success();
}

/// Rounds the literal to K (an error if a finite literal overflows) and
/// stores it as the double of the same value.
LogicalResult Parser::convertFloatConst(const ConstLiteral &L, ScalarKind K,
                                        const Arg *&Result) {
  using Kind = ConstLiteral::Kind;
  const llvm::fltSemantics &Sem = getFloatSemantics(K);
  StringRef TypeName = getScalarInfo(K).Mnemonic;
  SMLoc Loc = L.Tok.getLoc();
  auto Round = llvm::APFloat::rmNearestTiesToEven;
  llvm::APFloat F(Sem);
  switch (L.TheKind) {
  case Kind::Integer: {
    bool Negative;
    uint64_t Magnitude;
    bool Fits = getIntegerValue(L.Tok, Negative, Magnitude);
    if (Fits) {
      F.convertFromAPInt(llvm::APInt(64, Magnitude), /*IsSigned=*/false, Round);
      if (Negative)
        F.changeSign();
    }
    if (!Fits || !F.isFinite())
      return emitError(Loc, "integer literal " + L.Tok.Spelling +
                                " does not fit in type " + TypeName);
    break;
  }
  case Kind::Float: {
    auto Status = F.convertFromString(L.Tok.Spelling, Round);
    if (!Status) {
      llvm::consumeError(Status.takeError());
      return emitError(Loc, "invalid float literal " + L.Tok.Spelling);
    }
    if (!F.isFinite())
      return emitError(Loc, "float literal " + L.Tok.Spelling +
                                " overflows type " + TypeName);
    break;
  }
  case Kind::Inf:
  case Kind::NegInf:
    F = llvm::APFloat::getInf(Sem, L.TheKind == Kind::NegInf);
    // OCP fp8e4m3 has no infinity; APFloat gives its nan instead.
    if (!F.isInfinity())
      return emitError(Loc, "type " + TypeName + " has no infinity");
    break;
  case Kind::NaN:
    F = llvm::APFloat::getQNaN(Sem);
    break;
  case Kind::NaNPayload:
    if (failed(convertNaNPayload(L, K, F)))
      return failure();
    break;
  case Kind::True:
  case Kind::False:
    return emitError(Loc, "expected float literal for type " + TypeName);
  }
  bool LosesInfo;
  F.convert(llvm::APFloat::IEEEdouble(), Round, &LosesInfo);
  Result = Ctx.getFloatArg(F.convertToDouble());
  return success();
}

/// nan(bits): the bits of a nan in K's width, kept exactly.
LogicalResult Parser::convertNaNPayload(const ConstLiteral &L, ScalarKind K,
                                        llvm::APFloat &Result) {
  const llvm::fltSemantics &Sem = getFloatSemantics(K);
  StringRef TypeName = getScalarInfo(K).Mnemonic;
  unsigned Width = getScalarInfo(K).Bits;
  SMLoc Loc = L.Tok.getLoc();
  bool Negative;
  uint64_t Bits;
  if (!getIntegerValue(L.Tok, Negative, Bits) || Negative ||
      Bits > llvm::maxUIntN(Width))
    return emitError(Loc, "nan payload " + L.Tok.Spelling +
                              " does not fit in type " + TypeName);
  Result = llvm::APFloat(Sem, llvm::APInt(Width, Bits));
  if (!Result.isNaN())
    return emitError(Loc, "nan(" + L.Tok.Spelling + ") is not a nan of type " +
                              TypeName);
  // Args hold doubles, and converting a signaling nan quiets it: such a
  // value would not print back as written.
  llvm::APFloat Back = Result;
  bool LosesInfo;
  auto Round = llvm::APFloat::rmNearestTiesToEven;
  Back.convert(llvm::APFloat::IEEEdouble(), Round, &LosesInfo);
  Back.convert(Sem, Round, &LosesInfo);
  if (!Back.bitwiseIsEqual(Result))
    return emitError(Loc,
                     "signaling nan(" + L.Tok.Spelling + ") is not supported");
  return success();
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

std::unique_ptr<Module> tg::parseModule(unsigned BufferID, Context &Ctx,
                                        DiagnosticEngine &Diag) {
  const llvm::MemoryBuffer *Buffer =
      Diag.getSourceMgr().getMemoryBuffer(BufferID);
  auto M = std::make_unique<Module>(Ctx);
  Parser P(Buffer->getBuffer(), Ctx, Diag);
  if (failed(P.parseModule(*M)))
    return nullptr;
  return M;
}

std::optional<DType> tg::parseType(StringRef Text, Context &Ctx) {
  llvm::SourceMgr SM;
  SM.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBuffer(Text, "type", false),
                        SMLoc());
  DiagnosticEngine Diag(SM);
  Diag.setHandler([](const Diagnostic &) {});
  DType Result;
  Parser P(Text, Ctx, Diag);
  if (failed(P.parseWholeType(Result)))
    return std::nullopt;
  return Result;
}
