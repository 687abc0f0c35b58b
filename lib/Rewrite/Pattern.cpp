//===- Pattern.cpp - op sets, type sets, argument matches, patterns -------===//

#include "tg/Rewrite/Pattern.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace tg;
using llvm::raw_ostream;

//===----------------------------------------------------------------------===//
// OpSet
//===----------------------------------------------------------------------===//

OpSet::OpSet(std::initializer_list<Op> Ops) {
  for (Op O : Ops)
    Bits.set(unsigned(O));
}

OpSet OpSet::all() {
  OpSet S;
  S.Bits.set();
  return S;
}

OpSet OpSet::withTrait(OpTrait T) {
  OpSet S;
  for (unsigned I = 0; I != NumOps; ++I)
    if (hasTrait(Op(I), T))
      S.Bits.set(I);
  return S;
}

OpSet OpSet::operator|(const OpSet &Other) const {
  OpSet S = *this;
  S.Bits |= Other.Bits;
  return S;
}

OpSet OpSet::operator&(const OpSet &Other) const {
  OpSet S = *this;
  S.Bits &= Other.Bits;
  return S;
}

std::vector<Op> OpSet::getOps() const {
  std::vector<Op> Ops;
  for (unsigned I = 0; I != NumOps; ++I)
    if (Bits.test(I))
      Ops.push_back(Op(I));
  return Ops;
}

void OpSet::print(raw_ostream &OS) const {
  if (isAll()) {
    OS << '*';
    return;
  }
  std::vector<Op> Ops = getOps();
  if (Ops.size() == 1) {
    OS << getMnemonic(Ops[0]);
    return;
  }
  OS << '{';
  llvm::interleaveComma(Ops, OS, [&](Op O) { OS << getMnemonic(O); });
  OS << '}';
}

//===----------------------------------------------------------------------===//
// TypeSet
//===----------------------------------------------------------------------===//

static constexpr uint64_t AllScalars =
    NumScalarKinds == 64 ? ~uint64_t(0) : (uint64_t(1) << NumScalarKinds) - 1;

TypeSet TypeSet::any() {
  TypeSet S;
  S.Scalars = AllScalars;
  S.Pointers = true;
  return S;
}

TypeSet TypeSet::of(std::initializer_list<ScalarKind> Kinds) {
  TypeSet S;
  for (ScalarKind K : Kinds)
    S.Scalars |= uint64_t(1) << unsigned(K);
  return S;
}

TypeSet TypeSet::ofCategory(ScalarCategory C) {
  TypeSet S;
  for (unsigned K = 0; K != NumScalarKinds; ++K)
    if (getScalarInfo(ScalarKind(K)).Category == C)
      S.Scalars |= uint64_t(1) << K;
  return S;
}

TypeSet TypeSet::bools() { return ofCategory(ScalarCategory::Bool); }
TypeSet TypeSet::index() { return ofCategory(ScalarCategory::Index); }
TypeSet TypeSet::signedIntegers() { return ofCategory(ScalarCategory::Signed); }
TypeSet TypeSet::unsignedIntegers() {
  return ofCategory(ScalarCategory::Unsigned);
}
TypeSet TypeSet::integers() {
  return index() | signedIntegers() | unsignedIntegers();
}
TypeSet TypeSet::floats() { return ofCategory(ScalarCategory::Float); }

TypeSet TypeSet::pointers() {
  TypeSet S;
  S.Pointers = true;
  return S;
}

bool TypeSet::isAny() const { return Scalars == AllScalars && Pointers; }

TypeSet TypeSet::operator|(const TypeSet &Other) const {
  TypeSet S;
  S.Scalars = Scalars | Other.Scalars;
  S.Pointers = Pointers || Other.Pointers;
  return S;
}

TypeSet TypeSet::operator&(const TypeSet &Other) const {
  TypeSet S;
  S.Scalars = Scalars & Other.Scalars;
  S.Pointers = Pointers && Other.Pointers;
  return S;
}

void TypeSet::print(raw_ostream &OS) const {
  if (isAny())
    return;
  llvm::SmallVector<llvm::StringRef, 8> Names;
  for (unsigned K = 0; K != NumScalarKinds; ++K)
    if ((Scalars >> K) & 1)
      Names.push_back(getScalarInfo(ScalarKind(K)).Mnemonic);
  if (Pointers)
    Names.push_back("ptr");
  if (Names.size() == 1) {
    OS << Names[0];
    return;
  }
  OS << '{';
  llvm::interleaveComma(Names, OS);
  OS << '}';
}

//===----------------------------------------------------------------------===//
// ArgMatch
//===----------------------------------------------------------------------===//

ArgMatch ArgMatch::value(int64_t V) {
  ArgMatch M;
  M.TheKind = Kind::Value;
  M.IntValue = V;
  return M;
}

ArgMatch ArgMatch::value(double V) {
  ArgMatch M;
  M.TheKind = Kind::Value;
  M.IsFloat = true;
  M.FloatValue = V;
  return M;
}

ArgMatch ArgMatch::predicate(llvm::StringRef Name, PredicateFn Fn) {
  assert(Fn && "a predicate needs a function");
  ArgMatch M;
  M.TheKind = Kind::Predicate;
  M.PredicateName = Name.str();
  M.Predicate = Fn;
  return M;
}

/// Whether the double `D` is the integer `I` (no rounding on either side).
static bool sameNumber(double D, int64_t I) {
  // 2^63 is the first double past the int64 range.
  if (!(D >= -9223372036854775808.0 && D < 9223372036854775808.0))
    return false;
  return D == std::trunc(D) && int64_t(D) == I;
}

bool ArgMatch::matches(const Arg *A) const {
  switch (TheKind) {
  case Kind::Any:
    return true;
  case Kind::Predicate:
    return Predicate(A);
  case Kind::Value:
    break;
  }
  if (!A)
    return false;
  if (A->isFloat())
    return IsFloat ? A->getFloat() == FloatValue
                   : sameNumber(A->getFloat(), IntValue);
  if (!A->isInt() && !A->isBool())
    return false;
  return IsFloat ? sameNumber(FloatValue, A->getInt())
                 : A->getInt() == IntValue;
}

void ArgMatch::print(raw_ostream &OS) const {
  switch (TheKind) {
  case Kind::Any:
    return;
  case Kind::Predicate:
    OS << '?' << PredicateName;
    return;
  case Kind::Value:
    if (IsFloat)
      printExactFloat(OS, FloatValue, ScalarKind::F64);
    else
      OS << IntValue;
    return;
  }
}

//===----------------------------------------------------------------------===//
// Pattern
//===----------------------------------------------------------------------===//

Pattern Pattern::named(llvm::StringRef N) const {
  Pattern P = *this;
  P.Name = N.str();
  return P;
}

Pattern Pattern::types(TypeSet T) const {
  Pattern P = *this;
  P.Types = T;
  return P;
}

Pattern Pattern::arg(ArgMatch A) const {
  Pattern P = *this;
  P.Argument = std::move(A);
  return P;
}

Pattern Pattern::anyOrder() const {
  assert(Mode == SourceMode::Exact && !IsAlternatives &&
         "only a fixed list of sources can match in any order");
  assert(Sources.size() <= MaxPermutedSources &&
         "too many sources to match in any order");
  Pattern P = *this;
  P.Mode = SourceMode::Permutations;
  return P;
}

Pattern Pattern::withRest() const {
  assert(Mode == SourceMode::Exact && !IsAlternatives &&
         "only a fixed list of sources can take more after it");
  Pattern P = *this;
  P.Mode = SourceMode::Prefix;
  return P;
}

OpSet Pattern::getRootOps() const {
  if (!IsAlternatives)
    return Ops;
  OpSet Union;
  for (const Pattern &Alternative : Sources)
    Union = Union | Alternative.getRootOps();
  return Ops & Union;
}

/// A pattern that accepts any UOp and binds it (or nothing): `$x`, `_`.
static bool isWildcard(const Pattern &P) {
  return P.Ops.isAll() && P.Mode == SourceMode::Any && !P.IsAlternatives &&
         P.Argument.getKind() == ArgMatch::Kind::Any;
}

/// `0`: a const of a value, nothing else said.
static bool isPlainConstant(const Pattern &P) {
  return P.Ops == OpSet{Op::Const} && P.Mode == SourceMode::Any &&
         P.Types.isAny() && P.Name.empty() &&
         P.Argument.getKind() == ArgMatch::Kind::Value;
}

void Pattern::print(raw_ostream &OS) const {
  if (isWildcard(*this)) {
    OS << (Name.empty() ? "_" : "$" + Name);
    if (!Types.isAny()) {
      OS << ':';
      Types.print(OS);
    }
    return;
  }
  if (isPlainConstant(*this)) {
    Argument.print(OS);
    return;
  }
  if (!Name.empty())
    OS << '$' << Name << '=';
  OS << '(';
  if (IsAlternatives)
    OS << "anyOf";
  else
    Ops.print(OS);
  if (!Types.isAny()) {
    OS << ':';
    Types.print(OS);
  }
  if (Argument.getKind() != ArgMatch::Kind::Any) {
    OS << " = ";
    Argument.print(OS);
  }
  if (Mode == SourceMode::Permutations)
    OS << " {any order}";
  if (Mode == SourceMode::Each)
    OS << " each";
  if (!Sources.empty()) {
    OS << ' ';
    llvm::interleaveComma(Sources, OS, [&](const Pattern &S) { S.print(OS); });
  }
  if (Mode == SourceMode::Prefix)
    OS << (Sources.empty() ? " ..." : ", ...");
  OS << ')';
}

std::string Pattern::str() const {
  std::string S;
  llvm::raw_string_ostream OS(S);
  print(OS);
  return S;
}

//===----------------------------------------------------------------------===//
// Builders
//===----------------------------------------------------------------------===//

Pattern pattern::any() { return Pattern(); }

Pattern pattern::var(llvm::StringRef Name, TypeSet Types) {
  return any().named(Name).types(Types);
}

Pattern pattern::constant(int64_t Value) {
  return op(Op::Const).arg(ArgMatch::value(Value));
}

Pattern pattern::constant(double Value) {
  return op(Op::Const).arg(ArgMatch::value(Value));
}

Pattern pattern::anyConstant(llvm::StringRef Name, TypeSet Types) {
  return op(Op::Const).named(Name).types(Types);
}

Pattern pattern::op(Op O, std::vector<Pattern> Sources) {
  return ops(OpSet{O}, std::move(Sources));
}

Pattern pattern::op(Op O) { return ops(OpSet{O}); }

Pattern pattern::ops(OpSet Ops, std::vector<Pattern> Sources) {
  Pattern P;
  P.Ops = Ops;
  P.Mode = SourceMode::Exact;
  P.Sources = std::move(Sources);
  return P;
}

Pattern pattern::ops(OpSet Ops) {
  Pattern P;
  P.Ops = Ops;
  return P;
}

Pattern pattern::eachSource(OpSet Ops, Pattern Each) {
  Pattern P;
  P.Ops = Ops;
  P.Mode = SourceMode::Each;
  P.Sources.push_back(std::move(Each));
  return P;
}

Pattern pattern::anyOf(std::vector<Pattern> Alternatives) {
  Pattern P;
  P.IsAlternatives = true;
  P.Sources = std::move(Alternatives);
  return P;
}
