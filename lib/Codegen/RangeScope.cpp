//===- RangeScope.cpp - the loops that enclose each UOp of a kernel -------===//

#include "tg/Codegen/RangeScope.h"

#include "llvm/ADT/SmallVector.h"

#include <utility>

using namespace tg;

unsigned RangeScope::getNumber(const UOp *R) {
  auto [It, Inserted] = Numbers.try_emplace(R, Ranges.size());
  if (Inserted)
    Ranges.push_back(R);
  return It->second;
}

llvm::SmallBitVector RangeScope::getOpen(const UOp *U) {
  if (auto It = Open.find(U); It != Open.end())
    return It->second;
  // Sources first, with an explicit stack: kernels can be chains 100k UOps
  // deep.
  llvm::SmallVector<std::pair<const UOp *, unsigned>, 32> Stack{{U, 0}};
  while (!Stack.empty()) {
    auto &[Top, Next] = Stack.back();
    if (Next < Top->getNumSrcs()) {
      const UOp *Src = Top->getSrc(Next++);
      if (!Open.count(Src))
        Stack.push_back({Src, 0});
      continue;
    }
    compute(Top);
    Stack.pop_back();
  }
  return Open.find(U)->second;
}

/// The open set of `U`, whose sources are all known.
void RangeScope::compute(const UOp *U) {
  llvm::SmallBitVector Result;
  auto Unite = [&](const llvm::SmallBitVector &Other) {
    if (Result.size() < Other.size())
      Result.resize(Other.size());
    Result |= Other;
  };
  for (const UOp *Src : U->getSrcs())
    Unite(Open.find(Src)->second);
  switch (U->getOp()) {
  case Op::Range: {
    unsigned Number = getNumber(U);
    if (Result.size() <= Number)
      Result.resize(Number + 1);
    Result.set(Number);
    break;
  }
  case Op::End:
  case Op::Reduce:
  case Op::Contract:
    // Operand 1 is the effect or value; the others are the ranges closed.
    // Their bounds are open outside the loop, so they stay.
    Result.reset();
    Unite(Open.find(U->getSrc(0))->second);
    for (const UOp *R : U->getSrcs().drop_front())
      if (R->getOp() == Op::Range) {
        unsigned Number = getNumber(R);
        if (Number < Result.size())
          Result.reset(Number);
        Unite(Open.find(R->getSrc(0))->second);
      }
    break;
  default:
    break;
  }
  Open[U] = std::move(Result);
}
