//===- MetalRenderer.cpp - Metal Shading Language for the Metal backend ---===//

#include "MetalRenderer.h"

#include "tg/IR/Arg.h"

#include "llvm/ADT/StringExtras.h"

#include <limits>

using namespace tg;
using namespace tg::metal;

llvm::Expected<std::string> MetalRenderer::render(const Function &Kernel,
                                                  const ArchInfo &Arch) {
  NativeBF16 = Arch.supports(ScalarKind::BF16);
  NumBuffers = 0;
  for (const UOp *P : Kernel.Params)
    NumBuffers += P->getOp() == Op::Define;
  // Buffers are bound by define id and variables after them.
  for (const UOp *P : Kernel.Params)
    if (P->getOp() == Op::Define &&
        uint64_t(P->getArgField(0)->getInt()) >= NumBuffers)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "cannot render kernel @" + Kernel.getName() + " as metal: %" +
              Kernel.getName(P) + " has define id " +
              llvm::Twine(P->getArgField(0)->getInt()) + ", not below its " +
              llvm::Twine(NumBuffers) + " buffers");
  return CStyleRenderer::render(Kernel, Arch);
}

std::string MetalRenderer::getPrelude(const CStyleFeatures &) const {
  // Metal's compiler is clang's: the pragma keeps it from fusing a * b + c
  // into one rounding, which fast math off alone does not promise.
  return "#include <metal_stdlib>\nusing namespace metal;\n"
         "#pragma clang fp contract(off)\n";
}

std::string MetalRenderer::getHelperQualifier() const { return "inline"; }

std::string MetalRenderer::getScalarTypeName(ScalarKind K) const {
  if (const char *Name = getShortIntegerTypeName(K))
    return Name;
  switch (K) {
  case ScalarKind::BF16:
    return NativeBF16 ? "bfloat" : "ushort";
  default:
    return CStyleRenderer::getScalarTypeName(K);
  }
}

std::string MetalRenderer::getPointerTypeName(llvm::StringRef Element,
                                              AddrSpace Space) const {
  switch (Space) {
  case AddrSpace::Global:
    return "device " + Element.str() + "*";
  case AddrSpace::Local:
    return "threadgroup " + Element.str() + "*";
  default:
    return "thread " + Element.str() + "*";
  }
}

/// Metal has vectors of 2, 3 and 4 lanes of every scalar type but double.
static bool isBuiltinVector(unsigned Lanes) { return Lanes >= 2 && Lanes <= 4; }

std::string MetalRenderer::getVectorTypeName(ScalarKind K,
                                             unsigned Lanes) const {
  if (isBuiltinVector(Lanes))
    return getScalarTypeName(K) + std::to_string(Lanes);
  return CStyleRenderer::getVectorTypeName(K, Lanes);
}

std::string MetalRenderer::getVectorTypeDecl(ScalarKind K,
                                             unsigned Lanes) const {
  if (isBuiltinVector(Lanes))
    return "";
  // A value type only (getVectorAlignment): no alignment needed.
  llvm::SmallVector<std::string, 8> Fields;
  for (unsigned L = 0; L != Lanes; ++L)
    Fields.push_back(getLaneName(Lanes, L));
  return "typedef struct { " + getScalarTypeName(K) + " " +
         llvm::join(Fields, ", ") + "; } " + getVectorTypeName(K, Lanes) + ";";
}

unsigned MetalRenderer::getVectorAlignment(ScalarKind K, unsigned Lanes) const {
  // No address is aligned to this, so these go lane by lane: float3 and its
  // kind are as large as float4, so reading or writing one through a
  // pointer would touch a fourth lane; and wider vectors are structs, whose
  // copies from device to thread memory are not plain loads, and are wider
  // than Metal's widest access (16 bytes) anyway.
  if (Lanes == 3 || !isBuiltinVector(Lanes))
    return std::numeric_limits<unsigned>::max();
  return CStyleRenderer::getVectorAlignment(K, Lanes);
}

std::string MetalRenderer::makeVector(llvm::StringRef Type,
                                      llvm::ArrayRef<std::string> Lanes) const {
  // Metal's vectors have constructors; wider ones are aggregates (MSL is
  // C++, which has no compound literals).
  if (isBuiltinVector(Lanes.size()))
    return Type.str() + "(" + llvm::join(Lanes, ", ") + ")";
  return Type.str() + "{" + llvm::join(Lanes, ", ") + "}";
}

std::string MetalRenderer::getKernelPrefix(const Function &, int64_t) const {
  return "kernel void";
}

std::string MetalRenderer::getBufferParam(llvm::StringRef Element,
                                          llvm::StringRef Name) const {
  // `b<define id>`, bound at [[buffer(<define id>)]] (MetalLaunch.h).
  return getPointerTypeName(Element, AddrSpace::Global) + " " + Name.str() +
         " [[buffer(" + Name.drop_front(1).str() + ")]]";
}

std::string MetalRenderer::getVarParam(llvm::StringRef Type,
                                       llvm::StringRef Name) const {
  // `var<k>`, bound after the buffers (MetalLaunch.h).
  unsigned Position = 0;
  bool Bad = Name.drop_front(3).getAsInteger(10, Position);
  assert(!Bad && "CStyleRenderer names variables var<k>");
  (void)Bad;
  return "constant " + Type.str() + "& " + Name.str() + " [[buffer(" +
         std::to_string(NumBuffers + Position) + ")]]";
}

llvm::SmallVector<std::string, 2> MetalRenderer::getLaunchParams() const {
  return {"uint3 gid [[threadgroup_position_in_grid]]",
          "uint3 lid [[thread_position_in_threadgroup]]"};
}

std::string MetalRenderer::getLocalDecl(llvm::StringRef Element,
                                        llvm::StringRef Name,
                                        int64_t Count) const {
  return "threadgroup " + getAlignAttribute(16) + " " + Element.str() + " " +
         Name.str() + "[" + std::to_string(Count) + "];";
}

std::string MetalRenderer::getBarrier() const {
  return "threadgroup_barrier(mem_flags::mem_threadgroup);";
}

std::string MetalRenderer::getLaunchIndex(bool IsGroup, unsigned Dim) const {
  return std::string(IsGroup ? "gid." : "lid.") + "xyz"[Dim];
}

std::string MetalRenderer::widenToFloat(ScalarKind K, llvm::StringRef X) const {
  if (K == ScalarKind::BF16 && !NativeBF16) // The high half of a float.
    return "as_type<float>((uint)(" + X.str() + ") << 16)";
  return CStyleRenderer::widenToFloat(K, X);
}

std::string MetalRenderer::narrowFloat(ScalarKind K, llvm::StringRef X,
                                       bool FromF64) const {
  if (K != ScalarKind::BF16 || NativeBF16)
    return CStyleRenderer::narrowFloat(K, X, FromF64);
  // The float's high half rounded to nearest even; a nan stays a (quiet)
  // nan rather than rounding to infinity.
  std::string F = "(" + X.str() + ")", Bits = "as_type<uint>" + F;
  return "(" + F + " != " + F + " ? (ushort)0x7fc0u : (ushort)((" + Bits +
         " + 0x7fffu + ((" + Bits + " >> 16) & 1u)) >> 16))";
}

/// The unsigned type as wide as the float kind `K`.
static const char *getBitsTypeName(ScalarKind K) {
  return getScalarInfo(K).Bits == 16 ? "ushort" : "uint";
}

std::string MetalRenderer::floatToBits(ScalarKind K, llvm::StringRef X) const {
  return "as_type<" + std::string(getBitsTypeName(K)) + ">(" + X.str() + ")";
}

std::string MetalRenderer::bitsToFloat(ScalarKind K, llvm::StringRef X) const {
  return "as_type<" + getScalarTypeName(K) + ">((" + getBitsTypeName(K) + ")(" +
         X.str() + "))";
}

std::string MetalRenderer::callMath(llvm::StringRef Name, bool,
                                    llvm::ArrayRef<std::string> Args) const {
  // trunc, fma and signbit are exact; the others have precise and fast
  // variants, and the plain name means whichever the compile options say.
  bool Exact = Name == "trunc" || Name == "fma" || Name == "signbit";
  return (Exact ? "metal::" : "metal::precise::") + Name.str() + "(" +
         llvm::join(Args, ", ") + ")";
}

bool MetalRenderer::hasDoubleMath() const { return false; }

std::string MetalRenderer::getIntConstant(int64_t I, ScalarKind K) const {
  // Metal has no long long: 64-bit constants are long or ulong.
  const ScalarInfo &Info = getScalarInfo(K);
  bool Wide = K == ScalarKind::Index || Info.Bits == 64;
  if (Info.Category == ScalarCategory::Unsigned)
    return std::to_string(uint64_t(I)) + (Wide ? "ul" : "u");
  if (I == std::numeric_limits<int64_t>::min())
    return "(-9223372036854775807l - 1)";
  if (I >= std::numeric_limits<int32_t>::min() &&
      I <= std::numeric_limits<int32_t>::max())
    return std::to_string(I);
  return std::to_string(I) + "l";
}

std::string MetalRenderer::getWMMAHelper(llvm::StringRef Name,
                                         llvm::StringRef Function,
                                         llvm::StringRef A, llvm::StringRef B,
                                         llvm::StringRef C) const {
  const char *Input = Name == "simdgroup.8x8x8.f16"   ? "half"
                      : Name == "simdgroup.8x8x8.f32" ? "float"
                                                      : nullptr;
  if (!Input)
    return "";
  // A thread's two elements of each 8x8 matrix (include/tg/IR/WMMA.h) are
  // its thread_elements().
  std::string Matrix = std::string("simdgroup_") + Input + "8x8";
  return getHelperQualifier() + " " + C.str() + " " + Function.str() + "(" +
         A.str() + " a, " + B.str() + " b, " + C.str() + " c) {\n  " + Matrix +
         " ma = " + Matrix + "(0), mb = " + Matrix +
         "(0);\n"
         "  simdgroup_float8x8 mc = simdgroup_float8x8(0);\n"
         "  ma.thread_elements()[0] = a.x;\n"
         "  ma.thread_elements()[1] = a.y;\n"
         "  mb.thread_elements()[0] = b.x;\n"
         "  mb.thread_elements()[1] = b.y;\n"
         "  mc.thread_elements()[0] = c.x;\n"
         "  mc.thread_elements()[1] = c.y;\n"
         "  simdgroup_multiply_accumulate(mc, ma, mb, mc);\n"
         "  return " +
         C.str() + "(mc.thread_elements()[0], mc.thread_elements()[1]);\n}\n";
}
