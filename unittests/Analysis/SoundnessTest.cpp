//===- SoundnessTest.cpp - brute-force checks of the analyses -------------===//
//
// Random small expressions (seeded, so every run is the same) over a few
// variables of index and fixed-width types, evaluated for every assignment
// of the variables by a reference evaluator written here from td/UOps.td.
// Every value of every UOp must lie in its computed range and be divisible
// by its constant factor; where a condition holds, every value must lie in
// the range computed under assumeCondition's bounds, and a condition said
// to be impossible must never hold.
//
//===----------------------------------------------------------------------===//

#include "tg/Analysis/Divisibility.h"
#include "tg/Analysis/ValidAnalysis.h"

#include "AnalysisTestBase.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <iterator>
#include <random>

using namespace tg;
using namespace tg::test;

namespace {

using Value = Bound;
using Assignment = llvm::DenseMap<const UOp *, Value>;

//===----------------------------------------------------------------------===//
// Reference semantics
//===----------------------------------------------------------------------===//

/// V as a value of T: fixed widths wrap, bools are 0 or 1.
Value wrapTo(Value V, DType T) {
  if (T.isBool())
    return V != 0;
  if (T.isIndex())
    return V;
  unsigned Bits = T.getScalarBits();
  Value Modulus = Value(1) << Bits;
  Value R = V % Modulus;
  if (R < 0)
    R += Modulus;
  if (T.isSigned() && R >= Modulus / 2)
    R -= Modulus;
  return R;
}

Value floorDivValue(Value A, Value B) {
  Value Q = A / B;
  return (A % B != 0 && (A < 0) != (B < 0)) ? Q - 1 : Q;
}

/// Values this large in index arithmetic are skipped, not checked: the
/// evaluator itself must not overflow.
bool tooLarge(Value V) {
  return V > (Value(1) << 120) || V < -(Value(1) << 120);
}

/// Evaluates integer and bool UOps for one assignment of the leaves;
/// std::nullopt where td/UOps.td leaves the result undefined.
class Evaluator {
public:
  explicit Evaluator(const Assignment &Leaves) : Leaves(Leaves) {}

  std::optional<Value> eval(const UOp *U) {
    if (auto It = Memo.find(U); It != Memo.end())
      return It->second;
    std::optional<Value> V = compute(U);
    Memo[U] = V;
    return V;
  }

private:
  std::optional<Value> compute(const UOp *U) {
    DType T = U->getDType();
    switch (U->getOp()) {
    case Op::Const:
      return wrapTo(U->getArg()->isBool() ? U->getArg()->getBool()
                                          : U->getArg()->getInt(),
                    T);
    case Op::DefineVar:
    case Op::Range:
      return Leaves.lookup(U);
    default:
      break;
    }
    llvm::SmallVector<Value, 3> S;
    for (const UOp *Src : U->getSrcs()) {
      std::optional<Value> V = eval(Src);
      if (!V)
        return std::nullopt;
      S.push_back(*V);
    }
    std::optional<Value> Raw = alu(U->getOp(), T, U->getSrc(0)->getDType(), S);
    if (!Raw || tooLarge(*Raw))
      return std::nullopt;
    return wrapTo(*Raw, T);
  }

  static std::optional<Value> checked(bool Overflow, Value V) {
    return Overflow ? std::nullopt : std::optional<Value>(V);
  }

  static std::optional<Value> alu(Op O, DType T, DType SrcType,
                                  llvm::ArrayRef<Value> S) {
    Value R;
    switch (O) {
    case Op::Neg:
      return -S[0];
    case Op::Add:
      return checked(__builtin_add_overflow(S[0], S[1], &R), R);
    case Op::Sub:
      return checked(__builtin_sub_overflow(S[0], S[1], &R), R);
    case Op::Mul:
      return checked(__builtin_mul_overflow(S[0], S[1], &R), R);
    case Op::MulAcc: {
      std::optional<Value> P = alu(Op::Mul, T, SrcType, S);
      if (!P)
        return std::nullopt;
      return checked(__builtin_add_overflow(*P, S[2], &R), R);
    }
    case Op::FloorDiv:
      if (S[1] == 0)
        return std::nullopt;
      return floorDivValue(S[0], S[1]);
    case Op::FloorMod:
      if (S[1] == 0)
        return std::nullopt;
      return S[0] - S[1] * floorDivValue(S[0], S[1]);
    case Op::TruncDiv: {
      if (S[1] == 0)
        return std::nullopt;
      bool IntMinByMinusOne =
          SrcType.isSigned() && S[1] == -1 &&
          S[0] == -(Value(1) << (SrcType.getScalarBits() - 1));
      if (IntMinByMinusOne)
        return std::nullopt;
      return S[0] / S[1];
    }
    case Op::TruncMod:
      if (S[1] == 0)
        return std::nullopt;
      return S[0] % S[1];
    case Op::Max:
      return std::max(S[0], S[1]);
    case Op::Shl:
    case Op::Shr: {
      Value Limit = T.isIndex() ? 60 : Value(T.getScalarBits());
      if (S[1] < 0 || S[1] >= Limit)
        return std::nullopt;
      if (O == Op::Shl)
        return checked(__builtin_mul_overflow(S[0], Value(1) << int(S[1]), &R),
                       R);
      return floorDivValue(S[0], Value(1) << int(S[1]));
    }
    case Op::And:
      return S[0] & S[1];
    case Op::Or:
      return S[0] | S[1];
    case Op::Xor:
      return S[0] ^ S[1];
    case Op::CmpLT:
      return S[0] < S[1];
    case Op::CmpNE:
      return S[0] != S[1];
    case Op::CmpEQ:
      return S[0] == S[1];
    case Op::Where:
      return S[0] ? S[1] : S[2];
    case Op::Cast:
      return S[0];
    default:
      ADD_FAILURE() << "no reference semantics for " << getMnemonic(O).str();
      return std::nullopt;
    }
  }

  const Assignment &Leaves;
  llvm::DenseMap<const UOp *, std::optional<Value>> Memo;
};

//===----------------------------------------------------------------------===//
// Random expressions
//===----------------------------------------------------------------------===//

std::string show(const UOp *U) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  if (U->getOp() == Op::Const) {
    OS << (U->getArg()->isBool() ? int64_t(U->getArg()->getBool())
                                 : U->getArg()->getInt())
       << ':' << U->getDType();
    return S;
  }
  if (U->getOp() == Op::DefineVar) {
    OS << U->getArgField(0)->getString() << '[' << U->getArgField(1)->getInt()
       << ',' << U->getArgField(2)->getInt() << "]:" << U->getDType();
    return S;
  }
  OS << '(' << getMnemonic(U->getOp());
  if (U->getOp() == Op::Cast)
    OS << ':' << U->getDType();
  for (const UOp *Src : U->getSrcs())
    OS << ' ' << show(Src);
  OS << ')';
  return S;
}

class SoundnessTest : public AnalysisTestBase {
protected:
  std::mt19937_64 Rng{20240611};
  llvm::SmallVector<DType, 5> Types = {Index, I8, U8, I32, U32};
  /// The variables of the expression being built (at most three).
  llvm::SmallVector<const UOp *, 3> Vars;

  int64_t pick(int64_t Min, int64_t Max) {
    return std::uniform_int_distribution<int64_t>(Min, Max)(Rng);
  }
  bool chance(int Percent) { return pick(0, 99) < Percent; }
  DType anyType() { return Types[pick(0, Types.size() - 1)]; }

  /// Three fresh variables of random types, with small ranges placed where
  /// wrapping and signs are interesting; one may be a loop.
  void newVariables() {
    Vars.clear();
    for (int I = 0; I != 3; ++I) {
      DType T = anyType();
      int64_t Width = pick(0, 7);
      if (T.isIndex() && chance(25)) {
        Vars.push_back(loop(c(pick(0, 8)), I));
        continue;
      }
      Range Whole = Range::ofType(T);
      int64_t Lo;
      if (T.isIndex())
        Lo = pick(-12, 12);
      else if (chance(30))
        Lo = int64_t(Whole.Min) + pick(0, 3);
      else if (chance(40))
        Lo = int64_t(Whole.Max) - Width - pick(0, 3);
      else
        Lo = std::max<int64_t>(int64_t(Whole.Min), pick(-12, 12));
      Vars.push_back(var("v" + std::to_string(I), Lo, Lo + Width, T));
    }
  }

  const UOp *constant(DType T) {
    if (T.isBool())
      return boolean(chance(50));
    Range Whole = Range::ofType(T);
    if (!T.isIndex() && chance(15))
      return c(int64_t(chance(50) ? Whole.Min : Whole.Max), T);
    return c(pick(T.isUnsigned() ? 0 : -9, 9), T);
  }

  const UOp *leaf(DType T) {
    const UOp *V = Vars[pick(0, Vars.size() - 1)];
    if (chance(25))
      return constant(T);
    return V->getDType() == T ? V : cast(V, T);
  }

  const UOp *gen(DType T, int Depth) {
    if (Depth == 0 || chance(15))
      return leaf(T);
    static const Op Binary[] = {
        Op::Add,      Op::Sub,      Op::Mul, Op::FloorDiv, Op::FloorMod,
        Op::TruncDiv, Op::TruncMod, Op::Max, Op::Shl,      Op::Shr,
        Op::And,      Op::Or,       Op::Xor};
    switch (pick(0, 9)) {
    case 0:
      return neg(gen(T, Depth - 1));
    case 1:
      return where(genBool(Depth - 1), gen(T, Depth - 1), gen(T, Depth - 1));
    case 2:
      return cast(gen(anyType(), Depth - 1), T);
    case 3:
      return Ctx.get(Op::MulAcc, T,
                     {gen(T, Depth - 1), gen(T, Depth - 1), gen(T, Depth - 1)});
    default: {
      Op O = Binary[pick(0, std::size(Binary) - 1)];
      const UOp *B = chance(40) ? constant(T) : gen(T, Depth - 1);
      return op(O, gen(T, Depth - 1), B);
    }
    }
  }

  const UOp *genBool(int Depth) {
    if (Depth == 0 || chance(10))
      return chance(80) ? lt(leaf(Index), constant(Index)) : constant(Bool);
    switch (pick(0, 5)) {
    case 0:
      return op(chance(50) ? Op::And : (chance(50) ? Op::Or : Op::Xor),
                genBool(Depth - 1), genBool(Depth - 1));
    case 1:
      return cast(gen(anyType(), Depth - 1), Bool);
    case 2:
      return op(Op::CmpNE, genBool(Depth - 1), boolean(chance(50)));
    default: {
      static const Op Compare[] = {Op::CmpLT, Op::CmpNE, Op::CmpEQ};
      DType T = anyType();
      const UOp *B = chance(50) ? constant(T) : gen(T, Depth - 1);
      return op(Compare[pick(0, 2)], gen(T, Depth - 1), B);
    }
    }
  }

  /// Every assignment of the variables of the current expression.
  std::vector<Assignment> assignments() {
    std::vector<Assignment> All(1);
    for (const UOp *V : Vars) {
      Range R = RangeAnalysis().getRange(V);
      std::vector<Assignment> Next;
      for (const Assignment &A : All)
        for (Bound X = R.Min; !R.isEmpty() && X <= R.Max; ++X) {
          Next.push_back(A);
          Next.back()[V] = X;
        }
      All = std::move(Next);
    }
    return All;
  }

  static std::vector<const UOp *> nodesOf(const UOp *Root) {
    std::vector<const UOp *> Nodes = {Root};
    llvm::DenseSet<const UOp *> Seen = {Root};
    for (size_t I = 0; I != Nodes.size(); ++I)
      for (const UOp *Src : Nodes[I]->getSrcs())
        if (Seen.insert(Src).second)
          Nodes.push_back(Src);
    return Nodes;
  }
};

TEST_F(SoundnessTest, RangesAndFactorsHoldForEveryValue) {
  unsigned Checked = 0;
  for (int Trial = 0; Trial != 4000; ++Trial) {
    newVariables();
    const UOp *Root = chance(20) ? genBool(4) : gen(anyType(), 4);
    RangeAnalysis Ranges;
    DivisibilityAnalysis Div(Ranges);
    std::vector<const UOp *> Nodes = nodesOf(Root);
    for (const Assignment &A : assignments()) {
      Evaluator E(A);
      for (const UOp *U : Nodes) {
        std::optional<Value> V = E.eval(U);
        if (!V)
          continue;
        ++Checked;
        Range R = Ranges.getRange(U);
        ASSERT_TRUE(R.contains(*V))
            << show(U) << " = " << Range::point(*V).str() << " outside "
            << R.str() << "\nin " << show(Root);
        if (!U->getDType().isInteger())
          continue;
        uint64_t F = Div.getConstFactor(U);
        ASSERT_TRUE(F == 0 ? *V == 0 : *V % Value(F) == 0)
            << show(U) << " = " << Range::point(*V).str()
            << " not divisible by " << F << "\nin " << show(Root);
      }
    }
  }
  EXPECT_GT(Checked, 100000u) << "the generator must reach many values";
}

TEST_F(SoundnessTest, GateBoundsHoldWhereTheConditionHolds) {
  unsigned Checked = 0, Impossible = 0;
  for (int Trial = 0; Trial != 4000; ++Trial) {
    newVariables();
    const UOp *Cond = genBool(3);
    const UOp *Expr = gen(anyType(), 3);
    bool Value = chance(70);
    std::optional<Assumptions> Inside = assumeCondition(Cond, Value);
    Impossible += !Inside;
    std::optional<RangeAnalysis> Ranges;
    if (Inside)
      Ranges.emplace(std::move(*Inside));
    std::vector<const UOp *> Nodes = nodesOf(Cond);
    for (const UOp *U : nodesOf(Expr))
      Nodes.push_back(U);
    for (const Assignment &A : assignments()) {
      Evaluator E(A);
      std::optional<Bound> Holds = E.eval(Cond);
      if (!Holds || *Holds != Value)
        continue;
      ASSERT_TRUE(Ranges) << show(Cond) << " == " << Value
                          << " was called impossible";
      for (const UOp *U : Nodes) {
        std::optional<Bound> V = E.eval(U);
        if (!V)
          continue;
        ++Checked;
        Range R = Ranges->getRange(U);
        ASSERT_TRUE(R.contains(*V))
            << show(U) << " = " << Range::point(*V).str() << " outside "
            << R.str() << "\nwhere " << show(Cond) << " == " << Value;
      }
    }
  }
  EXPECT_GT(Checked, 100000u);
  EXPECT_GT(Impossible, 0u) << "some random conditions are impossible";
}

} // namespace
