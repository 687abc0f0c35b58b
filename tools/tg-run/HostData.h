//===- HostData.h - tg-run's buffers: inputs, .npy files, comparing -*- C++
//-*-===//

#ifndef TG_TOOLS_TGRUN_HOSTDATA_H
#define TG_TOOLS_TGRUN_HOSTDATA_H

#include "tg/Interp/Interpreter.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <random>
#include <string>

namespace tg {
namespace run {

/// Fills `B` with values drawn from `Rng`: floats uniform in [-1, 1)
/// rounded to the type, signed integers in [-8, 8], unsigned ones and index
/// in [0, 16), bools at random. Small integers keep sums and products of
/// test kernels away from overflow.
void fillRandom(HostBuffer &B, std::mt19937_64 &Rng);

/// The numpy dtype string of `Element`'s scalar type (`<f4`, `|b1`, ...),
/// or an error for types numpy lacks (bf16, fp8: stored as their bits).
llvm::Expected<std::string> getNumpyDType(DType Element);

/// Reads `Path`, a .npy file of `B.Count` elements of B's type, into `B`.
llvm::Error readNpy(llvm::StringRef Path, HostBuffer &B);
/// Writes `B` as a one-dimensional .npy file.
llvm::Error writeNpy(llvm::StringRef Path, const HostBuffer &B);

/// How far a device's element may be from the interpreter's: exact for
/// integers and bools; for floats |a - b| <= Atol + Rtol * |b|, nans equal.
/// Opts reorder float reductions (an unrolled sum adds in another order), so
/// the bounds allow for rounding that grows with the length of a sum; a
/// wrong result is off by far more.
struct Tolerance {
  double Atol = 0, Rtol = 0;
  static Tolerance forType(DType Element);
};

/// The first element where `Got` differs from `Want` beyond `Tol`, with a
/// description of both values.
struct Mismatch {
  int64_t Element;
  unsigned Lane;
  std::string Got, Want;
};
std::optional<Mismatch> compare(const HostBuffer &Got, const HostBuffer &Want,
                                Tolerance Tol);

/// One lane as text: integers in decimal, floats with enough digits to
/// round-trip.
std::string format(ConstValue V);

} // namespace run
} // namespace tg

#endif // TG_TOOLS_TGRUN_HOSTDATA_H
