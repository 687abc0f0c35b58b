//===- DType.h - the types of UOps ------------------------------*- C++ -*-===//
//
// A DType is a scalar (td/DTypes.td), a vector of a scalar, a pointer
// (element type, address space, element count) or an image buffer (a 2-D
// RGBA texture of f16 or f32 texels, a kind of pointer). DTypes are interned
// in a Context, so a DType is one pointer and equality is `==`.
//
// Text form: `f32`, `vec<f32, 4>`, `ptr<f32, global, 1024>`, `ptr<f32, reg>`
// (unknown size), `image<f16, 64, 128>` (height, width in texels).
//
//===----------------------------------------------------------------------===//

#ifndef TG_IR_DTYPE_H
#define TG_IR_DTYPE_H

#include "tg/IR/Enums.h"

#include "llvm/ADT/DenseMapInfo.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <optional>
#include <string>

namespace tg {

enum class ScalarKind : uint8_t {
#define GET_SCALAR_ENUM
#include "tg/IR/DTypes.inc"
};

inline constexpr unsigned NumScalarKinds =
#define GET_SCALAR_COUNT
#include "tg/IR/DTypes.inc"
    ;

enum class ScalarCategory : uint8_t {
  Bool,
  Signed,
  Unsigned,
  Float,
  Index,
  Void
};

struct ScalarInfo {
  const char *Mnemonic;
  unsigned Bits; ///< 0 for index (unbounded) and void.
  ScalarCategory Category;
  unsigned ExponentBits, MantissaBits; ///< Floats only.
  const char *Summary;
};

const ScalarInfo &getScalarInfo(ScalarKind K);
/// The scalar spelled `Spelling` (mnemonic or alias such as `float`).
std::optional<ScalarKind> parseScalarKind(llvm::StringRef Spelling);

namespace detail {
struct DTypeStorage;
}

class DType {
public:
  enum class Kind : uint8_t { Scalar, Vector, Pointer, Image };

  DType() = default;
  explicit DType(const detail::DTypeStorage *Impl) : Impl(Impl) {}

  explicit operator bool() const { return Impl != nullptr; }
  bool operator==(DType Other) const { return Impl == Other.Impl; }
  bool operator!=(DType Other) const { return Impl != Other.Impl; }

  Kind getKind() const;
  bool isScalar() const { return getKind() == Kind::Scalar; }
  bool isVector() const { return getKind() == Kind::Vector; }
  /// Pointers and images: what INDEX, LOAD and STORE go through.
  bool isPointer() const {
    return getKind() == Kind::Pointer || getKind() == Kind::Image;
  }
  bool isImage() const { return getKind() == Kind::Image; }

  /// The scalar of a scalar or vector; of the element for pointers.
  ScalarKind getScalarKind() const;
  /// The scalar type of a scalar or vector (itself for scalars).
  DType getScalarType() const;
  /// Vector lanes; 1 for scalars.
  unsigned getCount() const;

  /// Pointers and images: the pointee type.
  DType getElement() const;
  AddrSpace getAddrSpace() const;
  /// Pointers: the number of elements, or -1 when unknown.
  int64_t getSize() const;
  /// Images: height and width in texels (each texel is 4 lanes).
  int64_t getHeight() const;
  int64_t getWidth() const;

  /// Scalars and vectors (not pointers, images or void).
  bool isValue() const { return !isPointer() && !isVoid(); }
  /// Category tests look through vectors (vec<i32, 4> is an integer type)
  /// but not through pointers: ptr<f32> is not a float type.
  ScalarCategory getCategory() const;
  bool isVoid() const;
  bool isBool() const {
    return isValue() && getCategory() == ScalarCategory::Bool;
  }
  bool isIndex() const {
    return isValue() && getCategory() == ScalarCategory::Index;
  }
  bool isFloat() const {
    return isValue() && getCategory() == ScalarCategory::Float;
  }
  bool isSigned() const {
    return isValue() && getCategory() == ScalarCategory::Signed;
  }
  bool isUnsigned() const {
    return isValue() && getCategory() == ScalarCategory::Unsigned;
  }
  /// index, signed or unsigned (not bool).
  bool isInteger() const { return isIndex() || isSigned() || isUnsigned(); }
  /// Bits of one lane; 0 for index and void.
  unsigned getScalarBits() const;

  void print(llvm::raw_ostream &OS) const;
  std::string str() const;

  const detail::DTypeStorage *getImpl() const { return Impl; }

private:
  const detail::DTypeStorage *Impl = nullptr;
};

inline llvm::raw_ostream &operator<<(llvm::raw_ostream &OS, DType T) {
  T.print(OS);
  return OS;
}

namespace detail {
/// Interned by Context; all fields are part of the identity.
struct DTypeStorage {
  DType::Kind TheKind;
  ScalarKind Scalar; ///< Scalar/vector: the lane type; pointer: element's.
  AddrSpace Space;   ///< Pointers and images.
  unsigned Count;    ///< Vector lanes (1 otherwise).
  int64_t Size;      ///< Pointers: element count or -1.
  int64_t Height, Width;
  const DTypeStorage *Element;    ///< Pointers and images: the pointee.
  const DTypeStorage *ScalarType; ///< Scalars and vectors: the lane type.
};
} // namespace detail

inline DType::Kind DType::getKind() const { return Impl->TheKind; }
inline ScalarKind DType::getScalarKind() const { return Impl->Scalar; }
inline unsigned DType::getCount() const { return Impl->Count; }

} // namespace tg

namespace llvm {
template <> struct DenseMapInfo<tg::DType> {
  static tg::DType getEmptyKey() {
    return tg::DType(
        DenseMapInfo<const tg::detail::DTypeStorage *>::getEmptyKey());
  }
  static tg::DType getTombstoneKey() {
    return tg::DType(
        DenseMapInfo<const tg::detail::DTypeStorage *>::getTombstoneKey());
  }
  static unsigned getHashValue(tg::DType T) {
    return DenseMapInfo<const tg::detail::DTypeStorage *>::getHashValue(
        T.getImpl());
  }
  static bool isEqual(tg::DType A, tg::DType B) { return A == B; }
};
} // namespace llvm

#endif // TG_IR_DTYPE_H
