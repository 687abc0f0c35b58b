//===- Passes.h - the codegen pipeline's passes -----------------*- C++ -*-===//
//
// The stages that lower a kernel to a linear program (docs/Passes.md,
// "Codegen passes"), in pipeline order:
//   heuristic      chooses opts for each kernel and appends them to `opts`;
//   opt            applies `opts` (upcast, unroll, local, padto, swap);
//   expand         unrolls upcast and unroll ranges into copies;
//   coalesce       runs of scalar accesses to neighbours become vectors;
//   images         buffers accessed as 4-lane vectors become 2-D images
//                  (arches with images: Qualcomm);
//   devectorize    elementwise math on vectors becomes one op per lane;
//   gpudims        on GPUs, global and local ranges become launch indices;
//   lower-index    index values become i32 or i64, as their ranges allow;
//   decompose      what the arch lacks: transcendentals as polynomials,
//                  division by constants as multiplies, dtypes in f32;
//   remove-reduce  each `reduce` becomes a register accumulator and a loop;
//   linearize      the body becomes the program's order: loops opened by
//                  `range` and closed by one `end`, gated stores in if/endif.
//
//===----------------------------------------------------------------------===//

#ifndef TG_CODEGEN_PASSES_H
#define TG_CODEGEN_PASSES_H

#include "tg/Pass/Pass.h"

#include <memory>

namespace tg {

std::unique_ptr<Pass> createHeuristicPass();
std::unique_ptr<Pass> createOptPass();
std::unique_ptr<Pass> createExpandPass();
std::unique_ptr<Pass> createCoalescePass();
std::unique_ptr<Pass> createImagesPass();
std::unique_ptr<Pass> createDevectorizePass();
std::unique_ptr<Pass> createGPUDimsPass();
std::unique_ptr<Pass> createLowerIndexPass();
std::unique_ptr<Pass> createRemoveReducePass();
std::unique_ptr<Pass> createLinearizePass();
std::unique_ptr<Pass> createDecomposePass();

/// Registers the passes above; calling it again does nothing.
void registerCodegenPasses();

} // namespace tg

#endif // TG_CODEGEN_PASSES_H
