//===- TranslationValidation.h - proving a pass run correct -----*- C++ -*-===//
//
// Translation validation (`tg-opt --verify-each=z3`): after each pass that
// declares TranslationValidation::z3(), Z3 proves the program after the pass
// equal to the one before, for every value of the variables, ranges and
// launch indices within their bounds:
//   - a func returns the same value wherever the old one was defined;
//   - a kernel's stores, paired in order, write through the same buffer,
//     under the same gate, at the same index, the same value; loads, paired
//     in order when the pass kept their number, read under the same gate at
//     the same address. A load's value is an uninterpreted function of its
//     buffer and address, the same function before and after.
// A rewrite may remove undefined behaviour, never introduce it: where the old
// program is defined the new one must be. A failure is an error at the first
// differing store (or the func) naming the pass, with a counterexample.
//
// ProgramEncoder and proveRefinement are the building blocks, shared with
// check-oob (CheckOOB.cpp) and tg-fuzz-symbolic.
//
//===----------------------------------------------------------------------===//

#ifndef TG_VERIFY_TRANSLATIONVALIDATION_H
#define TG_VERIFY_TRANSLATIONVALIDATION_H

#include "tg/Pass/PassManager.h"
#include "tg/Verify/Semantics.h"

#include <map>
#include <string>
#include <vector>

namespace tg {

/// The Z3 meaning of the values of a kernel or func: a ValueEncoder whose
/// loads read an uninterpreted function per buffer and index arity, under
/// their gate (a gated-off load gives its alternative, or zero).
class ProgramEncoder {
public:
  /// `F` names the variables in counterexamples (may be null).
  ProgramEncoder(z3::context &Ctx, const Function *F = nullptr);

  llvm::Expected<Z3Value> encode(const UOp *U);

  /// What an `index` UOp addresses: the buffer (its define), the indices and
  /// the gate (true when it has none).
  struct Access {
    const UOp *Buffer;
    std::vector<Z3Value> Indices;
    Z3Value Gate;
  };
  llvm::Expected<Access> encodeAccess(const UOp *Index);

  /// The bounds of every variable, range and launch index encoded so far.
  const z3::expr_vector &getBounds() const { return Values.getBounds(); }
  z3::context &getContext() const { return Ctx; }

  /// `i = 3, n = 7`: the value in `M` of every variable, range and launch
  /// index, in the order they were met.
  std::string describeModel(const z3::model &M) const;
  /// The value of `V` (of type `Kind`) in `M`, e.g. `-3`, `true`,
  /// `undefined`.
  static std::string describeValue(const z3::model &M, const Z3Value &V,
                                   ScalarKind Kind);

private:
  std::optional<Z3Value> encodeLoad(const UOp *Load);
  /// A reduce over constant ranges of at most 256 iterations in all, unrolled
  /// as remove-reduce lowers it; a larger one is an error (not validated).
  std::optional<Z3Value> encodeReduce(const UOp *Reduce);
  std::string nameOf(const UOp *Leaf) const;

  z3::context &Ctx;
  const Function *F;
  ValueEncoder Values;
  /// An error met inside the leaf callback, which cannot return one.
  std::string LeafError;
  std::map<std::pair<const UOp *, unsigned>, z3::func_decl> LoadFunctions;
};

/// The result of a query: proved, refuted with a counterexample, or
/// undecided within the resource limit.
struct ProofResult {
  enum class Kind { Proved, Counterexample, Unknown };
  Kind TheKind = Kind::Proved;
  /// Counterexample: `v0 = 3, v1 = -1: before = 4, after = 5`;
  /// Unknown: Z3's reason.
  std::string Detail;

  bool isProved() const { return TheKind == Kind::Proved; }
};

/// Z3's resource limit for one query of translation validation and
/// check-oob (deterministic, unlike a time limit).
inline constexpr unsigned DefaultResourceLimit = 20'000'000;

/// Proves that the scalar expression `After` refines `Before` for every
/// value of their variables within bounds: wherever `Before` is defined,
/// `After` is defined and equal. The fuzzer's and funcs' check.
llvm::Expected<ProofResult>
proveRefinement(z3::context &Ctx, const UOp *Before, const UOp *After,
                unsigned ResourceLimit = DefaultResourceLimit,
                const Function *F = nullptr);
/// The same with a solver of the caller's, for many queries in a row (a
/// solver is costly to make): the query is pushed and popped.
llvm::Expected<ProofResult> proveRefinement(z3::solver &S, const UOp *Before,
                                            const UOp *After,
                                            const Function *F = nullptr);
/// A solver with Z3's resource limit set to `ResourceLimit` per check.
z3::solver makeSolver(z3::context &Ctx, unsigned ResourceLimit);

/// Validates every run of a pass that declares TranslationValidation::z3()
/// (see the file comment). Installed by tg-opt for --verify-each=z3.
class TranslationValidationInstrumentation : public PassInstrumentation {
public:
  void runBeforePass(Pass &P, Module &M, PassContext &C) override;
  LogicalResult runAfterPass(Pass &P, Module &M, PassContext &C) override;

private:
  /// Each function's root before the pass (UOps are immutable and interned,
  /// so the roots are the whole old program).
  std::vector<std::pair<const Function *, const UOp *>> RootsBefore;
};

} // namespace tg

#endif // TG_VERIFY_TRANSLATIONVALIDATION_H
