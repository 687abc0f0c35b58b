//===- CUDARenderer.cpp - CUDA C++ source for the NV backend --------------===//
//
// NVRTC has no C library headers: the fixed-width integer types are spelled
// as CUDA's built-in types, and cuda_fp16.h / cuda_bf16.h are included only
// by kernels that use f16 or bf16 (NVRTCCompiler passes their directory).
// Tensor cores are inline PTX: mma.sync.aligned.m16n8k16.row.col with f32
// accumulators, the fragments passed as 32-bit registers of two halves each
// (the lower half the lower-numbered element, as the PTX ISA packs them).
//
//===----------------------------------------------------------------------===//

#include "CUDARenderer.h"

#include "llvm/ADT/StringExtras.h"

using namespace tg;
using namespace tg::nv;

std::string CUDARenderer::getPrelude(const CStyleFeatures &Uses) const {
  std::string Prelude;
  if (Uses.UsesF16)
    Prelude += "#include <cuda_fp16.h>\n";
  if (Uses.UsesBF16)
    Prelude += "#include <cuda_bf16.h>\n";
  return Prelude;
}

std::string CUDARenderer::getHelperQualifier() const {
  return "static __device__ __forceinline__";
}

std::string CUDARenderer::getScalarTypeName(ScalarKind K) const {
  if (const char *Name = getBuiltinIntegerTypeName(K))
    return Name;
  switch (K) {
  case ScalarKind::BF16:
    return "__nv_bfloat16";
  default:
    return CStyleRenderer::getScalarTypeName(K);
  }
}

/// CUDA's built-in vector types of 16 bytes at most that tg uses: float2,
/// float4, int2, int4, uint2, uint4 (aligned to their size).
static const char *getBuiltinVectorBase(ScalarKind K, unsigned Lanes) {
  if (Lanes != 2 && Lanes != 4)
    return nullptr;
  switch (K) {
  case ScalarKind::F32:
    return "float";
  case ScalarKind::I32:
    return "int";
  case ScalarKind::U32:
    return "uint";
  default:
    return nullptr;
  }
}

std::string CUDARenderer::getVectorTypeName(ScalarKind K,
                                            unsigned Lanes) const {
  if (const char *Base = getBuiltinVectorBase(K, Lanes))
    return Base + std::to_string(Lanes);
  return CStyleRenderer::getVectorTypeName(K, Lanes);
}

std::string CUDARenderer::getVectorTypeDecl(ScalarKind K,
                                            unsigned Lanes) const {
  if (getBuiltinVectorBase(K, Lanes))
    return "";
  return CStyleRenderer::getVectorTypeDecl(K, Lanes);
}

std::string CUDARenderer::getAlignAttribute(unsigned Bytes) const {
  return "__align__(" + std::to_string(Bytes) + ")";
}

/// C++ has no compound literals: CUDA's vectors are aggregates.
std::string CUDARenderer::makeVector(llvm::StringRef Type,
                                     llvm::ArrayRef<std::string> Lanes) const {
  return Type.str() + "{" + llvm::join(Lanes, ", ") + "}";
}

std::string CUDARenderer::getKernelPrefix(const Function &,
                                          int64_t Threads) const {
  std::string Prefix = "extern \"C\" __global__ void";
  if (Threads > 0)
    Prefix += " __launch_bounds__(" + std::to_string(Threads) + ")";
  return Prefix;
}

std::string CUDARenderer::getBufferParam(llvm::StringRef Element,
                                         llvm::StringRef Name) const {
  return Element.str() + "* __restrict__ " + Name.str();
}

std::string CUDARenderer::getLocalDecl(llvm::StringRef Element,
                                       llvm::StringRef Name,
                                       int64_t Count) const {
  return "__shared__ __align__(16) " + Element.str() + " " + Name.str() + "[" +
         std::to_string(Count) + "];";
}

std::string CUDARenderer::getRegisterDecl(llvm::StringRef Element,
                                          llvm::StringRef Name,
                                          int64_t Count) const {
  // Value-initialized: zeros, also for half and __nv_bfloat16.
  return "__align__(16) " + Element.str() + " " + Name.str() + "[" +
         std::to_string(Count) + "] = {};";
}

std::string CUDARenderer::getBarrier() const { return "__syncthreads();"; }

// cp.async (sm_80 and later): .cg (L2 only) takes 16 bytes, .ca 4, 8 or
// 16; a source size of 0 (the gate false) fills the destination with zeros.
std::string CUDARenderer::getAsyncCopy(llvm::StringRef To, llvm::StringRef From,
                                       unsigned Bytes,
                                       llvm::StringRef Gate) const {
  if (Bytes != 4 && Bytes != 8 && Bytes != 16)
    return "";
  std::string Size = std::to_string(Bytes);
  std::string SourceSize =
      Gate.empty() ? Size : "(" + Gate.str() + ") ? " + Size + " : 0";
  return std::string("asm volatile(\"cp.async.") + (Bytes == 16 ? "cg" : "ca") +
         ".shared.global [%0], [%1], " + Size +
         ", %2;\" :: \"r\"((unsigned)__cvta_generic_to_shared(" + To.str() +
         ")), \"l\"(" + From.str() + "), \"r\"(" + SourceSize +
         ") : \"memory\");";
}

// ldmatrix (sm_75 and later): one 32-bit register per 8 x 8 matrix.
std::string CUDARenderer::getLoadMatrixHelper(llvm::StringRef Function,
                                              llvm::StringRef Element,
                                              llvm::StringRef Vector,
                                              unsigned Matrices,
                                              bool Transpose) const {
  if (Matrices != 1 && Matrices != 2 && Matrices != 4)
    return "";
  std::string Registers, Outputs;
  for (unsigned I = 0; I != Matrices; ++I) {
    Registers += (I ? ", %" : "%") + std::to_string(I);
    Outputs +=
        std::string(I ? ", " : "") + "\"=r\"(r[" + std::to_string(I) + "])";
  }
  return getHelperQualifier() + " " + Vector.str() + " " + Function.str() +
         "(const " + Element.str() + " *p) {\n  " + Vector.str() +
         " v;\n  unsigned *r = (unsigned *)&v;\n"
         "  asm volatile(\"ldmatrix.sync.aligned.m8n8.x" +
         std::to_string(Matrices) + (Transpose ? ".trans" : "") +
         ".shared.b16 {" + Registers + "}, [%" + std::to_string(Matrices) +
         "];\"\n      : " + Outputs +
         "\n      : \"r\"((unsigned)__cvta_generic_to_shared(p)));\n"
         "  return v;\n}\n";
}

std::string CUDARenderer::getAsyncCommit() const {
  return "asm volatile(\"cp.async.commit_group;\" ::: \"memory\");";
}

std::string CUDARenderer::getAsyncWait(int64_t Pending) const {
  return "asm volatile(\"cp.async.wait_group " + std::to_string(Pending) +
         ";\" ::: \"memory\");";
}

std::string CUDARenderer::getLaunchIndex(bool IsGroup, unsigned Dim) const {
  return std::string(IsGroup ? "blockIdx." : "threadIdx.") + "xyz"[Dim];
}

/// exp2 and log2 of f32, f16 and bf16 in float: CUDA's exp2f and log2f are
/// within 2 and 1 ulp of f32 (CUDA C Programming Guide, mathematical
/// functions) and a few instructions around the MUFU unit, where the double
/// functions of Semantics.md cost tens of FP64 instructions per element (a
/// softmax spent most of its time in them). sin and pow, and everything on
/// f64, stay in double.
llvm::Expected<CStyleRenderer::MathPrecision>
CUDARenderer::getMathPrecision(llvm::StringRef Name, ScalarKind K) const {
  if ((Name == "exp2" || Name == "log2") && K != ScalarKind::F64)
    return MathPrecision::Float;
  return MathPrecision::Double;
}

std::string CUDARenderer::widenToFloat(ScalarKind K, llvm::StringRef X) const {
  return (K == ScalarKind::BF16 ? "__bfloat162float(" : "__half2float(") +
         X.str() + ")";
}

std::string CUDARenderer::narrowFloat(ScalarKind K, llvm::StringRef X,
                                      bool FromF64) const {
  const char *Function =
      K == ScalarKind::BF16
          ? (FromF64 ? "__double2bfloat16(" : "__float2bfloat16_rn(")
          : (FromF64 ? "__double2half(" : "__float2half_rn(");
  return Function + X.str() + ")";
}

std::string CUDARenderer::getWMMAHelper(llvm::StringRef Name,
                                        llvm::StringRef Function,
                                        llvm::StringRef A, llvm::StringRef B,
                                        llvm::StringRef C) const {
  const char *Input = Name == "mma.m16n8k16.f16"    ? "f16"
                      : Name == "mma.m16n8k16.bf16" ? "bf16"
                                                    : nullptr;
  if (!Input)
    return "";
  return getHelperQualifier() + " " + C.str() + " " + Function.str() + "(" +
         A.str() + " a, " + B.str() + " b, " + C.str() +
         " c) {\n"
         "  const unsigned *ra = (const unsigned *)&a, *rb = (const unsigned "
         "*)&b;\n"
         "  asm(\"mma.sync.aligned.m16n8k16.row.col.f32." +
         Input + "." + Input +
         ".f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, "
         "%3};\"\n"
         "      : \"+f\"(c.x), \"+f\"(c.y), \"+f\"(c.z), \"+f\"(c.w)\n"
         "      : \"r\"(ra[0]), \"r\"(ra[1]), \"r\"(ra[2]), \"r\"(ra[3]), "
         "\"r\"(rb[0]), \"r\"(rb[1]));\n"
         "  return c;\n"
         "}\n";
}
