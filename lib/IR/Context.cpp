//===- Context.cpp - interning of UOps, DTypes and Args -------------------===//
//
// A lookup builds a key struct on the stack and allocates nothing; a miss
// allocates the node once in the arena. UOps and Args, which come by the
// million, live in an InternTable; the few DTypes in an llvm::DenseSet.
//
//===----------------------------------------------------------------------===//

#include "tg/IR/Context.h"

#include "InternTable.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/Hashing.h"

#include <cstring>

using namespace tg;
using detail::DTypeStorage;

namespace {

/// A cheap, well-mixed 64-bit hash step (from splitmix64).
inline uint64_t mix(uint64_t H, uint64_t V) {
  H ^= V + 0x9e3779b97f4a7c15ULL + (H << 6) + (H >> 2);
  H ^= H >> 31;
  H *= 0xbf58476d1ce4e5b9ULL;
  return H ^ (H >> 29);
}

inline uint64_t ptrBits(const void *P) { return uint64_t(uintptr_t(P)); }

//--- UOps ------------------------------------------------------------------//

struct UOpKey {
  Op TheOp;
  DType Type;
  llvm::ArrayRef<const UOp *> Srcs;
  const Arg *TheArg;

  unsigned hash() const {
    uint64_t H = mix(uint64_t(TheOp), ptrBits(Type.getImpl()));
    H = mix(H, ptrBits(TheArg));
    for (const UOp *S : Srcs)
      H = mix(H, ptrBits(S));
    return unsigned(H ^ (H >> 32));
  }
  bool matches(const UOp *U) const {
    if (U->getOp() != TheOp || U->getDType() != Type || U->getArg() != TheArg ||
        U->getNumSrcs() != Srcs.size())
      return false;
    // A loop over a few pointers, where ArrayRef's == calls memcmp.
    for (size_t I = 0; I != Srcs.size(); ++I)
      if (U->getSrc(unsigned(I)) != Srcs[I])
        return false;
    return true;
  }
};

//--- DTypes ----------------------------------------------------------------//

bool sameFields(const DTypeStorage &A, const DTypeStorage &B) {
  return A.TheKind == B.TheKind && A.Scalar == B.Scalar && A.Space == B.Space &&
         A.Count == B.Count && A.Size == B.Size && A.Height == B.Height &&
         A.Width == B.Width && A.Element == B.Element &&
         A.ScalarType == B.ScalarType;
}

unsigned hashFields(const DTypeStorage &S) {
  uint64_t H = mix(uint64_t(S.TheKind), uint64_t(S.Scalar));
  H = mix(H, uint64_t(S.Space));
  H = mix(H, S.Count);
  H = mix(H, uint64_t(S.Size));
  H = mix(H, uint64_t(S.Height));
  H = mix(H, uint64_t(S.Width));
  H = mix(H, ptrBits(S.Element));
  H = mix(H, ptrBits(S.ScalarType));
  return unsigned(H ^ (H >> 32));
}

struct DTypeInfo : llvm::DenseMapInfo<const DTypeStorage *> {
  static unsigned getHashValue(const DTypeStorage *S) { return hashFields(*S); }
  static unsigned getHashValue(const DTypeStorage &S) { return hashFields(S); }
  static bool isEqual(const DTypeStorage *A, const DTypeStorage *B) {
    return A == B;
  }
  static bool isEqual(const DTypeStorage &K, const DTypeStorage *S) {
    if (S == getEmptyKey() || S == getTombstoneKey())
      return false;
    return sameFields(K, *S);
  }
};

//--- Args ------------------------------------------------------------------//

struct ArgKey {
  Arg::Kind TheKind;
  int64_t Int;
  llvm::StringRef Str;
  llvm::ArrayRef<const Arg *> Elements;

  unsigned hash() const {
    uint64_t H = mix(uint64_t(TheKind), uint64_t(Int));
    for (char C : Str)
      H = mix(H, uint8_t(C));
    for (const Arg *E : Elements)
      H = mix(H, ptrBits(E));
    return unsigned(H ^ (H >> 32));
  }
  bool matches(const Arg *A) const {
    if (A->getKind() != TheKind)
      return false;
    switch (TheKind) {
    case Arg::Kind::String:
      return A->getString() == Str;
    case Arg::Kind::List:
      return A->getElements() == Elements;
    case Arg::Kind::Opt:
      return A->getInt() == Int && A->getElements() == Elements;
    default:
      return A->getInt() == Int;
    }
  }
};

} // namespace

struct Context::Impl {
  llvm::BumpPtrAllocator Arena;
  InternTable<const UOp> UOps;
  InternTable<const Arg> Args;
  llvm::DenseSet<const DTypeStorage *, DTypeInfo> DTypes;
  DType Scalars[NumScalarKinds];
  /// getConst's recent answers, direct-mapped by type and value: rewrites
  /// ask for the same few constants over and over, and a hit spares
  /// interning the argument and the UOp.
  struct ConstCacheEntry {
    const DTypeStorage *Type = nullptr;
    int64_t Value = 0;
    const UOp *Const = nullptr;
  };
  static constexpr unsigned ConstCacheSize = 256;
  ConstCacheEntry ConstCache[ConstCacheSize];

  DType intern(const DTypeStorage &Key) {
    auto It = DTypes.find_as(Key);
    if (It != DTypes.end())
      return DType(*It);
    auto *S = new (Arena.Allocate<DTypeStorage>()) DTypeStorage(Key);
    DTypes.insert(S);
    return DType(S);
  }

  const Arg *intern(const ArgKey &Key) {
    unsigned Hash = Key.hash();
    return Args.findOrInsert(
        Hash, [&](const Arg *A) { return Key.matches(A); },
        [&] { return make(Key, Hash); });
  }

  const Arg *make(const ArgKey &Key, unsigned Hash) {
    const char *Str = nullptr;
    if (!Key.Str.empty()) {
      char *Copy = Arena.Allocate<char>(Key.Str.size());
      std::memcpy(Copy, Key.Str.data(), Key.Str.size());
      Str = Copy;
    }
    const Arg **Elements = nullptr;
    if (!Key.Elements.empty()) {
      Elements = Arena.Allocate<const Arg *>(Key.Elements.size());
      std::copy(Key.Elements.begin(), Key.Elements.end(), Elements);
    }
    uint32_t Size = Key.TheKind == Arg::Kind::String
                        ? uint32_t(Key.Str.size())
                        : uint32_t(Key.Elements.size());
    return new (Arena.Allocate<Arg>())
        Arg(Key.TheKind, Key.Int, Str, Elements, Size, Hash);
  }
};

UOp::UOp(Op O, DType T, const Arg *A, llvm::ArrayRef<const UOp *> Srcs,
         unsigned Hash)
    : TheOp(O), NumSrcs(uint32_t(Srcs.size())), Hash(Hash), Type(T), TheArg(A) {
  std::copy(Srcs.begin(), Srcs.end(), getTrailingObjects<const UOp *>());
}

const Arg *UOp::getArgField(unsigned I) const {
  const OpInfo &Info = getInfo();
  assert(I < Info.NumArgFields && "argument field index out of range");
  if (Info.NumArgFields == 1)
    return TheArg;
  return TheArg ? TheArg->getElements()[I] : nullptr;
}

Context::Context() : P(std::make_unique<Impl>()) {
  for (unsigned K = 0; K != NumScalarKinds; ++K) {
    DTypeStorage S{};
    S.TheKind = DType::Kind::Scalar;
    S.Scalar = ScalarKind(K);
    S.Count = 1;
    S.Size = -1;
    auto *Stored = new (P->Arena.Allocate<DTypeStorage>()) DTypeStorage(S);
    Stored->ScalarType = Stored;
    P->DTypes.insert(Stored);
    P->Scalars[K] = DType(Stored);
  }
}

Context::~Context() = default;

const UOp *Context::get(Op O, DType T, llvm::ArrayRef<const UOp *> Srcs,
                        const Arg *A) {
  UOpKey Key{O, T, Srcs, A};
  unsigned Hash = Key.hash();
  return P->UOps.findOrInsert(
      Hash, [&](const UOp *U) { return Key.matches(U); },
      [&] {
        void *Mem = P->Arena.Allocate(
            UOp::totalSizeToAlloc<const UOp *>(Srcs.size()), alignof(UOp));
        return new (Mem) UOp(O, T, A, Srcs, Hash);
      });
}

const UOp *Context::getConst(DType T, int64_t Value) {
  uint64_t H = mix(ptrBits(T.getImpl()), uint64_t(Value));
  Impl::ConstCacheEntry &Entry = P->ConstCache[H % Impl::ConstCacheSize];
  if (Entry.Const && Entry.Type == T.getImpl() && Entry.Value == Value)
    return Entry.Const;
  const UOp *Const = get(
      Op::Const, T, {}, T.isBool() ? getBoolArg(Value != 0) : getIntArg(Value));
  Entry = {T.getImpl(), Value, Const};
  return Const;
}

const UOp *Context::getFloatConst(DType T, double Value) {
  return get(Op::Const, T, {}, getFloatArg(Value));
}

DType Context::getScalar(ScalarKind K) const { return P->Scalars[unsigned(K)]; }

DType Context::getVector(DType Scalar, unsigned Count) {
  assert(Scalar.isScalar() && Count >= 1 && "vectors are of scalars");
  if (Count == 1)
    return Scalar;
  DTypeStorage S{};
  S.TheKind = DType::Kind::Vector;
  S.Scalar = Scalar.getScalarKind();
  S.Count = Count;
  S.Size = -1;
  S.ScalarType = Scalar.getImpl();
  return P->intern(S);
}

DType Context::getPointer(DType Element, AddrSpace Space, int64_t Size) {
  DTypeStorage S{};
  S.TheKind = DType::Kind::Pointer;
  S.Scalar = Element.isPointer() ? ScalarKind::Void : Element.getScalarKind();
  S.Space = Space;
  S.Count = 1;
  S.Size = Size < 0 ? -1 : Size;
  S.Element = Element.getImpl();
  return P->intern(S);
}

DType Context::getImage(ScalarKind Texel, int64_t Height, int64_t Width) {
  DTypeStorage S{};
  S.TheKind = DType::Kind::Image;
  S.Scalar = Texel;
  S.Space = AddrSpace::Global;
  S.Count = 1;
  S.Size = Height * Width * 4;
  S.Height = Height;
  S.Width = Width;
  S.Element = getScalar(Texel).getImpl();
  return P->intern(S);
}

const Arg *Context::getIntArg(int64_t Value) {
  return P->intern(ArgKey{Arg::Kind::Int, Value, {}, {}});
}

const Arg *Context::getFloatArg(double Value) {
  int64_t Bits;
  std::memcpy(&Bits, &Value, sizeof(Bits));
  return P->intern(ArgKey{Arg::Kind::Float, Bits, {}, {}});
}

const Arg *Context::getBoolArg(bool Value) {
  return P->intern(ArgKey{Arg::Kind::Bool, Value ? 1 : 0, {}, {}});
}

const Arg *Context::getStringArg(llvm::StringRef Value) {
  return P->intern(ArgKey{Arg::Kind::String, 0, Value, {}});
}

const Arg *Context::getAxisKindArg(AxisKind Value) {
  return P->intern(ArgKey{Arg::Kind::AxisKind, int64_t(Value), {}, {}});
}

const Arg *Context::getOpArg(Op Value) {
  return P->intern(ArgKey{Arg::Kind::Op, int64_t(Value), {}, {}});
}

const Arg *Context::getOptArg(OptKind Kind,
                              llvm::ArrayRef<const Arg *> Operands) {
  return P->intern(ArgKey{Arg::Kind::Opt, int64_t(Kind), {}, Operands});
}

const Arg *Context::getListArg(llvm::ArrayRef<const Arg *> Elements) {
  return P->intern(ArgKey{Arg::Kind::List, 0, {}, Elements});
}

const Arg *Context::getIntListArg(llvm::ArrayRef<int64_t> Values) {
  llvm::SmallVector<const Arg *, 8> Elements;
  for (int64_t V : Values)
    Elements.push_back(getIntArg(V));
  return getListArg(Elements);
}

size_t Context::getNumUOps() const { return P->UOps.size(); }

size_t Context::getMemoryUsage() const {
  return P->Arena.getTotalMemory() + P->UOps.getMemorySize() +
         P->DTypes.getMemorySize() + P->Args.getMemorySize();
}
