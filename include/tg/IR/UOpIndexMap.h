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
      const Bucket &B = Buckets[I];
      if (B.Key == U)
        return &B.Value;
      if (!B.Key)
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
      Bucket &B = Buckets[I];
      if (B.Key == U)
        return {B.Value, false};
      if (!B.Key) {
        B = {U, Value};
        ++Size;
        return {Value, true};
      }
    }
  }

  size_t size() const { return Size; }
  bool empty() const { return Size == 0; }

private:
  struct Bucket {
    const UOp *Key = nullptr;
    unsigned Value = 0;
  };

  size_t home(const UOp *U) const {
    return size_t((uint64_t(uintptr_t(U)) * 0x9e3779b97f4a7c15ULL) >> Shift);
  }

  void grow() {
    size_t OldCapacity = Capacity;
    std::unique_ptr<Bucket[]> Old = std::move(Buckets);
    // A rewrite of an index expression meets a few dozen UOps: room for 64
    // without growing again.
    Capacity = OldCapacity ? OldCapacity * 2 : 128;
    Shift = 64 - unsigned(__builtin_ctzll(Capacity));
    Buckets.reset(new Bucket[Capacity]());
    for (size_t J = 0; J != OldCapacity; ++J) {
      if (!Old[J].Key)
        continue;
      size_t I = home(Old[J].Key);
      while (Buckets[I].Key)
        I = (I + 1) & (Capacity - 1);
      Buckets[I] = Old[J];
    }
  }

  std::unique_ptr<Bucket[]> Buckets;
  size_t Capacity = 0;
  size_t Size = 0;
  unsigned Shift = 64;
};

} // namespace tg

#endif // TG_IR_UOPINDEXMAP_H
