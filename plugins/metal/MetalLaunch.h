//===- MetalLaunch.h - how the Metal runtime calls a kernel -----*- C++ -*-===//
//
// The ABI between MetalRenderer.h and the Metal runtime, kept apart from the
// Objective-C++ runtime so that it builds, and is tested, everywhere:
//   - buffer `b<id>` (the `define` parameter with that id) is bound at
//     [[buffer(<id>)]];
//   - variable `var<k>` (the k-th `define_var` parameter) is bound at
//     [[buffer(<buffers> + k)]] as the bytes of a value of its scalar type
//     (setBytes; index is 64-bit, as in the rendered source);
//   - the threadgroups per grid are the sizes of gidx0..2 and the threads
//     per threadgroup those of lidx0..2, each a constant or an expression of
//     the variables; a dimension without a launch index is 1.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_METAL_METALLAUNCH_H
#define TG_PLUGINS_METAL_METALLAUNCH_H

#include "tg/IR/Module.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace tg {
namespace metal {

/// What the runtime needs from a kernel to launch it.
struct MetalLaunch {
  std::string Name; ///< The kernel's, for messages.
  /// The kernel's buffer parameters, also the first variable's index.
  unsigned NumBuffers = 0;
  /// The define_var parameters in order, and the bytes each is passed as.
  std::vector<const UOp *> Variables;
  std::vector<unsigned> VariableBytes;
  /// The sizes of gidx0..2 and lidx0..2; null where the kernel has none.
  std::array<const UOp *, 3> Groups = {}, Threads = {};
};

/// The launch dimensions of one call.
struct MetalDims {
  std::array<uint64_t, 3> Groups, Threads;

  bool isEmpty() const;
  uint64_t getThreadsPerGroup() const {
    return Threads[0] * Threads[1] * Threads[2];
  }
};

/// Reads `Kernel`'s parameters and launch indices. An error names the kernel
/// and an unknown launch index or a buffer whose define id is not below the
/// number of buffers.
llvm::Expected<MetalLaunch> analyzeLaunch(const Function &Kernel);

/// The dimensions of a call with `Vars` (one per variable, in order). An
/// error says when the count of values is wrong or a size does not depend
/// on constants and variables only, or is negative.
llvm::Expected<MetalDims> getLaunchDims(const MetalLaunch &Launch,
                                        llvm::ArrayRef<int64_t> Vars);

} // namespace metal
} // namespace tg

#endif // TG_PLUGINS_METAL_METALLAUNCH_H
