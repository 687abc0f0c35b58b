//===- Pass.h - a transformation or check over a Module ---------*- C++ -*-===//
//
// A Pass is one named step of a pipeline (`--pass-pipeline=dce,print-stats`).
// It declares its options and statistics as members:
//
//   struct MyPass : FunctionPass {
//     Option<bool> Json{*this, "json", "Print JSON", false};
//     Statistic NumRemoved{*this, "num-removed", "UOps removed"};
//     ...
//   };
//
// so the pipeline parser can set options by name (`my-pass{json=true}`),
// `--list-passes` can describe them, and `--pass-statistics` can report the
// counters. A pass reports errors through the PassContext's DiagnosticEngine
// and returns failure(); it never aborts on bad input. docs/Passes.md shows
// how to write and register one.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PASS_PASS_H
#define TG_PASS_PASS_H

#include "tg/IR/Module.h"
#include "tg/Support/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace tg {

class Pass;

/// What a pass run may use besides the Module it runs on: the Context that
/// makes new UOps (a FunctionPass sees no Module) and where errors go.
class PassContext {
public:
  PassContext(Context &Ctx, DiagnosticEngine &Diag) : Ctx(Ctx), Diag(Diag) {}
  Context &getContext() const { return Ctx; }
  DiagnosticEngine &getDiag() const { return Diag; }

private:
  Context &Ctx;
  DiagnosticEngine &Diag;
};

/// Whether `--verify-each=z3` can prove a run of the pass correct, or why
/// the pass needs no proof. Every pass states one of the two.
class TranslationValidation {
public:
  static TranslationValidation z3() { return TranslationValidation(""); }
  static TranslationValidation exempt(llvm::StringRef Reason) {
    return TranslationValidation(Reason);
  }
  bool isExempt() const { return !Reason.empty(); }
  llvm::StringRef getExemptionReason() const { return Reason; }
  /// `z3` or `exempt: <reason>`, as --list-passes shows it.
  void print(llvm::raw_ostream &OS) const;

private:
  explicit TranslationValidation(llvm::StringRef Reason) : Reason(Reason) {}
  std::string Reason;
};

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

/// An option of a pass, set from the pipeline text as `name=value`.
class PassOptionBase {
public:
  PassOptionBase(Pass &Owner, llvm::StringRef Name,
                 llvm::StringRef Description);
  virtual ~PassOptionBase() = default;
  PassOptionBase(const PassOptionBase &) = delete;
  PassOptionBase &operator=(const PassOptionBase &) = delete;

  llvm::StringRef getName() const { return Name; }
  llvm::StringRef getDescription() const { return Description; }

  /// Sets the value from its text; false (value unchanged) if malformed.
  virtual bool parse(llvm::StringRef Text) = 0;
  /// The type as --list-passes shows it: `bool`, `int`, `string`, `a|b|c`.
  virtual std::string getTypeName() const = 0;
  /// What a malformed value should have been, for error messages.
  virtual std::string getExpectedForm() const = 0;
  /// The current value in the form parse() accepts.
  virtual void printValue(llvm::raw_ostream &OS) const = 0;

private:
  std::string Name;
  std::string Description;
};

/// One case of an enum option: its value and its spelling.
template <typename T> struct EnumOptionCase {
  T Value;
  const char *Name;
};

/// A typed pass option: bool, an integer type, std::string, or an enum (which
/// takes the list of its cases).
template <typename T> class PassOption final : public PassOptionBase {
  static_assert(std::is_same_v<T, bool> || std::is_integral_v<T> ||
                    std::is_same_v<T, std::string> || std::is_enum_v<T>,
                "pass options are bool, integers, strings or enums");

public:
  PassOption(Pass &Owner, llvm::StringRef Name, llvm::StringRef Description,
             T Default)
      : PassOptionBase(Owner, Name, Description), Value(std::move(Default)) {
    static_assert(!std::is_enum_v<T>, "an enum option needs its cases");
  }
  PassOption(Pass &Owner, llvm::StringRef Name, llvm::StringRef Description,
             T Default, std::vector<EnumOptionCase<T>> Cases)
      : PassOptionBase(Owner, Name, Description), Value(Default),
        Cases(std::move(Cases)) {
    static_assert(std::is_enum_v<T>, "only enum options take cases");
  }

  const T &getValue() const { return Value; }
  operator const T &() const { return Value; }
  PassOption &operator=(T NewValue) {
    Value = std::move(NewValue);
    return *this;
  }

  bool parse(llvm::StringRef Text) override {
    std::optional<T> Parsed = parseValue(Text);
    if (!Parsed)
      return false;
    Value = std::move(*Parsed);
    return true;
  }

  std::string getTypeName() const override {
    if constexpr (std::is_same_v<T, bool>)
      return "bool";
    else if constexpr (std::is_integral_v<T>)
      return std::is_signed_v<T> ? "int" : "uint";
    else if constexpr (std::is_enum_v<T>)
      return joinCaseNames("|");
    else
      return "string";
  }

  std::string getExpectedForm() const override {
    if constexpr (std::is_same_v<T, bool>)
      return "true or false";
    else if constexpr (std::is_integral_v<T>)
      return std::is_signed_v<T> ? "an integer" : "a non-negative integer";
    else if constexpr (std::is_enum_v<T>)
      return "one of " + joinCaseNames(", ");
    else
      return "a string";
  }

  void printValue(llvm::raw_ostream &OS) const override {
    if constexpr (std::is_same_v<T, bool>) {
      OS << (Value ? "true" : "false");
    } else if constexpr (std::is_integral_v<T>) {
      OS << Value;
    } else if constexpr (std::is_enum_v<T>) {
      for (const EnumOptionCase<T> &C : Cases)
        if (C.Value == Value)
          OS << C.Name;
    } else {
      OS << Value;
    }
  }

private:
  std::optional<T> parseValue(llvm::StringRef Text) const {
    if constexpr (std::is_same_v<T, bool>) {
      if (Text == "true" || Text == "1")
        return true;
      if (Text == "false" || Text == "0")
        return false;
      return std::nullopt;
    } else if constexpr (std::is_integral_v<T>) {
      T Parsed;
      if (Text.getAsInteger(0, Parsed))
        return std::nullopt;
      return Parsed;
    } else if constexpr (std::is_enum_v<T>) {
      for (const EnumOptionCase<T> &C : Cases)
        if (Text == C.Name)
          return C.Value;
      return std::nullopt;
    } else {
      return Text.str();
    }
  }

  std::string joinCaseNames(llvm::StringRef Separator) const {
    std::string Joined;
    for (const EnumOptionCase<T> &C : Cases)
      Joined += (Joined.empty() ? "" : Separator.str()) + C.Name;
    return Joined;
  }

  T Value;
  std::vector<EnumOptionCase<T>> Cases;
};

/// A counter a pass increments (`++NumRemoved`, `NumRemoved += N`); it adds
/// up over every run of the pass and `--pass-statistics` prints it.
class PassStatistic {
public:
  PassStatistic(Pass &Owner, llvm::StringRef Name, llvm::StringRef Description);
  PassStatistic(const PassStatistic &) = delete;
  PassStatistic &operator=(const PassStatistic &) = delete;

  llvm::StringRef getName() const { return Name; }
  llvm::StringRef getDescription() const { return Description; }
  uint64_t getValue() const { return Value; }
  PassStatistic &operator+=(uint64_t N) {
    Value += N;
    return *this;
  }
  PassStatistic &operator++() { return *this += 1; }

private:
  std::string Name;
  std::string Description;
  uint64_t Value = 0;
};

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

class Pass {
public:
  template <typename T> using Option = PassOption<T>;
  using Statistic = PassStatistic;

  Pass() = default;
  virtual ~Pass() = default;
  Pass(const Pass &) = delete;
  Pass &operator=(const Pass &) = delete;

  /// The name in a pipeline, e.g. `dce`.
  virtual llvm::StringRef getArgument() const = 0;
  /// One line for --list-passes.
  virtual llvm::StringRef getDescription() const = 0;
  virtual TranslationValidation getTranslationValidation() const = 0;

  /// Runs on `M`; reports errors through `C` and fails on any.
  virtual LogicalResult run(Module &M, PassContext &C) = 0;

  llvm::ArrayRef<PassOptionBase *> getOptions() const { return Options; }
  PassOptionBase *lookupOption(llvm::StringRef Name) const;
  llvm::ArrayRef<PassStatistic *> getStatistics() const { return Statistics; }

private:
  friend class PassOptionBase;
  friend class PassStatistic;
  std::vector<PassOptionBase *> Options;
  std::vector<PassStatistic *> Statistics;
};

/// A pass that runs on each function (kernels and funcs alike) in module
/// order. It runs on all of them and fails if any run failed.
class FunctionPass : public Pass {
public:
  LogicalResult run(Module &M, PassContext &C) final;
  virtual LogicalResult runOnFunction(Function &F, PassContext &C) = 0;
};

} // namespace tg

#endif // TG_PASS_PASS_H
