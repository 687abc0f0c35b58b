//===- UOpIndexMap.h - a lean map from UOps to small integers ---*- C++ -*-===//
//
// The side tables of a rewrite and of an analysis map each UOp they meet to
// the position of its record in a vector: millions of lookups of a few
// dozen keys each in the small index expressions of kernels. UOpIndexMap is
// that map and nothing more: open addressing with linear probing, Fibonacci
// hashing of the pointer, a load factor of at most one half, no erase. A
// probe is a multiply, a shift and (nearly always) one compare, where
// llvm::DenseMap's generic probing with tombstones costs several times as
// much. Keyed by pointer: never iterate it into output (it cannot be).
//
//===----------------------------------------------------------------------===//

#ifndef TG_IR_UOPINDEXMAP_H
#define TG_IR_UOPINDEXMAP_H

#include "tg/IR/UOp.h"

#include <cassert>
#include <cstdint>
#include <memory>
#include <utility>

namespace tg {

class UOpIndexMap {
public:
  /// The value of `U`, or nullptr if it has none. Valid until the next
  /// insertion.
  const unsigned *find(const UOp *U) const {
    if (Capacity == 0)
      return nullptr;
    for (size_t I = home(U);; I = (I + 1) & (Capacity - 1)) {
      if (Keys[I] == U)
        return &Values[I];
      if (!Keys[I])
        return nullptr;
    }
  }
  bool contains(const UOp *U) const { return find(U) != nullptr; }

  /// The value of `U` and false if it has one; else gives it `Value` and
  /// returns that and true.
  std::pair<unsigned, bool> tryEmplace(const UOp *U, unsigned Value) {
    assert(U && "keys are UOps");
    if ((Size + 1) * 2 > Capacity)
      grow();
    for (size_t I = home(U);; I = (I + 1) & (Capacity - 1)) {
      if (Keys[I] == U)
        return {Values[I], false};
      if (!Keys[I]) {
        Keys[I] = U;
        Values[I] = Value;
        ++Size;
        return {Value, true};
      }
    }
  }

  size_t size() const { return Size; }
  bool empty() const { return Size == 0; }

private:
  size_t home(const UOp *U) const {
    return size_t((uint64_t(uintptr_t(U)) * 0x9e3779b97f4a7c15ULL) >> Shift);
  }

  void grow() {
    size_t OldCapacity = Capacity;
    std::unique_ptr<const UOp *[]> OldKeys = std::move(Keys);
    std::unique_ptr<unsigned[]> OldValues = std::move(Values);
    // A rewrite of an index expression meets a few dozen UOps: room for 64
    // without growing again. Keys and values lie apart, so that these first
    // arrays stay small enough for malloc's per-thread cache.
    Capacity = OldCapacity ? OldCapacity * 2 : 128;
    Shift = 64 - unsigned(__builtin_ctzll(Capacity));
    Keys.reset(new const UOp *[Capacity]());
    Values.reset(new unsigned[Capacity]);
    for (size_t J = 0; J != OldCapacity; ++J) {
      if (!OldKeys[J])
        continue;
      size_t I = home(OldKeys[J]);
      while (Keys[I])
        I = (I + 1) & (Capacity - 1);
      Keys[I] = OldKeys[J];
      Values[I] = OldValues[J];
    }
  }

  std::unique_ptr<const UOp *[]> Keys;
  std::unique_ptr<unsigned[]> Values;
  size_t Capacity = 0;
  size_t Size = 0;
  unsigned Shift = 64;
};

} // namespace tg

#endif // TG_IR_UOPINDEXMAP_H
