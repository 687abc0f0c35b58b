//===- HookSupport.h - what the symbolic hooks share ------------*- C++ -*-===//
//
// The analyses of the running rewrite (RewriteOptions::State holds a
// RewriteAnalyses) and small integer helpers. Internal to TGSymbolic.
//
//===----------------------------------------------------------------------===//

#ifndef TG_LIB_SYMBOLIC_HOOKSUPPORT_H
#define TG_LIB_SYMBOLIC_HOOKSUPPORT_H

#include "tg/Analysis/RangeAnalysis.h"
#include "tg/Rewrite/RuleSet.h"

#include <cstdint>

namespace tg {

/// DType::isIndex() and isInteger() without their out-of-line calls: the
/// hooks ask them of every UOp they are tried on.
inline bool isIndexType(DType T) {
  return !T.isPointer() && T.getScalarKind() == ScalarKind::Index;
}
inline bool isIntegerType(DType T) {
  if (T.isPointer())
    return false;
  ScalarCategory C = getScalarInfo(T.getScalarKind()).Category;
  return C == ScalarCategory::Index || C == ScalarCategory::Signed ||
         C == ScalarCategory::Unsigned;
}

/// The range analysis of the rewrite `M` belongs to.
RangeAnalysis &getRanges(const Match &M);

/// gcd of |A| and |B|; gcd(0, 0) = 0.
int64_t gcdOf(int64_t A, int64_t B);

/// floor(A / B) and floor(A mod B) for B > 0.
inline int64_t floorDiv(int64_t A, int64_t B) {
  int64_t Q = A / B;
  return (A % B != 0 && A < 0) ? Q - 1 : Q;
}
inline int64_t floorMod(int64_t A, int64_t B) { return A - floorDiv(A, B) * B; }

} // namespace tg

#endif // TG_LIB_SYMBOLIC_HOOKSUPPORT_H
