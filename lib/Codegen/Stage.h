//===- Stage.h - the `stage` opt: loads staged in local memory --*- C++ -*-===//
//
// The `stage(k, s)` opt of the `opt` pass (lib/Codegen/Opt.cpp applies it):
// the tile of each global load that a work-group reads in one iteration of
// the reduce range k is copied cooperatively into local memory, 16 bytes per
// copy, and the loads read it there. Kept apart from Opt.cpp because it
// needs its own address analysis (lib/Codegen/Stage.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef TG_LIB_CODEGEN_STAGE_H
#define TG_LIB_CODEGEN_STAGE_H

#include "tg/IR/Module.h"
#include "tg/Support/Diagnostics.h"
#include "tg/Target/Device.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/Twine.h"

#include <cstdint>

namespace tg {

/// Stages the global loads inside the reduce range `R` of `F` in local
/// memory of `Arch`, with `Stages` buffers per load (more than one: filled
/// by asynchronous copies, which `Arch` must have).
/// `LocalBytes` is the local memory the kernel uses already, and grows by
/// the buffers made. `Error` reports a failure (the opt's message prefix is
/// its business) and returns failure.
LogicalResult
stageLoads(Function &F, Context &Ctx, const ArchInfo &Arch, const UOp *R,
           int64_t Stages, int64_t &LocalBytes,
           llvm::function_ref<LogicalResult(const llvm::Twine &)> Error);

} // namespace tg

#endif // TG_LIB_CODEGEN_STAGE_H
