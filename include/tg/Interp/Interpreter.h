//===- Interpreter.h - the reference interpreter of linear programs -*- C++
//-*-===//
//
// Runs a kernel that `linearize` has ordered (its body is the program) over
// host memory, one lane of one thread at a time, computing every value with
// IR's evalAlu. It is the oracle every backend is compared with, so it
// favours being obviously right over being fast:
//   - every access is bounds-checked; an access out of its buffer is an
//     error naming the UOp, the index and the buffer;
//   - `special` launch indices are simulated: each work-group's threads run
//     as fibers that stop at each `barrier` until all of them reach it;
//   - `local` buffers live per work-group and `reg` buffers per thread;
//   - an image parameter takes a buffer of its 4*H*W texel scalars, row
//     after row; `index(img, x, y)` is texel (x, y), whose read outside the
//     image gives zero (CLK_ADDRESS_CLAMP) and whose write there is an error;
//   - memory holds each dtype's real bits (f16, bf16 and fp8 included), so a
//     value stored and loaded again is rounded as a device would round it.
//
//===----------------------------------------------------------------------===//

#ifndef TG_INTERP_INTERPRETER_H
#define TG_INTERP_INTERPRETER_H

#include "tg/IR/Eval.h"
#include "tg/IR/Module.h"
#include "tg/Support/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"

#include <cstdint>
#include <vector>

namespace tg {

/// A buffer in host memory: `Count` elements of `Element` (a scalar or
/// vector type), stored as a device stores them (little-endian, bool as one
/// byte, index as 8 bytes).
struct HostBuffer {
  DType Element;
  int64_t Count = 0;
  std::vector<uint8_t> Bytes;

  HostBuffer() = default;
  HostBuffer(DType Element, int64_t Count);

  /// Bytes of one element.
  static unsigned getElementSize(DType Element);
  /// Lane `Lane` of element `I`.
  ConstValue get(int64_t I, unsigned Lane = 0) const;
  /// Sets lane `Lane` of element `I`; `Value` must be a value of the
  /// element's scalar type.
  void set(int64_t I, ConstValue Value, unsigned Lane = 0);
};

/// What one run of a kernel gets: its buffer parameters in order (by
/// `define` id) and the values of its `define_var` parameters by name.
struct KernelArguments {
  std::vector<HostBuffer *> Buffers;
  llvm::StringMap<int64_t> Variables;
};

/// Runs `F`, a linearized kernel, on `Args`. Errors (an access out of
/// bounds, a value with no definition such as a division by zero, a program
/// that is not linear, an op the interpreter does not run) are reported at
/// the UOp through `Diag`.
LogicalResult interpret(const Function &F, KernelArguments &Args,
                        DiagnosticEngine &Diag);

} // namespace tg

#endif // TG_INTERP_INTERPRETER_H
