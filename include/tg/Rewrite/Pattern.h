//===- Pattern.h - the pattern language of rewrite rules --------*- C++ -*-===//
//
// A Pattern is a plain tree of data describing the UOps a rule applies to:
// at each node a set of ops, a set of dtypes, a predicate on the argument,
// how the sources are matched, and an optional binding name. Nothing in it
// is a callback except an optional named argument predicate, so tg-tblgen
// can build patterns from td/patterns/*.td and the Z3 prover can read them.
//
// The builder functions in namespace tg::pattern read like the rules:
//
//   using namespace tg::pattern;
//   op(Op::Add, {var("x"), constant(0)}).anyOrder()   // x + 0, either order
//   op(Op::Add, {var("x"), var("x")})                 // x + x, same UOp twice
//   ops({Op::Sink, Op::Group}).withRest()             // any number of sources
//
// docs/Rewrite.md describes the language in full.
//
//===----------------------------------------------------------------------===//

#ifndef TG_REWRITE_PATTERN_H
#define TG_REWRITE_PATTERN_H

#include "tg/IR/UOp.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <bitset>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace tg {

/// A set of ops.
class OpSet {
public:
  OpSet() = default;
  OpSet(std::initializer_list<Op> Ops);
  static OpSet all();
  /// Every op with trait `T` (e.g. all commutative ops).
  static OpSet withTrait(OpTrait T);

  bool contains(Op O) const { return Bits.test(unsigned(O)); }
  bool isAll() const { return Bits.all(); }
  bool empty() const { return Bits.none(); }
  OpSet operator|(const OpSet &Other) const;
  OpSet operator&(const OpSet &Other) const;
  bool operator==(const OpSet &Other) const { return Bits == Other.Bits; }
  /// The members in enum order.
  std::vector<Op> getOps() const;

  /// `*` for all ops, `add` for one, `{add, mul}` for several.
  void print(llvm::raw_ostream &OS) const;

private:
  std::bitset<NumOps> Bits;
};

/// A set of dtypes, described by lane type so that one pattern serves every
/// Context: a scalar or vector type is in the set when its scalar kind is,
/// a pointer or image when the set holds pointers.
class TypeSet {
public:
  /// The empty set; start from one of the factories below.
  TypeSet() = default;
  static TypeSet any();
  static TypeSet of(std::initializer_list<ScalarKind> Kinds);
  static TypeSet bools();
  static TypeSet index();
  static TypeSet signedIntegers();
  static TypeSet unsignedIntegers();
  /// index, signed and unsigned: the types DType::isInteger() accepts.
  static TypeSet integers();
  static TypeSet floats();
  static TypeSet pointers();

  bool contains(DType T) const {
    if (T.isPointer())
      return Pointers;
    return (Scalars >> unsigned(T.getScalarKind())) & 1;
  }
  bool containsScalar(ScalarKind K) const {
    return (Scalars >> unsigned(K)) & 1;
  }
  bool containsPointers() const { return Pointers; }
  bool isAny() const;
  TypeSet operator|(const TypeSet &Other) const;
  TypeSet operator&(const TypeSet &Other) const;
  bool operator==(const TypeSet &Other) const {
    return Scalars == Other.Scalars && Pointers == Other.Pointers;
  }

  /// `index`, `{i32, i64}`, `{f32, ptr}`; nothing for the full set.
  void print(llvm::raw_ostream &OS) const;

private:
  static TypeSet ofCategory(ScalarCategory C);
  uint64_t Scalars = 0; ///< Bit i: ScalarKind(i).
  bool Pointers = false;
  static_assert(NumScalarKinds <= 64, "TypeSet holds scalar kinds in 64 bits");
};

/// What a pattern requires of a UOp's argument.
class ArgMatch {
public:
  enum class Kind : uint8_t {
    Any,       ///< No requirement.
    Value,     ///< A constant numerically equal to a value.
    Predicate, ///< A named C++ predicate holds.
  };
  using PredicateFn = bool (*)(const Arg *A);

  ArgMatch() = default;
  /// Integer, bool or float argument equal to `V` as a number: `value(0)`
  /// matches `const 0 : index`, `const false : bool`, `const 0.0 : f32` and
  /// `const -0.0 : f32`. Restrict the pattern's dtypes to pick a family.
  static ArgMatch value(int64_t V);
  static ArgMatch value(int V) { return value(int64_t(V)); }
  static ArgMatch value(double V);
  static ArgMatch predicate(llvm::StringRef Name, PredicateFn Fn);

  Kind getKind() const { return TheKind; }
  bool isFloatValue() const { return IsFloat; }
  int64_t getIntValue() const { return IntValue; }
  double getFloatValue() const { return FloatValue; }
  llvm::StringRef getPredicateName() const { return PredicateName; }
  PredicateFn getPredicate() const { return Predicate; }

  bool matches(const Arg *A) const;
  void print(llvm::raw_ostream &OS) const;

private:
  Kind TheKind = Kind::Any;
  bool IsFloat = false;
  int64_t IntValue = 0;
  double FloatValue = 0;
  std::string PredicateName;
  PredicateFn Predicate = nullptr;
};

/// How many sources a pattern matched in any order may have (n! orders).
inline constexpr unsigned MaxPermutedSources = 4;

/// How a pattern's sources are matched against a UOp's sources.
enum class SourceMode : uint8_t {
  Any,          ///< Sources are not looked at.
  Exact,        ///< As many sources as patterns, in order.
  Prefix,       ///< At least as many; the rest may be anything.
  Each,         ///< Every source (any number) matches the one pattern,
                ///< each by its first match (no backtracking across them).
  Permutations, ///< As many sources as patterns, in some order.
};

/// One node of a pattern tree. A node matches a UOp when the op, the dtype
/// and the argument are accepted, the name (if any) is unbound or bound to
/// this very UOp, and the sources match as `Mode` says. An alternatives node
/// (built by anyOf) instead matches when one of `Sources` matches the UOp.
struct Pattern {
  static constexpr uint8_t NoSlot = 0xff;

  OpSet Ops = OpSet::all();
  TypeSet Types = TypeSet::any();
  ArgMatch Argument;
  SourceMode Mode = SourceMode::Any;
  bool IsAlternatives = false;
  std::vector<Pattern> Sources;
  /// Binding name (without `$`); empty for none.
  std::string Name;
  /// The binding slot, assigned from Name when a Rule is made.
  uint8_t Slot = NoSlot;

  //--- Builders: each returns a modified copy ------------------------------//

  Pattern named(llvm::StringRef N) const;
  Pattern types(TypeSet T) const;
  Pattern arg(ArgMatch A) const;
  /// Match the sources in any order (the source count is fixed).
  Pattern anyOrder() const;
  /// Allow more sources after the listed ones.
  Pattern withRest() const;

  /// The ops a UOp matched by this pattern can have (the dispatch key).
  OpSet getRootOps() const;

  /// A one-line form: `(add {any order} $x:index, 0)`, `$r=(add $x, $x)`,
  /// `(sink _, ...)`, `$v=(anyOf (const), (vconst))`; a plain constant
  /// pattern prints as its value.
  void print(llvm::raw_ostream &OS) const;
  std::string str() const;
};

/// Builders for patterns; `using namespace tg::pattern` in rule files.
namespace pattern {

/// Any UOp.
Pattern any();
/// Any UOp, bound to `Name`; with a TypeSet, only UOps of those types.
Pattern var(llvm::StringRef Name, TypeSet Types = TypeSet::any());
/// A `const` numerically equal to `Value` (see ArgMatch::value).
Pattern constant(int64_t Value);
inline Pattern constant(int Value) { return constant(int64_t(Value)); }
Pattern constant(double Value);
/// Any `const`, bound to `Name`.
Pattern anyConstant(llvm::StringRef Name, TypeSet Types = TypeSet::any());
/// A UOp of op `O` whose sources match `Sources` exactly, in order.
Pattern op(Op O, std::vector<Pattern> Sources);
/// A UOp of op `O`; its sources are not looked at.
Pattern op(Op O);
/// A UOp with one of `Ops`, sources matched in order.
Pattern ops(OpSet Ops, std::vector<Pattern> Sources);
Pattern ops(OpSet Ops);
/// A UOp of one of `Ops` whose every source (any number) matches `Each`.
Pattern eachSource(OpSet Ops, Pattern Each);
/// Any of `Alternatives`, tried in order.
Pattern anyOf(std::vector<Pattern> Alternatives);

} // namespace pattern

inline llvm::raw_ostream &operator<<(llvm::raw_ostream &OS, const Pattern &P) {
  P.print(OS);
  return OS;
}

} // namespace tg

#endif // TG_REWRITE_PATTERN_H
