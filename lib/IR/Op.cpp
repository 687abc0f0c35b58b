//===- Op.cpp - the generated op tables -----------------------------------===//

#include "tg/IR/Op.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

using namespace tg;

namespace {
const ArgFieldInfo ArgFields[] = {
#define GET_OP_ARG_FIELDS
#include "tg/IR/Ops.inc"
};

const OpInfo Infos[] = {
#define GET_OP_INFO
#include "tg/IR/Ops.inc"
};
static_assert(sizeof(Infos) / sizeof(Infos[0]) == NumOps);

struct NameAndSummary {
  const char *Name;
  const char *Summary;
};
const NameAndSummary TraitNames[] = {
#define GET_TRAIT_NAMES
#include "tg/IR/Ops.inc"
};
const NameAndSummary ArgTypeNames[] = {
#define GET_ARG_TYPE_NAMES
#include "tg/IR/Ops.inc"
};
} // namespace

llvm::ArrayRef<ArgFieldInfo> OpInfo::getArgFields() const {
  return llvm::ArrayRef(ArgFields).slice(FirstArgField, NumArgFields);
}

const OpInfo &tg::getOpInfo(Op O) { return Infos[unsigned(O)]; }

std::optional<Op> tg::parseOp(llvm::StringRef Mnemonic) {
  static const llvm::StringMap<Op> Table = [] {
    llvm::StringMap<Op> T;
    for (unsigned I = 0; I != NumOps; ++I)
      T[Infos[I].Mnemonic] = Op(I);
    return T;
  }();
  auto It = Table.find(Mnemonic);
  if (It == Table.end())
    It = Table.find(Mnemonic.lower());
  if (It == Table.end())
    return std::nullopt;
  return It->second;
}

llvm::StringRef tg::getTraitName(OpTrait T) {
  return TraitNames[llvm::countr_zero(uint32_t(T))].Name;
}

llvm::StringRef tg::getArgTypeName(ArgType T) {
  return ArgTypeNames[unsigned(T)].Name;
}
