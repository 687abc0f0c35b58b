//===- HIPRenderer.cpp - HIP C++ source for the AMD backend ---------------===//
//
// With -nogpuinc there is neither hip_runtime.h nor a C library header: the
// fixed-width integer types are spelled as C++'s own, and the prelude holds
// what the kernel needs of HIP's keywords and, for bf16, the conversions.
//
//===----------------------------------------------------------------------===//

#include "HIPRenderer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <iterator>

using namespace tg;
using namespace tg::amd;

/// HIP's keywords as its headers define them for clang.
static const char KeywordPrelude[] =
    R"(#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __shared__ __attribute__((shared))
#define __launch_bounds__(n) __attribute__((amdgpu_flat_work_group_size(1, n)))
)";

static const char BarrierPrelude[] =
    R"(static __device__ inline void __syncthreads() {
  __builtin_amdgcn_fence(__ATOMIC_RELEASE, "workgroup");
  __builtin_amdgcn_s_barrier();
  __builtin_amdgcn_fence(__ATOMIC_ACQUIRE, "workgroup");
}
)";

/// bf16 as its bits, converted with integer code (no library needed).
static const char BF16Prelude[] =
    R"(typedef unsigned short tg_bf16; /* bf16 bits; computed in float */
static __device__ inline float tg_bf16_to_f32(tg_bf16 x) {
  return __builtin_bit_cast(float, (unsigned int)x << 16);
}
/* Round to nearest even; every nan becomes the default nan. */
static __device__ inline tg_bf16 tg_f32_to_bf16(float f) {
  unsigned int u = __builtin_bit_cast(unsigned int, f);
  if (f != f)
    return 0x7fc0;
  return (tg_bf16)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}
/* Round to odd to float first, so that the second rounding is exact. */
static __device__ inline tg_bf16 tg_f64_to_bf16(double d) {
  float f = (float)d;
  unsigned int u = __builtin_bit_cast(unsigned int, f);
  if (d == d && (double)f != d && !(u & 1u))
    u += ((double)f < d) == !(u >> 31) ? 1u : 0xffffffffu;
  return tg_f32_to_bf16(__builtin_bit_cast(float, u));
}
)";

std::string HIPRenderer::getPrelude(const CStyleFeatures &Uses) const {
  std::string Prelude = KeywordPrelude;
  Prelude += BarrierPrelude;
  if (Uses.UsesBF16)
    Prelude += BF16Prelude;
  return Prelude;
}

std::string HIPRenderer::getHelperQualifier() const {
  return "static __device__ inline";
}

std::string HIPRenderer::getScalarTypeName(ScalarKind K) const {
  if (const char *Name = getBuiltinIntegerTypeName(K))
    return Name;
  switch (K) {
  case ScalarKind::F16:
    return "_Float16";
  case ScalarKind::BF16:
    return "tg_bf16";
  default:
    return CStyleRenderer::getScalarTypeName(K);
  }
}

/// Whether vectors of `Lanes` `K`s are ext_vector_type: 2 or 4 lanes of at
/// most 16 bytes, so that the vector's alignment is its size, as
/// getVectorAlignment expects; bool vectors are structs.
static bool isExtVector(ScalarKind K, unsigned Lanes) {
  unsigned Bits = K == ScalarKind::Index ? 64 : getScalarInfo(K).Bits;
  return K != ScalarKind::Bool && (Lanes == 2 || Lanes == 4) &&
         Bits * Lanes <= 128;
}

/// The name HIP gives the element of its vector types (float4, int2, ...)
/// for the kinds that have one, else null.
static const char *getHIPVectorBase(ScalarKind K) {
  switch (K) {
  case ScalarKind::F32:
    return "float";
  case ScalarKind::F64:
    return "double";
  case ScalarKind::I32:
    return "int";
  case ScalarKind::U32:
    return "uint";
  default:
    return nullptr;
  }
}

std::string HIPRenderer::getVectorTypeName(ScalarKind K, unsigned Lanes) const {
  const char *Base = getHIPVectorBase(K);
  if (Base && isExtVector(K, Lanes))
    return Base + std::to_string(Lanes);
  return CStyleRenderer::getVectorTypeName(K, Lanes);
}

std::string HIPRenderer::getVectorTypeDecl(ScalarKind K, unsigned Lanes) const {
  if (!isExtVector(K, Lanes))
    return CStyleRenderer::getVectorTypeDecl(K, Lanes);
  return "typedef " + getScalarTypeName(K) + " " + getVectorTypeName(K, Lanes) +
         " __attribute__((ext_vector_type(" + std::to_string(Lanes) + ")));";
}

/// C++ has no compound literals: list initialization, which both the
/// ext_vector_types and the structs take.
std::string HIPRenderer::makeVector(llvm::StringRef Type,
                                    llvm::ArrayRef<std::string> Lanes) const {
  return Type.str() + "{" + llvm::join(Lanes, ", ") + "}";
}

std::string HIPRenderer::getKernelPrefix(const Function &,
                                         int64_t Threads) const {
  std::string Prefix = "extern \"C\" __global__ void";
  if (Threads > 0)
    Prefix += " __launch_bounds__(" + std::to_string(Threads) + ")";
  return Prefix;
}

std::string HIPRenderer::getBufferParam(llvm::StringRef Element,
                                        llvm::StringRef Name) const {
  return Element.str() + "* __restrict__ " + Name.str();
}

std::string HIPRenderer::getLocalDecl(llvm::StringRef Element,
                                      llvm::StringRef Name,
                                      int64_t Count) const {
  return "__shared__ " + getAlignAttribute(16) + " " + Element.str() + " " +
         Name.str() + "[" + std::to_string(Count) + "];";
}

std::string HIPRenderer::getBarrier() const { return "__syncthreads();"; }

std::string HIPRenderer::getLaunchIndex(bool IsGroup, unsigned Dim) const {
  return std::string(IsGroup ? "__builtin_amdgcn_workgroup_id_"
                             : "__builtin_amdgcn_workitem_id_") +
         "xyz"[Dim] + "()";
}

std::string HIPRenderer::widenToFloat(ScalarKind K, llvm::StringRef X) const {
  if (K == ScalarKind::BF16)
    return "tg_bf16_to_f32(" + X.str() + ")";
  return CStyleRenderer::widenToFloat(K, X);
}

std::string HIPRenderer::narrowFloat(ScalarKind K, llvm::StringRef X,
                                     bool FromF64) const {
  if (K == ScalarKind::BF16)
    return (FromF64 ? "tg_f64_to_bf16(" : "tg_f32_to_bf16(") + X.str() + ")";
  return CStyleRenderer::narrowFloat(K, X, FromF64);
}

std::string HIPRenderer::callMath(llvm::StringRef Name, bool IsF64,
                                  llvm::ArrayRef<std::string> Args) const {
  return "__builtin_" + CStyleRenderer::callMath(Name, IsF64, Args);
}

llvm::Expected<CStyleRenderer::MathPrecision>
HIPRenderer::getMathPrecision(llvm::StringRef Name, ScalarKind K) const {
  if ((Name == "exp2" || Name == "log2") && K != ScalarKind::F64)
    return MathPrecision::Float;
  std::string What = (K == ScalarKind::F64 ? "f64 " : "") + Name.str();
  if (Name == "pow")
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "AMDGPU has no " + What +
                                       " without a device math library");
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      "AMDGPU has no exact " + What +
          " without a device math library; decompose{ops=" + Name +
          "} computes it with arithmetic");
}

namespace {
/// The builtin of an AMD tensor-core instruction (td/Devices.td), the
/// ext_vector_type operands it takes and the arguments after them.
struct AMDMatrixBuiltin {
  const char *Name, *Builtin, *Input;
  unsigned InputLanes, AccLanes;
  const char *Modifiers; ///< MFMA's cbsz, abid, blgp: no broadcast.
};
} // namespace

static const AMDMatrixBuiltin MatrixBuiltins[] = {
    {"wmma.16x16x16.f16", "__builtin_amdgcn_wmma_f32_16x16x16_f16_w32",
     "_Float16", 16, 8, ""},
    {"mfma.16x16x16.f16", "__builtin_amdgcn_mfma_f32_16x16x16f16", "_Float16",
     4, 4, ", 0, 0, 0"},
    {"mfma.16x16x16.bf16", "__builtin_amdgcn_mfma_f32_16x16x16bf16_1k", "short",
     4, 4, ", 0, 0, 0"},
};

std::string HIPRenderer::getWMMAHelper(llvm::StringRef Name,
                                       llvm::StringRef Function,
                                       llvm::StringRef A, llvm::StringRef B,
                                       llvm::StringRef C) const {
  const AMDMatrixBuiltin *Builtin =
      llvm::find_if(MatrixBuiltins,
                    [&](const AMDMatrixBuiltin &M) { return Name == M.Name; });
  if (Builtin == std::end(MatrixBuiltins))
    return "";
  // The fragments may be structs (tg_f16x16): copied bit for bit into the
  // builtin's vector types and back.
  std::string In = "tg_in" + std::to_string(Builtin->InputLanes),
              Acc = "tg_acc" + std::to_string(Builtin->AccLanes);
  return getHelperQualifier() + " " + C.str() + " " + Function.str() + "(" +
         A.str() + " a, " + B.str() + " b, " + C.str() +
         " c) {\n"
         "  typedef " +
         Builtin->Input + " " + In + " __attribute__((ext_vector_type(" +
         std::to_string(Builtin->InputLanes) +
         ")));\n"
         "  typedef float " +
         Acc + " __attribute__((ext_vector_type(" +
         std::to_string(Builtin->AccLanes) + ")));\n  " + In + " va, vb;\n  " +
         Acc +
         " vc;\n"
         "  __builtin_memcpy(&va, &a, sizeof(va));\n"
         "  __builtin_memcpy(&vb, &b, sizeof(vb));\n"
         "  __builtin_memcpy(&vc, &c, sizeof(vc));\n"
         "  vc = " +
         Builtin->Builtin + "(va, vb, vc" + Builtin->Modifiers +
         ");\n"
         "  __builtin_memcpy(&c, &vc, sizeof(vc));\n"
         "  return c;\n"
         "}\n";
}
