//===- Module.h - kernels, funcs, buffers and a main schedule ---*- C++ -*-===//
//
// A Module is what a .tg file holds (docs/LangRef.md):
//   - Functions: `kernel @name(...) { ... }` whose root is a sink, and
//     `func @name(%x: index [lo, hi], ...) { ... return %v }` whose root is
//     the returned value. Parameters are `define` UOps (buffers, id = position
//     among the buffer parameters) and `define_var` UOps (bounded integers).
//   - Buffers: `buffer @name : type`.
//   - Main: `main { call @kernel(@buffer, 42, ...) ... }`.
// The UOps themselves live in the Context; a Function keeps the order its
// UOps print in, and their names and source locations for diagnostics.
//
//===----------------------------------------------------------------------===//

#ifndef TG_IR_MODULE_H
#define TG_IR_MODULE_H

#include "tg/IR/Context.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/StringSaver.h"

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tg {

/// A named attribute of a function: `attributes {opts = [upcast(0, 4)]}`.
struct FunctionAttribute {
  std::string Name;
  const Arg *Value;
};

/// The attributes a function may carry, with the type of their value.
struct FunctionAttributeInfo {
  const char *Name;
  ArgType Type;
  const char *Summary;
};
llvm::ArrayRef<FunctionAttributeInfo> getFunctionAttributeInfos();

class Function {
public:
  enum class Kind { Kernel, Func };

  Function(Kind K, std::string Name) : TheKind(K), Name(std::move(Name)) {}

  Kind getKind() const { return TheKind; }
  bool isKernel() const { return TheKind == Kind::Kernel; }
  llvm::StringRef getName() const { return Name; }
  llvm::SMLoc getLoc() const { return Loc; }
  void setLoc(llvm::SMLoc L) { Loc = L; }

  /// `define` and `define_var` UOps in signature order.
  std::vector<const UOp *> Params;
  /// Kernels: the sink. Funcs: the returned value.
  const UOp *getRoot() const { return Root; }
  /// Distinct UOps other than parameters, every one after its sources, in
  /// the order they print. May hold UOps the root does not reach (`dce`
  /// removes them).
  const std::vector<const UOp *> &getBody() const { return Body; }

  /// Sets the body as parsed: the root plus every UOp in written order.
  void setBody(const UOp *NewRoot, std::vector<const UOp *> NewBody);
  /// Replaces the root (after a rewrite) and recomputes the body as the UOps
  /// the root reaches, sources first (a deterministic depth-first order).
  void setRoot(const UOp *NewRoot);

  std::vector<FunctionAttribute> Attributes;
  const Arg *getAttribute(llvm::StringRef Name) const;
  /// Sets attribute `Name` (replacing its value if present); a null `Value`
  /// removes it.
  void setAttribute(llvm::StringRef Name, const Arg *Value);

  /// The name a UOp was written with (without `%`), if any.
  llvm::StringRef getName(const UOp *U) const { return Sources.lookup(U).Name; }
  void setName(const UOp *U, llvm::StringRef N) { Sources[U].Name = N; }
  /// Where a UOp was defined in the input, for diagnostics; invalid if it was
  /// made by a pass (callers then fall back to the function's location).
  llvm::SMLoc getLoc(const UOp *U) const { return Sources.lookup(U).Loc; }
  void setLoc(const UOp *U, llvm::SMLoc L) { Sources[U].Loc = L; }
  /// Both at once (one lookup: the parser calls this per line).
  void setSource(const UOp *U, llvm::StringRef N, llvm::SMLoc L) {
    Sources[U] = {N, L};
  }
  /// The UOp's location, or the function's when it has none.
  llvm::SMLoc getLocOrDefault(const UOp *U) const;

private:
  Kind TheKind;
  std::string Name;
  llvm::SMLoc Loc;
  const UOp *Root = nullptr;
  std::vector<const UOp *> Body;
  /// How a UOp was written: its name (in the Module's string saver) and
  /// location (in the source buffer).
  struct UOpSource {
    llvm::StringRef Name;
    llvm::SMLoc Loc;
  };
  llvm::DenseMap<const UOp *, UOpSource> Sources;
};

struct BufferDecl {
  std::string Name;
  DType Type;
  llvm::SMLoc Loc;
};

/// One argument of a call in main: a buffer (`@name`) or an integer.
struct CallArg {
  std::variant<std::string, int64_t> Value;
  llvm::SMLoc Loc;
  bool isBuffer() const { return std::holds_alternative<std::string>(Value); }
};

struct Call {
  std::string Callee;
  std::vector<CallArg> Args;
  llvm::SMLoc Loc;
};

struct Schedule {
  std::vector<Call> Calls;
  llvm::SMLoc Loc;
};

class Module {
public:
  explicit Module(Context &Ctx) : Ctx(Ctx) {}

  Context &getContext() const { return Ctx; }

  std::vector<std::unique_ptr<Function>> Functions;
  std::vector<BufferDecl> Buffers;
  std::optional<Schedule> Main;

  Function *lookupFunction(llvm::StringRef Name) const;
  const BufferDecl *lookupBuffer(llvm::StringRef Name) const;

  /// Keeps strings (UOp names) alive as long as the module.
  llvm::StringRef save(llvm::StringRef S) { return Saver.save(S); }

private:
  Context &Ctx;
  llvm::BumpPtrAllocator Allocator;
  llvm::StringSaver Saver{Allocator};
};

} // namespace tg

#endif // TG_IR_MODULE_H
