//===- Arg.h - the argument of a UOp ----------------------------*- C++ -*-===//
//
// An Arg is an immutable value interned in a Context: an integer, a float
// (kept as the exact bits of a double, so -0.0, inf and every nan payload
// survive), a bool, a string, an enum case (axis kind, op, opt kind), an opt
// (`upcast(0, 4)`) or a list of args (tuples and lists alike).
//
// An op's argument is described by its fields in td/UOps.td: no field means
// no Arg (nullptr); one field is stored as that field's Arg; two or more are
// stored as a List with one element per field, in declaration order.
//
//===----------------------------------------------------------------------===//

#ifndef TG_IR_ARG_H
#define TG_IR_ARG_H

#include "tg/IR/DType.h"
#include "tg/IR/Enums.h"
#include "tg/IR/Op.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstring>

namespace llvm {
struct fltSemantics;
} // namespace llvm

namespace tg {

class Arg {
public:
  enum class Kind : uint8_t {
    Int,
    Float,
    Bool,
    String,
    AxisKind,
    Op,
    Opt,
    List
  };

  Kind getKind() const { return TheKind; }
  bool isInt() const { return TheKind == Kind::Int; }
  bool isFloat() const { return TheKind == Kind::Float; }
  bool isBool() const { return TheKind == Kind::Bool; }
  bool isString() const { return TheKind == Kind::String; }
  bool isList() const { return TheKind == Kind::List; }

  int64_t getInt() const { return Int; }
  double getFloat() const {
    double D;
    std::memcpy(&D, &Int, sizeof(D));
    return D;
  }
  uint64_t getFloatBits() const { return uint64_t(Int); }
  bool getBool() const { return Int != 0; }
  llvm::StringRef getString() const {
    return isString() ? llvm::StringRef(Str, Size) : llvm::StringRef();
  }
  tg::AxisKind getAxisKind() const { return tg::AxisKind(Int); }
  tg::Op getOp() const { return tg::Op(Int); }
  /// Opts: the kind; getElements() holds its integer operands.
  OptKind getOptKind() const { return OptKind(Int); }
  /// Lists and opts: the elements.
  llvm::ArrayRef<const Arg *> getElements() const {
    return isString() ? llvm::ArrayRef<const Arg *>()
                      : llvm::ArrayRef<const Arg *>(Elements, Size);
  }

  unsigned getHash() const { return Hash; }

  /// Prints the canonical text form (docs/LangRef.md).
  void print(llvm::raw_ostream &OS) const;

private:
  friend class Context;
  Arg(Kind K, int64_t Int, const char *Str, const Arg *const *Elements,
      uint32_t Size, unsigned Hash)
      : TheKind(K), Size(Size), Hash(Hash), Int(Int) {
    if (K == Kind::String)
      this->Str = Str;
    else
      this->Elements = Elements;
  }

  Kind TheKind;
  uint32_t Size; ///< String length or number of elements.
  unsigned Hash;
  int64_t Int; ///< Int, bool, enum value, opt kind, or the float's bits.
  union {
    const char *Str;            ///< Strings.
    const Arg *const *Elements; ///< Lists and opts.
  };
};

inline llvm::raw_ostream &operator<<(llvm::raw_ostream &OS, const Arg &A) {
  A.print(OS);
  return OS;
}

/// Prints a float constant of scalar type `Type` exactly: the shortest decimal
/// that reads back as the same value of that type (`1.0`, `0.1`, `1.0e+30`),
/// or `inf`, `-inf`, `nan`, and `nan(0x...)` with the value's bits in the
/// type's width for any nan other than the default one.
void printExactFloat(llvm::raw_ostream &OS, double Value, ScalarKind Type);

/// The APFloat semantics of a float scalar type (IEEE double for any other).
const llvm::fltSemantics &getFloatSemantics(ScalarKind Type);

} // namespace tg

#endif // TG_IR_ARG_H
