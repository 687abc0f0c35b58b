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

#include "llvm/ADT/APInt.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
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

/// `V` (an Int) lies in int64.
z3::expr inInt64(const z3::expr &V) {
  z3::context &Ctx = V.ctx();
  return Ctx.int_val(std::numeric_limits<int64_t>::min()) <= V &&
         V <= Ctx.int_val(std::numeric_limits<int64_t>::max());
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
// Solving
//===----------------------------------------------------------------------===//

/// The free Bool constants of `Assertions`, in order of first occurrence.
std::vector<z3::expr> getFreeBools(const z3::expr_vector &Assertions) {
  std::vector<z3::expr> Bools;
  llvm::DenseSet<unsigned> Seen;
  std::vector<z3::expr> Stack;
  for (unsigned I = Assertions.size(); I-- > 0;)
    Stack.push_back(Assertions[I]);
  while (!Stack.empty()) {
    z3::expr E = Stack.back();
    Stack.pop_back();
    if (!Seen.insert(Z3_get_ast_id(E.ctx(), E)).second || !E.is_app())
      continue;
    if (E.is_const() && E.is_bool() &&
        E.decl().decl_kind() == Z3_OP_UNINTERPRETED)
      Bools.push_back(E);
    for (unsigned A = E.num_args(); A-- > 0;)
      Stack.push_back(E.arg(A));
  }
  return Bools;
}

/// Whether `Assertions` is unsat in every case of its free Bools (`where`
/// conditions), each case simplified on its own: splitting is exact, and a
/// case such as `where(c, x, 0) * where(c, y, 0)` with c true leaves
/// products that the simplifier identifies, where bit-blasting two
/// multipliers does not.
bool isUnsatByCases(z3::context &Ctx, const z3::expr_vector &Assertions,
                    unsigned ResourceLimit, bool SumOfMonomials = false) {
  constexpr unsigned MaxSplitBools = 3;
  std::vector<z3::expr> Bools = getFreeBools(Assertions);
  if (Bools.empty() || Bools.size() > MaxSplitBools)
    return false;
  z3::expr_vector From(Ctx);
  for (const z3::expr &B : Bools)
    From.push_back(B);
  for (unsigned Case = 0; Case != 1u << Bools.size(); ++Case) {
    z3::expr_vector To(Ctx);
    for (unsigned I = 0; I != Bools.size(); ++I)
      To.push_back(Ctx.bool_val((Case >> I) & 1));
    z3::solver S(Ctx);
    z3::params Params(Ctx);
    Params.set("rlimit", ResourceLimit);
    S.set(Params);
    z3::params Simplify(Ctx);
    Simplify.set("som", SumOfMonomials);
    for (unsigned I = 0; I != Assertions.size(); ++I)
      S.add(Assertions[I].substitute(From, To).simplify(Simplify));
    if (S.check() != z3::unsat)
      return false;
  }
  return true;
}

/// An equisatisfiable pure bit-vector form of a query on Ints whose free Int
/// constants the query bounds (as `lo <= v`, `v <= hi` conjuncts), built
/// when no Int term can leave a width that holds them all: then every Int
/// is its two's complement at that width and the translation is exact. Z3
/// bit-blasts the result, where it combines Int and bit-vector theories
/// (index `and or xor` are int2bv/bv2int) very slowly. Z3's Int division
/// has a free value at a zero divisor, which no bit-vector term has: the
/// translation is of the query with every divisor nonzero, and the cases
/// of a zero divisor are left to the caller (getDivisors).
class BitVectorForm {
public:
  explicit BitVectorForm(z3::context &Ctx) : Ctx(Ctx) {}

  /// The translated assertions with every divisor nonzero, or nothing.
  std::optional<z3::expr_vector> translate(const z3::expr_vector &Assertions);
  /// The divisors of the query's Int divisions (`div`, `mod`).
  const std::vector<z3::expr> &getDivisors() const { return Divisors; }

private:
  using Interval = std::pair<llvm::APInt, llvm::APInt>;
  static constexpr unsigned BoundBits = 512; ///< Of interval arithmetic.
  static constexpr unsigned MaxWidth = 256;

  void findLeafBounds(const z3::expr &E);
  std::optional<Interval> bound(const z3::expr &E);
  z3::expr convert(const z3::expr &E);

  z3::context &Ctx;
  unsigned Width = 0;
  std::map<unsigned, Interval> Bounds; ///< By AST id; leaves given first.
  std::map<unsigned, z3::expr> Converted;
  std::vector<z3::expr> Divisors;
};

void BitVectorForm::findLeafBounds(const z3::expr &E) {
  if (E.is_and()) {
    for (unsigned I = 0; I != E.num_args(); ++I)
      findLeafBounds(E.arg(I));
    return;
  }
  Z3_decl_kind K = E.is_app() ? E.decl().decl_kind() : Z3_OP_UNINTERPRETED;
  if (K != Z3_OP_LE && K != Z3_OP_GE)
    return;
  z3::expr Low = E.arg(K == Z3_OP_LE ? 0 : 1), High = E.arg(K == Z3_OP_LE);
  int64_t Value;
  auto isLeaf = [](const z3::expr &V) {
    return V.is_const() && V.is_int() &&
           V.decl().decl_kind() == Z3_OP_UNINTERPRETED;
  };
  llvm::APInt Min = llvm::APInt::getSignedMinValue(BoundBits);
  llvm::APInt Max = llvm::APInt::getSignedMaxValue(BoundBits);
  if (isLeaf(High) && Low.is_numeral_i64(Value)) {
    auto It = Bounds.try_emplace(Z3_get_ast_id(Ctx, High), Min, Max).first;
    It->second.first = llvm::APInt(BoundBits, uint64_t(Value), true);
  } else if (isLeaf(Low) && High.is_numeral_i64(Value)) {
    auto It = Bounds.try_emplace(Z3_get_ast_id(Ctx, Low), Min, Max).first;
    It->second.second = llvm::APInt(BoundBits, uint64_t(Value), true);
  }
}

/// Bounds of the Int term E, or nothing (unbounded, or not translated).
std::optional<BitVectorForm::Interval> BitVectorForm::bound(const z3::expr &E) {
  unsigned Id = Z3_get_ast_id(Ctx, E);
  if (auto It = Bounds.find(Id); It != Bounds.end())
    return It->second;
  std::optional<Interval> Result;
  auto result = [&](llvm::APInt Low, llvm::APInt High) {
    Result = Interval{Low, High};
  };
  std::vector<Interval> Args;
  for (unsigned I = 0; E.is_app() && I != E.num_args(); ++I) {
    if (!E.arg(I).is_int())
      continue;
    std::optional<Interval> A = bound(E.arg(I));
    if (!A)
      return std::nullopt;
    Args.push_back(*A);
  }
  llvm::APInt Limit = llvm::APInt::getOneBitSet(BoundBits, MaxWidth - 1);
  switch (E.is_app() ? E.decl().decl_kind() : Z3_OP_UNINTERPRETED) {
  case Z3_OP_ANUM: {
    llvm::APInt Numeral(BoundBits, E.get_decimal_string(0), 10);
    result(Numeral, Numeral);
    break;
  }
  case Z3_OP_ADD:
  case Z3_OP_SUB: {
    Interval Sum = Args[0];
    for (unsigned I = 1; I < Args.size(); ++I)
      Sum =
          E.decl().decl_kind() == Z3_OP_ADD
              ? Interval{Sum.first + Args[I].first, Sum.second + Args[I].second}
              : Interval{Sum.first - Args[I].second,
                         Sum.second - Args[I].first};
    Result = Sum;
    break;
  }
  case Z3_OP_UMINUS:
    result(-Args[0].second, -Args[0].first);
    break;
  case Z3_OP_MUL: {
    Interval Product = Args[0];
    for (unsigned I = 1; I < Args.size(); ++I) {
      llvm::APInt Corners[] = {
          Product.first * Args[I].first, Product.first * Args[I].second,
          Product.second * Args[I].first, Product.second * Args[I].second};
      Product = {Corners[0], Corners[0]};
      for (const llvm::APInt &C : Corners) {
        Product.first = llvm::APIntOps::smin(Product.first, C);
        Product.second = llvm::APIntOps::smax(Product.second, C);
      }
    }
    Result = Product;
    break;
  }
  case Z3_OP_ITE:
    result(llvm::APIntOps::smin(Args[0].first, Args[1].first),
           llvm::APIntOps::smax(Args[0].second, Args[1].second));
    break;
  case Z3_OP_BV2INT: {
    unsigned Bits = E.arg(0).get_sort().bv_size();
    result(llvm::APInt(BoundBits, 0),
           llvm::APInt::getOneBitSet(BoundBits, Bits) - 1);
    break;
  }
  case Z3_OP_IDIV:
  case Z3_OP_MOD: {
    // A nonzero divisor: |div(a, b)| <= |a| and 0 <= mod(a, b) < |b|.
    const Interval &Of = Args[E.decl().decl_kind() == Z3_OP_MOD];
    llvm::APInt Magnitude =
        llvm::APIntOps::smax(Of.first.abs(), Of.second.abs());
    if (E.decl().decl_kind() == Z3_OP_MOD)
      result(llvm::APInt(BoundBits, 0), Magnitude);
    else
      result(-Magnitude, Magnitude);
    break;
  }
  default:
    break;
  }
  // Keep far from the interval arithmetic's own width.
  if (!Result || Result->first.slt(-Limit) || Result->second.sge(Limit))
    return std::nullopt;
  Bounds.emplace(Id, *Result);
  Width = std::max({Width, Result->first.getSignificantBits(),
                    Result->second.getSignificantBits()});
  return Result;
}

z3::expr BitVectorForm::convert(const z3::expr &E) {
  unsigned Id = Z3_get_ast_id(Ctx, E);
  if (auto It = Converted.find(Id); It != Converted.end())
    return It->second;
  z3::expr_vector Args(Ctx);
  for (unsigned I = 0; E.is_app() && I != E.num_args(); ++I)
    Args.push_back(convert(E.arg(I)));
  auto same = [&] { return E.decl()(Args); };
  z3::expr Result = E;
  Z3_decl_kind K = E.is_app() ? E.decl().decl_kind() : Z3_OP_UNINTERPRETED;
  switch (K) {
  case Z3_OP_ANUM:
    Result = Ctx.bv_val(Z3_get_numeral_string(Ctx, E), Width);
    break;
  case Z3_OP_UNINTERPRETED:
    Result = E.is_int() ? Ctx.bv_const(E.decl().name().str().c_str(), Width)
             : E.is_app() && E.num_args() ? same()
                                          : E;
    break;
  case Z3_OP_ADD:
  case Z3_OP_SUB:
  case Z3_OP_MUL: {
    Result = Args[0];
    for (unsigned I = 1; I < Args.size(); ++I)
      Result = K == Z3_OP_ADD   ? Result + Args[I]
               : K == Z3_OP_SUB ? Result - Args[I]
                                : Result * Args[I];
    break;
  }
  case Z3_OP_UMINUS:
    Result = -Args[0];
    break;
  case Z3_OP_EQ:
    Result = Args[0] == Args[1];
    break;
  case Z3_OP_DISTINCT:
    Result = z3::distinct(Args);
    break;
  case Z3_OP_ITE:
    Result = z3::ite(Args[0], Args[1], Args[2]);
    break;
  case Z3_OP_LE:
    Result = z3::sle(Args[0], Args[1]);
    break;
  case Z3_OP_LT:
    Result = z3::slt(Args[0], Args[1]);
    break;
  case Z3_OP_GE:
    Result = z3::sge(Args[0], Args[1]);
    break;
  case Z3_OP_GT:
    Result = z3::sgt(Args[0], Args[1]);
    break;
  case Z3_OP_INT2BV: {
    unsigned Bits = E.get_sort().bv_size();
    Result = Bits <= Width ? Args[0].extract(Bits - 1, 0)
                           : z3::sext(Args[0], Bits - Width);
    break;
  }
  case Z3_OP_BV2INT:
    Result = z3::zext(Args[0], Width - E.arg(0).get_sort().bv_size());
    break;
  case Z3_OP_IDIV:
  case Z3_OP_MOD: {
    // Euclidean (0 <= mod < |b|) from truncation, for b != 0.
    z3::expr Zero = Ctx.bv_val(0, Width), One = Ctx.bv_val(1, Width);
    z3::expr Remainder = z3::srem(Args[0], Args[1]);
    z3::expr Negative = z3::slt(Remainder, Zero);
    z3::expr Up = z3::sgt(Args[1], Zero);
    Result = K == Z3_OP_MOD
                 ? z3::ite(Negative, Remainder + z3::ite(Up, Args[1], -Args[1]),
                           Remainder)
                 : z3::ite(Negative, Args[0] / Args[1] + z3::ite(Up, -One, One),
                           Args[0] / Args[1]);
    break;
  }
  default:
    Result = Args.empty() ? E : same();
    break;
  }
  Converted.emplace(Id, Result);
  return Result;
}

std::optional<z3::expr_vector>
BitVectorForm::translate(const z3::expr_vector &Assertions) {
  for (unsigned I = 0; I != Assertions.size(); ++I)
    findLeafBounds(Assertions[I]);
  // Every Int term must be bounded and of a translated kind.
  bool HasInt = false;
  std::vector<z3::expr> Stack;
  llvm::DenseSet<unsigned> Seen;
  for (unsigned I = 0; I != Assertions.size(); ++I)
    Stack.push_back(Assertions[I]);
  while (!Stack.empty()) {
    z3::expr E = Stack.back();
    Stack.pop_back();
    if (!Seen.insert(Z3_get_ast_id(Ctx, E)).second)
      continue;
    if (!E.is_app() || E.is_real() || E.is_quantifier())
      return std::nullopt;
    if (E.is_int()) {
      HasInt = true;
      if (!bound(E))
        return std::nullopt;
    }
    Z3_decl_kind K = E.decl().decl_kind();
    if (K == Z3_OP_IDIV || K == Z3_OP_MOD)
      Divisors.push_back(E.arg(1));
    for (unsigned A = 0; A != E.num_args(); ++A)
      Stack.push_back(E.arg(A));
  }
  if (!HasInt)
    return std::nullopt;
  // One bit of headroom for the comparisons of bounds in the assertions.
  Width = std::max(Width + 1, 66u);
  z3::expr_vector Result(Ctx);
  for (unsigned I = 0; I != Assertions.size(); ++I)
    Result.push_back(convert(Assertions[I]));
  for (const z3::expr &Divisor : Divisors)
    Result.push_back(convert(Divisor) != Ctx.bv_val(0, Width));
  return Result;
}

/// Which bit-vector division `E` is, if any.
enum class DivisionKind { None, Quotient, Remainder };

DivisionKind getDivisionKind(const z3::expr &E, bool &Signed) {
  if (!E.is_app() || E.num_args() != 2)
    return DivisionKind::None;
  Z3_decl_kind K = E.decl().decl_kind();
  Signed = K == Z3_OP_BSDIV || K == Z3_OP_BSDIV_I || K == Z3_OP_BSREM ||
           K == Z3_OP_BSREM_I;
  switch (K) {
  case Z3_OP_BSDIV:
  case Z3_OP_BSDIV_I:
  case Z3_OP_BUDIV:
  case Z3_OP_BUDIV_I:
    return DivisionKind::Quotient;
  case Z3_OP_BSREM:
  case Z3_OP_BSREM_I:
  case Z3_OP_BUREM:
  case Z3_OP_BUREM_I:
    return DivisionKind::Remainder;
  default:
    return DivisionKind::None;
  }
}

/// Division elimination on bit-vectors: each quotient and remainder of a
/// query (`bvsdiv bvsrem bvudiv bvurem`) becomes a fresh constant, and for a
/// nonzero divisor b of a dividend a, quotient q and remainder r, facts that
/// every division satisfies are added:
///   a = q*b + r (wrapping), |r| <u |b|, r is 0 or has the sign of a,
///   |a| <u |b| -> q = 0 and r = a
/// (unsigned: r <u b, r <=u a, a <u b -> q = 0 and r = a). A model of the
/// query is one of the result with the fresh constants at the divisions'
/// values, so unsat of the result proves the query. The result has no
/// divider circuits, which make bit-blasting 32- and 64-bit division
/// identities hopeless. Each ite condition on a division (the step of floor
/// from truncation) is named by a fresh Bool, defined equal to it, so that
/// the query splits into cases.
class DivisionElimination {
public:
  explicit DivisionElimination(z3::context &Ctx) : Ctx(Ctx) {}

  /// The query with its divisions replaced and their facts added, or
  /// nothing when it has no division.
  std::optional<z3::expr_vector> eliminate(const z3::expr_vector &Assertions);

private:
  struct Division {
    z3::expr Dividend, Divisor;
    bool Signed;
    std::optional<z3::expr> Quotient, Remainder;
  };
  z3::expr convert(const z3::expr &E);
  z3::expr fresh(const char *Prefix, unsigned Bits) {
    std::string Name = std::string(Prefix) + "!" + std::to_string(NumFresh++);
    return Ctx.bv_const(Name.c_str(), Bits);
  }
  z3::expr factsOf(Division &D);

  z3::context &Ctx;
  unsigned NumFresh = 0;
  /// Definitions of the names of conditions on divisions, for splitting.
  std::vector<z3::expr> Definitions;
  /// AST ids of the converted terms that depend on a division.
  llvm::DenseSet<unsigned> OnDivisions;
  /// By the AST ids of dividend and divisor, and signedness.
  std::map<std::tuple<unsigned, unsigned, bool>, Division> Divisions;
  std::map<unsigned, z3::expr> Converted;
};

z3::expr DivisionElimination::convert(const z3::expr &E) {
  unsigned Id = Z3_get_ast_id(Ctx, E);
  if (auto It = Converted.find(Id); It != Converted.end())
    return It->second;
  if (!E.is_app() || E.num_args() == 0)
    return E;
  z3::expr_vector Args(Ctx);
  for (unsigned I = 0; I != E.num_args(); ++I)
    Args.push_back(convert(E.arg(I)));
  bool Signed = false;
  DivisionKind Kind = getDivisionKind(E, Signed);
  bool Depends = false;
  for (unsigned I = 0; I != Args.size(); ++I)
    Depends |= OnDivisions.contains(Z3_get_ast_id(Ctx, Args[I]));
  // A condition on divisions (the step of floor from truncation) gets a
  // Bool name, a case to split on: then each case's ites fold and
  // `(q - 1) * b + (r + b)` normalizes to `q * b + r`.
  if (E.is_ite() && OnDivisions.contains(Z3_get_ast_id(Ctx, Args[0]))) {
    std::string Name = "case!" + std::to_string(NumFresh++);
    z3::expr Case = Ctx.bool_const(Name.c_str());
    Definitions.push_back(Case == Args[0]);
    Args = z3::expr_vector(Ctx);
    Args.push_back(Case);
    Args.push_back(convert(E.arg(1)));
    Args.push_back(convert(E.arg(2)));
  }
  z3::expr Result = E.decl()(Args);
  if (Kind != DivisionKind::None) {
    Depends = true;
    auto Key = std::make_tuple(Z3_get_ast_id(Ctx, Args[0]),
                               Z3_get_ast_id(Ctx, Args[1]), Signed);
    Division &D =
        Divisions.try_emplace(Key, Division{Args[0], Args[1], Signed, {}, {}})
            .first->second;
    unsigned Bits = E.get_sort().bv_size();
    std::optional<z3::expr> &Slot =
        Kind == DivisionKind::Quotient ? D.Quotient : D.Remainder;
    if (!Slot)
      Slot = fresh(Kind == DivisionKind::Quotient ? "quotient" : "remainder",
                   Bits);
    Result = *Slot;
  }
  if (Depends)
    OnDivisions.insert(Z3_get_ast_id(Ctx, Result));
  Converted.emplace(Id, Result);
  return Result;
}

z3::expr DivisionElimination::factsOf(Division &D) {
  const z3::expr &A = D.Dividend, &B = D.Divisor;
  unsigned Bits = A.get_sort().bv_size();
  z3::expr Zero = Ctx.bv_val(0, Bits);
  if (!D.Remainder)
    D.Remainder = fresh("remainder", Bits);
  const z3::expr &R = *D.Remainder;
  auto magnitude = [&](const z3::expr &V) {
    return D.Signed ? z3::ite(z3::slt(V, Zero), -V, V) : V;
  };
  z3::expr Small = z3::ult(magnitude(A), magnitude(B));
  z3::expr Facts =
      z3::ult(magnitude(R), magnitude(B)) && z3::implies(Small, R == A);
  Facts = Facts && (D.Signed ? R == Zero || z3::slt(R, Zero) == z3::slt(A, Zero)
                             : z3::ule(R, A));
  if (D.Quotient)
    // Both forms: sum-of-monomials normalizes them differently, and each
    // matches one shape of query (`q*b + r`, `a - q*b`).
    Facts = Facts && A == *D.Quotient * B + R && R == A - *D.Quotient * B &&
            z3::implies(Small, *D.Quotient == Zero);
  return z3::implies(B != Zero, Facts);
}

std::optional<z3::expr_vector>
DivisionElimination::eliminate(const z3::expr_vector &Assertions) {
  z3::expr_vector Result(Ctx);
  for (unsigned I = 0; I != Assertions.size(); ++I)
    Result.push_back(convert(Assertions[I]));
  if (Divisions.empty())
    return std::nullopt;
  for (auto &[Key, D] : Divisions)
    Result.push_back(factsOf(D));
  for (const z3::expr &Definition : Definitions)
    Result.push_back(Definition);
  return Result;
}

/// Whether `Assertions` is unsat by a check under `ResourceLimit`.
bool isUnsat(z3::context &Ctx, const z3::expr_vector &Assertions,
             unsigned ResourceLimit) {
  z3::solver S(Ctx);
  z3::params Params(Ctx);
  Params.set("rlimit", ResourceLimit);
  S.set(Params);
  for (unsigned I = 0; I != Assertions.size(); ++I)
    S.add(Assertions[I]);
  return S.check() == z3::unsat;
}

/// Whether the pure bit-vector query `Assertions` is unsat after division
/// elimination, by cases on its free Bools or as a whole.
bool isUnsatWithoutDivisions(z3::context &Ctx,
                             const z3::expr_vector &Assertions,
                             unsigned ResourceLimit) {
  std::optional<z3::expr_vector> Eliminated =
      DivisionElimination(Ctx).eliminate(Assertions);
  if (!Eliminated)
    return false;
  // Sum of monomials gives `a - q*b` in the query and in the facts one
  // form; some queries bit-blast faster without it.
  z3::params Simplify(Ctx);
  Simplify.set("som", true);
  z3::expr_vector Normalized(Ctx);
  for (unsigned I = 0; I != Eliminated->size(); ++I)
    Normalized.push_back((*Eliminated)[I].simplify(Simplify));
  return isUnsatByCases(Ctx, *Eliminated, ResourceLimit,
                        /*SumOfMonomials=*/true) ||
         isUnsat(Ctx, Normalized, ResourceLimit) ||
         isUnsat(Ctx, *Eliminated, ResourceLimit);
}

/// Whether the index query `S` is unsat by its exact bit-vector form: each
/// case of a zero divisor alone on Ints, then the rest (every divisor
/// nonzero) as bit-vectors, as they are or after division elimination.
bool isUnsatAsBitVectors(const z3::solver &S, unsigned ResourceLimit) {
  z3::context &Ctx = S.ctx();
  z3::expr_vector Assertions = S.assertions();
  BitVectorForm Form(Ctx);
  std::optional<z3::expr_vector> BitVectors = Form.translate(Assertions);
  if (!BitVectors)
    return false;
  for (const z3::expr &Divisor : Form.getDivisors()) {
    z3::expr_vector ZeroCase(Ctx); // expr_vector copies share the vector
    for (unsigned I = 0; I != Assertions.size(); ++I)
      ZeroCase.push_back(Assertions[I]);
    ZeroCase.push_back(Divisor == 0);
    if (!isUnsat(Ctx, ZeroCase, ResourceLimit))
      return false;
  }
  // Dividers as wide as these are beyond bit-blasting.
  if (!Form.getDivisors().empty())
    return isUnsatWithoutDivisions(Ctx, *BitVectors, ResourceLimit);
  return isUnsat(Ctx, *BitVectors, ResourceLimit);
}

/// Checks `S`, whose assertions are the whole query: first by cases on its
/// free Bools, then (index) as bit-vectors, then (fixed width) after
/// division elimination, then as it is, then as it is with `Escalation`
/// times the rlimit. A step's unsat proves the query, and each is budgeted
/// by rlimit alone, so the answer is deterministic.
z3::check_result solve(z3::solver &S, unsigned ResourceLimit) {
  constexpr unsigned Escalation = 8;
  z3::context &Ctx = S.ctx();
  if (isUnsatByCases(Ctx, S.assertions(), ResourceLimit))
    return z3::unsat;
  if (isUnsatAsBitVectors(S, ResourceLimit))
    return z3::unsat;
  if (isUnsatWithoutDivisions(Ctx, S.assertions(), ResourceLimit))
    return z3::unsat;
  for (unsigned Limit : {ResourceLimit, ResourceLimit * Escalation}) {
    z3::params Params(Ctx);
    Params.set("rlimit", Limit);
    S.set(Params);
    z3::check_result Result = S.check();
    if (Result != z3::unknown)
      return Result;
  }
  return z3::unknown;
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
  // Every index value lies in int64 (docs/Semantics.md: an index result
  // outside it has no value), constants and the values of bindings alike.
  if (Kind == ScalarKind::Index)
    Preconditions.push_back(inInt64(V));
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
    Preconditions.push_back(inInt64(V->Value));
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
  for (const z3::expr &P : Preconditions)
    S.add(P);
  S.add(Guard.Defined && Guard.Value != guardLiteral(0));
  S.add(!Lhs->UB);
  S.add(Rhs->UB || Rhs->Value != Lhs->Value);
  switch (solve(S, ResourceLimit)) {
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
  const UOp *randomBinding(DType T);
  const UOp *randomExpr(DType T, unsigned Depth);
  const UOp *randomConst(DType T);
  const UOp *variable(DType T);
  int64_t pick(int64_t Lo, int64_t Hi) {
    return Lo + int64_t(Rng() % uint64_t(Hi - Lo + 1));
  }

  Context &IR;
  std::mt19937_64 Rng;
  std::map<std::string, const UOp *> Bound;
  /// The other half of a division pair, for the next binding.
  const UOp *Companion = nullptr;
};

const UOp *InstanceBuilder::build(const RuleData &R, ScalarKind Kind) {
  Bound.clear();
  Companion = nullptr;
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
      It->second = randomBinding(Expected);
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

/// A random expression for a new binding. A third of the time it is one
/// half of a division pair, x // c * c, and the next binding is the other,
/// x % c: the shapes that hooks recombine into x.
const UOp *InstanceBuilder::randomBinding(DType T) {
  if (const UOp *U = std::exchange(Companion, nullptr))
    return U;
  if (T.isFloat() || T.isBool() || pick(0, 2) != 0)
    return randomExpr(T, unsigned(pick(0, 3)));
  const UOp *X = randomExpr(T, unsigned(pick(0, 2)));
  const UOp *C = IR.getConst(T, pick(2, 8));
  Companion = IR.get(Op::FloorMod, T, {X, C});
  return IR.get(Op::Mul, T, {IR.get(Op::FloorDiv, T, {X, C}), C});
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
  for (const z3::expr &B : Encoder.getBounds())
    S.add(B);
  S.add(!Before->UB);
  S.add(After->UB || After->Value != Before->Value);
  switch (solve(S, ResourceLimit)) {
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

/// Proves or checks one rule in a Z3 context and an IR context of its own,
/// with its own random seed, so that its result and text depend on nothing
/// else and rules can be verified in parallel.
class RuleVerifier {
public:
  RuleVerifier(const RuleProverOptions &Options, const RuleData &R)
      : OS(Text), Options(Options),
        Builder(IR, Options.Seed ^
                        llvm::xxh3_64bits(std::string(R.Set) + "/" + R.Name)) {}

  void verify(const RuleData &R);
  const RuleProofSummary &getSummary() const { return Summary; }
  const std::string &getText() const { return Text; }

private:
  void prove(const RuleData &R);
  void checkByInstances(const RuleData &R);
  void fail(const RuleData &R, const std::string &Where,
            const std::string &Why) {
    OS << "FAILED " << R.Set << "/" << R.Name << Where << "\n" << Why;
    if (!Why.empty() && Why.back() != '\n')
      OS << "\n";
  }

  std::string Text;
  llvm::raw_string_ostream OS;
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
    if (K != ScalarKind::FP8E4M3)
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
  // Each distinct rule once, in order; C++ rules are reported where found.
  std::vector<const RuleData *> Rules;
  std::vector<std::string> Skipped; ///< Before rule I: Skipped[I].
  llvm::DenseSet<const RuleData *> Seen;
  std::string Pending;
  for (const RuleSet *Set : Sets)
    for (const Rule &TheRule : Set->getRules()) {
      const RuleData *Data = TheRule.getData();
      if (!Data) {
        Pending += "skipped " + Set->getName().str() + "/" +
                   TheRule.getName().str() + ": a C++ rule with no tables\n";
        continue;
      }
      if (!Seen.insert(Data).second)
        continue;
      Rules.push_back(Data);
      Skipped.push_back(std::move(Pending));
      Pending.clear();
    }
  // Rules are independent: verify them on every core, print them in order.
  std::vector<std::string> Texts(Rules.size());
  std::vector<RuleProofSummary> Summaries(Rules.size());
  std::vector<double> Seconds(Rules.size());
  std::atomic<size_t> Next{0};
  auto work = [&] {
    for (size_t I = Next++; I < Rules.size(); I = Next++) {
      auto Start = std::chrono::steady_clock::now();
      RuleVerifier Verifier(Options, *Rules[I]);
      Verifier.verify(*Rules[I]);
      Texts[I] = Verifier.getText();
      Summaries[I] = Verifier.getSummary();
      Seconds[I] = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - Start)
                       .count();
    }
  };
  unsigned NumThreads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> Threads;
  for (unsigned T = 1; T < NumThreads; ++T)
    Threads.emplace_back(work);
  work();
  for (std::thread &T : Threads)
    T.join();
  RuleProofSummary Summary;
  for (size_t I = 0; I != Rules.size(); ++I) {
    OS << Skipped[I] << Texts[I];
    Summary.Proved += Summaries[I].Proved;
    Summary.Failed += Summaries[I].Failed;
    Summary.CheckedByInstances += Summaries[I].CheckedByInstances;
  }
  OS << Pending;
  if (Options.Times)
    for (size_t I = 0; I != Rules.size(); ++I)
      *Options.Times << "time " << Rules[I]->Set << "/" << Rules[I]->Name
                     << ": " << llvm::format("%.0f", Seconds[I] * 1000)
                     << " ms\n";
  OS << "verify-rules: " << Summary.Proved << " proved, " << Summary.Failed
     << " failed, " << Summary.CheckedByInstances << " checked by instances\n";
  return Summary;
}
