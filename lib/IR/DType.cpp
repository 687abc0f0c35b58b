//===- DType.cpp - scalar tables and DType queries ------------------------===//

#include "tg/IR/DType.h"

#include "llvm/ADT/StringMap.h"

using namespace tg;

namespace {
const ScalarInfo Scalars[] = {
#define GET_SCALAR_INFO
#include "tg/IR/DTypes.inc"
};

struct Spelling {
  const char *Name;
  ScalarKind Kind;
};
const Spelling Spellings[] = {
#define GET_SCALAR_SPELLINGS
#include "tg/IR/DTypes.inc"
};
} // namespace

const ScalarInfo &tg::getScalarInfo(ScalarKind K) {
  return Scalars[unsigned(K)];
}

std::optional<ScalarKind> tg::parseScalarKind(llvm::StringRef Name) {
  static const llvm::StringMap<ScalarKind> Table = [] {
    llvm::StringMap<ScalarKind> T;
    for (const Spelling &S : Spellings)
      T[S.Name] = S.Kind;
    return T;
  }();
  auto It = Table.find(Name);
  if (It == Table.end())
    return std::nullopt;
  return It->second;
}

DType DType::getScalarType() const {
  assert(!isPointer() && "pointers have no scalar type");
  return DType(Impl->ScalarType);
}

DType DType::getElement() const {
  assert(isPointer() && "only pointers and images have an element type");
  return DType(Impl->Element);
}

AddrSpace DType::getAddrSpace() const {
  assert(isPointer() && "only pointers and images have an address space");
  return Impl->Space;
}

int64_t DType::getSize() const {
  assert(isPointer() && "only pointers and images have a size");
  return Impl->Size;
}

int64_t DType::getHeight() const {
  assert(isImage() && "only images have a height");
  return Impl->Height;
}

int64_t DType::getWidth() const {
  assert(isImage() && "only images have a width");
  return Impl->Width;
}

ScalarCategory DType::getCategory() const {
  return getScalarInfo(Impl->Scalar).Category;
}

bool DType::isVoid() const {
  return !isPointer() && getCategory() == ScalarCategory::Void;
}

unsigned DType::getScalarBits() const {
  return getScalarInfo(Impl->Scalar).Bits;
}

void DType::print(llvm::raw_ostream &OS) const {
  if (!Impl) {
    OS << "<<null type>>";
    return;
  }
  switch (getKind()) {
  case Kind::Scalar:
    OS << getScalarInfo(Impl->Scalar).Mnemonic;
    return;
  case Kind::Vector:
    OS << "vec<" << getScalarInfo(Impl->Scalar).Mnemonic << ", " << getCount()
       << ">";
    return;
  case Kind::Pointer:
    OS << "ptr<" << getElement() << ", " << getMnemonic(getAddrSpace());
    if (getSize() >= 0)
      OS << ", " << getSize();
    OS << ">";
    return;
  case Kind::Image:
    OS << "image<" << getScalarInfo(Impl->Scalar).Mnemonic << ", "
       << getHeight() << ", " << getWidth() << ">";
    return;
  }
}

std::string DType::str() const {
  std::string S;
  llvm::raw_string_ostream OS(S);
  print(OS);
  return S;
}
