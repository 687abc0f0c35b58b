//===- HookSupport.cpp - what the symbolic hooks share --------------------===//

#include "HookSupport.h"

#include "tg/Rewrite/Declarative.h"

#include <numeric>

using namespace tg;

RangeAnalysis &tg::getRanges(const Match &M) {
  return M.getState<RewriteAnalyses>().Ranges;
}

int64_t tg::gcdOf(int64_t A, int64_t B) {
  return int64_t(std::gcd(uint64_t(A < 0 ? -uint64_t(A) : uint64_t(A)),
                          uint64_t(B < 0 ? -uint64_t(B) : uint64_t(B))));
}
