//===- BodyBuilder.h - rebuild a function's body in order -------*- C++ -*-===//
//
// The codegen passes walk a function's body in order and rebuild each UOp on
// the new versions of its sources, replacing some UOps by several new ones.
// BodyBuilder keeps the map from old UOps to new ones and the new body: each
// UOp appended once, after its sources. UOps made for an old one take over
// its name and location, so the output still reads like the input.
//
//===----------------------------------------------------------------------===//

#ifndef TG_LIB_CODEGEN_BODYBUILDER_H
#define TG_LIB_CODEGEN_BODYBUILDER_H

#include "tg/IR/Module.h"
#include "tg/IR/Walk.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace tg {

/// Every UOp `Root` reaches through its sources, `Root` included.
inline llvm::DenseSet<const UOp *> getReachable(const UOp *Root) {
  std::vector<const UOp *> Nodes = collectUOps(Root);
  return llvm::DenseSet<const UOp *>(Nodes.begin(), Nodes.end());
}

class BodyBuilder {
public:
  BodyBuilder(Function &F, Context &Ctx) : F(F), Ctx(Ctx) {
    for (const UOp *P : F.Params)
      Seen.insert(P);
  }

  /// The new version of `Old` (itself if it has not changed).
  const UOp *lookup(const UOp *Old) const {
    const UOp *New = Map.lookup(Old);
    return New ? New : Old;
  }

  /// Appends `New` to the body unless it is there already; returns it. Its
  /// sources must have been appended (or be parameters).
  const UOp *add(const UOp *New) {
    if (Seen.insert(New).second)
      Body.push_back(New);
    return New;
  }

  /// Appends `New`, a UOp made by the pass, after those of its sources (and
  /// theirs) that are not in the body yet.
  const UOp *addWithSources(const UOp *New) {
    if (Seen.contains(New))
      return New;
    for (const UOp *Src : New->getSrcs())
      addWithSources(Src);
    return add(New);
  }

  /// `Old` rebuilt on the new versions of its sources, appended.
  const UOp *rebuild(const UOp *Old) {
    llvm::SmallVector<const UOp *, 8> Srcs;
    bool Changed = false;
    for (const UOp *Src : Old->getSrcs()) {
      Srcs.push_back(lookup(Src));
      Changed |= Srcs.back() != Src;
    }
    const UOp *New =
        Changed ? Ctx.get(Old->getOp(), Old->getDType(), Srcs, Old->getArg())
                : Old;
    replace(Old, New);
    return add(New);
  }

  /// Makes `New` the new version of `Old`; `New` takes `Old`'s name unless
  /// it has one or `NamedAs` is given to take it instead.
  void replace(const UOp *Old, const UOp *New, const UOp *NamedAs = nullptr) {
    if (Old == New)
      return;
    Map[Old] = New;
    if (!NamedAs)
      NamedAs = New;
    if (F.getName(NamedAs).empty() && !F.getName(Old).empty())
      F.setSource(NamedAs, F.getName(Old), F.getLoc(Old));
  }

  /// Installs the new body, rooted at the new version of the old root,
  /// without the UOps the root no longer reaches.
  void finish() {
    const UOp *Root = lookup(F.getRoot());
    llvm::DenseSet<const UOp *> Reached = getReachable(Root);
    llvm::erase_if(Body, [&](const UOp *U) { return !Reached.contains(U); });
    F.setBody(Root, std::move(Body));
  }

private:
  Function &F;
  Context &Ctx;
  llvm::DenseMap<const UOp *, const UOp *> Map;
  llvm::DenseSet<const UOp *> Seen;
  std::vector<const UOp *> Body;
};

} // namespace tg

#endif // TG_LIB_CODEGEN_BODYBUILDER_H
