//===- Enums.cpp - the generated enumeration tables -----------------------===//

#include "tg/IR/Enums.h"

#include "llvm/ADT/StringSwitch.h"

using namespace tg;

#define GET_ENUM_DEFS
#include "tg/IR/Enums.inc"
