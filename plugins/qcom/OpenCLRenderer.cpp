//===- OpenCLRenderer.cpp - kernels as OpenCL C 1.2 -----------------------===//

#include "OpenCLRenderer.h"

#include "llvm/ADT/StringExtras.h"

using namespace tg;
using namespace tg::qcom;

/// Vector widths OpenCL C has types for.
static bool isOpenCLVector(ScalarKind K, unsigned Lanes) {
  return K != ScalarKind::Bool &&
         (Lanes == 2 || Lanes == 3 || Lanes == 4 || Lanes == 8 || Lanes == 16);
}

/// f16 with and without cl_khr_fp16 (see the header): the types, the
/// conversions, and for images the texel accessors.
static std::string getHalfPrelude(const CStyleFeatures &Uses) {
  std::string Lanes[] = {"", "2", "3", "4", "8", "16"};
  std::string S = "#ifdef cl_khr_fp16\n"
                  "#pragma OPENCL EXTENSION cl_khr_fp16 : enable\n";
  for (const std::string &L : Lanes)
    S += "typedef half" + L + " tg_half" + L + ";\n";
  S += "#define tg_half_to_float(x) ((float)(x))\n"
       "#define tg_float_to_half(x) convert_half_rte((float)(x))\n"
       "#define tg_half_bits(x) as_ushort(x)\n"
       "#define tg_bits_half(x) as_half((ushort)(x))\n";
  if (Uses.UsesF64)
    S += "#define tg_double_to_half(x) convert_half_rte((double)(x))\n";
  if (Uses.UsesImages)
    S += "#define tg_read_imageh(i, c) read_imageh(i, tg_sampler, c)\n"
         "#define tg_write_imageh(i, c, v) write_imageh(i, c, v)\n";
  S += "#else\n";
  for (const std::string &L : Lanes)
    S += "typedef ushort" + L + " tg_half" + L + ";\n";
  S += "static inline float tg_half_to_float(ushort x) {\n"
       "  return vload_half(0, (const __private half *)&x);\n}\n"
       "static inline ushort tg_float_to_half(float x) {\n"
       "  ushort h;\n  vstore_half_rte(x, 0, (__private half *)&h);\n"
       "  return h;\n}\n"
       "#define tg_half_bits(x) ((ushort)(x))\n"
       "#define tg_bits_half(x) ((ushort)(x))\n";
  if (Uses.UsesF64)
    S += "static inline ushort tg_double_to_half(double x) {\n"
         "  ushort h;\n  vstore_half_rte(x, 0, (__private half *)&h);\n"
         "  return h;\n}\n";
  if (Uses.UsesImages)
    S += "static inline ushort4 tg_read_imageh(read_only image2d_t i, int2 c) "
         "{\n"
         "  float4 f = read_imagef(i, tg_sampler, c);\n"
         "  return (ushort4)(tg_float_to_half(f.x), tg_float_to_half(f.y),\n"
         "                  tg_float_to_half(f.z), tg_float_to_half(f.w));\n}\n"
         "static inline void tg_write_imageh(write_only image2d_t i, int2 c, "
         "ushort4 v) {\n"
         "  write_imagef(i, c, (float4)(tg_half_to_float(v.x), "
         "tg_half_to_float(v.y),\n"
         "                              tg_half_to_float(v.z), "
         "tg_half_to_float(v.w)));\n}\n";
  return S + "#endif\n";
}

/// bf16 as its bits: from float by rounding to nearest even (nans stay
/// quiet nans), from double through round-to-odd to float first so that the
/// result is rounded once.
static std::string getBF16Prelude(const CStyleFeatures &Uses) {
  std::string S =
      "static inline ushort tg_float_to_bf16(float f) {\n"
      "  uint u = as_uint(f);\n"
      "  if ((u & 0x7fffffffu) > 0x7f800000u)\n"
      "    return (ushort)((u >> 16) | 0x40u);\n"
      "  return (ushort)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);\n}\n";
  if (Uses.UsesF64)
    S += "static inline ushort tg_double_to_bf16(double d) {\n"
         "  float f = (float)d;\n  uint u = as_uint(f);\n"
         "  if ((double)f != d && d == d && (u & 1u) == 0)\n"
         "    u = fabs((double)f) > fabs(d) ? u - 1 : u + 1;\n"
         "  return tg_float_to_bf16(as_float(u));\n}\n";
  return S;
}

std::string OpenCLRenderer::getPrelude(const CStyleFeatures &Uses) const {
  std::string S = "#pragma OPENCL FP_CONTRACT OFF\n";
  if (Uses.UsesF64)
    S += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
  if (Uses.UsesImages)
    S += "__constant sampler_t tg_sampler = CLK_NORMALIZED_COORDS_FALSE | "
         "CLK_ADDRESS_CLAMP | CLK_FILTER_NEAREST;\n";
  if (Uses.UsesF16)
    S += getHalfPrelude(Uses);
  if (Uses.UsesBF16)
    S += getBF16Prelude(Uses);
  return S;
}

std::string OpenCLRenderer::getScalarTypeName(ScalarKind K) const {
  if (const char *Name = getShortIntegerTypeName(K))
    return Name;
  switch (K) {
  case ScalarKind::BF16: // Its bits; computed in float.
    return "ushort";
  case ScalarKind::F16:
    return "tg_half";
  default: // bool, float, double
    return CStyleRenderer::getScalarTypeName(K);
  }
}

std::string OpenCLRenderer::getPointerTypeName(llvm::StringRef Element,
                                               AddrSpace Space) const {
  switch (Space) {
  case AddrSpace::Global: // Kernel arguments cannot point to bool.
    return "__global " + (Element == "bool" ? "uchar" : Element.str()) + " *";
  case AddrSpace::Local:
    return "__local " + Element.str() + " *";
  default:
    return Element.str() + " *";
  }
}

std::string OpenCLRenderer::getVectorTypeName(ScalarKind K,
                                              unsigned Lanes) const {
  if (!isOpenCLVector(K, Lanes))
    return CStyleRenderer::getVectorTypeName(K, Lanes);
  return getScalarTypeName(K) + std::to_string(Lanes);
}

std::string OpenCLRenderer::getVectorTypeDecl(ScalarKind K,
                                              unsigned Lanes) const {
  if (isOpenCLVector(K, Lanes))
    return "";
  return CStyleRenderer::getVectorTypeDecl(K, Lanes);
}

std::string OpenCLRenderer::getLaneName(unsigned Lanes, unsigned Lane) const {
  if (Lanes <= 4)
    return std::string(1, "xyzw"[Lane]);
  if (Lanes <= 16)
    return "s" + std::string(1, llvm::hexdigit(Lane, /*LowerCase=*/true));
  return "v" + std::to_string(Lane);
}

std::string
OpenCLRenderer::makeVector(llvm::StringRef Type,
                           llvm::ArrayRef<std::string> Lanes) const {
  // The structs of CStyleRenderer are `tg_<scalar>x<lanes>`.
  if (Type.starts_with("tg_") && Type.contains('x'))
    return "(" + Type.str() + "){" + llvm::join(Lanes, ", ") + "}";
  return "(" + Type.str() + ")(" + llvm::join(Lanes, ", ") + ")";
}

std::string OpenCLRenderer::getKernelPrefix(const Function &, int64_t) const {
  return "__kernel void";
}

std::string OpenCLRenderer::getLocalDecl(llvm::StringRef Element,
                                         llvm::StringRef Name,
                                         int64_t Count) const {
  return "__local " + Element.str() + " " + Name.str() + "[" +
         std::to_string(Count) + "] " + getAlignAttribute(16) + ";";
}

std::string OpenCLRenderer::getBarrier() const {
  return "barrier(CLK_LOCAL_MEM_FENCE);";
}

std::string OpenCLRenderer::getLaunchIndex(bool IsGroup, unsigned Dim) const {
  return (IsGroup ? "get_group_id(" : "get_local_id(") + std::to_string(Dim) +
         ")";
}

std::string OpenCLRenderer::widenToFloat(ScalarKind K,
                                         llvm::StringRef X) const {
  if (K == ScalarKind::BF16)
    return "as_float((uint)(" + X.str() + ") << 16)";
  return "tg_half_to_float(" + X.str() + ")";
}

std::string OpenCLRenderer::narrowFloat(ScalarKind K, llvm::StringRef X,
                                        bool FromF64) const {
  std::string From = FromF64 ? "double" : "float";
  std::string To = K == ScalarKind::BF16 ? "bf16" : "half";
  return "tg_" + From + "_to_" + To + "(" + X.str() + ")";
}

std::string OpenCLRenderer::floatToBits(ScalarKind K, llvm::StringRef X) const {
  switch (K) {
  case ScalarKind::F16:
    return "tg_half_bits(" + X.str() + ")";
  case ScalarKind::BF16:
    return "(ushort)(" + X.str() + ")";
  case ScalarKind::F64:
    return "as_ulong(" + X.str() + ")";
  default:
    return "as_uint(" + X.str() + ")";
  }
}

std::string OpenCLRenderer::bitsToFloat(ScalarKind K, llvm::StringRef X) const {
  switch (K) {
  case ScalarKind::F16:
    return "tg_bits_half(" + X.str() + ")";
  case ScalarKind::BF16:
    return "(ushort)(" + X.str() + ")";
  case ScalarKind::F64:
    return "as_double((ulong)(" + X.str() + "))";
  default:
    return "as_float((uint)(" + X.str() + "))";
  }
}

std::string OpenCLRenderer::callMath(llvm::StringRef Name, bool,
                                     llvm::ArrayRef<std::string> Args) const {
  // OpenCL's math functions are overloaded on float and double.
  return Name.str() + "(" + llvm::join(Args, ", ") + ")";
}

std::string OpenCLRenderer::getIntConstant(int64_t Value, ScalarKind K) const {
  if (getScalarInfo(K).Category == ScalarCategory::Unsigned)
    return std::to_string(uint64_t(Value)) + "UL";
  if (Value == INT64_MIN)
    return "(-9223372036854775807L - 1)";
  if (Value >= INT32_MIN && Value <= INT32_MAX)
    return std::to_string(Value);
  return std::to_string(Value) + "L";
}

std::string OpenCLRenderer::getImageParam(ScalarKind, llvm::StringRef Name,
                                          bool Written) const {
  return (Written ? "write_only image2d_t " : "read_only image2d_t ") +
         Name.str();
}

/// Texel coordinates as OpenCL's int2.
static std::string coordinates(llvm::StringRef X, llvm::StringRef Y) {
  return "(int2)((int)(" + X.str() + "), (int)(" + Y.str() + "))";
}

std::string OpenCLRenderer::readImage(ScalarKind Texel, llvm::StringRef Image,
                                      llvm::StringRef X,
                                      llvm::StringRef Y) const {
  if (Texel == ScalarKind::F16)
    return "tg_read_imageh(" + Image.str() + ", " + coordinates(X, Y) + ")";
  return "read_imagef(" + Image.str() + ", tg_sampler, " + coordinates(X, Y) +
         ")";
}

std::string OpenCLRenderer::writeImage(ScalarKind Texel, llvm::StringRef Image,
                                       llvm::StringRef X, llvm::StringRef Y,
                                       llvm::StringRef Value) const {
  return (Texel == ScalarKind::F16 ? "tg_write_imageh(" : "write_imagef(") +
         Image.str() + ", " + coordinates(X, Y) + ", " + Value.str() + ");";
}
