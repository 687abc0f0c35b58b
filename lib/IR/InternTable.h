//===- InternTable.h - the hash set behind interning ------------*- C++ -*-===//
//
// An open-addressing hash set of pointers (linear probing) that keeps each
// entry's hash in a parallel array. A lookup compares hashes and touches an
// object only when they are equal, growing never touches the objects, and
// find-or-insert probes once. With a million UOps this is the difference
// between a cache miss per probe and none (benchmarks/IRBench.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef TG_LIB_IR_INTERNTABLE_H
#define TG_LIB_IR_INTERNTABLE_H

#include <cstddef>
#include <cstdint>
#include <memory>

namespace tg {

template <typename T> class InternTable {
public:
  /// The entry for which `Matches(Entry)` holds among those with `Hash`, or
  /// the one `Make()` returns, inserted.
  template <typename MatchFn, typename MakeFn>
  T *findOrInsert(uint32_t Hash, MatchFn Matches, MakeFn Make) {
    if ((Size + 1) * 4 > Capacity * 3)
      grow();
    size_t Mask = Capacity - 1;
    for (size_t I = Hash & Mask;; I = (I + 1) & Mask) {
      T *Entry = Entries[I];
      if (!Entry) {
        Entry = Make();
        Entries[I] = Entry;
        Hashes[I] = Hash;
        ++Size;
        return Entry;
      }
      if (Hashes[I] == Hash && Matches(Entry))
        return Entry;
    }
  }

  size_t size() const { return Size; }
  size_t getMemorySize() const {
    return Capacity * (sizeof(T *) + sizeof(uint32_t));
  }

private:
  void grow() {
    size_t OldCapacity = Capacity;
    std::unique_ptr<T *[]> OldEntries = std::move(Entries);
    std::unique_ptr<uint32_t[]> OldHashes = std::move(Hashes);
    Capacity = OldCapacity ? OldCapacity * 2 : 64;
    Entries.reset(new T *[Capacity]());
    Hashes.reset(new uint32_t[Capacity]);
    size_t Mask = Capacity - 1;
    for (size_t J = 0; J != OldCapacity; ++J) {
      if (!OldEntries[J])
        continue;
      size_t I = OldHashes[J] & Mask;
      while (Entries[I])
        I = (I + 1) & Mask;
      Entries[I] = OldEntries[J];
      Hashes[I] = OldHashes[J];
    }
  }

  std::unique_ptr<T *[]> Entries;
  std::unique_ptr<uint32_t[]> Hashes;
  size_t Capacity = 0;
  size_t Size = 0;
};

} // namespace tg

#endif // TG_LIB_IR_INTERNTABLE_H
