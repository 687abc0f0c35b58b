//===- RandomExpr.h - seeded random integer expressions ---------*- C++ -*-===//
//
// One generator of random integer and bool expressions over a few bounded
// variables, shared by the soundness tests of the analyses and of the
// simplifier and by tools/tg-fuzz-symbolic. Everything it draws comes from
// one std::mt19937_64 seeded by the caller, so a seed names an expression.
//
// The options say which types appear, how variables are bounded, how often
// each op is drawn and how constants are chosen; each user sets them to the
// distribution it wants (the soundness tests keep the one they were written
// with). The expressions are well typed for the verifier: binary ops take
// two operands of one type, comparisons give bool, `cast` converts between
// any two of the option's types.
//
// The library (TGTesting) depends only on TGIR.
//
//===----------------------------------------------------------------------===//

#ifndef TG_TESTING_RANDOMEXPR_H
#define TG_TESTING_RANDOMEXPR_H

#include "tg/IR/Context.h"

#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <random>
#include <vector>

namespace tg {

struct RandomExprOptions {
  /// The types of expressions, variables and casts (integers only).
  std::vector<ScalarKind> Types = {ScalarKind::Index};

  //--- Variables ----------------------------------------------------------//
  unsigned MinVariables = 3, MaxVariables = 3;
  /// Percent of the index variables that are `range` loops over [0, n),
  /// n in [0, 8], instead of define_vars.
  unsigned LoopPercent = 0;
  /// A variable spans hi - lo in [0, MaxWidth] ...
  int64_t MaxWidth = 8;
  /// ... or, for this percent of the index variables, in [0, WideWidth].
  unsigned WidePercent = 0;
  int64_t WideWidth = 40;
  /// lo is drawn from [-SmallBound, SmallBound] (clipped to the type) ...
  int64_t SmallBound = 10;
  /// ... except for fixed-width variables, which start at the type's minimum
  /// (plus up to 3) for this percent, and end at its maximum (minus up to 3)
  /// for this percent: where wrapping happens.
  unsigned LowEdgePercent = 30, HighEdgePercent = 30;

  //--- Constants ----------------------------------------------------------//
  /// Constants are drawn from [-SmallConstant, SmallConstant] ([0, ...] for
  /// unsigned types) ...
  int64_t SmallConstant = 8;
  /// ... or are a fixed-width type's extreme value (the maximum, or the
  /// minimum of a signed type, or half the range of an unsigned one) ...
  unsigned ExtremeConstantPercent = 10;
  /// ... or, for index, a stride as index arithmetic writes them.
  unsigned StridePercent = 0;

  //--- Expressions --------------------------------------------------------//
  /// A subexpression is a leaf for this percent (always at depth 0), and a
  /// leaf is a constant for this percent, else a variable (cast if needed).
  unsigned LeafPercent = 15;
  unsigned ConstantLeafPercent = 25;
  /// Relative weights of the ops of an integer expression. `min` is written
  /// as tinygrad writes it: -max(-a, -b), or a where for unsigned types.
  unsigned NegWeight = 1, WhereWeight = 1, CastWeight = 1, MulAccWeight = 0,
           MinWeight = 0, BinaryWeight = 8;
  /// The binary ops, drawn uniformly. On index, the bitwise ops and shifts
  /// are left out unless IndexBitwise.
  std::vector<Op> BinaryOps = {
      Op::Add,      Op::Sub,      Op::Mul, Op::FloorDiv, Op::FloorMod,
      Op::TruncDiv, Op::TruncMod, Op::Max, Op::Shl,      Op::Shr,
      Op::And,      Op::Or,       Op::Xor};
  bool IndexBitwise = true;
  /// The second operand of a binary op is a constant for this percent.
  unsigned ConstantOperandPercent = 50;
  /// A shift amount is a constant in [0, 4] for this percent.
  unsigned SmallShiftPercent = 0;

  //--- Bool expressions ---------------------------------------------------//
  /// A bool leaf: this percent `leaf < constant` in the compared type, else
  /// a bool constant.
  unsigned BoolLeafPercent = 10;
  unsigned CompareLeafPercent = 0;
  /// Relative weights: and/or/xor of bools, a cast to bool, `b != true/false`,
  /// and comparisons of integers.
  unsigned LogicWeight = 1, CastToBoolWeight = 0, BoolCompareWeight = 1,
           CompareWeight = 3;
  /// A comparison compares the type genBool was given for this percent,
  /// else any of Types.
  unsigned SameTypeComparePercent = 70;
};

class RandomExprGenerator {
public:
  RandomExprGenerator(Context &Ctx, RandomExprOptions Options, uint64_t Seed);

  /// Draws new variables (the leaves of the next expressions): all of type
  /// `Main`, or with Mixed each of a random type of the options.
  void newVariables(DType Main, bool Mixed);
  llvm::ArrayRef<const UOp *> getVariables() const { return Vars; }

  /// An expression of integer type `T` (or bool) of at most `Depth` ops
  /// over the current variables.
  const UOp *gen(DType T, int Depth);
  /// A bool expression; comparisons mostly compare values of type `T`.
  const UOp *genBool(DType T, int Depth);
  /// A leaf of type T: a constant or a variable (cast to T if needed).
  const UOp *leaf(DType T);
  /// A constant of type T, drawn as the options say.
  const UOp *constant(DType T);

  /// Random draws from the generator's engine, for callers that decide more.
  int64_t pick(int64_t Min, int64_t Max);
  bool chance(unsigned Percent) { return pick(0, 99) < int64_t(Percent); }
  DType anyType();
  std::mt19937_64 &getEngine() { return Rng; }
  const RandomExprOptions &getOptions() const { return Options; }

private:
  const UOp *binary(Op O, const UOp *A, const UOp *B);
  const UOp *genMin(DType T, int Depth);
  Op pickBinaryOp(DType T);

  Context &Ctx;
  RandomExprOptions Options;
  std::mt19937_64 Rng;
  llvm::SmallVector<const UOp *, 3> Vars;
};

/// The smallest and largest value of a fixed-width integer type (u64's
/// maximum as its bit pattern, -1).
int64_t getTypeMin(DType T);
int64_t getTypeMax(DType T);

/// The expression as one line, `(add v0[0,7]:index 3:index)`, for messages.
std::string printExprInline(const UOp *U);

} // namespace tg

#endif // TG_TESTING_RANDOMEXPR_H
