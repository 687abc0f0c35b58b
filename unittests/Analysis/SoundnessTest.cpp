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

#include "tg/IR/Walk.h"
#include "tg/Testing/RandomExpr.h"

#include "AnalysisTestBase.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

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

std::string show(const UOp *U) { return printExprInline(U); }

/// The generator's options for this test: three variables of mixed types
/// with ranges of at most 8 values placed where wrapping and signs are
/// interesting (a quarter of the index ones loops), every integer op and
/// mulacc, comparisons mostly of a leaf with a constant at the bool leaves.
RandomExprOptions analysisOptions() {
  RandomExprOptions O;
  O.Types = {ScalarKind::Index, ScalarKind::I8, ScalarKind::U8, ScalarKind::I32,
             ScalarKind::U32};
  O.LoopPercent = 25;
  O.MaxWidth = 7;
  O.SmallBound = 12;
  O.LowEdgePercent = 30;
  O.HighEdgePercent = 40;
  O.SmallConstant = 9;
  O.ExtremeConstantPercent = 15;
  O.MulAccWeight = 1;
  O.BinaryWeight = 6;
  O.ConstantOperandPercent = 40;
  O.CompareLeafPercent = 80;
  O.CastToBoolWeight = 1;
  O.SameTypeComparePercent = 0;
  return O;
}

class SoundnessTest : public AnalysisTestBase {
protected:
  RandomExprGenerator Gen{Ctx, analysisOptions(), 20240611};

  bool chance(int Percent) { return Gen.chance(Percent); }
  DType anyType() { return Gen.anyType(); }
  void newVariables() { Gen.newVariables(Index, /*Mixed=*/true); }
  const UOp *gen(DType T, int Depth) { return Gen.gen(T, Depth); }
  const UOp *genBool(int Depth) { return Gen.genBool(Index, Depth); }

  /// Every assignment of the variables of the current expression.
  std::vector<Assignment> assignments() {
    std::vector<Assignment> All(1);
    for (const UOp *V : Gen.getVariables()) {
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
    return collectUOps(Root);
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
