//===- PassRegistry.h - the passes a pipeline may name ----------*- C++ -*-===//
//
// One process-wide registry maps a pass's pipeline name to a factory. tg's
// libraries register their passes explicitly (registerCorePasses() in
// Passes.h); a plugin registers its own from its entry point. Registering a
// name twice is a programming error and aborts with a message.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PASS_PASSREGISTRY_H
#define TG_PASS_PASSREGISTRY_H

#include "tg/Pass/Pass.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tg {

using PassFactory = std::function<std::unique_ptr<Pass>()>;

struct PassInfo {
  std::string Name;
  std::string Description;
  PassFactory Factory;
};

/// Registers a pass under `Name`, which must be the argument of the passes
/// `Factory` makes.
void registerPass(llvm::StringRef Name, llvm::StringRef Description,
                  PassFactory Factory);
/// Registers a pass under its own argument and description.
void registerPass(PassFactory Factory);

/// `static PassRegistration<MyPass> Reg;` or `PassRegistration<MyPass>();`
template <typename PassT> struct PassRegistration {
  PassRegistration() {
    registerPass([] { return std::make_unique<PassT>(); });
  }
};

/// The pass registered as `Name`, or nullptr.
const PassInfo *lookupPass(llvm::StringRef Name);
/// Every registered pass, sorted by name.
std::vector<const PassInfo *> getRegisteredPasses();

/// "'dcx' is not a registered pass; did you mean 'dce'? (see --list-passes)"
std::string getUnknownPassMessage(llvm::StringRef Name);

/// Prints what --list-passes shows: each pass sorted by name with its
/// description, options (type and default) and translation validation.
void printRegisteredPasses(llvm::raw_ostream &OS);

} // namespace tg

#endif // TG_PASS_PASSREGISTRY_H
