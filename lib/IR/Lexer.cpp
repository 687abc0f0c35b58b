//===- Lexer.cpp - tokens of the text form --------------------------------===//
//
// A hand-written scanner over the buffer: no regular expressions and no
// allocation per token. It only finds token boundaries; the parser gives
// the tokens their meaning (an integer's range depends on where it stands).
//
//===----------------------------------------------------------------------===//

#include "Lexer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace tg;

static bool isIdentifierChar(char C) { return llvm::isAlnum(C) || C == '_'; }

/// Characters of `%name` and `@name` after the sigil (MLIR's suffix-id).
static bool isNameChar(char C) {
  return isIdentifierChar(C) || C == '.' || C == '$' || C == '-';
}

static bool isDigit(char C) { return llvm::isDigit(C); }
static bool isHexDigit(char C) { return llvm::isHexDigit(C); }

void Lexer::skipWhitespaceAndComments() {
  while (Cur != End) {
    char C = *Cur;
    if (C == ' ' || C == '\t' || C == '\n' || C == '\r') {
      ++Cur;
      continue;
    }
    if (C != '/' || End - Cur < 2 || Cur[1] != '/')
      return;
    skipWhile([](char C) { return C != '\n'; });
  }
}

Token Lexer::makeError(const char *Start, const llvm::Twine &Message) {
  ErrorMessage.clear();
  Message.toVector(ErrorMessage);
  // Point at the offending character; never step past the buffer.
  Cur = Start == End ? End : Start + 1;
  return {Token::Error, llvm::StringRef(Start, Start == End ? 0 : 1)};
}

Token Lexer::lex() {
  skipWhitespaceAndComments();
  const char *Start = Cur;
  if (Cur == End)
    return make(Token::Eof, Start);
  char C = *Cur++;
  switch (C) {
  case '(':
    return make(Token::LParen, Start);
  case ')':
    return make(Token::RParen, Start);
  case '[':
    return make(Token::LSquare, Start);
  case ']':
    return make(Token::RSquare, Start);
  case '{':
    return make(Token::LBrace, Start);
  case '}':
    return make(Token::RBrace, Start);
  case '<':
    return make(Token::Less, Start);
  case '>':
    return make(Token::Greater, Start);
  case ',':
    return make(Token::Comma, Start);
  case ':':
    return make(Token::Colon, Start);
  case '=':
    return make(Token::Equal, Start);
  case '%':
    return lexName(Start, Token::ValueName);
  case '@':
    return lexName(Start, Token::SymbolName);
  case '"':
    return lexString(Start);
  case '-':
    if (Cur != End && isDigit(*Cur))
      return lexNumber(Start);
    return make(Token::Minus, Start);
  default:
    break;
  }
  if (llvm::isAlpha(C) || C == '_')
    return lexIdentifier(Start);
  if (isDigit(C))
    return lexNumber(Start);
  if (llvm::isPrint(C))
    return makeError(Start,
                     llvm::Twine("invalid character '") + llvm::Twine(C) + "'");
  return makeError(Start, "invalid character 0x" +
                              llvm::utohexstr(uint8_t(C), /*LowerCase=*/true,
                                              /*Width=*/2));
}

Token Lexer::lexName(const char *Start, Token::Kind K) {
  if (skipWhile(isNameChar) == 0)
    return makeError(Start, llvm::Twine("expected name after '") +
                                llvm::Twine(*Start) + "'");
  return make(K, Start);
}

Token Lexer::lexIdentifier(const char *Start) {
  skipWhile(isIdentifierChar);
  return make(Token::Identifier, Start);
}

/// [-] digits [. digits] [(e|E) [+|-] digits], or a hex form after `0x`.
Token Lexer::lexNumber(const char *Start) {
  Cur = *Start == '-' ? Start + 1 : Start;
  if (End - Cur >= 2 && Cur[0] == '0' && (Cur[1] == 'x' || Cur[1] == 'X')) {
    Cur += 2;
    return lexHexNumber(Start);
  }
  skipWhile(isDigit);
  bool IsFloat = false;
  if (End - Cur >= 2 && Cur[0] == '.' && isDigit(Cur[1])) {
    ++Cur;
    skipWhile(isDigit);
    IsFloat = true;
  }
  if (peekIs('e') || peekIs('E')) {
    const char *Exponent = Cur++;
    if (peekIs('+') || peekIs('-'))
      ++Cur;
    if (skipWhile(isDigit) == 0)
      return makeError(Exponent, "expected digits in exponent");
    IsFloat = true;
  }
  return make(IsFloat ? Token::Float : Token::Integer, Start);
}

/// After `0x`: hex digits, and for a hex float `[. hexdigits] p [+|-] digits`.
Token Lexer::lexHexNumber(const char *Start) {
  size_t Digits = skipWhile(isHexDigit);
  bool IsFloat = false;
  if (peekIs('.')) {
    ++Cur;
    Digits += skipWhile(isHexDigit);
    IsFloat = true;
  }
  if (Digits == 0)
    return makeError(Start, "expected hex digits after '0x'");
  if (peekIs('p') || peekIs('P')) {
    const char *Exponent = Cur++;
    if (peekIs('+') || peekIs('-'))
      ++Cur;
    if (skipWhile(isDigit) == 0)
      return makeError(Exponent, "expected digits in exponent");
    return make(Token::Float, Start);
  }
  if (IsFloat)
    return makeError(Start, "hex float needs a 'p' exponent");
  return make(Token::Integer, Start);
}

/// A string on one line; escapes are \\ \" \n \t and \XX (two hex digits).
Token Lexer::lexString(const char *Start) {
  while (Cur != End && *Cur != '\n') {
    char C = *Cur++;
    if (C == '"')
      return make(Token::String, Start);
    if (C != '\\')
      continue;
    const char *Escape = Cur - 1;
    if (Cur != End &&
        (*Cur == '\\' || *Cur == '"' || *Cur == 'n' || *Cur == 't')) {
      ++Cur;
      continue;
    }
    if (End - Cur >= 2 && isHexDigit(Cur[0]) && isHexDigit(Cur[1])) {
      Cur += 2;
      continue;
    }
    return makeError(Escape, "invalid escape sequence in string");
  }
  return makeError(Start, "unterminated string");
}

bool tg::isValidName(llvm::StringRef Name) {
  return !Name.empty() && llvm::all_of(Name, isNameChar);
}

void tg::decodeString(llvm::StringRef Spelling,
                      llvm::SmallVectorImpl<char> &Out) {
  Out.clear();
  llvm::StringRef Body = Spelling.drop_front().drop_back();
  for (size_t I = 0; I < Body.size(); ++I) {
    char C = Body[I];
    if (C != '\\') {
      Out.push_back(C);
      continue;
    }
    char Next = Body[++I];
    switch (Next) {
    case 'n':
      Out.push_back('\n');
      continue;
    case 't':
      Out.push_back('\t');
      continue;
    case '\\':
    case '"':
      Out.push_back(Next);
      continue;
    default:
      Out.push_back(char(llvm::hexFromNibbles(Next, Body[I + 1])));
      ++I;
      continue;
    }
  }
}
