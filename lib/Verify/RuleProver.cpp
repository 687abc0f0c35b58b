//===- RuleProver.cpp - proving rewrite rules with Z3 ---------------------===//
//
// A declarative rule is read from its tables (Declarative.h) the way the
// rewrite engine reads them: the pattern's types follow from the root's
// dtype, the result's from ResultBuilder's rules, and a fold is evalAlu's op
// on symbolic constants (encodeOp), with "no value" meaning "no rewrite".
// Hook rules are run on random DAGs through the rewrite engine itself.
//
//===----------------------------------------------------------------------===//

#include "tg/Verify/RuleProver.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Context.h"
#include "tg/Rewrite/Declarative.h"
#include "tg/Rewrite/GraphRewrite.h"
#include "tg/Verify/Semantics.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace tg;
using namespace tg::declarative;

namespace {

ScalarCategory categoryOf(ScalarKind K) { return getScalarInfo(K).Category; }
llvm::Error makeStringError(const std::string &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}
const char *nameOf(ScalarKind K) { return getScalarInfo(K).Mnemonic; }
bool isIntegerOrBool(ScalarKind K) {
  ScalarCategory C = categoryOf(K);
  return C != ScalarCategory::Float && C != ScalarCategory::Void;
}

/// Every value type, in ScalarKind order.
std::vector<ScalarKind> valueKinds() {
  std::vector<ScalarKind> Kinds;
  for (unsigned I = 0; I != NumScalarKinds; ++I)
    if (categoryOf(ScalarKind(I)) != ScalarCategory::Void)
      Kinds.push_back(ScalarKind(I));
  return Kinds;
}

/// Whether `Types` admits the scalar type `K`.
bool admits(RuleTypes Types, ScalarKind K) {
  ScalarCategory C = categoryOf(K);
  bool Integer = C == ScalarCategory::Index || C == ScalarCategory::Signed ||
                 C == ScalarCategory::Unsigned;
  switch (Types) {
  case RuleTypes::IndexType:
    return C == ScalarCategory::Index;
  case RuleTypes::IntegerTypes:
    return Integer;
  case RuleTypes::BoolType:
    return C == ScalarCategory::Bool;
  case RuleTypes::IntOrBool:
    return Integer || C == ScalarCategory::Bool;
  case RuleTypes::FloatTypes:
    return C == ScalarCategory::Float;
  case RuleTypes::AnyTypes:
    return true;
  }
  return false;
}

/// The scalar types of `Types`, index first.
std::vector<ScalarKind> kindsOf(RuleTypes Types) {
  std::vector<ScalarKind> Kinds;
  if (admits(Types, ScalarKind::Index))
    Kinds.push_back(ScalarKind::Index);
  for (ScalarKind K : valueKinds())
    if (K != ScalarKind::Index && admits(Types, K))
      Kinds.push_back(K);
  return Kinds;
}

/// The smallest and largest values of the fixed-width (or bool) type K.
z3::expr typeMin(z3::context &Ctx, ScalarKind K) {
  if (K == ScalarKind::Bool)
    return Ctx.bool_val(false);
  unsigned Bits = getScalarInfo(K).Bits;
  bool Signed = categoryOf(K) == ScalarCategory::Signed;
  return Ctx.bv_val(Signed ? uint64_t(1) << (Bits - 1) : 0, Bits);
}
z3::expr typeMax(z3::context &Ctx, ScalarKind K) {
  if (K == ScalarKind::Bool)
    return Ctx.bool_val(true);
  unsigned Bits = getScalarInfo(K).Bits;
  bool Signed = categoryOf(K) == ScalarCategory::Signed;
  uint64_t AllOnes = Bits == 64 ? ~uint64_t(0) : (uint64_t(1) << Bits) - 1;
  return Ctx.bv_val(Signed ? AllOnes >> 1 : AllOnes, Bits);
}

/// A value of a model, as a person reads it: integers in decimal by their
/// type's signedness, floats as decimals, inf or nan.
std::string formatValue(const z3::model &Model, const z3::expr &E,
                        ScalarKind K) {
  z3::expr V = Model.eval(E, /*model_completion=*/true);
  switch (categoryOf(K)) {
  case ScalarCategory::Bool:
    return V.is_true() ? "true" : "false";
  case ScalarCategory::Index:
    return V.get_decimal_string(0);
  case ScalarCategory::Signed:
  case ScalarCategory::Unsigned:
    return Model.eval(toInt(E, K), true).get_decimal_string(0);
  case ScalarCategory::Float: {
    if (!V.is_fpa()) // fp8e4m3: its bits
      return "bits " + V.get_decimal_string(0);
    auto holds = [&](Z3_ast A) {
      return Model.eval(z3::expr(V.ctx(), A), true).is_true();
    };
    bool Negative = holds(Z3_mk_fpa_is_negative(V.ctx(), V));
    if (holds(Z3_mk_fpa_is_nan(V.ctx(), V)))
      return "nan";
    if (holds(Z3_mk_fpa_is_infinite(V.ctx(), V)))
      return Negative ? "-inf" : "inf";
    if (holds(Z3_mk_fpa_is_zero(V.ctx(), V)))
      return Negative ? "-0.0" : "0.0";
    z3::expr Real =
        Model.eval(z3::expr(V.ctx(), Z3_mk_fpa_to_real(V.ctx(), V)), true);
    return Z3_get_numeral_decimal_string(V.ctx(), Real, 20);
  }
  case ScalarCategory::Void:
    break;
  }
  return "?";
}

//===----------------------------------------------------------------------===//
// Declarative rules
//===----------------------------------------------------------------------===//

/// The types and ops of one proof of a rule.
struct Instance {
  ScalarKind RuleType;    ///< The root's, or a comparison root's operands'.
  ScalarKind CompareType; ///< Operands of comparisons below the root.
  std::vector<Op> Ops;    ///< The op of each pattern node (Op nodes).
};

enum class Outcome { Proved, NotApplicable, Failed };

/// A free variable of the proof: a binding, a constant or a guard quantity.
struct Variable {
  std::string Name;
  z3::expr Value;
  std::optional<ScalarKind> Kind; ///< None: an exact integer of the guard.
};

/// The query of one rule on one Instance.
class DeclarativeProof {
public:
  DeclarativeProof(z3::context &Ctx, const RuleData &R, const Instance &I)
      : Ctx(Ctx), R(R), I(I), Preconditions(Ctx) {}

  /// Builds and solves the query; on failure `Message` says why.
  Outcome run(unsigned ResourceLimit, std::string &Message);

private:
  struct Binding {
    std::string Name;
    z3::expr Value;
    ScalarKind Kind;
    bool IsConst;
  };
  struct GuardValue {
    z3::expr Defined;
    z3::expr Value; ///< An Int; bools are 0 or 1.
  };

  llvm::Expected<Z3Value> encodePattern(unsigned Index, ScalarKind Expected);
  z3::expr bind(const char *Name, ScalarKind Kind, bool IsConst);
  z3::expr literal(int64_t Value, ScalarKind Kind);
  const Binding *lookup(const char *Name) const;

  GuardValue encodeGuard(unsigned Index);
  void chooseGuardDomain();
  z3::expr guardLiteral(int64_t Value);
  z3::expr guardVariable(const std::string &Name);
  z3::expr guardValueOf(const Binding &B, bool Stored);
  z3::expr divides(const z3::expr &Divisor, const z3::expr &Value);

  std::optional<ScalarKind> inferType(unsigned Index);
  std::optional<ScalarKind> getOperandType(const ResultNode &N);
  llvm::Expected<Z3Value> encodeResult(unsigned Index, ScalarKind Expected);

  std::string describeCounterexample(const z3::solver &S, const Z3Value &Lhs,
                                     const Z3Value &Rhs, ScalarKind RootKind);

  z3::context &Ctx;
  const RuleData &R;
  const Instance &I;
  std::vector<Binding> Bindings; ///< In order of first occurrence.
  std::vector<Variable> GuardVariables;
  z3::expr_vector Preconditions;
  bool NotApplicable = false;
  unsigned NumFresh = 0;
  /// Guard arithmetic: exact Ints, or, when every binding is a fixed-width
  /// integer (or bool), signed bit-vectors of this width, twice the widest
  /// type plus 8 bits, which hold every guard quantity and the product of
  /// two (and Z3 solves them far faster than Ints tied to bit-vectors).
  std::optional<unsigned> GuardWidth;
};

const DeclarativeProof::Binding *
DeclarativeProof::lookup(const char *Name) const {
  for (const Binding &B : Bindings)
    if (B.Name == Name)
      return &B;
  return nullptr;
}

z3::expr DeclarativeProof::bind(const char *Name, ScalarKind Kind,
                                bool IsConst) {
  if (const Binding *B = lookup(Name)) {
    if (B->Kind != Kind) // one UOp has one type
      NotApplicable = true;
    return B->Value;
  }
  z3::expr V = makeFreeConst(Ctx, Kind, Name);
  // Index constants are int64 (ConstValue).
  if (IsConst && Kind == ScalarKind::Index)
    Preconditions.push_back(
        V >= Ctx.int_val(std::numeric_limits<int64_t>::min()) &&
        V <= Ctx.int_val(std::numeric_limits<int64_t>::max()));
  Bindings.push_back({Name, V, Kind, IsConst});
  return V;
}

/// A pattern's `(Const V)` in type `Kind`: a `const` whose stored value is
/// V (numerically equal, for floats); NotApplicable when no constant of the
/// type is.
z3::expr DeclarativeProof::literal(int64_t Value, ScalarKind Kind) {
  const ScalarInfo &Info = getScalarInfo(Kind);
  z3::sort Sort = sortOf(Ctx, Kind);
  auto unmatchable = [&] {
    NotApplicable = true;
    return Ctx.constant("unmatchable", Sort);
  };
  switch (Info.Category) {
  case ScalarCategory::Index:
    return Ctx.int_val(Value);
  case ScalarCategory::Bool:
    if (Value != 0 && Value != 1)
      return unmatchable();
    return Ctx.bool_val(Value != 0);
  case ScalarCategory::Signed:
    if (Info.Bits < 64 && (Value < -(int64_t(1) << (Info.Bits - 1)) ||
                           Value >= (int64_t(1) << (Info.Bits - 1))))
      return unmatchable();
    return Ctx.bv_val(uint64_t(Value), Info.Bits);
  case ScalarCategory::Unsigned:
    // u64 stores its bit pattern, so (Const -1) is 2^64 - 1 there.
    if (Info.Bits < 64 && (Value < 0 || Value >= (int64_t(1) << Info.Bits)))
      return unmatchable();
    return Ctx.bv_val(uint64_t(Value), Info.Bits);
  case ScalarCategory::Float: {
    if (!Sort.is_fpa()) // fp8e4m3: only its zeros are numerically 0
      return Value == 0 ? encodeConst(Ctx, Kind, ConstValue::getFloat(0.0))
                        : unmatchable();
    // Every float numerically equal to Value, -0.0 for 0 included.
    z3::expr C =
        Ctx.constant(("const" + std::to_string(NumFresh++)).c_str(), Sort);
    z3::expr Real(Ctx, Z3_mk_fpa_to_real(Ctx, C));
    Preconditions.push_back(!C.mk_is_nan() && !C.mk_is_inf() &&
                            Real == Ctx.real_val(int64_t(Value)));
    return C;
  }
  case ScalarCategory::Void:
    break;
  }
  return unmatchable();
}

llvm::Expected<Z3Value> DeclarativeProof::encodePattern(unsigned Index,
                                                        ScalarKind Expected) {
  const PatternNode &N = R.Pattern[Index];
  z3::expr False = Ctx.bool_val(false);
  switch (N.Kind) {
  case PatternNodeKind::Binding:
    return Z3Value{bind(N.Name, Expected, /*IsConst=*/false), False};
  case PatternNodeKind::ConstBinding:
    return Z3Value{bind(N.Name, Expected, /*IsConst=*/true), False};
  case PatternNodeKind::ConstValue:
    return Z3Value{literal(N.Value, Expected), False};
  case PatternNodeKind::Op:
    break;
  }
  Op O = I.Ops[Index];
  ScalarKind Result = Expected, Operand = Expected;
  if (hasTrait(O, OpTrait::Comparison)) {
    if (Expected != ScalarKind::Bool)
      NotApplicable = true;
    Result = ScalarKind::Bool;
    Operand = Index == 0 ? I.RuleType : I.CompareType;
  }
  llvm::SmallVector<Z3Value, 3> Operands;
  for (unsigned C = 0; C != N.NumChildren; ++C) {
    bool IsCondition = O == Op::Where && C == 0;
    llvm::Expected<Z3Value> V = encodePattern(
        N.FirstChild + C, IsCondition ? ScalarKind::Bool : Operand);
    if (!V)
      return V.takeError();
    Operands.push_back(*V);
  }
  if (NotApplicable)
    return Z3Value{Ctx.constant("unmatchable", sortOf(Ctx, Result)), False};
  ScalarKind FirstOperand = O == Op::Where ? ScalarKind::Bool : Operand;
  llvm::Expected<Z3Value> V = encodeOp(Ctx, O, Result, FirstOperand, Operands);
  if (!V)
    return V.takeError();
  if (N.Name) {
    if (lookup(N.Name))
      return makeStringError("the name $" + std::string(N.Name) +
                             " binds two nodes");
    Bindings.push_back({N.Name, V->Value, Result, /*IsConst=*/false});
  }
  return V;
}

void DeclarativeProof::chooseGuardDomain() {
  unsigned Widest = 0;
  for (const Binding &B : Bindings) {
    ScalarCategory C = categoryOf(B.Kind);
    if (C == ScalarCategory::Index)
      return;
    if (C == ScalarCategory::Signed || C == ScalarCategory::Unsigned)
      Widest = std::max(Widest, getScalarInfo(B.Kind).Bits);
  }
  if (Widest)
    GuardWidth = 2 * Widest + 8;
}

z3::expr DeclarativeProof::guardLiteral(int64_t Value) {
  if (GuardWidth)
    return Ctx.bv_val(Value, *GuardWidth);
  return Ctx.int_val(Value);
}

z3::expr DeclarativeProof::guardVariable(const std::string &Name) {
  for (const Variable &V : GuardVariables)
    if (V.Name == Name)
      return V.Value;
  z3::expr V = GuardWidth ? Ctx.bv_const(Name.c_str(), *GuardWidth)
                          : Ctx.int_const(Name.c_str());
  GuardVariables.push_back({Name, V, std::nullopt});
  return V;
}

/// The integer a guard sees for binding B: its value by the type's
/// signedness, or, with `Stored`, the int64 a `const` stores (u64 reads as
/// its signed bit pattern).
z3::expr DeclarativeProof::guardValueOf(const Binding &B, bool Stored) {
  ScalarCategory C = categoryOf(B.Kind);
  bool Signed =
      C == ScalarCategory::Signed || (Stored && B.Kind == ScalarKind::U64);
  if (!GuardWidth) {
    if (C == ScalarCategory::Signed || C == ScalarCategory::Unsigned)
      return z3::bv2int(B.Value, Signed);
    return toInt(B.Value, B.Kind);
  }
  if (C == ScalarCategory::Bool)
    return z3::ite(B.Value, guardLiteral(1), guardLiteral(0));
  unsigned Extra = *GuardWidth - getScalarInfo(B.Kind).Bits;
  return z3::expr(Ctx, Signed ? Z3_mk_sign_ext(Ctx, Extra, B.Value)
                              : Z3_mk_zero_ext(Ctx, Extra, B.Value));
}

/// Divisor divides Value (0 divides only 0), without multiplying unknowns.
z3::expr DeclarativeProof::divides(const z3::expr &Divisor,
                                   const z3::expr &Value) {
  z3::expr Zero = guardLiteral(0);
  z3::expr Remainder =
      GuardWidth ? z3::srem(Value, Divisor) : z3::mod(Value, Divisor);
  return z3::ite(Divisor == Zero, Value == Zero, Remainder == Zero);
}

/// The guard with exact integers, defined exactly where GuardEvaluator
/// (lib/Rewrite/Declarative.cpp) has a value, except that bounds are never
/// infinite and nothing overflows 128 bits here: a superset of the cases
/// where the guard holds, which is the sound direction.
DeclarativeProof::GuardValue DeclarativeProof::encodeGuard(unsigned Index) {
  const GuardNode &N = R.Guard[Index];
  z3::expr True = Ctx.bool_val(true);
  auto child = [&](unsigned C) { return encodeGuard(N.FirstChild + C); };
  auto boolean = [&](const z3::expr &B) {
    return z3::ite(B, guardLiteral(1), guardLiteral(0));
  };
  const Binding *B = N.Name ? lookup(N.Name) : nullptr;
  switch (N.Kind) {
  case GuardNodeKind::Always:
    return {True, guardLiteral(1)};
  case GuardNodeKind::Literal:
    return {True, guardLiteral(N.Value)};
  case GuardNodeKind::Value: {
    if (!B || !isIntegerOrBool(B->Kind))
      return {Ctx.bool_val(false), guardLiteral(0)};
    z3::expr Value = guardValueOf(*B, /*Stored=*/true);
    // Only a `const` has a value; any other UOp may or may not be one.
    z3::expr Defined =
        B->IsConst ? True
                   : Ctx.bool_const(("isconst($" + B->Name + ")").c_str());
    return {Defined, Value};
  }
  case GuardNodeKind::VMin:
  case GuardNodeKind::VMax: {
    bool IsMin = N.Kind == GuardNodeKind::VMin;
    std::string Name =
        (IsMin ? "vmin($" : "vmax($") + std::string(N.Name) + ")";
    bool Fresh = llvm::none_of(
        GuardVariables, [&](const Variable &V) { return V.Name == Name; });
    z3::expr Bound = guardVariable(Name);
    if (Fresh && B && isIntegerOrBool(B->Kind)) {
      z3::expr Value = guardValueOf(*B, /*Stored=*/false);
      Preconditions.push_back(IsMin ? Bound <= Value : Value <= Bound);
      // Ranges of fixed-width values lie within the type.
      if (GuardWidth)
        Preconditions.push_back(
            IsMin
                ? guardValueOf({B->Name, typeMin(Ctx, B->Kind), B->Kind, false},
                               false) <= Bound
                : Bound <= guardValueOf(
                               {B->Name, typeMax(Ctx, B->Kind), B->Kind, false},
                               false));
    }
    return {True, Bound};
  }
  case GuardNodeKind::Factor: {
    if (!B || !isIntegerOrBool(B->Kind)) // not an integer: factor 1
      return {True, guardLiteral(1)};
    std::string Name = "factor($" + B->Name + ")";
    bool Fresh = llvm::none_of(
        GuardVariables, [&](const Variable &V) { return V.Name == Name; });
    z3::expr Factor = guardVariable(Name);
    if (Fresh)
      Preconditions.push_back(
          Factor >= 0 && divides(Factor, guardValueOf(*B, /*Stored=*/false)));
    return {True, Factor};
  }
  case GuardNodeKind::Neg: {
    GuardValue A = child(0);
    return {A.Defined, -A.Value};
  }
  case GuardNodeKind::Not: {
    GuardValue A = child(0);
    return {A.Defined, boolean(A.Value == 0)};
  }
  case GuardNodeKind::All:
  case GuardNodeKind::Any: {
    // Left to right, stopping at the first false (all) or true (any).
    bool IsAny = N.Kind == GuardNodeKind::Any;
    GuardValue Rest{True, guardLiteral(IsAny ? 0 : 1)};
    for (unsigned C = N.NumChildren; C-- > 0;) {
      GuardValue A = child(C);
      z3::expr Stops = IsAny ? A.Value != 0 : A.Value == 0;
      Rest = {A.Defined && (Stops || Rest.Defined),
              z3::ite(Stops, guardLiteral(IsAny ? 1 : 0), Rest.Value)};
    }
    return Rest;
  }
  default:
    break;
  }
  GuardValue A = child(0), C = child(1);
  z3::expr Defined = A.Defined && C.Defined;
  switch (N.Kind) {
  case GuardNodeKind::Add:
    return {Defined, A.Value + C.Value};
  case GuardNodeKind::Sub:
    return {Defined, A.Value - C.Value};
  case GuardNodeKind::Mul:
    return {Defined, A.Value * C.Value};
  case GuardNodeKind::FDiv:
  case GuardNodeKind::FMod: {
    z3::expr Zero = guardLiteral(0);
    z3::expr NonZero = C.Value != Zero;
    bool IsDivision = N.Kind == GuardNodeKind::FDiv;
    if (!GuardWidth) {
      Op O = IsDivision ? Op::FloorDiv : Op::FloorMod;
      llvm::Expected<Z3Value> V = encodeOp(
          Ctx, O, ScalarKind::Index, ScalarKind::Index,
          {{A.Value, Ctx.bool_val(false)}, {C.Value, Ctx.bool_val(false)}});
      assert(V && "floor division of Ints is always encodable");
      return {Defined && NonZero, V->Value};
    }
    // Floor from truncation: step down when a nonzero remainder and the
    // divisor have opposite signs (no overflow at this width).
    z3::expr Quotient = A.Value / C.Value,
             Remainder = z3::srem(A.Value, C.Value);
    z3::expr StepDown =
        Remainder != Zero && ((Remainder < Zero) != (C.Value < Zero));
    return {Defined && NonZero,
            IsDivision ? z3::ite(StepDown, Quotient - 1, Quotient)
                       : z3::ite(StepDown, Remainder + C.Value, Remainder)};
  }
  case GuardNodeKind::Gcd: {
    // A common divisor, not necessarily the greatest: weaker, so sound.
    z3::expr G = guardVariable("gcd" + std::to_string(NumFresh++));
    Preconditions.push_back(G >= guardLiteral(0) && divides(G, A.Value) &&
                            divides(G, C.Value));
    return {Defined, G};
  }
  case GuardNodeKind::Eq:
    return {Defined, boolean(A.Value == C.Value)};
  case GuardNodeKind::Ne:
    return {Defined, boolean(A.Value != C.Value)};
  case GuardNodeKind::Lt:
    return {Defined, boolean(A.Value < C.Value)};
  case GuardNodeKind::Le:
    return {Defined, boolean(A.Value <= C.Value)};
  case GuardNodeKind::Gt:
    return {Defined, boolean(A.Value > C.Value)};
  case GuardNodeKind::Ge:
    return {Defined, boolean(A.Value >= C.Value)};
  default:
    break;
  }
  llvm_unreachable("every guard node kind is handled");
}

/// ResultBuilder::inferType on scalar kinds.
std::optional<ScalarKind> DeclarativeProof::inferType(unsigned Index) {
  const ResultNode &N = R.Result[Index];
  if (N.Kind == ResultNodeKind::Use) {
    const Binding *B = lookup(N.Name);
    return B ? std::optional<ScalarKind>(B->Kind) : std::nullopt;
  }
  if (N.Kind == ResultNodeKind::Const)
    return std::nullopt;
  if (hasTrait(N.TheOp, OpTrait::Comparison))
    return getOperandType(N) ? std::optional<ScalarKind>(ScalarKind::Bool)
                             : std::nullopt;
  unsigned First = N.Kind == ResultNodeKind::NewOp && N.TheOp == Op::Where;
  for (unsigned C = First; C < N.NumChildren; ++C)
    if (std::optional<ScalarKind> K = inferType(N.FirstChild + C))
      return K;
  return std::nullopt;
}

std::optional<ScalarKind>
DeclarativeProof::getOperandType(const ResultNode &N) {
  for (unsigned C = 0; C != N.NumChildren; ++C)
    if (std::optional<ScalarKind> K = inferType(N.FirstChild + C))
      return K;
  return std::nullopt;
}

/// ResultBuilder::build on Z3 terms. A fold's missing value means the rule
/// does not fire, so it is a precondition, not UB of the result.
llvm::Expected<Z3Value> DeclarativeProof::encodeResult(unsigned Index,
                                                       ScalarKind Expected) {
  const ResultNode &N = R.Result[Index];
  z3::expr False = Ctx.bool_val(false);
  switch (N.Kind) {
  case ResultNodeKind::Use: {
    const Binding *B = lookup(N.Name);
    if (!B)
      return makeStringError("the result uses $" + std::string(N.Name) +
                             ", which the pattern does not bind");
    return Z3Value{B->Value, False};
  }
  case ResultNodeKind::Const:
    // As ResultBuilder::makeConst: wrapped to the width; a float's value.
    if (categoryOf(Expected) == ScalarCategory::Float)
      return Z3Value{
          encodeConst(Ctx, Expected, ConstValue::getFloat(double(N.Value))),
          False};
    if (Expected == ScalarKind::Bool)
      return Z3Value{Ctx.bool_val(N.Value & 1), False};
    return Z3Value{encodeConst(Ctx, Expected, ConstValue::getInt(N.Value)),
                   False};
  case ResultNodeKind::Fold:
  case ResultNodeKind::NewOp:
    break;
  }
  ScalarKind Type = Expected, Operand = Expected;
  if (hasTrait(N.TheOp, OpTrait::Comparison)) {
    std::optional<ScalarKind> K = getOperandType(N);
    if (!K)
      return makeStringError("the operand type of a result '" +
                             getMnemonic(N.TheOp).str() +
                             "' cannot be inferred");
    Operand = *K;
    Type = ScalarKind::Bool;
  }
  if (N.Kind == ResultNodeKind::Fold)
    Type = Expected;
  llvm::SmallVector<Z3Value, 3> Operands;
  for (unsigned C = 0; C != N.NumChildren; ++C) {
    bool IsCondition =
        N.Kind == ResultNodeKind::NewOp && N.TheOp == Op::Where && C == 0;
    llvm::Expected<Z3Value> V = encodeResult(
        N.FirstChild + C, IsCondition ? ScalarKind::Bool : Operand);
    if (!V)
      return V.takeError();
    Operands.push_back(*V);
  }
  ScalarKind FirstOperand = N.TheOp == Op::Where ? ScalarKind::Bool : Operand;
  llvm::Expected<Z3Value> V =
      encodeOp(Ctx, N.TheOp, Type, FirstOperand, Operands);
  if (!V || N.Kind == ResultNodeKind::NewOp)
    return V;
  Preconditions.push_back(!V->UB);
  if (Type == ScalarKind::Index) // a fold outside int64 has no value
    Preconditions.push_back(
        V->Value >= Ctx.int_val(std::numeric_limits<int64_t>::min()) &&
        V->Value <= Ctx.int_val(std::numeric_limits<int64_t>::max()));
  return Z3Value{V->Value, False};
}

std::string DeclarativeProof::describeCounterexample(const z3::solver &S,
                                                     const Z3Value &Lhs,
                                                     const Z3Value &Rhs,
                                                     ScalarKind RootKind) {
  z3::model Model = S.get_model();
  std::string Text = "  counterexample:\n";
  for (const Binding &B : Bindings)
    Text += "    $" + B.Name + " = " + formatValue(Model, B.Value, B.Kind) +
            " : " + nameOf(B.Kind) + "\n";
  for (const Variable &V : GuardVariables)
    if (V.Name.find('/') == std::string::npos)
      Text += "    " + V.Name + " = " +
              Model.eval(V.Value, true).get_decimal_string(0) + "\n";
  Text += "    lhs = " + formatValue(Model, Lhs.Value, RootKind) + "\n";
  if (Model.eval(Rhs.UB, true).is_true())
    Text += "    rhs is undefined (the lhs is not)\n";
  else
    Text += "    rhs = " + formatValue(Model, Rhs.Value, RootKind) + "\n";
  return Text;
}

Outcome DeclarativeProof::run(unsigned ResourceLimit, std::string &Message) {
  bool RootIsComparison = R.Pattern[0].Kind == PatternNodeKind::Op &&
                          hasTrait(I.Ops[0], OpTrait::Comparison);
  ScalarKind RootKind = RootIsComparison ? ScalarKind::Bool : I.RuleType;
  llvm::Expected<Z3Value> Lhs = encodePattern(0, RootKind);
  if (!Lhs) {
    Message =
        "  cannot encode the pattern: " + toString(Lhs.takeError()) + "\n";
    return Outcome::Failed;
  }
  if (NotApplicable)
    return Outcome::NotApplicable;
  chooseGuardDomain();
  GuardValue Guard = encodeGuard(0);
  llvm::Expected<Z3Value> Rhs = encodeResult(0, RootKind);
  if (!Rhs) {
    Message = "  cannot encode the result: " + toString(Rhs.takeError()) + "\n";
    return Outcome::Failed;
  }
  z3::solver S(Ctx);
  z3::params Params(Ctx);
  Params.set("rlimit", ResourceLimit);
  S.set(Params);
  for (const z3::expr &P : Preconditions)
    S.add(P);
  S.add(Guard.Defined && Guard.Value != guardLiteral(0));
  S.add(!Lhs->UB);
  S.add(Rhs->UB || Rhs->Value != Lhs->Value);
  switch (S.check()) {
  case z3::unsat:
    return Outcome::Proved;
  case z3::sat:
    Message = describeCounterexample(S, *Lhs, *Rhs, RootKind);
    break;
  case z3::unknown:
    Message = "  unknown: " + S.reason_unknown() + " (rlimit " +
              std::to_string(ResourceLimit) + ")\n";
    break;
  }
  Message += "  query:\n" + S.to_smt2();
  return Outcome::Failed;
}

/// Every choice of op for the pattern's AnyOf nodes.
std::vector<std::vector<Op>> getOpChoices(const RuleData &R) {
  unsigned NumNodes = 0;
  // Nodes are stored in an array whose size the tables do not give: walk.
  std::vector<unsigned> Stack = {0};
  while (!Stack.empty()) {
    unsigned Index = Stack.back();
    Stack.pop_back();
    NumNodes = std::max(NumNodes, Index + 1);
    const PatternNode &N = R.Pattern[Index];
    for (unsigned C = 0; C != N.NumChildren; ++C)
      Stack.push_back(N.FirstChild + C);
  }
  std::vector<std::vector<Op>> Choices = {std::vector<Op>(NumNodes, Op())};
  for (unsigned Index = 0; Index != NumNodes; ++Index) {
    const PatternNode &N = R.Pattern[Index];
    if (N.Kind != PatternNodeKind::Op)
      continue;
    std::vector<std::vector<Op>> Next;
    for (const std::vector<Op> &Choice : Choices)
      for (unsigned K = 0; K != N.NumOps; ++K) {
        Next.push_back(Choice);
        Next.back()[Index] = N.Ops[K];
      }
    Choices = std::move(Next);
  }
  return Choices;
}

bool hasNestedComparison(const RuleData &R, const std::vector<Op> &Ops) {
  for (unsigned Index = 1; Index < Ops.size(); ++Index)
    if (R.Pattern[Index].Kind == PatternNodeKind::Op &&
        hasTrait(Ops[Index], OpTrait::Comparison))
      return true;
  return false;
}

//===----------------------------------------------------------------------===//
// Hook rules: random instances
//===----------------------------------------------------------------------===//

/// Builds random UOp DAGs that a hook rule's pattern matches.
class InstanceBuilder {
public:
  InstanceBuilder(Context &IR, uint64_t Seed) : IR(IR), Rng(Seed) {}

  /// A DAG for `R`'s pattern with root type `Kind` (a comparison root's
  /// operands'), or nullptr.
  const UOp *build(const RuleData &R, ScalarKind Kind);

private:
  const UOp *buildPattern(const RuleData &R, unsigned Index, DType Expected,
                          ScalarKind RuleKind);
  const UOp *randomExpr(DType T, unsigned Depth);
  const UOp *randomConst(DType T);
  const UOp *variable(DType T);
  int64_t pick(int64_t Lo, int64_t Hi) {
    return Lo + int64_t(Rng() % uint64_t(Hi - Lo + 1));
  }

  Context &IR;
  std::mt19937_64 Rng;
  std::map<std::string, const UOp *> Bound;
};

const UOp *InstanceBuilder::build(const RuleData &R, ScalarKind Kind) {
  Bound.clear();
  bool RootIsComparison =
      R.Pattern[0].Kind == PatternNodeKind::Op &&
      llvm::all_of(llvm::ArrayRef(R.Pattern[0].Ops, R.Pattern[0].NumOps),
                   [](Op O) { return hasTrait(O, OpTrait::Comparison); });
  DType Root = IR.getScalar(RootIsComparison ? ScalarKind::Bool : Kind);
  return buildPattern(R, 0, Root, Kind);
}

const UOp *InstanceBuilder::buildPattern(const RuleData &R, unsigned Index,
                                         DType Expected, ScalarKind RuleKind) {
  const PatternNode &N = R.Pattern[Index];
  switch (N.Kind) {
  case PatternNodeKind::Binding: {
    auto [It, Inserted] = Bound.try_emplace(N.Name, nullptr);
    if (Inserted)
      It->second = randomExpr(Expected, unsigned(pick(0, 3)));
    return It->second;
  }
  case PatternNodeKind::ConstBinding:
    return randomConst(Expected);
  case PatternNodeKind::ConstValue:
    if (Expected.isFloat())
      return IR.getFloatConst(Expected, double(N.Value));
    return IR.getConst(Expected, N.Value);
  case PatternNodeKind::Op:
    break;
  }
  Op O = N.Ops[pick(0, N.NumOps - 1)];
  DType Type = Expected, Operand = Expected;
  if (hasTrait(O, OpTrait::Comparison)) {
    if (!Expected.isBool())
      return nullptr;
    Operand = IR.getScalar(Index == 0 ? RuleKind : ScalarKind::Index);
  }
  if (O == Op::Cast) // to the expected type from another integer type
    Operand = IR.getScalar(pick(0, 1) ? ScalarKind::Index : ScalarKind::I32);
  if (O == Op::Bitcast || (O == Op::Threefry && !Type.isUnsigned()))
    return nullptr;
  std::vector<const UOp *> Srcs;
  for (unsigned C = 0; C != N.NumChildren; ++C) {
    bool IsCondition = O == Op::Where && C == 0;
    const UOp *Src = buildPattern(
        R, N.FirstChild + C,
        IsCondition ? IR.getScalar(ScalarKind::Bool) : Operand, RuleKind);
    if (!Src)
      return nullptr;
    Srcs.push_back(Src);
  }
  const UOp *U = IR.get(O, Type, Srcs);
  if (N.Name)
    Bound[N.Name] = U;
  return U;
}

const UOp *InstanceBuilder::randomConst(DType T) {
  if (T.isFloat()) {
    static constexpr double Values[] = {0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 3.0};
    return IR.getFloatConst(T, Values[pick(0, std::size(Values) - 1)]);
  }
  if (T.isBool())
    return IR.getConst(T, pick(0, 1));
  static constexpr int64_t Values[] = {0, 1, -1, 2, 3, 4, 6, 8, 16, -4};
  int64_t V =
      pick(0, 2) ? Values[pick(0, std::size(Values) - 1)] : pick(-40, 40);
  if (T.isUnsigned() && V < 0)
    V = -V;
  return IR.getConst(T, V);
}

/// One of three variables of type T, with a fresh random range.
const UOp *InstanceBuilder::variable(DType T) {
  int64_t Lo = T.isUnsigned() ? pick(0, 20) : pick(-20, 20);
  if (pick(0, 2) == 0)
    Lo = T.isUnsigned() ? 0 : pick(-3, 3);
  int64_t Hi = Lo + pick(0, 40);
  std::string Name = std::string(1, char('a' + pick(0, 2)));
  return IR.get(Op::DefineVar, T, {},
                IR.getListArg({IR.getStringArg(Name), IR.getIntArg(Lo),
                               IR.getIntArg(Hi)}));
}

const UOp *InstanceBuilder::randomExpr(DType T, unsigned Depth) {
  if (T.isFloat())
    return randomConst(T);
  if (T.isBool()) {
    if (Depth == 0 || pick(0, 3) == 0)
      return randomConst(T);
    DType Index = IR.getScalar(ScalarKind::Index);
    Op Compare = pick(0, 1) ? Op::CmpLT : Op::CmpNE;
    return IR.get(Compare, T,
                  {randomExpr(Index, Depth - 1), randomExpr(Index, 0)});
  }
  if (Depth == 0)
    return pick(0, 2) ? variable(T) : randomConst(T);
  auto sub = [&] { return randomExpr(T, Depth - 1); };
  auto positive = [&] { return IR.getConst(T, pick(1, 8)); };
  switch (pick(0, 9)) {
  case 0:
  case 1:
    return IR.get(Op::Add, T, {sub(), sub()});
  case 2:
    return IR.get(Op::Mul, T, {sub(), randomConst(T)});
  case 3:
    return IR.get(Op::FloorDiv, T, {sub(), positive()});
  case 4:
    return IR.get(Op::FloorMod, T, {sub(), positive()});
  case 5:
    return IR.get(Op::Sub, T, {sub(), sub()});
  case 6:
    return IR.get(Op::Max, T, {sub(), sub()});
  case 7:
    return IR.get(
        Op::Where, T,
        {randomExpr(IR.getScalar(ScalarKind::Bool), Depth - 1), sub(), sub()});
  case 8:
    return IR.get(Op::Neg, T, {sub()});
  default:
    return variable(T);
  }
}

/// A short inline form of an expression for failure messages.
void printInline(const UOp *U, llvm::raw_ostream &OS) {
  if (U->getOp() == Op::Const) {
    U->getArg()->print(OS);
    return;
  }
  if (U->getOp() == Op::DefineVar) {
    OS << U->getArgField(0)->getString() << "[" << U->getArgField(1)->getInt()
       << ", " << U->getArgField(2)->getInt() << "]";
    return;
  }
  OS << getMnemonic(U->getOp()) << "(";
  llvm::interleaveComma(U->getSrcs(), OS,
                        [&](const UOp *Src) { printInline(Src, OS); });
  OS << ")";
}

std::string inlineText(const UOp *U) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  printInline(U, OS);
  OS << " : " << U->getDType();
  return Text;
}

/// Proves `Out` equal to `In` under the variables' bounds; an empty string
/// when proved, else what went wrong.
std::string checkInstance(z3::context &Ctx, const UOp *In, const UOp *Out,
                          unsigned ResourceLimit) {
  ValueEncoder Encoder(Ctx);
  llvm::Expected<Z3Value> Before = Encoder.encode(In);
  if (!Before)
    return "cannot encode the input: " + toString(Before.takeError());
  llvm::Expected<Z3Value> After = Encoder.encode(Out);
  if (!After)
    return "cannot encode the output: " + toString(After.takeError());
  z3::solver S(Ctx);
  z3::params Params(Ctx);
  Params.set("rlimit", ResourceLimit);
  S.set(Params);
  for (const z3::expr &B : Encoder.getBounds())
    S.add(B);
  S.add(!Before->UB);
  S.add(After->UB || After->Value != Before->Value);
  switch (S.check()) {
  case z3::unsat:
    return "";
  case z3::unknown:
    return "unknown: " + S.reason_unknown() + "\n  query:\n" + S.to_smt2();
  case z3::sat:
    break;
  }
  z3::model Model = S.get_model();
  std::string Text = "counterexample:\n";
  for (const ValueEncoder::FreeConstant &F : Encoder.getFreeConstants())
    Text += "    " + F.Const.decl().name().str() + " = " +
            formatValue(Model, F.Const, F.Leaf->getDType().getScalarKind()) +
            "\n";
  ScalarKind Kind = In->getDType().getScalarKind();
  Text += "    input = " + formatValue(Model, Before->Value, Kind) + "\n";
  Text += Model.eval(After->UB, true).is_true()
              ? "    output is undefined\n"
              : "    output = " + formatValue(Model, After->Value, Kind) + "\n";
  return Text + "  query:\n" + S.to_smt2();
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

class RuleVerifier {
public:
  RuleVerifier(llvm::raw_ostream &OS, const RuleProverOptions &Options)
      : OS(OS), Options(Options), Builder(IR, Options.Seed) {}

  void verify(const RuleData &R);
  const RuleProofSummary &getSummary() const { return Summary; }

private:
  void prove(const RuleData &R);
  void checkByInstances(const RuleData &R);
  void fail(const RuleData &R, const std::string &Where,
            const std::string &Why) {
    OS << "FAILED " << R.Set << "/" << R.Name << Where << "\n" << Why;
    if (!Why.empty() && Why.back() != '\n')
      OS << "\n";
  }

  llvm::raw_ostream &OS;
  const RuleProverOptions &Options;
  z3::context Ctx;
  Context IR;
  InstanceBuilder Builder;
  RuleProofSummary Summary;
};

void RuleVerifier::verify(const RuleData &R) {
  try {
    if (R.isHook())
      checkByInstances(R);
    else
      prove(R);
  } catch (const z3::exception &E) {
    fail(R, "", std::string("  Z3 failed: ") + E.msg());
    ++Summary.Failed;
  }
}

void RuleVerifier::prove(const RuleData &R) {
  std::vector<ScalarKind> ProvedKinds;
  bool Failed = false;
  for (const std::vector<Op> &Ops : getOpChoices(R)) {
    std::vector<ScalarKind> CompareKinds = {ScalarKind::Index};
    if (hasNestedComparison(R, Ops))
      CompareKinds = valueKinds();
    for (ScalarKind Kind : kindsOf(R.Types))
      for (ScalarKind CompareKind : CompareKinds) {
        Instance I{Kind, CompareKind, Ops};
        std::string Message;
        switch (
            DeclarativeProof(Ctx, R, I).run(Options.ResourceLimit, Message)) {
        case Outcome::NotApplicable:
          continue;
        case Outcome::Proved:
          if (!llvm::is_contained(ProvedKinds, Kind))
            ProvedKinds.push_back(Kind);
          continue;
        case Outcome::Failed:
          break;
        }
        std::string Where = std::string(" on ") + nameOf(Kind);
        if (hasNestedComparison(R, Ops))
          Where += std::string(", comparing ") + nameOf(CompareKind);
        if (getOpChoices(R).size() > 1) {
          Where += " with";
          for (Op O : Ops)
            if (O != Op())
              Where += " " + getMnemonic(O).str();
        }
        fail(R, Where, Message);
        Failed = true;
      }
  }
  if (Failed) {
    ++Summary.Failed;
    return;
  }
  if (ProvedKinds.empty()) {
    fail(R, "", "  the pattern matches no value of any type the rule admits");
    ++Summary.Failed;
    return;
  }
  OS << "proved " << R.Set << "/" << R.Name << ":";
  for (ScalarKind K : ProvedKinds)
    OS << " " << nameOf(K);
  OS << "\n";
  ++Summary.Proved;
}

void RuleVerifier::checkByInstances(const RuleData &R) {
  RuleSet Single(R.Name);
  Single.add(buildRule(R));
  std::vector<ScalarKind> Kinds;
  for (ScalarKind K : kindsOf(R.Types))
    if (K != ScalarKind::FP8E4M3 && K != ScalarKind::I64 &&
        K != ScalarKind::U64)
      Kinds.push_back(K);
  unsigned Fired = 0, NotEncodable = 0;
  for (unsigned N = 0; N != Options.InstancesPerHook; ++N) {
    // Index most of the time: the simplifier's own type.
    ScalarKind Kind = Kinds[0];
    if (Kinds.size() > 1 && N % 3 == 2)
      Kind = Kinds[1 + N / 3 % (Kinds.size() - 1)];
    const UOp *In = Builder.build(R, Kind);
    if (!In)
      continue;
    RewriteAnalyses Analyses;
    RewriteOptions Rewrite;
    Rewrite.State = &Analyses;
    const UOp *Out = rewriteOnce(IR, In, Single, Rewrite);
    if (!Out || Out == In)
      continue;
    ++Fired;
    std::string Problem = checkInstance(Ctx, In, Out, Options.ResourceLimit);
    if (Problem.empty())
      continue;
    if (llvm::StringRef(Problem).starts_with("cannot encode")) {
      ++NotEncodable;
      continue;
    }
    fail(R, " on an instance",
         "  input:  " + inlineText(In) + "\n  output: " + inlineText(Out) +
             "\n  " + Problem);
    ++Summary.Failed;
    return;
  }
  OS << "checked " << R.Set << "/" << R.Name << " by instances: " << Fired
     << " of " << Options.InstancesPerHook << " fired";
  if (NotEncodable)
    OS << ", " << NotEncodable << " not encodable";
  OS << "\n";
  ++Summary.CheckedByInstances;
}

} // namespace

RuleProofSummary tg::verifyRules(llvm::ArrayRef<const RuleSet *> Sets,
                                 llvm::raw_ostream &OS,
                                 const RuleProverOptions &Options) {
  RuleVerifier Verifier(OS, Options);
  llvm::DenseSet<const RuleData *> Seen;
  for (const RuleSet *Set : Sets)
    for (const Rule &TheRule : Set->getRules()) {
      const RuleData *Data = TheRule.getData();
      if (!Data) {
        OS << "skipped " << Set->getName() << "/" << TheRule.getName()
           << ": a C++ rule with no tables\n";
        continue;
      }
      if (Seen.insert(Data).second)
        Verifier.verify(*Data);
    }
  const RuleProofSummary &Summary = Verifier.getSummary();
  OS << "verify-rules: " << Summary.Proved << " proved, " << Summary.Failed
     << " failed, " << Summary.CheckedByInstances << " checked by instances\n";
  return Summary;
}
