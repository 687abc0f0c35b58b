//===- Verifier.cpp - the spec of tg's IR ---------------------------------===//
//
// One linear walk over each function's parameters and body. Each UOp is
// checked first against its row of td/UOps.td (operand count, argument
// fields, result constraint), then, only if that passed, against the
// structural rules of its op (a switch below). Every violation is reported
// as `'<mnemonic>' <message>` at the UOp's location; docs/IRSpec.md lists the
// rules and their diagnostics.
//
// Cost is linear in the body: a set of the UOps defined so far (operands
// come before their users) and a constant amount of work per UOp. END's rule
// (a closed range must be reachable from the effect) searches from each end
// with a shared budget, then falls back to one bounded pass.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Verifier.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <optional>
#include <string>

using namespace tg;

namespace {

//===----------------------------------------------------------------------===//
// Types and constants
//===----------------------------------------------------------------------===//

std::string str(DType T) { return T.str(); }

/// A pair of an IntPairList prints as a tuple, `(0, 4)`.
std::string pairStr(const Arg &Pair) {
  return "(" + std::to_string(Pair.getElements()[0]->getInt()) + ", " +
         std::to_string(Pair.getElements()[1]->getInt()) + ")";
}

std::string str(const Arg &A) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  A.print(OS);
  return S;
}

/// `1 lane`, `4 lanes`.
std::string count(size_t N, llvm::StringRef Noun) {
  return std::to_string(N) + " " + Noun.str() + (N == 1 ? "" : "s");
}

llvm::StringRef mnemonic(const UOp *U) { return getMnemonic(U->getOp()); }

/// How `vec<Scalar, Count>` prints (the scalar itself for one lane).
std::string vectorTypeName(ScalarKind Scalar, unsigned Count) {
  std::string Name = getScalarInfo(Scalar).Mnemonic;
  if (Count == 1)
    return Name;
  return "vec<" + Name + ", " + std::to_string(Count) + ">";
}

/// Loads and stores move one element through a pointer, four texels through
/// an image.
/// Whether a load or store of `T` may go through `Pointer`: its element, a
/// vector of a scalar element (consecutive elements), or a texel of an
/// image.
bool isAccessType(DType Pointer, DType T) {
  if (!Pointer.isImage())
    return T == Pointer.getElement() ||
           (T.isVector() && Pointer.getElement().isScalar() &&
            T.getScalarType() == Pointer.getElement());
  return T.isVector() && T.getCount() == 4 &&
         T.getScalarKind() == Pointer.getScalarKind();
}

std::string accessTypeName(DType Pointer) {
  if (Pointer.isImage())
    return vectorTypeName(Pointer.getScalarKind(), 4);
  if (Pointer.getElement().isScalar())
    return str(Pointer.getElement()) + " (or a vector of it)";
  return str(Pointer.getElement());
}

/// Whether an integer constant lies in the range of scalar K. u64 constants
/// are stored as their two's-complement bit pattern, so every int64 fits.
bool fitsIn(int64_t Value, ScalarKind K) {
  const ScalarInfo &Info = getScalarInfo(K);
  switch (Info.Category) {
  case ScalarCategory::Bool:
    return Value == 0 || Value == 1;
  case ScalarCategory::Signed:
    return Info.Bits >= 64 || (Value >= -(int64_t(1) << (Info.Bits - 1)) &&
                               Value < (int64_t(1) << (Info.Bits - 1)));
  case ScalarCategory::Unsigned:
    return Info.Bits >= 64 || (Value >= 0 && Value < (int64_t(1) << Info.Bits));
  default:
    return true;
  }
}

/// Float constants are stored as doubles holding a value of the op's type;
/// nan payloads are the printer's business, not a rule.
bool isExactIn(double Value, ScalarKind K) {
  llvm::APFloat F(Value);
  if (K == ScalarKind::F64 || F.isNaN())
    return true;
  bool LosesInfo = false;
  llvm::APFloat::opStatus Status = F.convert(
      getFloatSemantics(K), llvm::APFloat::rmNearestTiesToEven, &LosesInfo);
  return Status == llvm::APFloat::opOK && !LosesInfo;
}

//===----------------------------------------------------------------------===//
// ALU type classes
//===----------------------------------------------------------------------===//

/// The value types an ALU op computes on. Bool counts as a value for add,
/// mul, max and mulacc (or, and, or, and-or), as in tinygrad; sub and neg
/// have no bool meaning.
enum class ValueClassKind {
  Value,
  NonBool,
  Float,
  Integer,
  IntegerOrBool,
  U64
};

std::optional<ValueClassKind> getValueClass(Op O) {
  switch (O) {
  case Op::Add:
  case Op::Mul:
  case Op::Max:
  case Op::MulAcc:
    return ValueClassKind::Value;
  case Op::Sub:
  case Op::Neg:
    return ValueClassKind::NonBool;
  case Op::Exp2:
  case Op::Log2:
  case Op::Sin:
  case Op::Sqrt:
  case Op::Recip:
  case Op::Trunc:
  case Op::FDiv:
  case Op::Pow:
    return ValueClassKind::Float;
  case Op::FloorDiv:
  case Op::FloorMod:
  case Op::TruncDiv:
  case Op::TruncMod:
  case Op::Shl:
  case Op::Shr:
    return ValueClassKind::Integer;
  case Op::And:
  case Op::Or:
  case Op::Xor:
    return ValueClassKind::IntegerOrBool;
  case Op::Threefry:
    return ValueClassKind::U64;
  default:
    return std::nullopt;
  }
}

bool isInClass(DType T, ValueClassKind C) {
  switch (C) {
  case ValueClassKind::Value:
    return T.isValue();
  case ValueClassKind::NonBool:
    return T.isValue() && !T.isBool();
  case ValueClassKind::Float:
    return T.isFloat();
  case ValueClassKind::Integer:
    return T.isInteger();
  case ValueClassKind::IntegerOrBool:
    return T.isInteger() || T.isBool();
  case ValueClassKind::U64:
    return T.isValue() && T.getScalarKind() == ScalarKind::U64;
  }
  return false;
}

const char *describe(ValueClassKind C) {
  switch (C) {
  case ValueClassKind::Value:
    return "a scalar or vector type";
  case ValueClassKind::NonBool:
    return "a numeric (non-bool) type";
  case ValueClassKind::Float:
    return "a float type";
  case ValueClassKind::Integer:
    return "an integer type (index or fixed-width)";
  case ValueClassKind::IntegerOrBool:
    return "an integer or bool type";
  case ValueClassKind::U64:
    return "u64";
  }
  return "";
}

bool isReduceOp(Op O) {
  return O == Op::Add || O == Op::Mul || O == Op::Max || O == Op::And ||
         O == Op::Or || O == Op::Xor;
}

//===----------------------------------------------------------------------===//
// Argument fields
//===----------------------------------------------------------------------===//

/// The kind of Arg a constant of type T holds; none for non-values.
std::optional<Arg::Kind> getConstKind(DType T) {
  if (!T || !T.isValue())
    return std::nullopt;
  if (T.isBool())
    return Arg::Kind::Bool;
  if (T.isFloat())
    return Arg::Kind::Float;
  return Arg::Kind::Int;
}

bool isListOf(const Arg *A, llvm::function_ref<bool(const Arg *)> Element) {
  return A->isList() && llvm::all_of(A->getElements(), [&](const Arg *E) {
           return E && Element(E);
         });
}

bool isIntList(const Arg *A) {
  return isListOf(A, [](const Arg *E) { return E && E->isInt(); });
}

bool isIntPair(const Arg *A) {
  return A->isList() && A->getElements().size() == 2 && isIntList(A);
}

bool isOpt(const Arg *A) {
  return A->getKind() == Arg::Kind::Opt &&
         llvm::all_of(A->getElements(),
                      [](const Arg *E) { return E && E->isInt(); });
}

/// Whether A is a value of an argument field of type Type on an op whose
/// result type is T. Constants of a non-value type are left to the op's
/// rules, which report the type.
bool fieldMatches(ArgType Type, const Arg *A, DType T) {
  if (!A)
    return false;
  std::optional<Arg::Kind> ConstKind = getConstKind(T);
  switch (Type) {
  case ArgType::Int:
    return A->isInt();
  case ArgType::Bool:
    return A->isBool();
  case ArgType::String:
    return A->isString();
  case ArgType::Const:
    return !ConstKind || A->getKind() == *ConstKind;
  case ArgType::ConstList:
    return isListOf(A, [&](const Arg *E) {
      return !ConstKind || E->getKind() == *ConstKind;
    });
  case ArgType::IntList:
    return isIntList(A);
  case ArgType::IntPairList:
    return isListOf(A, isIntPair);
  case ArgType::AxisKind:
    return A->getKind() == Arg::Kind::AxisKind;
  case ArgType::Op:
    return A->getKind() == Arg::Kind::Op;
  case ArgType::OptList:
    return isListOf(A, isOpt);
  }
  return false;
}

std::string describe(ArgType Type, DType T) {
  std::optional<Arg::Kind> ConstKind = getConstKind(T);
  std::string Kind = !ConstKind                       ? "an integer"
                     : *ConstKind == Arg::Kind::Bool  ? "a bool"
                     : *ConstKind == Arg::Kind::Float ? "a float"
                                                      : "an integer";
  switch (Type) {
  case ArgType::Int:
    return "an integer";
  case ArgType::Bool:
    return "true or false";
  case ArgType::String:
    return "a string";
  case ArgType::Const:
    return Kind + " constant for " + str(T);
  case ArgType::ConstList:
    return "a list of " + Kind.substr(Kind.find(' ') + 1) + " constants for " +
           str(T);
  case ArgType::IntList:
    return "a list of integers";
  case ArgType::IntPairList:
    return "a list of integer pairs";
  case ArgType::AxisKind:
    return "an axis kind";
  case ArgType::Op:
    return "an op mnemonic";
  case ArgType::OptList:
    return "a list of opts with integer operands";
  }
  return "";
}

/// Why U's argument is not what its fields in td/UOps.td declare, or "".
std::string diagnoseArg(const UOp *U) {
  llvm::ArrayRef<ArgFieldInfo> Fields = U->getInfo().getArgFields();
  const Arg *A = U->getArg();
  if (Fields.empty())
    return A ? "takes no argument" : "";
  std::string Names;
  for (const ArgFieldInfo &Field : Fields)
    Names += (Names.empty() ? "" : ", ") + std::string(Field.Name);
  if (!A)
    return "requires an argument {" + Names + "}";
  if (Fields.size() > 1 &&
      (!A->isList() || A->getElements().size() != Fields.size()))
    return "argument must have the fields {" + Names + "}";
  for (unsigned I = 0; I != Fields.size(); ++I) {
    const Arg *Field = Fields.size() == 1 ? A : A->getElements()[I];
    if (!fieldMatches(Fields[I].Type, Field, U->getDType()))
      return "field '" + std::string(Fields[I].Name) + "' must be " +
             describe(Fields[I].Type, U->getDType());
  }
  return "";
}

bool hasWellFormedArg(const UOp *U) { return diagnoseArg(U).empty(); }

//===----------------------------------------------------------------------===//
// Functions
//===----------------------------------------------------------------------===//

class FunctionVerifier {
public:
  FunctionVerifier(const Function &F, DiagnosticEngine &Diag)
      : F(F), Diag(Diag) {}

  LogicalResult verify();

private:
  void error(const UOp *U, const llvm::Twine &Message) {
    (void)Diag.error(F.getLocOrDefault(U), "'" + mnemonic(U) + "' " + Message);
    Failed = true;
  }
  void error(llvm::SMLoc Loc, const llvm::Twine &Message) {
    (void)Diag.error(Loc, Message);
    Failed = true;
  }
  std::string describeFunction() const {
    return (F.isKernel() ? "kernel @" : "func @") + F.getName().str();
  }

  void checkParams();
  void checkBodyUOp(const UOp *U);
  void checkUOp(const UOp *U, bool IsParam);
  bool checkOperandCount(const UOp *U);
  bool checkResult(const UOp *U);
  void checkOpRules(const UOp *U, bool IsParam);
  void checkRoot();
  void checkAttributes();
  void checkEndsEncloseRanges();
  bool findClosedRanges(const UOp *End, size_t &Budget);
  void checkByReachedRanges(llvm::ArrayRef<const UOp *> EndsToCheck);

  // Per-op rules; each runs only on a UOp that passed the generic rules.
  void checkComparison(const UOp *U);
  void checkWhere(const UOp *U);
  void checkCast(const UOp *U);
  void checkBitcast(const UOp *U);
  void checkConstValue(const UOp *U, const Arg &Value);
  void checkConst(const UOp *U);
  void checkVConst(const UOp *U);
  void checkDefine(const UOp *U, bool IsParam);
  void checkDefineVar(const UOp *U);
  void checkBind(const UOp *U);
  void checkRange(const UOp *U);
  bool checkEnd(const UOp *U);
  void checkSpecial(const UOp *U);
  void checkIndex(const UOp *U);
  void checkLoad(const UOp *U);
  void checkStore(const UOp *U);
  void checkReduceOp(const UOp *U, Op ReduceOp);
  void checkRangeOperands(const UOp *U);
  void checkReduceAxis(const UOp *U);
  void checkIf(const UOp *U);
  void checkEndIf(const UOp *U);
  void checkVectorize(const UOp *U);
  void checkGEP(const UOp *U);
  void checkCat(const UOp *U);
  void checkPtrCat(const UOp *U);
  void checkLanesOfRange(const UOp *U);
  void checkWMMA(const UOp *U);
  void checkNonNegative(const UOp *U, unsigned Field, llvm::StringRef What);
  void checkAssign(const UOp *U);
  void checkShape(const UOp *U);
  void checkPermute(const UOp *U);
  void checkPad(const UOp *U);
  void checkShrink(const UOp *U);
  void checkAxes(const UOp *U, const Arg &Axes);

  const Function &F;
  DiagnosticEngine &Diag;
  bool Failed = false;
  /// Parameters and the body UOps seen so far.
  llvm::DenseSet<const UOp *> Defined;
  /// Well-formed ends, for checkEndsEncloseRanges.
  std::vector<const UOp *> Ends;
};

LogicalResult FunctionVerifier::verify() {
  Defined.reserve(F.Params.size() + F.getBody().size());
  checkParams();
  for (const UOp *U : F.getBody())
    checkBodyUOp(U);
  checkRoot();
  checkAttributes();
  if (!Ends.empty())
    checkEndsEncloseRanges();
  return failure(Failed);
}

void FunctionVerifier::checkParams() {
  int64_t NumBuffers = 0;
  llvm::StringSet<> VarNames;
  for (const UOp *P : F.Params) {
    if (!Defined.insert(P).second) {
      error(P, "is a parameter of " + describeFunction() + " twice");
      continue;
    }
    checkUOp(P, /*IsParam=*/true);
    if (P->getOp() == Op::DefineVar) {
      if (hasWellFormedArg(P) &&
          !VarNames.insert(P->getArgField(0)->getString()).second)
        error(P, "name '" + P->getArgField(0)->getString() +
                     "' is used by two parameters");
      continue;
    }
    if (P->getOp() != Op::Define) {
      error(P, "cannot be a parameter (parameters are 'define' and "
               "'define_var')");
      continue;
    }
    if (!F.isKernel()) {
      error(P, "cannot be a func parameter (funcs take only 'define_var')");
      continue;
    }
    if (P->getDType().isPointer() &&
        P->getDType().getAddrSpace() != AddrSpace::Global)
      error(P, "kernel parameter must be in global memory, got " +
                   getMnemonic(P->getDType().getAddrSpace()));
    if (hasWellFormedArg(P) && P->getArg()->getInt() != NumBuffers)
      error(P, "kernel parameter id " + llvm::Twine(P->getArg()->getInt()) +
                   " does not match its position " + llvm::Twine(NumBuffers) +
                   " among the buffer parameters");
    ++NumBuffers;
  }
}

void FunctionVerifier::checkBodyUOp(const UOp *U) {
  if (!Defined.insert(U).second)
    return error(U, "is defined twice in " + describeFunction());
  for (unsigned I = 0, E = U->getNumSrcs(); I != E; ++I) {
    if (!Defined.count(U->getSrc(I)))
      return error(U, "operand " + llvm::Twine(I + 1) +
                          " is not defined before use");
  }
  if (!F.isKernel() && U->hasTrait(OpTrait::SideEffect))
    error(U, "is not allowed in a func (funcs have no side effects)");
  checkUOp(U, /*IsParam=*/false);
}

void FunctionVerifier::checkUOp(const UOp *U, bool IsParam) {
  bool CountOK = checkOperandCount(U);
  std::string ArgProblem = diagnoseArg(U);
  if (!ArgProblem.empty())
    error(U, ArgProblem);
  if (!CountOK || !checkResult(U) || !ArgProblem.empty())
    return;
  checkOpRules(U, IsParam);
}

bool FunctionVerifier::checkOperandCount(const UOp *U) {
  const OpInfo &Info = U->getInfo();
  int N = int(U->getNumSrcs());
  if (N >= Info.MinOperands && (Info.isVariadic() || N <= Info.MaxOperands))
    return true;
  std::string Expected = Info.isVariadic()
                             ? "at least " + count(Info.MinOperands, "operand")
                         : Info.MinOperands == Info.MaxOperands
                             ? count(Info.MinOperands, "operand")
                             : std::to_string(Info.MinOperands) + " to " +
                                   count(Info.MaxOperands, "operand");
  error(U, "expects " + Expected + ", got " + llvm::Twine(N));
  return false;
}

bool FunctionVerifier::checkResult(const UOp *U) {
  DType T = U->getDType();
  auto Fail = [&](const llvm::Twine &Message) {
    error(U, Message);
    return false;
  };
  switch (U->getInfo().Result) {
  case ResultConstraint::Any:
    return true;
  case ResultConstraint::Void:
    return T.isVoid() || Fail("result must be void, got " + str(T));
  case ResultConstraint::Bool:
    return T.isBool() || Fail("result must be bool, got " + str(T));
  case ResultConstraint::Integer:
    return (T.isScalar() && T.isInteger()) ||
           Fail("result must be index or a fixed-width integer, got " + str(T));
  case ResultConstraint::Pointer:
    return T.isPointer() || Fail("result must be a pointer, got " + str(T));
  case ResultConstraint::SameAsOperands:
    for (unsigned I = 0, E = U->getNumSrcs(); I != E; ++I)
      if (U->getSrc(I)->getDType() != T)
        return Fail("operand " + llvm::Twine(I + 1) + " type " +
                    str(U->getSrc(I)->getDType()) +
                    " does not match the result type " + str(T));
    return true;
  case ResultConstraint::SameAsFirst:
    return U->getSrc(0)->getDType() == T ||
           Fail("result type " + str(T) + " does not match operand 1 type " +
                str(U->getSrc(0)->getDType()));
  }
  return true;
}

void FunctionVerifier::checkOpRules(const UOp *U, bool IsParam) {
  if (std::optional<ValueClassKind> Class = getValueClass(U->getOp())) {
    if (!isInClass(U->getDType(), *Class))
      error(U, "requires " + llvm::Twine(describe(*Class)) + ", got " +
                   str(U->getDType()));
    return;
  }
  switch (U->getOp()) {
  case Op::CmpLT:
  case Op::CmpNE:
  case Op::CmpEQ:
    return checkComparison(U);
  case Op::Where:
    return checkWhere(U);
  case Op::Cast:
    return checkCast(U);
  case Op::Bitcast:
    return checkBitcast(U);
  case Op::Const:
    return checkConst(U);
  case Op::VConst:
    return checkVConst(U);
  case Op::Define:
    return checkDefine(U, IsParam);
  case Op::DefineVar:
    return checkDefineVar(U);
  case Op::Bind:
    return checkBind(U);
  case Op::Range:
    return checkRange(U);
  case Op::End:
    if (checkEnd(U) && !IsParam)
      Ends.push_back(U);
    return;
  case Op::Special:
    return checkSpecial(U);
  case Op::Index:
    return checkIndex(U);
  case Op::Load:
    return checkLoad(U);
  case Op::Store:
    return checkStore(U);
  case Op::Reduce:
    checkReduceOp(U, U->getArg()->getOp());
    return checkRangeOperands(U);
  case Op::ReduceAxis:
    return checkReduceAxis(U);
  case Op::If:
    return checkIf(U);
  case Op::EndIf:
    return checkEndIf(U);
  case Op::Vectorize:
    return checkVectorize(U);
  case Op::GEP:
    return checkGEP(U);
  case Op::Cat:
    return checkCat(U);
  case Op::PtrCat:
    return checkPtrCat(U);
  case Op::Unroll:
  case Op::Contract:
    return checkLanesOfRange(U);
  case Op::WMMA:
    return checkWMMA(U);
  case Op::Buffer:
    return checkNonNegative(U, 0, "id");
  case Op::BufferView:
    checkNonNegative(U, 0, "size");
    return checkNonNegative(U, 1, "offset");
  case Op::Assign:
    return checkAssign(U);
  case Op::Reshape:
  case Op::Expand:
    return checkShape(U);
  case Op::Permute:
    return checkPermute(U);
  case Op::Pad:
    return checkPad(U);
  case Op::Shrink:
    return checkShrink(U);
  case Op::Flip:
    return checkAxes(U, *U->getArg());
  default:
    return;
  }
}

//===----------------------------------------------------------------------===//
// ALU, conversions and constants
//===----------------------------------------------------------------------===//

void FunctionVerifier::checkComparison(const UOp *U) {
  DType A = U->getSrc(0)->getDType(), B = U->getSrc(1)->getDType();
  if (A != B)
    return error(U,
                 "operands have different types " + str(A) + " and " + str(B));
  if (!A.isValue())
    return error(U, "operands must be scalars or vectors, got " + str(A));
  if (U->getDType().getCount() != A.getCount())
    error(U, "result has " + count(U->getDType().getCount(), "lane") +
                 ", the operands have " + llvm::Twine(A.getCount()));
}

void FunctionVerifier::checkWhere(const UOp *U) {
  DType T = U->getDType(), Condition = U->getSrc(0)->getDType();
  if (!Condition.isBool())
    return error(U,
                 "condition (operand 1) must be bool, got " + str(Condition));
  if (Condition.getCount() != 1 && Condition.getCount() != T.getCount())
    return error(U, "condition has " + count(Condition.getCount(), "lane") +
                        ", the result has " + llvm::Twine(T.getCount()));
  for (unsigned I = 1; I != 3; ++I)
    if (U->getSrc(I)->getDType() != T)
      return error(U, "operand " + llvm::Twine(I + 1) + " type " +
                          str(U->getSrc(I)->getDType()) +
                          " does not match the result type " + str(T));
}

void FunctionVerifier::checkCast(const UOp *U) {
  DType From = U->getSrc(0)->getDType(), To = U->getDType();
  if (!From.isValue())
    return error(U, "operand must be a scalar or vector, got " + str(From));
  if (!To.isValue())
    return error(U, "result must be a scalar or vector, got " + str(To));
  if (From.getCount() != To.getCount())
    error(U, "changes the lane count from " + llvm::Twine(From.getCount()) +
                 " to " + llvm::Twine(To.getCount()));
}

void FunctionVerifier::checkBitcast(const UOp *U) {
  DType From = U->getSrc(0)->getDType(), To = U->getDType();
  for (DType T : {From, To}) {
    if (!T.isValue())
      return error(U, "operand and result must be scalars or vectors, got " +
                          str(T));
    if (T.isIndex() || T.isBool())
      return error(U, "cannot reinterpret " + str(T) +
                          " (index and bool have no bit layout)");
  }
  unsigned FromBits = From.getScalarBits() * From.getCount();
  unsigned ToBits = To.getScalarBits() * To.getCount();
  if (FromBits != ToBits)
    error(U, "changes the width from " + llvm::Twine(FromBits) + " bits (" +
                 str(From) + ") to " + llvm::Twine(ToBits) + " bits (" +
                 str(To) + ")");
}

void FunctionVerifier::checkConstValue(const UOp *U, const Arg &Value) {
  ScalarKind K = U->getDType().getScalarKind();
  if (Value.isInt() && !fitsIn(Value.getInt(), K))
    error(U, "value " + str(Value) + " does not fit in " +
                 getScalarInfo(K).Mnemonic);
  if (Value.isFloat() && !isExactIn(Value.getFloat(), K))
    error(U, "value " + str(Value) + " is not exact in " +
                 getScalarInfo(K).Mnemonic);
}

void FunctionVerifier::checkConst(const UOp *U) {
  if (!U->getDType().isValue())
    return error(U, "result must be a scalar or vector, got " +
                        str(U->getDType()));
  checkConstValue(U, *U->getArg());
}

void FunctionVerifier::checkVConst(const UOp *U) {
  DType T = U->getDType();
  if (!T.isVector())
    return error(U, "result must be a vector, got " + str(T));
  llvm::ArrayRef<const Arg *> Values = U->getArg()->getElements();
  if (Values.size() != T.getCount())
    return error(U, "has " + count(Values.size(), "value") + ", but " + str(T) +
                        " has " + count(T.getCount(), "lane"));
  for (const Arg *Value : Values)
    checkConstValue(U, *Value);
}

//===----------------------------------------------------------------------===//
// Definitions, loops and memory
//===----------------------------------------------------------------------===//

void FunctionVerifier::checkDefine(const UOp *U, bool IsParam) {
  DType T = U->getDType();
  checkNonNegative(U, 0, "id");
  if (!T.isImage() && !T.getElement().isValue())
    error(U, "element type must be a scalar or vector, got " +
                 str(T.getElement()));
  if (IsParam)
    return;
  if (T.getAddrSpace() == AddrSpace::Global)
    return error(U, "of a global buffer may only be a kernel parameter");
  if (T.getSize() < 0)
    error(U, getMnemonic(T.getAddrSpace()) + " buffer needs a known size");
}

void FunctionVerifier::checkDefineVar(const UOp *U) {
  if (U->getArgField(0)->getString().empty())
    error(U, "name must not be empty");
  int64_t Min = U->getArgField(1)->getInt(), Max = U->getArgField(2)->getInt();
  ScalarKind K = U->getDType().getScalarKind();
  if (Min > Max)
    return error(U, "min " + llvm::Twine(Min) + " is greater than max " +
                        llvm::Twine(Max));
  if (!fitsIn(Min, K) || !fitsIn(Max, K))
    error(U, "bounds [" + llvm::Twine(Min) + ", " + llvm::Twine(Max) +
                 "] do not fit in " + getScalarInfo(K).Mnemonic);
}

void FunctionVerifier::checkBind(const UOp *U) {
  const UOp *Var = U->getSrc(0), *Value = U->getSrc(1);
  if (Var->getOp() != Op::DefineVar)
    return error(U, "operand 1 must be a 'define_var', got '" + mnemonic(Var) +
                        "'");
  if (Value->getOp() != Op::Const)
    return error(U,
                 "operand 2 must be a 'const', got '" + mnemonic(Value) + "'");
  if (Value->getDType() != Var->getDType())
    return error(U, "operand 2 type " + str(Value->getDType()) +
                        " does not match the variable's type " +
                        str(Var->getDType()));
  if (!hasWellFormedArg(Var) || !hasWellFormedArg(Value) ||
      !Value->getArg()->isInt())
    return; // Reported at the operand.
  int64_t V = Value->getArg()->getInt();
  int64_t Min = Var->getArgField(1)->getInt(),
          Max = Var->getArgField(2)->getInt();
  if (V < Min || V > Max)
    error(U, "value " + llvm::Twine(V) + " is outside [" + llvm::Twine(Min) +
                 ", " + llvm::Twine(Max) + "] of variable '" +
                 Var->getArgField(0)->getString() + "'");
}

void FunctionVerifier::checkRange(const UOp *U) {
  if (U->getSrc(0)->getDType() != U->getDType())
    error(U, "operand type " + str(U->getSrc(0)->getDType()) +
                 " does not match the result type " + str(U->getDType()));
  checkNonNegative(U, 0, "axis");
}

bool FunctionVerifier::checkEnd(const UOp *U) {
  bool WellFormed = true;
  DType Effect = U->getSrc(0)->getDType();
  if (!Effect.isVoid()) {
    error(U, "operand 1 must be an effect (void), got " + str(Effect));
    WellFormed = false;
  }
  for (unsigned I = 1, E = U->getNumSrcs(); I != E; ++I) {
    if (U->getSrc(I)->getOp() != Op::Range) {
      error(U, "operand " + llvm::Twine(I + 1) + " must be a 'range', got '" +
                   mnemonic(U->getSrc(I)) + "'");
      WellFormed = false;
    }
  }
  return WellFormed;
}

void FunctionVerifier::checkSpecial(const UOp *U) {
  if (U->getSrc(0)->getDType() != U->getDType())
    error(U, "operand type " + str(U->getSrc(0)->getDType()) +
                 " does not match the result type " + str(U->getDType()));
  if (U->getArg()->getString().empty())
    error(U, "name must not be empty");
}

void FunctionVerifier::checkIndex(const UOp *U) {
  DType Buffer = U->getSrc(0)->getDType(), T = U->getDType();
  if (!Buffer.isPointer())
    return error(U, "operand 1 must be a pointer, got " + str(Buffer));
  unsigned NumSrcs = U->getNumSrcs();
  bool Gated = U->getSrcs().back()->getDType().isBool();
  if (Gated && NumSrcs == 2)
    return error(U, "needs an index operand before the gate");
  for (unsigned I = 1, E = NumSrcs - Gated; I != E; ++I)
    if (!U->getSrc(I)->getDType().isInteger())
      return error(U, "operand " + llvm::Twine(I + 1) +
                          " must be an integer (index or fixed-width) or a "
                          "final bool gate, got " +
                          str(U->getSrc(I)->getDType()));
  if (Buffer.isImage())
    return;
  if (T.isImage() || T.getElement() != Buffer.getElement() ||
      T.getAddrSpace() != Buffer.getAddrSpace())
    error(U, "result type " + str(T) +
                 " must point to the element type and address space of "
                 "operand 1 (" +
                 str(Buffer) + ")");
}

void FunctionVerifier::checkLoad(const UOp *U) {
  DType Pointer = U->getSrc(0)->getDType(), T = U->getDType();
  if (!Pointer.isPointer())
    return error(U, "operand 1 must be a pointer, got " + str(Pointer));
  if (!isAccessType(Pointer, T))
    return error(U, "result type " + str(T) + " does not match the type " +
                        accessTypeName(Pointer) + " loaded through " +
                        str(Pointer));
  if (U->getNumSrcs() == 2 && U->getSrc(1)->getDType() != T)
    error(U, "alternative value (operand 2) type " +
                 str(U->getSrc(1)->getDType()) +
                 " does not match the result type " + str(T));
}

void FunctionVerifier::checkStore(const UOp *U) {
  DType Pointer = U->getSrc(0)->getDType(), Value = U->getSrc(1)->getDType();
  if (!Pointer.isPointer())
    return error(U, "operand 1 must be a pointer, got " + str(Pointer));
  if (!isAccessType(Pointer, Value))
    error(U, "value type " + str(Value) + " does not match the type " +
                 accessTypeName(Pointer) + " stored through " + str(Pointer));
}

void FunctionVerifier::checkReduceOp(const UOp *U, Op ReduceOp) {
  if (!isReduceOp(ReduceOp))
    return error(U, "op must be one of add, mul, max, and, or, xor, got '" +
                        getMnemonic(ReduceOp) + "'");
  // At the tensor level a tensor may carry its buffer's pointer type; the
  // op's type class applies to values only there.
  if (U->getOp() == Op::ReduceAxis && U->getDType().isPointer())
    return;
  ValueClassKind Class = *getValueClass(ReduceOp);
  if (!isInClass(U->getDType(), Class))
    error(U, "op '" + getMnemonic(ReduceOp) + "' requires " + describe(Class) +
                 ", got " + str(U->getDType()));
}

void FunctionVerifier::checkRangeOperands(const UOp *U) {
  for (unsigned I = 1, E = U->getNumSrcs(); I != E; ++I)
    if (U->getSrc(I)->getOp() != Op::Range)
      error(U, "operand " + llvm::Twine(I + 1) + " must be a 'range', got '" +
                   mnemonic(U->getSrc(I)) + "'");
}

void FunctionVerifier::checkReduceAxis(const UOp *U) {
  checkReduceOp(U, U->getArgField(0)->getOp());
  checkAxes(U, *U->getArgField(1));
}

void FunctionVerifier::checkIf(const UOp *U) {
  DType Condition = U->getSrc(0)->getDType();
  if (!Condition.isBool() || !Condition.isScalar())
    error(U, "operand 1 must be bool, got " + str(Condition));
}

void FunctionVerifier::checkEndIf(const UOp *U) {
  if (U->getSrc(0)->getOp() != Op::If)
    error(U, "operand 1 must be an 'if', got '" + mnemonic(U->getSrc(0)) + "'");
  for (unsigned I = 1, E = U->getNumSrcs(); I != E; ++I)
    if (!U->getSrc(I)->getDType().isVoid())
      error(U, "operand " + llvm::Twine(I + 1) +
                   " must be an effect (void), got " +
                   str(U->getSrc(I)->getDType()));
}

//===----------------------------------------------------------------------===//
// Vectors and tensor cores
//===----------------------------------------------------------------------===//

void FunctionVerifier::checkVectorize(const UOp *U) {
  DType Lane = U->getSrc(0)->getDType(), T = U->getDType();
  if (!Lane.isScalar() || !Lane.isValue())
    return error(U, "operands must be scalars, got " + str(Lane));
  for (unsigned I = 1, E = U->getNumSrcs(); I != E; ++I)
    if (U->getSrc(I)->getDType() != Lane)
      return error(U, "operand " + llvm::Twine(I + 1) + " type " +
                          str(U->getSrc(I)->getDType()) +
                          " does not match operand 1 type " + str(Lane));
  if (T.isPointer() || T.getScalarKind() != Lane.getScalarKind() ||
      T.getCount() != U->getNumSrcs())
    error(U, "result must be " +
                 vectorTypeName(Lane.getScalarKind(), U->getNumSrcs()) +
                 ", got " + str(T));
}

void FunctionVerifier::checkGEP(const UOp *U) {
  DType Vector = U->getSrc(0)->getDType(), T = U->getDType();
  if (!Vector.isVector())
    return error(U, "operand must be a vector, got " + str(Vector));
  llvm::ArrayRef<const Arg *> Lanes = U->getArg()->getElements();
  if (Lanes.empty())
    return error(U, "lanes must not be empty");
  for (const Arg *Lane : Lanes)
    if (Lane->getInt() < 0 || Lane->getInt() >= int64_t(Vector.getCount()))
      return error(U, "lane " + llvm::Twine(Lane->getInt()) +
                          " is out of range for " + str(Vector));
  if (T.isPointer() || T.getScalarKind() != Vector.getScalarKind() ||
      T.getCount() != Lanes.size())
    error(U, "result must be " +
                 vectorTypeName(Vector.getScalarKind(), Lanes.size()) +
                 ", got " + str(T));
}

void FunctionVerifier::checkCat(const UOp *U) {
  DType T = U->getDType();
  if (!T.isValue())
    return error(U, "result must be a scalar or vector, got " + str(T));
  unsigned Lanes = 0;
  for (unsigned I = 0, E = U->getNumSrcs(); I != E; ++I) {
    DType Src = U->getSrc(I)->getDType();
    if (!Src.isValue() || Src.getScalarKind() != T.getScalarKind())
      return error(U, "operand " + llvm::Twine(I + 1) + " type " + str(Src) +
                          " does not have the result's scalar type " +
                          getScalarInfo(T.getScalarKind()).Mnemonic);
    Lanes += Src.getCount();
  }
  if (Lanes != T.getCount())
    error(U, "result has " + count(T.getCount(), "lane") +
                 ", the operands have " + llvm::Twine(Lanes) + " in total");
}

void FunctionVerifier::checkPtrCat(const UOp *U) {
  for (unsigned I = 0, E = U->getNumSrcs(); I != E; ++I)
    if (!U->getSrc(I)->getDType().isPointer())
      return error(U, "operand " + llvm::Twine(I + 1) +
                          " must be a pointer, got " +
                          str(U->getSrc(I)->getDType()));
}

void FunctionVerifier::checkLanesOfRange(const UOp *U) {
  const UOp *R = U->getSrc(1);
  if (R->getOp() != Op::Range)
    return error(U, "operand 2 must be a range, got '" +
                        getMnemonic(R->getOp()) + "'");
  AxisKind K = R->getArgField(1)->getAxisKind();
  if (K != AxisKind::Upcast && K != AxisKind::Unroll)
    return error(U, "operand 2 must be an upcast or unroll range, got a " +
                        getMnemonic(K) + " range");
  if (R->getSrc(0)->getOp() != Op::Const)
    return error(U, "operand 2 must be a range of constant size");
  int64_t Size = R->getSrc(0)->getArg()->getInt();
  bool IsContract = U->getOp() == Op::Contract;
  DType Scalar = IsContract ? U->getSrc(0)->getDType() : U->getDType();
  DType Vector = IsContract ? U->getDType() : U->getSrc(0)->getDType();
  if (!Scalar.isValue() || Scalar.isVector())
    return error(U, llvm::Twine(IsContract ? "operand 1" : "the result") +
                        " must be a scalar, got " + str(Scalar));
  if (Vector.isPointer() || Vector.getScalarKind() != Scalar.getScalarKind() ||
      int64_t(Vector.getCount()) != Size)
    error(U, llvm::Twine(IsContract ? "the result" : "operand 1") +
                 " must be " + vectorTypeName(Scalar.getScalarKind(), Size) +
                 " (a lane per iteration of the range), got " + str(Vector));
}

void FunctionVerifier::checkWMMA(const UOp *U) {
  const Arg *Dims = U->getArgField(1);
  if (Dims->getElements().size() != 3 ||
      llvm::any_of(Dims->getElements(),
                   [](const Arg *D) { return D->getInt() <= 0; }))
    error(U, "dims must be 3 positive sizes [n, m, k], got " + str(*Dims));
  if (U->getArgField(2)->getInt() <= 0)
    error(U, "threads must be positive, got " +
                 llvm::Twine(U->getArgField(2)->getInt()));
  if (U->getSrc(2)->getDType() != U->getDType())
    error(U, "result type " + str(U->getDType()) +
                 " does not match the accumulator (operand 3) type " +
                 str(U->getSrc(2)->getDType()));
}

//===----------------------------------------------------------------------===//
// Tensor level
//===----------------------------------------------------------------------===//

void FunctionVerifier::checkNonNegative(const UOp *U, unsigned Field,
                                        llvm::StringRef What) {
  int64_t Value = U->getArgField(Field)->getInt();
  if (Value < 0)
    error(U, What + " must be non-negative, got " + llvm::Twine(Value));
}

void FunctionVerifier::checkAssign(const UOp *U) {
  if (U->getSrc(1)->getDType() != U->getSrc(0)->getDType())
    error(U, "value (operand 2) type " + str(U->getSrc(1)->getDType()) +
                 " does not match the target type " +
                 str(U->getSrc(0)->getDType()));
}

void FunctionVerifier::checkShape(const UOp *U) {
  for (const Arg *Size : U->getArg()->getElements())
    if (Size->getInt() < 0)
      return error(U, "shape " + str(*U->getArg()) +
                          " must have non-negative sizes");
}

void FunctionVerifier::checkPermute(const UOp *U) {
  llvm::ArrayRef<const Arg *> Order = U->getArg()->getElements();
  llvm::SmallVector<bool, 8> Seen(Order.size(), false);
  for (const Arg *Axis : Order) {
    int64_t A = Axis->getInt();
    if (A < 0 || A >= int64_t(Order.size()) || Seen[A])
      return error(U, "order " + str(*U->getArg()) + " is not a permutation");
    Seen[A] = true;
  }
}

void FunctionVerifier::checkPad(const UOp *U) {
  for (const Arg *Pair : U->getArg()->getElements())
    if (Pair->getElements()[0]->getInt() < 0 ||
        Pair->getElements()[1]->getInt() < 0)
      return error(U, "padding " + pairStr(*Pair) + " must be non-negative");
}

void FunctionVerifier::checkShrink(const UOp *U) {
  for (const Arg *Pair : U->getArg()->getElements()) {
    int64_t Begin = Pair->getElements()[0]->getInt();
    int64_t End = Pair->getElements()[1]->getInt();
    if (Begin < 0 || Begin > End)
      return error(U, "bounds " + pairStr(*Pair) +
                          " must satisfy 0 <= begin <= end");
  }
}

void FunctionVerifier::checkAxes(const UOp *U, const Arg &Axes) {
  llvm::SmallVector<int64_t, 8> Sorted;
  for (const Arg *Axis : Axes.getElements()) {
    if (Axis->getInt() < 0)
      return error(U, "axis " + llvm::Twine(Axis->getInt()) +
                          " must be non-negative");
    Sorted.push_back(Axis->getInt());
  }
  llvm::sort(Sorted);
  auto Repeated = std::adjacent_find(Sorted.begin(), Sorted.end());
  if (Repeated != Sorted.end())
    error(U, "axis " + llvm::Twine(*Repeated) + " appears twice");
}

//===----------------------------------------------------------------------===//
// Function-level rules
//===----------------------------------------------------------------------===//

void FunctionVerifier::checkRoot() {
  const UOp *Root = F.getRoot();
  if (!Root)
    return error(F.getLoc(), describeFunction() + " has no root");
  llvm::SMLoc Loc = F.getLocOrDefault(Root);
  if (!Defined.count(Root))
    return error(Loc,
                 "the root of " + describeFunction() + " is not defined in it");
  if (F.isKernel() && Root->getOp() != Op::Sink)
    return error(Loc, describeFunction() + " must end in a 'sink', got '" +
                          mnemonic(Root) + "'");
  if (!F.isKernel() && !Root->getDType().isValue())
    error(Loc, describeFunction() + " must return a scalar or vector, got " +
                   str(Root->getDType()));
}

void FunctionVerifier::checkAttributes() {
  llvm::ArrayRef<FunctionAttributeInfo> Infos = getFunctionAttributeInfos();
  for (const FunctionAttribute &A : F.Attributes) {
    const FunctionAttributeInfo *Info =
        llvm::find_if(Infos, [&](const FunctionAttributeInfo &I) {
          return A.Name == I.Name;
        });
    if (Info == Infos.end()) {
      error(F.getLoc(),
            "unknown attribute '" + A.Name + "' on " + describeFunction());
      continue;
    }
    if (!A.Value || !fieldMatches(Info->Type, A.Value, DType()))
      error(F.getLoc(), "attribute '" + A.Name + "' of " + describeFunction() +
                            " must be " + describe(Info->Type, DType()));
  }
}

/// END(effect, r1, ..., rn) closes ranges it encloses: each ri must be
/// reachable from the effect through operands. A store's address usually
/// reaches its ranges within a few steps, so each end first searches
/// breadth-first from its effect; the searches share a budget of one visit
/// per body UOp, and ends left open when it is spent are checked by one
/// bounded pass (checkByReachedRanges).
void FunctionVerifier::checkEndsEncloseRanges() {
  size_t Budget = F.getBody().size();
  std::vector<const UOp *> Unresolved;
  for (const UOp *End : Ends)
    if (!findClosedRanges(End, Budget))
      Unresolved.push_back(End);
  if (!Unresolved.empty())
    checkByReachedRanges(Unresolved);
}

/// Whether every range End closes is reached from its effect within Budget
/// visits (which it consumes).
bool FunctionVerifier::findClosedRanges(const UOp *End, size_t &Budget) {
  llvm::SmallPtrSet<const UOp *, 4> Remaining;
  Remaining.insert(End->getSrcs().begin() + 1, End->getSrcs().end());
  llvm::SmallPtrSet<const UOp *, 32> Seen;
  llvm::SmallVector<const UOp *, 32> Queue = {End->getSrc(0)};
  Seen.insert(End->getSrc(0));
  for (size_t Head = 0; Head != Queue.size() && Budget != 0; ++Head, --Budget) {
    const UOp *U = Queue[Head];
    if (Remaining.erase(U) && Remaining.empty())
      return true;
    for (const UOp *Src : U->getSrcs())
      if (Seen.insert(Src).second)
        Queue.push_back(Src);
  }
  return false;
}

/// Numbers the ranges EndsToCheck close in body order and handles them 64 at
/// a time: one pass over the body, from a group's first range to its last
/// end, computes which of the group's ranges each UOp reaches. A UOp before
/// a range cannot reach it, since the body lists every UOp after its
/// operands.
void FunctionVerifier::checkByReachedRanges(
    llvm::ArrayRef<const UOp *> EndsToCheck) {
  const std::vector<const UOp *> &Body = F.getBody();
  llvm::DenseMap<const UOp *, unsigned> Positions;
  for (unsigned P = 0, E = Body.size(); P != E; ++P)
    if (Body[P]->getOp() == Op::Range || Body[P]->getOp() == Op::End)
      Positions.try_emplace(Body[P], P);

  llvm::SmallVector<std::pair<unsigned, const UOp *>, 16> Ranges;
  llvm::DenseMap<const UOp *, unsigned> Slots;
  for (const UOp *End : EndsToCheck) {
    for (const UOp *Range : End->getSrcs().drop_front()) {
      auto It = Positions.find(Range); // Parameters are reported elsewhere.
      if (It != Positions.end() && Slots.try_emplace(Range, 0).second)
        Ranges.push_back({It->second, Range});
    }
  }
  llvm::sort(Ranges);
  for (unsigned I = 0, E = Ranges.size(); I != E; ++I)
    Slots[Ranges[I].second] = I;

  unsigned NumGroups = (Ranges.size() + 63) / 64;
  std::vector<llvm::SmallVector<const UOp *, 4>> GroupEnds(NumGroups);
  std::vector<unsigned> LastEnd(NumGroups, 0);
  for (const UOp *End : EndsToCheck) {
    for (const UOp *Range : End->getSrcs().drop_front()) {
      auto It = Slots.find(Range);
      if (It == Slots.end())
        continue;
      unsigned Group = It->second / 64;
      if (GroupEnds[Group].empty() || GroupEnds[Group].back() != End)
        GroupEnds[Group].push_back(End);
      LastEnd[Group] = std::max(LastEnd[Group], Positions.lookup(End));
    }
  }

  std::vector<std::pair<unsigned, unsigned>> Unenclosed; // (end, operand)
  llvm::DenseMap<const UOp *, uint64_t> Reached;
  for (unsigned Group = 0; Group != NumGroups; ++Group) {
    Reached.clear();
    auto BitOf = [&](const UOp *Range) -> uint64_t {
      auto It = Slots.find(Range);
      if (It == Slots.end() || It->second / 64 != Group)
        return 0;
      return uint64_t(1) << (It->second % 64);
    };
    for (unsigned P = Ranges[Group * 64].first; P <= LastEnd[Group]; ++P) {
      const UOp *U = Body[P];
      uint64_t Mask = U->getOp() == Op::Range ? BitOf(U) : 0;
      for (const UOp *Src : U->getSrcs())
        Mask |= Reached.lookup(Src);
      if (Mask)
        Reached[U] = Mask;
    }
    for (const UOp *End : GroupEnds[Group]) {
      uint64_t FromEffect = Reached.lookup(End->getSrc(0));
      for (unsigned I = 1, E = End->getNumSrcs(); I != E; ++I) {
        uint64_t Bit = BitOf(End->getSrc(I));
        if (Bit && !(FromEffect & Bit))
          Unenclosed.push_back({Positions.lookup(End), I});
      }
    }
  }
  llvm::sort(Unenclosed);
  for (auto [Position, Operand] : Unenclosed)
    error(Body[Position], "operand " + llvm::Twine(Operand + 1) +
                              " is a range that does not enclose operand 1 "
                              "(the effect does not depend on it)");
}

//===----------------------------------------------------------------------===//
// Modules
//===----------------------------------------------------------------------===//

class ModuleVerifier {
public:
  ModuleVerifier(const Module &M, DiagnosticEngine &Diag) : M(M), Diag(Diag) {}

  LogicalResult verify();

private:
  void error(llvm::SMLoc Loc, const llvm::Twine &Message) {
    (void)Diag.error(Loc, Message);
    Failed = true;
  }
  void checkNames();
  void checkBuffers();
  void checkCall(const Call &C, llvm::SMLoc MainLoc);
  void checkCallArg(const Call &C, const Function &Callee, unsigned I,
                    llvm::SMLoc Loc);

  const Module &M;
  DiagnosticEngine &Diag;
  bool Failed = false;
};

LogicalResult ModuleVerifier::verify() {
  for (const std::unique_ptr<Function> &F : M.Functions)
    if (failed(verifyFunction(*F, Diag)))
      Failed = true;
  checkNames();
  checkBuffers();
  if (M.Main)
    for (const Call &C : M.Main->Calls)
      checkCall(C, M.Main->Loc);
  return failure(Failed);
}

void ModuleVerifier::checkNames() {
  llvm::StringSet<> Functions, Buffers;
  for (const std::unique_ptr<Function> &F : M.Functions)
    if (!Functions.insert(F->getName()).second)
      error(F->getLoc(), "function @" + F->getName() + " is defined twice");
  for (const BufferDecl &B : M.Buffers)
    if (!Buffers.insert(B.Name).second)
      error(B.Loc, "buffer @" + B.Name + " is declared twice");
}

void ModuleVerifier::checkBuffers() {
  for (const BufferDecl &B : M.Buffers) {
    if (!B.Type.isPointer() || B.Type.getAddrSpace() != AddrSpace::Global)
      error(B.Loc, "buffer @" + B.Name +
                       " must have a global pointer or image type, got " +
                       str(B.Type));
    else if (B.Type.getSize() < 0)
      error(B.Loc,
            "buffer @" + B.Name + " needs a known size, got " + str(B.Type));
  }
}

void ModuleVerifier::checkCall(const Call &C, llvm::SMLoc MainLoc) {
  llvm::SMLoc Loc = C.Loc.isValid() ? C.Loc : MainLoc;
  const Function *Callee = M.lookupFunction(C.Callee);
  if (!Callee)
    return error(Loc, "call to unknown kernel @" + C.Callee);
  if (!Callee->isKernel())
    return error(Loc,
                 "call to func @" + C.Callee + " (main calls only kernels)");
  if (C.Args.size() != Callee->Params.size())
    return error(Loc, "call to @" + C.Callee + " passes " +
                          count(C.Args.size(), "argument") + ", but it has " +
                          count(Callee->Params.size(), "parameter"));
  for (unsigned I = 0, E = C.Args.size(); I != E; ++I)
    checkCallArg(C, *Callee, I, C.Args[I].Loc.isValid() ? C.Args[I].Loc : Loc);
}

/// Whether a linear buffer of type `Buffer` may be passed for an image
/// parameter `Image`: it holds the image's texels row after row (4*H*W
/// elements of the texel type), which a runtime copies into the image.
static bool isLinearImage(DType Buffer, DType Image) {
  return Image.isImage() && !Buffer.isImage() &&
         Buffer.getElement() == Image.getElement() &&
         Buffer.getSize() == Image.getSize();
}

void ModuleVerifier::checkCallArg(const Call &C, const Function &Callee,
                                  unsigned I, llvm::SMLoc Loc) {
  const UOp *Param = Callee.Params[I];
  const CallArg &A = C.Args[I];
  std::string Which =
      "argument " + std::to_string(I + 1) + " of the call to @" + C.Callee;
  if (Param->getOp() == Op::Define) {
    if (!A.isBuffer())
      return error(Loc, Which + " must be a buffer, got " +
                            llvm::Twine(std::get<int64_t>(A.Value)));
    const std::string &Name = std::get<std::string>(A.Value);
    const BufferDecl *B = M.lookupBuffer(Name);
    if (!B)
      return error(Loc, Which + " names unknown buffer @" + Name);
    if (B->Type != Param->getDType() &&
        !isLinearImage(B->Type, Param->getDType()))
      error(Loc, Which + ": buffer @" + Name + " has type " + str(B->Type) +
                     ", the parameter has type " + str(Param->getDType()));
    return;
  }
  if (Param->getOp() != Op::DefineVar || !hasWellFormedArg(Param))
    return; // Reported with the kernel.
  if (A.isBuffer())
    return error(Loc, Which + " must be an integer, got buffer @" +
                          std::get<std::string>(A.Value));
  int64_t V = std::get<int64_t>(A.Value);
  int64_t Min = Param->getArgField(1)->getInt(),
          Max = Param->getArgField(2)->getInt();
  if (V < Min || V > Max)
    error(Loc, Which + ": " + llvm::Twine(V) + " is outside [" +
                   llvm::Twine(Min) + ", " + llvm::Twine(Max) +
                   "] of variable '" + Param->getArgField(0)->getString() +
                   "'");
}

} // namespace

LogicalResult tg::verifyFunction(const Function &F, DiagnosticEngine &Diag) {
  return FunctionVerifier(F, Diag).verify();
}

LogicalResult tg::verifyModule(const Module &M, DiagnosticEngine &Diag) {
  return ModuleVerifier(M, Diag).verify();
}
