//===- CompareLowerings.h - two lowerings of a kernel, interpreted -*- C++
//-*-===//
//
// What the codegen tests that check an opt or a pipeline against the plain
// lowering share: deterministic inputs for every buffer parameter, an
// example's text, and expectSameOutputs(), which interprets both lowerings
// of a kernel on the same inputs and compares every buffer.
//
//===----------------------------------------------------------------------===//

#ifndef TG_UNITTESTS_COMMON_COMPARELOWERINGS_H
#define TG_UNITTESTS_COMMON_COMPARELOWERINGS_H

#include "KernelLowering.h"

#include "tg/IR/Arg.h"
#include "tg/IR/UOp.h"
#include "tg/Interp/Interpreter.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace tg {
namespace unittest {

/// A buffer per `define` parameter of `F`, by id, filled with small values
/// (quarters for floats) that depend on the index, the id and `Seed`.
inline std::vector<std::unique_ptr<HostBuffer>> makeBuffers(const Function &F,
                                                            unsigned Seed = 1) {
  std::vector<std::unique_ptr<HostBuffer>> Buffers;
  for (const UOp *P : F.Params) {
    if (P->getOp() != Op::Define)
      continue;
    size_t Id = P->getArgField(0)->getInt();
    if (Buffers.size() <= Id)
      Buffers.resize(Id + 1);
    DType T = P->getDType().getElement();
    auto B = std::make_unique<HostBuffer>(T, P->getDType().getSize());
    for (int64_t I = 0; I != B->Count; ++I) {
      int64_t V = (I * 37 + Seed * 11 + Id * 5) % 17 - 8;
      B->set(I, T.isFloat() ? ConstValue::getFloat(double(V) / 4)
                            : ConstValue::getInt(V));
    }
    Buffers[Id] = std::move(B);
  }
  return Buffers;
}

/// The text of examples/`File`, or empty when it cannot be read.
inline std::string readExample(const char *File) {
  std::string Path = std::string(TG_SOURCE_DIR) + "/examples/" + File;
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return {};
  return (*Buffer)->getBuffer().str();
}

/// Interprets `Want` (lowered in `WantL`) and `Got` (in `GotL`) on the same
/// inputs and expects every buffer equal: floats within 1e-5 relative
/// (exp2, division and rsqrt round reassociated sums differently), integers
/// exactly.
inline void expectSameOutputs(KernelLowering &WantL, const Function &Want,
                              KernelLowering &GotL, const Function &Got,
                              unsigned Seed = 1) {
  auto WantBuffers = makeBuffers(Want, Seed),
       GotBuffers = makeBuffers(Got, Seed);
  KernelArguments WantArgs, GotArgs;
  for (auto &B : WantBuffers)
    WantArgs.Buffers.push_back(B.get());
  for (auto &B : GotBuffers)
    GotArgs.Buffers.push_back(B.get());
  ASSERT_TRUE(succeeded(interpret(Want, WantArgs, WantL.Diag))) << WantL.Errors;
  ASSERT_TRUE(succeeded(interpret(Got, GotArgs, GotL.Diag))) << GotL.Errors;
  ASSERT_EQ(WantBuffers.size(), GotBuffers.size());
  std::string Name = "@" + Want.getName().str();
  for (size_t Id = 0; Id != WantBuffers.size(); ++Id) {
    if (!WantBuffers[Id])
      continue;
    const HostBuffer &W = *WantBuffers[Id], &G = *GotBuffers[Id];
    ASSERT_EQ(W.Count, G.Count);
    for (int64_t I = 0; I != W.Count; ++I) {
      ConstValue WV = W.get(I), GV = G.get(I);
      if (W.Element.isFloat())
        EXPECT_NEAR(GV.getFloat(), WV.getFloat(),
                    1e-5 * std::max(1.0, std::fabs(WV.getFloat())))
            << Name << " buffer " << Id << " [" << I << "]";
      else
        EXPECT_EQ(GV.getInt(), WV.getInt())
            << Name << " buffer " << Id << " [" << I << "]";
    }
  }
}

} // namespace unittest
} // namespace tg

#endif // TG_UNITTESTS_COMMON_COMPARELOWERINGS_H
