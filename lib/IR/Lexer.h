//===- Lexer.h - tokens of the text form ------------------------*- C++ -*-===//
//
// Splits a .tg buffer into tokens (docs/LangRef.md, "Lexical structure").
// Private to lib/IR: only the parser uses it. A token is a kind and a
// StringRef into the buffer, so lexing allocates nothing. A malformed token
// comes back as Token::Error with a message the parser reports when it
// reaches that token, so errors always come out in source order.
//
//===----------------------------------------------------------------------===//

#ifndef TG_LIB_IR_LEXER_H
#define TG_LIB_IR_LEXER_H

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/SMLoc.h"

namespace tg {

struct Token {
  enum Kind {
    Eof,
    Error,
    Identifier, ///< mnemonic or keyword: [A-Za-z_][A-Za-z0-9_]*
    ValueName,  ///< %name
    SymbolName, ///< @name
    Integer,    ///< 42, -7, 0x2a
    Float,      ///< 1.5, -2e3, 0x1.8p+1
    String,     ///< "text", quotes and escapes included
    LParen,
    RParen,
    LSquare,
    RSquare,
    LBrace,
    RBrace,
    Less,
    Greater,
    Comma,
    Colon,
    Equal,
    Minus, ///< only before something that is not a digit (`-inf`)
  };

  Kind TheKind = Eof;
  llvm::StringRef Spelling;

  bool is(Kind K) const { return TheKind == K; }
  bool isKeyword(llvm::StringRef Word) const {
    return TheKind == Identifier && Spelling == Word;
  }
  llvm::SMLoc getLoc() const {
    return llvm::SMLoc::getFromPointer(Spelling.data());
  }
  /// The name of a ValueName or SymbolName, without `%` or `@`.
  llvm::StringRef getName() const { return Spelling.drop_front(); }
};

class Lexer {
public:
  explicit Lexer(llvm::StringRef Buffer)
      : Cur(Buffer.begin()), End(Buffer.end()) {}

  Token lex();
  /// Why the last Token::Error was returned.
  llvm::StringRef getErrorMessage() const { return ErrorMessage; }

private:
  void skipWhitespaceAndComments();
  Token make(Token::Kind K, const char *Start) const {
    return {K, llvm::StringRef(Start, size_t(Cur - Start))};
  }
  Token makeError(const char *Start, const llvm::Twine &Message);
  Token lexName(const char *Start, Token::Kind K);
  Token lexIdentifier(const char *Start);
  Token lexNumber(const char *Start);
  Token lexHexNumber(const char *Start);
  Token lexString(const char *Start);
  /// Consumes characters while `Pred` holds; returns how many.
  template <typename Pred> size_t skipWhile(Pred P) {
    const char *Begin = Cur;
    while (Cur != End && P(*Cur))
      ++Cur;
    return size_t(Cur - Begin);
  }
  bool peekIs(char C) const { return Cur != End && *Cur == C; }

  const char *Cur;
  const char *End;
  llvm::SmallString<64> ErrorMessage;
};

/// Whether `Name` lexes as the name of a ValueName or SymbolName.
bool isValidName(llvm::StringRef Name);

/// The bytes a String token stands for, escapes decoded. The token was
/// checked by the lexer, so decoding cannot fail.
void decodeString(llvm::StringRef Spelling, llvm::SmallVectorImpl<char> &Out);

} // namespace tg

#endif // TG_LIB_IR_LEXER_H
