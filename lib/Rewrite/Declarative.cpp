//===- Declarative.cpp - interpreting the tables of declarative rules -----===//

#include "tg/Rewrite/Declarative.h"

#include "tg/IR/Eval.h"

#include "llvm/ADT/SmallVector.h"

#include <optional>

using namespace tg;
using namespace tg::declarative;

bool declarative::typesContain(RuleTypes Types, DType T) {
  switch (Types) {
  case RuleTypes::IndexType:
    return T.isIndex();
  case RuleTypes::IntegerTypes:
    return T.isInteger();
  case RuleTypes::BoolType:
    return T.isBool();
  case RuleTypes::IntOrBool:
    return T.isInteger() || T.isBool();
  case RuleTypes::FloatTypes:
    return T.isFloat();
  case RuleTypes::AnyTypes:
    return T.isValue();
  }
  return false;
}

TypeSet declarative::getTypeSet(RuleTypes Types) {
  switch (Types) {
  case RuleTypes::IndexType:
    return TypeSet::index();
  case RuleTypes::IntegerTypes:
    return TypeSet::integers();
  case RuleTypes::BoolType:
    return TypeSet::bools();
  case RuleTypes::IntOrBool:
    return TypeSet::integers() | TypeSet::bools();
  case RuleTypes::FloatTypes:
    return TypeSet::floats();
  case RuleTypes::AnyTypes: // Values: not pointers, not void.
    return TypeSet::integers() | TypeSet::bools() | TypeSet::floats();
  }
  return TypeSet();
}

static const RuleData &getData(const Match &M) {
  const RuleData *Data = M.getRule().getData();
  assert(Data && "not a rule built from declarative data");
  return *Data;
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

static bool allCommutative(const PatternNode &N) {
  for (unsigned I = 0; I != N.NumOps; ++I)
    if (!hasTrait(N.Ops[I], OpTrait::Commutative))
      return false;
  return true;
}

static Pattern buildNode(const PatternNode *Nodes, unsigned Index) {
  const PatternNode &N = Nodes[Index];
  switch (N.Kind) {
  case PatternNodeKind::Binding:
    return pattern::var(N.Name);
  case PatternNodeKind::ConstValue:
    return pattern::constant(N.Value);
  case PatternNodeKind::ConstBinding:
    return pattern::anyConstant(N.Name);
  case PatternNodeKind::Op:
    break;
  }
  OpSet Ops;
  for (unsigned I = 0; I != N.NumOps; ++I)
    Ops = Ops | OpSet{N.Ops[I]};
  std::vector<Pattern> Sources;
  for (unsigned I = 0; I != N.NumChildren; ++I)
    Sources.push_back(buildNode(Nodes, N.FirstChild + I));
  Pattern P = pattern::ops(Ops, std::move(Sources));
  if (N.NumChildren > 1 && allCommutative(N))
    P = P.anyOrder();
  return N.Name ? P.named(N.Name) : P;
}

Pattern declarative::buildPattern(const RuleData &R) {
  return buildNode(R.Pattern, 0);
}

#ifndef NDEBUG
/// Whether the slots of the tables are the ones tg::Rule assigned.
static bool slotsAgree(const Rule &TheRule, const PatternNode *Nodes,
                       unsigned Index) {
  const PatternNode &N = Nodes[Index];
  if (N.Name && TheRule.lookupSlot(N.Name) != N.Slot)
    return false;
  for (unsigned I = 0; I != N.NumChildren; ++I)
    if (!slotsAgree(TheRule, Nodes, N.FirstChild + I))
      return false;
  return true;
}
#endif

Rule declarative::buildRule(const RuleData &R) {
  Rule TheRule(R.Name, buildPattern(R), R.isHook() ? R.Hook : applyResult,
               checkGuard, &R);
  assert(slotsAgree(TheRule, R.Pattern, 0) &&
         "pattern slots must number names in preorder of first occurrence");
  return TheRule;
}

std::unique_ptr<RuleSet>
declarative::buildRuleSet(llvm::StringRef Name, llvm::ArrayRef<RuleData> Rules,
                          llvm::ArrayRef<unsigned> Order) {
  auto Set = std::make_unique<RuleSet>(Name.str());
  for (unsigned I : Order)
    Set->add(buildRule(Rules[I]));
  return Set;
}

//===----------------------------------------------------------------------===//
// Guards
//===----------------------------------------------------------------------===//

namespace {

/// Evaluates a guard table with exact integers; nullopt is "undefined".
class GuardEvaluator {
public:
  explicit GuardEvaluator(const Match &M) : M(M) {}

  std::optional<Bound> eval(const GuardNode *Nodes, unsigned Index);

private:
  RewriteAnalyses &getAnalyses() {
    if (M.getState())
      return M.getState<RewriteAnalyses>();
    if (!Temporary)
      Temporary = std::make_unique<RewriteAnalyses>();
    return *Temporary;
  }
  std::optional<Bound> evalArithmetic(GuardNodeKind Kind, Bound A, Bound B);

  const Match &M;
  std::unique_ptr<RewriteAnalyses> Temporary;
};

} // namespace

/// `V` unless it is an infinite bound (or would read as one).
static std::optional<Bound> finite(Bound V) {
  if (!isFinite(V))
    return std::nullopt;
  return V;
}

static Bound floorDiv(Bound A, Bound B) {
  Bound Q = A / B;
  return (A % B != 0 && (A < 0) != (B < 0)) ? Q - 1 : Q;
}

static Bound gcd(Bound A, Bound B) {
  A = A < 0 ? -A : A;
  B = B < 0 ? -B : B;
  while (B != 0) {
    Bound R = A % B;
    A = B;
    B = R;
  }
  return A;
}

std::optional<Bound> GuardEvaluator::evalArithmetic(GuardNodeKind Kind, Bound A,
                                                    Bound B) {
  if (!isFinite(A) || !isFinite(B))
    return std::nullopt;
  Bound R = 0;
  switch (Kind) {
  case GuardNodeKind::Add:
    return __builtin_add_overflow(A, B, &R) ? std::nullopt : finite(R);
  case GuardNodeKind::Sub:
    return __builtin_sub_overflow(A, B, &R) ? std::nullopt : finite(R);
  case GuardNodeKind::Mul:
    return __builtin_mul_overflow(A, B, &R) ? std::nullopt : finite(R);
  case GuardNodeKind::FDiv:
    return B == 0 ? std::nullopt : finite(floorDiv(A, B));
  case GuardNodeKind::FMod:
    return B == 0 ? std::nullopt : finite(A - floorDiv(A, B) * B);
  case GuardNodeKind::Gcd:
    return gcd(A, B);
  default:
    break;
  }
  llvm_unreachable("not an arithmetic guard node");
}

static std::optional<Bound> constValue(const UOp *U) {
  if (U->getOp() != Op::Const)
    return std::nullopt;
  const Arg *A = U->getArg();
  if (A->isBool())
    return Bound(A->getBool());
  if (A->isInt())
    return Bound(A->getInt());
  return std::nullopt;
}

std::optional<Bound> GuardEvaluator::eval(const GuardNode *Nodes,
                                          unsigned Index) {
  const GuardNode &N = Nodes[Index];
  auto child = [&](unsigned I) { return eval(Nodes, N.FirstChild + I); };
  switch (N.Kind) {
  case GuardNodeKind::Always:
    return 1;
  case GuardNodeKind::Literal:
    return Bound(N.Value);
  case GuardNodeKind::Value:
    return constValue(M[N.Slot]);
  case GuardNodeKind::VMin:
    return getAnalyses().Ranges.getMin(M[N.Slot]);
  case GuardNodeKind::VMax:
    return getAnalyses().Ranges.getMax(M[N.Slot]);
  case GuardNodeKind::Factor:
    return Bound(getAnalyses().Factors.getConstFactor(M[N.Slot]));
  case GuardNodeKind::Neg: {
    std::optional<Bound> A = child(0);
    if (!A || !isFinite(*A))
      return std::nullopt;
    return -*A;
  }
  case GuardNodeKind::Not: {
    std::optional<Bound> A = child(0);
    if (!A)
      return std::nullopt;
    return Bound(*A == 0);
  }
  case GuardNodeKind::All:
  case GuardNodeKind::Any: {
    // all stops at the first false operand, any at the first true one.
    bool StopAt = N.Kind == GuardNodeKind::Any;
    for (unsigned I = 0; I != N.NumChildren; ++I) {
      std::optional<Bound> A = child(I);
      if (!A)
        return std::nullopt;
      if ((*A != 0) == StopAt)
        return Bound(StopAt);
    }
    return Bound(!StopAt);
  }
  default:
    break;
  }
  std::optional<Bound> A = child(0);
  if (!A)
    return std::nullopt;
  std::optional<Bound> B = child(1);
  if (!B)
    return std::nullopt;
  switch (N.Kind) {
  case GuardNodeKind::Eq:
    return Bound(*A == *B);
  case GuardNodeKind::Ne:
    return Bound(*A != *B);
  case GuardNodeKind::Lt:
    return Bound(*A < *B);
  case GuardNodeKind::Le:
    return Bound(*A <= *B);
  case GuardNodeKind::Gt:
    return Bound(*A > *B);
  case GuardNodeKind::Ge:
    return Bound(*A >= *B);
  default:
    return evalArithmetic(N.Kind, *A, *B);
  }
}

/// The dtype a rule's Types are checked against.
static DType getRuleType(const UOp *Root) {
  if (Root->hasTrait(OpTrait::Comparison))
    return Root->getSrc(0)->getDType();
  return Root->getDType();
}

bool declarative::checkGuard(const Match &M) {
  const RuleData &R = getData(M);
  // The rule's TypeSet, made from R.Types: a test of bits.
  if (!M.getRule().getRuleTypes().contains(getRuleType(M.getRoot())))
    return false;
  if (R.Guard[0].Kind == GuardNodeKind::Always)
    return true;
  std::optional<Bound> Holds = GuardEvaluator(M).eval(R.Guard, 0);
  return Holds && *Holds != 0;
}

//===----------------------------------------------------------------------===//
// Results
//===----------------------------------------------------------------------===//

namespace {

/// Builds a result table's UOps for one match.
class ResultBuilder {
public:
  ResultBuilder(const Match &M, const ResultNode *Nodes)
      : M(M), Ctx(M.getContext()), Nodes(Nodes) {}

  /// The UOp of node `Index` given the type its parent expects; nullptr
  /// when the rule does not apply after all.
  const UOp *build(unsigned Index, DType Expected);

private:
  DType inferType(unsigned Index);
  DType getOperandType(const ResultNode &N);
  const UOp *makeConst(DType T, int64_t Value);
  const UOp *fold(const ResultNode &N, DType T);

  const Match &M;
  Context &Ctx;
  const ResultNode *Nodes;
};

} // namespace

/// `T` with bool lanes.
static DType boolLike(Context &Ctx, DType T) {
  return Ctx.getVector(Ctx.getScalar(ScalarKind::Bool), T.getCount());
}

DType ResultBuilder::inferType(unsigned Index) {
  const ResultNode &N = Nodes[Index];
  if (N.Kind == ResultNodeKind::Use)
    return M[N.Slot]->getDType();
  if (N.Kind == ResultNodeKind::Const)
    return DType();
  if (hasTrait(N.TheOp, OpTrait::Comparison)) {
    DType Operand = getOperandType(N);
    return Operand ? boolLike(Ctx, Operand) : DType();
  }
  // `where` has the type of its second and third operands.
  unsigned First = N.Kind == ResultNodeKind::NewOp && N.TheOp == Op::Where;
  for (unsigned I = First; I < N.NumChildren; ++I)
    if (DType T = inferType(N.FirstChild + I))
      return T;
  return DType();
}

DType ResultBuilder::getOperandType(const ResultNode &N) {
  for (unsigned I = 0; I != N.NumChildren; ++I)
    if (DType T = inferType(N.FirstChild + I))
      return T;
  return DType();
}

/// `Value` as a lane of `Kind`: wrapped to a fixed width, so that a
/// constant is stored as evalAlu's ConstValue normalizes it.
static int64_t wrapTo(ScalarKind Kind, int64_t Value) {
  const ScalarInfo &Info = getScalarInfo(Kind);
  unsigned Bits = Info.Bits;
  if (Info.Category == ScalarCategory::Index || Bits == 0 || Bits >= 64)
    return Value;
  uint64_t Low = uint64_t(Value) & ((uint64_t(1) << Bits) - 1);
  if (Info.Category == ScalarCategory::Signed && (Low >> (Bits - 1)) != 0)
    return int64_t(Low | ~((uint64_t(1) << Bits) - 1));
  return int64_t(Low);
}

const UOp *ResultBuilder::makeConst(DType T, int64_t Value) {
  if (T.isFloat())
    return Ctx.getFloatConst(T, double(Value));
  return Ctx.getConst(T, wrapTo(T.getScalarKind(), Value));
}

const UOp *ResultBuilder::fold(const ResultNode &N, DType T) {
  DType OperandType =
      hasTrait(N.TheOp, OpTrait::Comparison) ? getOperandType(N) : T;
  if (!OperandType)
    return nullptr;
  llvm::SmallVector<ConstValue, 3> Values;
  for (unsigned I = 0; I != N.NumChildren; ++I) {
    const UOp *U = build(N.FirstChild + I, OperandType);
    if (!U || U->getOp() != Op::Const)
      return nullptr;
    Values.push_back(ConstValue::fromArg(*U->getArg()));
  }
  std::optional<ConstValue> Folded =
      evalAlu(N.TheOp, T.getScalarKind(), OperandType.getScalarKind(), Values);
  if (!Folded)
    return nullptr;
  return Ctx.get(Op::Const, T, {}, Folded->toArg(Ctx, T.getScalarKind()));
}

const UOp *ResultBuilder::build(unsigned Index, DType Expected) {
  const ResultNode &N = Nodes[Index];
  switch (N.Kind) {
  case ResultNodeKind::Use:
    return M[N.Slot];
  case ResultNodeKind::Const:
    return makeConst(Expected, N.Value);
  case ResultNodeKind::Fold:
    return fold(N, Expected);
  case ResultNodeKind::NewOp:
    break;
  }
  DType Type = Expected;
  DType OperandType = Expected;
  if (hasTrait(N.TheOp, OpTrait::Comparison)) {
    OperandType = getOperandType(N);
    if (!OperandType)
      return nullptr;
    Type = boolLike(Ctx, OperandType);
  }
  llvm::SmallVector<const UOp *, 3> Srcs;
  for (unsigned I = 0; I != N.NumChildren; ++I) {
    bool IsCondition = N.TheOp == Op::Where && I == 0;
    const UOp *Src = build(N.FirstChild + I,
                           IsCondition ? boolLike(Ctx, Type) : OperandType);
    if (!Src)
      return nullptr;
    Srcs.push_back(Src);
  }
  return Ctx.get(N.TheOp, Type, Srcs);
}

const UOp *declarative::applyResult(const Match &M) {
  const RuleData &R = getData(M);
  assert(R.Result && "a hook rule has no result table");
  return ResultBuilder(M, R.Result).build(0, M.getRoot()->getDType());
}
