//===- Images.cpp - the `images` pass: float4 buffers as 2-D images -------===//
//
// Qualcomm's Adreno GPUs read memory fastest through the texture units. After
// `coalesce`, a global buffer of f32 or f16 whose every access is a 4-lane
// vector at an element index divisible by 4 is a row-major array of RGBA
// texels; `images` makes such a kernel parameter an image:
//
//   %b: ptr<f32, global, 4*H*W>          %b: image<f32, H, W>
//   index(%b, e [, g]) : ptr<f32, ...>   index(%b, x, y [, g']) : image<...>
//                                          t = e // 4  (the texel)
//                                          x = t % W, y = t // W  (H > 1)
//                                          x = t,     y = 0       (H = 1)
//
// loads and stores of `vec<S, 4>` through it read and write one texel each.
// The callers' buffers stay linear: a buffer of 4*H*W elements passes to
// the image parameter and the runtime copies it into the image row by row.
//
// The shape: H = 1 and W = T (the buffer's T texels) when T fits in one row
// of at most the arch's ImageMaxWidth texels; otherwise the widest W that
// divides T, is at most ImageMaxWidth and gives rows whose bytes are a
// multiple of ImagePitchAlignment (so the image may alias the linear buffer,
// as Adreno's images from buffers require), with H = T / W at most
// ImageMaxHeight. A buffer with no such shape, not accessed as texels, or
// both read and written by the kernel (OpenCL 1.2 images are read-only or
// write-only in a kernel) stays a buffer (`require-all=true` makes it an
// error that says why).
//
// Gates a sampler makes redundant. Out of the image (x or y out of range) a
// read returns zero: the renderers use CLK_ADDRESS_CLAMP, whose border
// colour for RGBA is (0, 0, 0, 0), and the interpreter does the same. A
// gated load without an alternative value also gives zero where its gate is
// false. So a clause c of such a load's gate (the gate is the `and` of its
// clauses) is dropped when, wherever c is false, the texel t is outside
// [0, T): then y < 0 or y >= H (or, for H = 1, x < 0 or x >= W), and the
// read without c gives the zero the gate gave. This is decided by range
// analysis of t under the assumption that c is false (assumeCondition):
// the range of t must lie below 0 or at or above T; a clause that cannot be
// false is always true and is dropped too. Where the kept clauses are true
// and a dropped one is false, the read is out of the image and gives zero;
// where every clause is true nothing changed. Stores keep their gates: a
// write outside an image is undefined in OpenCL.
//
//===----------------------------------------------------------------------===//

#include "tg/Codegen/Passes.h"

#include "BodyBuilder.h"
#include "tg/Analysis/Divisibility.h"
#include "tg/Analysis/RangeAnalysis.h"
#include "tg/Analysis/ValidAnalysis.h"
#include "tg/Target/Device.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

using namespace tg;

namespace {

struct ImagesPass : FunctionPass {
  Option<std::string> Arch{*this, "arch",
                           "The arch whose image limits apply (td/Devices.td)",
                           "a630"};
  Option<bool> RequireAll{*this, "require-all",
                          "Every global f32 or f16 buffer parameter must "
                          "become an image; one that cannot is an error",
                          false};
  Statistic NumImages{*this, "num-images", "Buffer parameters made images"};
  Statistic NumDroppedClauses{*this, "num-dropped-clauses",
                              "Clauses of load gates that reads outside the "
                              "image make redundant"};

  llvm::StringRef getArgument() const override { return "images"; }
  llvm::StringRef getDescription() const override {
    return "Turn global buffers accessed as 4-lane vectors into 2-D RGBA "
           "images indexed by (x, y)";
  }
  TranslationValidation getTranslationValidation() const override {
    return TranslationValidation::exempt(
        "changes buffers into images, which Z3's encoding does not model; "
        "the interpreter checks it");
  }
  LogicalResult runOnFunction(Function &F, PassContext &C) override;
};

/// An image's size in texels.
struct ImageShape {
  int64_t Height, Width;
};

/// Why `Param` cannot be an image (empty if it can), given the accesses of
/// `F`.
std::string checkAccesses(const Function &F, const UOp *Param,
                          DivisibilityAnalysis &Factors) {
  llvm::SmallVector<const UOp *, 8> Uses; // The `index` UOps into Param.
  DType T = Param->getDType();
  DType Texel = T.getElement();
  bool Loaded = false, Stored = false;
  for (const UOp *U : F.getBody()) {
    for (unsigned I = 0, E = U->getNumSrcs(); I != E; ++I) {
      if (U->getSrc(I) != Param)
        continue;
      if (U->getOp() != Op::Index || I != 0)
        return "it is used by '" + getMnemonic(U->getOp()).str() +
               "', not only indexed";
      llvm::ArrayRef<const UOp *> Srcs = U->getSrcs();
      bool Gated = Srcs.back()->getDType().isBool();
      if (Srcs.size() != 2u + Gated)
        return "it is indexed with more than one index";
      Uses.push_back(U);
    }
    if ((U->getOp() != Op::Load && U->getOp() != Op::Store) ||
        !llvm::is_contained(Uses, U->getSrc(0)))
      continue;
    DType Accessed =
        U->getOp() == Op::Load ? U->getDType() : U->getSrc(1)->getDType();
    if (!Accessed.isVector() || Accessed.getCount() != 4 ||
        Accessed.getScalarType() != Texel)
      return "it is accessed as " + Accessed.str() + ", not " + "vec<" +
             Texel.str() + ", 4> (run coalesce with upcasts of 4)";
    (U->getOp() == Op::Load ? Loaded : Stored) = true;
  }
  if (Loaded && Stored)
    return "the kernel both reads and writes it (an OpenCL 1.2 image is "
           "read-only or write-only in a kernel)";
  for (const UOp *Index : Uses)
    if (!Factors.divides(Index->getSrc(1), 4))
      return "an index is not known to be a multiple of 4";
  // Each index must feed only loads and stores (as their address).
  for (const UOp *U : F.getBody())
    for (unsigned I = 0, E = U->getNumSrcs(); I != E; ++I)
      if (llvm::is_contained(Uses, U->getSrc(I)) &&
          !((U->getOp() == Op::Load || U->getOp() == Op::Store) && I == 0))
        return "an address into it is used by '" +
               getMnemonic(U->getOp()).str() + "'";
  return "";
}

/// The image shape for `Texels` texels of `TexelBytes` bytes on `A`, or an
/// explanation of why there is none.
std::optional<ImageShape> chooseShape(int64_t Texels, unsigned TexelBytes,
                                      const ArchInfo &A, std::string &Why) {
  if (Texels <= A.ImageMaxWidth)
    return ImageShape{1, Texels};
  int64_t Step = std::max<int64_t>(1, A.ImagePitchAlignment / TexelBytes);
  for (int64_t W = A.ImageMaxWidth / Step * Step; W >= Step; W -= Step)
    if (Texels % W == 0 && Texels / W <= A.ImageMaxHeight)
      return ImageShape{Texels / W, W};
  Why = std::to_string(Texels) + " texels fit no image of at most " +
        std::to_string(A.ImageMaxWidth) + " x " +
        std::to_string(A.ImageMaxHeight) + " texels with rows of a multiple " +
        "of " + std::to_string(Step) + " texels";
  return std::nullopt;
}

/// The clauses of an `and` tree of bools, left to right.
void getClauses(const UOp *Gate, llvm::SmallVectorImpl<const UOp *> &Out) {
  if (Gate->getOp() == Op::And && Gate->getDType().isBool()) {
    getClauses(Gate->getSrc(0), Out);
    getClauses(Gate->getSrc(1), Out);
    return;
  }
  Out.push_back(Gate);
}

/// Whether texel `Texel` lies outside [0, Texels) wherever `Clause` is false.
bool outsideWhereFalse(const UOp *Clause, const UOp *Texel, int64_t Texels) {
  std::optional<Assumptions> False = assumeCondition(Clause, false);
  if (!False)
    return true; // The clause is never false.
  Range R = RangeAnalysis(std::move(*False)).getRange(Texel);
  return R.isEmpty() || R.Max < 0 || R.Min >= Texels;
}

} // namespace

LogicalResult ImagesPass::runOnFunction(Function &F, PassContext &C) {
  if (!F.isKernel() || !F.getRoot())
    return success();
  const ArchInfo *A = lookupArch(Arch.getValue());
  if (!A)
    return C.getDiag().error(F.getLoc(),
                             "images: unknown arch '" + Arch.getValue() + "'");
  if (!A->Images)
    return C.getDiag().error(F.getLoc(), "images: arch '" + Arch.getValue() +
                                             "' has no images");
  Context &Ctx = C.getContext();
  RangeAnalysis Ranges;
  DivisibilityAnalysis Factors(Ranges);

  // Each parameter that becomes an image, and its image.
  llvm::DenseMap<const UOp *, const UOp *> NewParam;
  for (const UOp *&P : F.Params) {
    if (P->getOp() != Op::Define)
      continue;
    DType T = P->getDType();
    if (T.isImage() || T.getAddrSpace() != AddrSpace::Global)
      continue;
    ScalarKind K = T.getElement().isScalar() ? T.getElement().getScalarKind()
                                             : ScalarKind::Void;
    std::string Why;
    std::optional<ImageShape> Shape;
    if (K != ScalarKind::F32 && K != ScalarKind::F16)
      Why = "its element type " + T.getElement().str() + " is not f32 or f16";
    else if (T.getSize() < 0 || T.getSize() % 4)
      Why = "its size is not a known multiple of 4 elements";
    else
      Why = checkAccesses(F, P, Factors);
    if (Why.empty())
      Shape =
          chooseShape(T.getSize() / 4, K == ScalarKind::F32 ? 16 : 8, *A, Why);
    if (!Shape) {
      if (RequireAll)
        return C.getDiag().error(F.getLocOrDefault(P),
                                 "images: parameter %" + F.getName(P) +
                                     " of @" + F.getName() +
                                     " cannot be an image: " + Why);
      continue;
    }
    const UOp *Image =
        Ctx.get(Op::Define, Ctx.getImage(K, Shape->Height, Shape->Width), {},
                P->getArg());
    if (!F.getName(P).empty())
      F.setSource(Image, F.getName(P), F.getLoc(P));
    NewParam[P] = Image;
    P = Image;
    ++NumImages;
  }
  if (NewParam.empty())
    return success();

  // Loads that read zero where their gate is false, by address.
  llvm::DenseMap<const UOp *, bool> ReadsZero;
  for (const UOp *U : F.getBody())
    if (U->getOp() == Op::Load || U->getOp() == Op::Store) {
      bool Zero = U->getOp() == Op::Load && U->getNumSrcs() == 1;
      auto [It, New] = ReadsZero.try_emplace(U->getSrc(0), Zero);
      if (!New)
        It->second &= Zero;
    }

  BodyBuilder Body(F, Ctx);
  for (const auto &[Old, New] : NewParam)
    Body.replace(Old, New);
  DType Index = Ctx.getScalar(ScalarKind::Index);
  for (const UOp *Old : F.getBody()) {
    const UOp *Image =
        Old->getOp() == Op::Index ? NewParam.lookup(Old->getSrc(0)) : nullptr;
    if (!Image) {
      Body.rebuild(Old);
      continue;
    }
    DType T = Image->getDType();
    llvm::ArrayRef<const UOp *> Srcs = Old->getSrcs();
    const UOp *Gate = Srcs.back()->getDType().isBool() ? Srcs.back() : nullptr;
    const UOp *Offset = Body.lookup(Srcs[1]);
    DType OffsetType = Offset->getDType();
    auto Const = [&](int64_t V) { return Ctx.getConst(OffsetType, V); };
    const UOp *Texel = Ctx.get(Op::FloorDiv, OffsetType, {Offset, Const(4)});
    const UOp *X = Texel, *Y = Ctx.getConst(Index, 0);
    if (T.getHeight() > 1) {
      X = Ctx.get(Op::FloorMod, OffsetType, {Texel, Const(T.getWidth())});
      Y = Ctx.get(Op::FloorDiv, OffsetType, {Texel, Const(T.getWidth())});
    }
    llvm::SmallVector<const UOp *, 4> NewSrcs = {Image, X, Y};
    if (Gate) {
      // The analysis runs on the input's UOps, where the clauses live.
      const UOp *OldTexel =
          Ctx.get(Op::FloorDiv, Srcs[1]->getDType(),
                  {Srcs[1], Ctx.getConst(Srcs[1]->getDType(), 4)});
      llvm::SmallVector<const UOp *, 4> Clauses, Kept;
      getClauses(Gate, Clauses);
      int64_t Texels = T.getHeight() * T.getWidth();
      for (const UOp *Clause : Clauses) {
        if (ReadsZero.lookup(Old) &&
            outsideWhereFalse(Clause, OldTexel, Texels)) {
          ++NumDroppedClauses;
          continue;
        }
        Kept.push_back(Body.lookup(Clause));
      }
      if (Kept.size() == Clauses.size()) {
        NewSrcs.push_back(Body.lookup(Gate));
      } else if (!Kept.empty()) {
        const UOp *NewGate = Kept[0];
        for (const UOp *K : llvm::ArrayRef(Kept).drop_front())
          NewGate = Body.addWithSources(
              Ctx.get(Op::And, NewGate->getDType(), {NewGate, K}));
        NewSrcs.push_back(NewGate);
      }
    }
    for (const UOp *S : llvm::ArrayRef(NewSrcs).drop_front())
      Body.addWithSources(S);
    Body.replace(Old, Body.add(Ctx.get(Op::Index, T, NewSrcs)));
  }
  Body.finish();
  return success();
}

std::unique_ptr<Pass> tg::createImagesPass() {
  return std::make_unique<ImagesPass>();
}
