//===- CStyleRenderer.cpp - the renderer shared by C-like GPU dialects ----===//
//
// KernelWriter walks the body once, one statement per UOp; vector ops other
// than loads, stores and lane shuffles are rendered lane by lane from the
// scalar expression, so a vector op means exactly what the scalar op means.
// Helpers (division, IEEE max, threefry, bf16 from integers) and vector
// types are emitted only when the kernel uses them, in a stable order.
//
//===----------------------------------------------------------------------===//

#include "tg/Target/CStyleRenderer.h"

#include "tg/Analysis/Divisibility.h"
#include "tg/Analysis/RangeAnalysis.h"
#include "tg/IR/Arg.h"
#include "tg/IR/Eval.h"
#include "tg/IR/UOp.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <cstdio>
#include <map>

using namespace tg;

/// Buffers, registers and local arrays are aligned at least this much.
static constexpr unsigned BaseAlignment = 16;

/// Bits of a lane in C arithmetic: index is a 64-bit integer.
static unsigned getBits(ScalarKind K) {
  return K == ScalarKind::Index ? 64 : getScalarInfo(K).Bits;
}

static bool isHalfKind(ScalarKind K) {
  return K == ScalarKind::F16 || K == ScalarKind::BF16;
}

static bool isFP8(ScalarKind K) {
  return K == ScalarKind::FP8E4M3 || K == ScalarKind::FP8E5M2;
}

/// The unsigned kind of `Bits` bits (at least 32: C promotes narrower ones
/// to int).
static ScalarKind getUnsignedKind(unsigned Bits) {
  switch (Bits) {
  case 8:
    return ScalarKind::U8;
  case 16:
    return ScalarKind::U16;
  case 32:
    return ScalarKind::U32;
  default:
    return ScalarKind::U64;
  }
}

/// The bits of a float constant of type `K`, as an unsigned integer.
static uint64_t getFloatBits(ConstValue V, ScalarKind K) {
  return uint64_t(
      evalAlu(Op::Bitcast, getUnsignedKind(getBits(K)), K, {V})->getInt());
}

//===----------------------------------------------------------------------===//
// Default hooks
//===----------------------------------------------------------------------===//

std::string CStyleRenderer::getEntryName(const Function &Kernel) const {
  std::string Name = "k_" + Kernel.getName().str();
  for (char &C : Name)
    if (!llvm::isAlnum(C) && C != '_')
      C = '_';
  return Name;
}

std::string CStyleRenderer::getPrelude(const CStyleFeatures &) const {
  return "#include <stdint.h>\n#include <stdbool.h>\n#include <math.h>\n";
}

std::string CStyleRenderer::getHelperQualifier() const {
  return "static inline";
}

std::string CStyleRenderer::getScalarTypeName(ScalarKind K) const {
  switch (K) {
  case ScalarKind::Bool:
    return "bool";
  case ScalarKind::I8:
    return "int8_t";
  case ScalarKind::I16:
    return "int16_t";
  case ScalarKind::I32:
    return "int32_t";
  case ScalarKind::I64:
  case ScalarKind::Index:
    return "int64_t";
  case ScalarKind::U8:
    return "uint8_t";
  case ScalarKind::U16:
    return "uint16_t";
  case ScalarKind::U32:
    return "uint32_t";
  case ScalarKind::U64:
    return "uint64_t";
  case ScalarKind::F16:
    return "half";
  case ScalarKind::BF16:
    return "bfloat16";
  case ScalarKind::F32:
    return "float";
  case ScalarKind::F64:
    return "double";
  default:
    return "void";
  }
}

const char *CStyleRenderer::getBuiltinIntegerTypeName(ScalarKind K) {
  switch (K) {
  case ScalarKind::I8:
    return "signed char";
  case ScalarKind::I16:
    return "short";
  case ScalarKind::I32:
    return "int";
  case ScalarKind::I64:
  case ScalarKind::Index:
    return "long long";
  case ScalarKind::U8:
    return "unsigned char";
  case ScalarKind::U16:
    return "unsigned short";
  case ScalarKind::U32:
    return "unsigned int";
  case ScalarKind::U64:
    return "unsigned long long";
  default:
    return nullptr;
  }
}

const char *CStyleRenderer::getShortIntegerTypeName(ScalarKind K) {
  switch (K) {
  case ScalarKind::I8:
    return "char";
  case ScalarKind::I16:
    return "short";
  case ScalarKind::I32:
    return "int";
  case ScalarKind::I64:
  case ScalarKind::Index:
    return "long";
  case ScalarKind::U8:
    return "uchar";
  case ScalarKind::U16:
    return "ushort";
  case ScalarKind::U32:
    return "uint";
  case ScalarKind::U64:
    return "ulong";
  default:
    return nullptr;
  }
}

std::string CStyleRenderer::getPointerTypeName(llvm::StringRef Element,
                                               AddrSpace) const {
  return Element.str() + "*";
}

std::string CStyleRenderer::getVectorTypeName(ScalarKind K,
                                              unsigned Lanes) const {
  return "tg_" + std::string(getScalarInfo(K).Mnemonic) + "x" +
         std::to_string(Lanes);
}

unsigned CStyleRenderer::getVectorAlignment(ScalarKind K,
                                            unsigned Lanes) const {
  unsigned Lane = std::max(1u, getBits(K) / 8);
  unsigned Size = Lane * Lanes;
  return llvm::isPowerOf2_32(Size) && Size <= 16 ? Size : Lane;
}

std::string CStyleRenderer::getAlignAttribute(unsigned Bytes) const {
  return "__attribute__((aligned(" + std::to_string(Bytes) + ")))";
}

std::string CStyleRenderer::getLaneName(unsigned Lanes, unsigned Lane) const {
  if (Lanes <= 4)
    return std::string(1, "xyzw"[Lane]);
  return "v" + std::to_string(Lane);
}

std::string CStyleRenderer::getLane(llvm::StringRef Vector, unsigned Lanes,
                                    unsigned Lane) const {
  return Vector.str() + "." + getLaneName(Lanes, Lane);
}

std::string CStyleRenderer::getVectorTypeDecl(ScalarKind K,
                                              unsigned Lanes) const {
  llvm::SmallVector<std::string, 8> Fields;
  for (unsigned L = 0; L != Lanes; ++L)
    Fields.push_back(getLaneName(Lanes, L));
  return "typedef struct " + getAlignAttribute(getVectorAlignment(K, Lanes)) +
         " { " + getScalarTypeName(K) + " " + llvm::join(Fields, ", ") +
         "; } " + getVectorTypeName(K, Lanes) + ";";
}

std::string
CStyleRenderer::makeVector(llvm::StringRef Type,
                           llvm::ArrayRef<std::string> Lanes) const {
  return "(" + Type.str() + "){" + llvm::join(Lanes, ", ") + "}";
}

std::string CStyleRenderer::getBufferParam(llvm::StringRef Element,
                                           llvm::StringRef Name) const {
  return getPointerTypeName(Element, AddrSpace::Global) + " " + Name.str();
}

std::string CStyleRenderer::getVarParam(llvm::StringRef Type,
                                        llvm::StringRef Name) const {
  return "const " + Type.str() + " " + Name.str();
}

llvm::SmallVector<std::string, 2> CStyleRenderer::getLaunchParams() const {
  return {};
}

std::string
CStyleRenderer::getSignature(const Function &Kernel, int64_t Threads,
                             llvm::ArrayRef<KernelParam> Params) const {
  llvm::SmallVector<std::string, 8> Texts;
  for (const KernelParam &P : Params)
    Texts.push_back(P.Text);
  Texts.append(getLaunchParams());
  return getKernelPrefix(Kernel, Threads) + " " + getEntryName(Kernel) + "(" +
         llvm::join(Texts, ", ") + ") {\n";
}

std::string CStyleRenderer::getLoopHeader(const UOp *, llvm::StringRef Type,
                                          llvm::StringRef Name,
                                          llvm::StringRef Bound) const {
  return ("for (" + Type + " " + Name + " = 0; " + Name + " < " + Bound +
          "; ++" + Name + ") {")
      .str();
}

std::string CStyleRenderer::getRegisterDecl(llvm::StringRef Element,
                                            llvm::StringRef Name,
                                            int64_t Count) const {
  return getAlignAttribute(BaseAlignment) + " " + Element.str() + " " +
         Name.str() + "[" + std::to_string(Count) + "] = {0};";
}

std::string CStyleRenderer::widenToFloat(ScalarKind, llvm::StringRef X) const {
  return "(float)" + X.str();
}

std::string CStyleRenderer::narrowFloat(ScalarKind K, llvm::StringRef X,
                                        bool) const {
  return "(" + getScalarTypeName(K) + ")(" + X.str() + ")";
}

std::string CStyleRenderer::floatToBits(ScalarKind K, llvm::StringRef X) const {
  return "__builtin_bit_cast(" +
         getScalarTypeName(getUnsignedKind(getBits(K))) + ", " + X.str() + ")";
}

std::string CStyleRenderer::bitsToFloat(ScalarKind K, llvm::StringRef X) const {
  return "__builtin_bit_cast(" + getScalarTypeName(K) + ", (" +
         getScalarTypeName(getUnsignedKind(getBits(K))) + ")(" + X.str() + "))";
}

std::string CStyleRenderer::callMath(llvm::StringRef Name, bool IsF64,
                                     llvm::ArrayRef<std::string> Args) const {
  std::string Function = Name.str();
  if (!IsF64 && Name != "signbit")
    Function += "f";
  return Function + "(" + llvm::join(Args, ", ") + ")";
}

bool CStyleRenderer::hasDoubleMath() const { return true; }

std::string CStyleRenderer::getImageParam(ScalarKind, llvm::StringRef,
                                          bool) const {
  return "";
}

std::string CStyleRenderer::readImage(ScalarKind, llvm::StringRef,
                                      llvm::StringRef, llvm::StringRef) const {
  return "";
}

std::string CStyleRenderer::writeImage(ScalarKind, llvm::StringRef,
                                       llvm::StringRef, llvm::StringRef,
                                       llvm::StringRef) const {
  return "";
}

std::string CStyleRenderer::getIntConstant(int64_t I, ScalarKind K) const {
  if (getScalarInfo(K).Category == ScalarCategory::Unsigned)
    return std::to_string(uint64_t(I)) + "ull";
  if (I == INT64_MIN)
    return "(-9223372036854775807ll - 1)";
  if (I >= INT32_MIN && I <= INT32_MAX)
    return std::to_string(I);
  return std::to_string(I) + "ll";
}

llvm::Expected<CStyleRenderer::MathPrecision>
CStyleRenderer::getMathPrecision(llvm::StringRef, ScalarKind) const {
  return hasDoubleMath() ? MathPrecision::Double : MathPrecision::Float;
}

//===----------------------------------------------------------------------===//
// KernelWriter
//===----------------------------------------------------------------------===//

namespace {

class KernelWriter {
public:
  KernelWriter(const CStyleRenderer &R, const Function &Kernel)
      : R(R), Kernel(Kernel), Factors(Ranges) {}
  llvm::Expected<std::string> write();

private:
  llvm::Error renderUOp(const UOp *U, unsigned Position);
  llvm::Error renderIndex(const UOp *U, const std::string &Name);
  llvm::Error renderLoad(const UOp *U, const std::string &Name);
  llvm::Error renderStore(const UOp *U);
  /// Whether the kernel stores through the buffer parameter `Param`.
  bool isStored(const UOp *Param) const {
    return llvm::any_of(Kernel.getBody(), [&](const UOp *U) {
      return U->getOp() == Op::Store && U->getSrc(0)->getOp() == Op::Index &&
             U->getSrc(0)->getSrc(0) == Param;
    });
  }
  llvm::Expected<std::string> scalarExpr(const UOp *U,
                                         llvm::ArrayRef<std::string> Ops);
  std::string castExpr(ScalarKind From, ScalarKind To, const std::string &X);
  std::string floatExprOf(ScalarKind K, Op O, llvm::ArrayRef<std::string> Ops,
                          bool MathInDouble);
  llvm::Expected<std::string> elementwise(const UOp *U);
  std::string constant(ConstValue V, ScalarKind K);
  std::string typeName(DType T);
  std::string scalarName(ScalarKind K) { return R.getScalarTypeName(K); }
  void noteUse(ScalarKind K) {
    Uses.UsesF16 |= K == ScalarKind::F16;
    Uses.UsesBF16 |= K == ScalarKind::BF16;
    Uses.UsesF64 |= K == ScalarKind::F64;
  }
  /// The scalar type of the lanes of a buffer's elements.
  std::string laneTypeName(DType Element) {
    noteUse(Element.getScalarKind());
    return scalarName(Element.getScalarKind());
  }
  std::string operand(const UOp *U, unsigned Lane, bool IsVector) const;
  std::string vectorOf(DType T, llvm::ArrayRef<std::string> Lanes) {
    return R.makeVector(typeName(T), Lanes);
  }
  /// Whether a vector access of `T` through `Pointer` may use the vector
  /// type.
  bool isAligned(const UOp *Pointer, DType T) const {
    return Alignments.lookup(Pointer) %
               R.getVectorAlignment(T.getScalarKind(), T.getCount()) ==
           0;
  }

  // Float computations: f16 and bf16 compute in float, f64 in double.
  std::string widen(ScalarKind K, const std::string &X) const {
    return isHalfKind(K) ? R.widenToFloat(K, X) : X;
  }
  std::string fromF32(ScalarKind K, const std::string &E) const {
    if (isHalfKind(K))
      return R.narrowFloat(K, E, /*FromF64=*/false);
    return K == ScalarKind::F64 ? "(double)(" + E + ")" : E;
  }
  std::string fromF64(ScalarKind K, const std::string &E) const {
    if (isHalfKind(K))
      return R.narrowFloat(K, E, /*FromF64=*/true);
    return K == ScalarKind::F32 ? "(float)(" + E + ")" : E;
  }
  std::string round(ScalarKind K, const std::string &E) const {
    return K == ScalarKind::F64 ? E : fromF32(K, E);
  }

  void useHelper(const std::string &Key, const std::string &Text) {
    Helpers.try_emplace(Key, Text);
  }
  std::string useDivMod(const char *Name, ScalarKind K);
  std::string useMax(bool IsF64);
  std::string useIntToBF16();
  std::string useThreefry();

  void line(const llvm::Twine &Text) {
    Body.append(2 * Depth, ' ');
    Body += Text.str();
    Body += '\n';
  }
  llvm::Error error(const UOp *U, const llvm::Twine &Why) const {
    std::string What = U ? "'" + getMnemonic(U->getOp()).str() + "'" : "it";
    if (U && !Kernel.getName(U).empty())
      What += " (%" + Kernel.getName(U).str() + ")";
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot render " + What + " in kernel @" +
                                       Kernel.getName() + " as " +
                                       R.getLanguage() + ": " + Why);
  }

  const CStyleRenderer &R;
  const Function &Kernel;
  RangeAnalysis Ranges;
  DivisibilityAnalysis Factors;
  CStyleFeatures Uses;
  llvm::DenseMap<const UOp *, std::string> Names;
  /// Pointers: the condition under which an access happens (empty: always).
  llvm::DenseMap<const UOp *, std::string> Gates;
  /// Pointers: a power of two of bytes their address is a multiple of.
  llvm::DenseMap<const UOp *, uint64_t> Alignments;
  /// Addresses into images: the texel's coordinates.
  llvm::DenseMap<const UOp *, std::pair<std::string, std::string>> Texels;
  /// Vector types and helpers by name, so that they print in a stable order.
  std::map<std::string, std::string> VectorTypes, Helpers;
  std::string Declarations, Body;
  /// Threads per work-group: the product of the lidx sizes; 0 when one is
  /// not a constant.
  int64_t Threads = 1;
  unsigned Depth = 1;
};

} // namespace

std::string KernelWriter::typeName(DType T) {
  if (T.isPointer())
    return R.getPointerTypeName(scalarName(T.getElement().getScalarKind()),
                                T.getAddrSpace());
  ScalarKind K = T.getScalarKind();
  noteUse(K);
  if (!T.isVector())
    return scalarName(K);
  std::string Name = R.getVectorTypeName(K, T.getCount());
  VectorTypes.try_emplace(Name, R.getVectorTypeDecl(K, T.getCount()));
  return Name;
}

std::string KernelWriter::constant(ConstValue V, ScalarKind K) {
  if (!V.isFloat())
    return R.getIntConstant(V.getInt(), K);
  noteUse(K);
  double D = V.getFloat();
  if (D != D || std::isinf(D)) // By its bits: any nan, and the infinities.
    return R.bitsToFloat(K, "0x" + llvm::utohexstr(getFloatBits(V, K), true) +
                                (getBits(K) == 64 ? "ull" : "u"));
  char Buffer[64];
  std::snprintf(Buffer, sizeof Buffer, "%a", D);
  if (K == ScalarKind::F64)
    return Buffer;
  if (K == ScalarKind::F32)
    return std::string(Buffer) + "f";
  // Exact: every f16 and bf16 value is a float.
  return R.narrowFloat(K, std::string(Buffer) + "f", /*FromF64=*/false);
}

std::string KernelWriter::operand(const UOp *U, unsigned Lane,
                                  bool IsVector) const {
  std::string Name = Names.lookup(U);
  DType T = U->getDType();
  if (!IsVector || !T.isVector())
    return Name;
  return R.getLane(Name, T.getCount(), Lane);
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Floor and truncating division and modulo of a signed type, guarding the
/// cases C leaves undefined but docs/Semantics.md defines (INT_MIN / -1).
std::string KernelWriter::useDivMod(const char *Name, ScalarKind K) {
  std::string T = scalarName(K);
  std::string U = scalarName(getUnsignedKind(getBits(K)));
  std::string Function =
      "tg_" + std::string(Name) + "_i" + std::to_string(getBits(K));
  std::string Body;
  llvm::StringRef N = Name;
  if (N == "truncdiv")
    Body =
        "return b == -1 ? (" + T + ")(0 - (" + U + ")a) : (" + T + ")(a / b);";
  else if (N == "truncmod")
    Body = "return b == -1 ? (" + T + ")0 : (" + T + ")(a % b);";
  else if (N == "floordiv")
    Body = "if (b == -1)\n    return (" + T + ")(0 - (" + U +
           ")a);\n  return (" + T +
           ")(a / b - (a % b != 0 && (a < 0) != (b < 0)));";
  else
    Body = "if (b == -1)\n    return 0;\n  " + T + " r = (" + T +
           ")(a % b);\n  return (" + T +
           ")(r != 0 && (r < 0) != (b < 0) ? r + b : r);";
  useHelper(Function, R.getHelperQualifier() + " " + T + " " + Function + "(" +
                          T + " a, " + T + " b) {\n  " + Body + "\n}\n");
  return Function;
}

/// IEEE 754-2019 maximum: nan if either is nan, -0.0 < +0.0. Selects, no
/// branches, so that the copies of an unrolled max vectorize on the CPU: of
/// equal operands (+0.0 and -0.0 the only ones that differ) the AND of their
/// bits is the larger; a nan a passes through, a nan b through `a > b`.
std::string KernelWriter::useMax(bool IsF64) {
  ScalarKind K = IsF64 ? ScalarKind::F64 : ScalarKind::F32;
  std::string T = scalarName(K);
  std::string Function = IsF64 ? "tg_max_f64" : "tg_max_f32";
  std::string Both =
      R.bitsToFloat(K, R.floatToBits(K, "a") + " & " + R.floatToBits(K, "b"));
  // `both` first, unconditionally: computed in one arm of a `?:` it made
  // clang branch, and the unrolled copies stayed scalar.
  useHelper(Function, R.getHelperQualifier() + " " + T + " " + Function + "(" +
                          T + " a, " + T + " b) {\n  " + T + " both = " + Both +
                          ";\n  " + T + " m = a > b ? a : b;\n" +
                          "  m = a == b ? both : m;\n" +
                          "  return a != a ? a : m;\n}\n");
  return Function;
}

/// An integer of up to 64 bits rounded once to bf16: keep 8 significant
/// bits rounded to nearest even, then the float conversion is exact.
std::string KernelWriter::useIntToBF16() {
  std::string U = scalarName(ScalarKind::U64);
  std::string Function = "tg_u64_to_bf16";
  useHelper(
      Function,
      R.getHelperQualifier() + " " + scalarName(ScalarKind::BF16) + " " +
          Function + "(" + U + " m, bool negative) {\n  int shift = 0;\n" +
          "  while ((m >> shift) > 0xffu)\n    ++shift;\n" +
          "  if (shift > 0) {\n    " + U + " q = m >> shift, rest = m & ((" +
          U + ")1 << shift) - 1;\n    " + U + " half = (" + U +
          ")1 << (shift - 1);\n" +
          "    q += rest > half || (rest == half && (q & 1u));\n" +
          "    m = q << shift;\n  }\n  float f = (float)m;\n  return " +
          R.narrowFloat(ScalarKind::BF16, "negative ? -f : f", false) +
          ";\n}\n");
  return Function;
}

/// tinygrad's threefry2x32 (docs/Semantics.md).
std::string KernelWriter::useThreefry() {
  std::string U64 = scalarName(ScalarKind::U64);
  std::string U32 = scalarName(ScalarKind::U32);
  useHelper(
      "tg_threefry",
      R.getHelperQualifier() + " " + U64 + " tg_threefry(" + U64 + " x, " +
          U64 + " key) {\n" +
          "  const int rotations[8] = {13, 15, 26, 6, 17, 29, 16, 24};\n  " +
          U32 + " k[3];\n  k[0] = (" + U32 + ")key;\n  k[1] = (" + U32 +
          ")(key >> 32);\n  k[2] = k[0] ^ k[1] ^ 0x1BD11BDAu;\n  " + U32 +
          " x0 = (" + U32 + ")x + k[0], x1 = (" + U32 + ")(x >> 32) + k[1];\n" +
          "  for (" + U32 + " s = 1; s <= 5; ++s) {\n" +
          "    for (int i = 0; i < 4; ++i) {\n" +
          "      int r = rotations[((s - 1) % 2) * 4 + i];\n" +
          "      x0 += x1;\n" +
          "      x1 = ((x1 << r) | (x1 >> (32 - r))) ^ x0;\n    }\n" +
          "    x0 += k[s % 3];\n    x1 += k[(s + 1) % 3] + s;\n  }\n" +
          "  return (" + U64 + ")x1 << 32 | x0;\n}\n");
  return "tg_threefry";
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

std::string KernelWriter::castExpr(ScalarKind From, ScalarKind To,
                                   const std::string &X) {
  const ScalarInfo &Result = getScalarInfo(To), &Operand = getScalarInfo(From);
  bool FromFloat = Operand.Category == ScalarCategory::Float;
  if (Result.Category == ScalarCategory::Bool)
    return (FromFloat ? widen(From, X) : X) + " != 0";
  if (Result.Category != ScalarCategory::Float) // To an integer.
    return "(" + scalarName(To) + ")(" + (FromFloat ? widen(From, X) : X) + ")";
  if (FromFloat)
    return From == ScalarKind::F64 ? fromF64(To, X)
                                   : fromF32(To, widen(From, X));
  if (To == ScalarKind::BF16) { // Integers of up to 64 bits, rounded once.
    std::string U64 = scalarName(ScalarKind::U64);
    if (Operand.Category != ScalarCategory::Signed && From != ScalarKind::Index)
      return useIntToBF16() + "((" + U64 + ")" + X + ", false)";
    std::string I64 = "(" + scalarName(ScalarKind::I64) + ")" + X;
    return useIntToBF16() + "(" + I64 + " < 0 ? 0 - (" + U64 + ")" + I64 +
           " : (" + U64 + ")" + I64 + ", " + I64 + " < 0)";
  }
  // Integers beyond float's 24 bits round to f16's infinity either way.
  if (To == ScalarKind::F16)
    return R.narrowFloat(To, "(float)" + X, false);
  return "(" + scalarName(To) + ")(" + X + ")";
}

llvm::Expected<std::string>
KernelWriter::scalarExpr(const UOp *U, llvm::ArrayRef<std::string> Ops) {
  Op O = U->getOp();
  ScalarKind RK = U->getDType().getScalarKind();
  ScalarKind OK = O == Op::Where
                      ? U->getSrcs().back()->getDType().getScalarKind()
                      : U->getSrc(0)->getDType().getScalarKind();
  const ScalarInfo &Result = getScalarInfo(RK), &Operand = getScalarInfo(OK);
  std::string T = scalarName(RK);
  auto Cast = [&](const std::string &E) { return "(" + T + ")(" + E + ")"; };
  auto Call = [](const std::string &F, llvm::ArrayRef<std::string> Args) {
    return F + "(" + llvm::join(Args, ", ") + ")";
  };

  if (O == Op::Where)
    return Ops[0] + " ? " + Ops[1] + " : " + Ops[2];
  if (O == Op::Bitcast) {
    if (OK == ScalarKind::Bool || RK == ScalarKind::Bool ||
        getBits(OK) != getBits(RK) || OK == ScalarKind::Index ||
        RK == ScalarKind::Index)
      return error(U, "bitcast needs two types of the same width");
    std::string Bits = Operand.Category == ScalarCategory::Float
                           ? R.floatToBits(OK, Ops[0])
                           : Ops[0];
    if (Result.Category == ScalarCategory::Float)
      return R.bitsToFloat(RK, Bits);
    return Cast(Bits);
  }
  if (O == Op::Cast)
    return castExpr(OK, RK, Ops[0]);

  if (Result.Category == ScalarCategory::Bool && OK == ScalarKind::Bool) {
    switch (O) {
    case Op::Add:
    case Op::Max:
    case Op::Or:
      return Ops[0] + " | " + Ops[1];
    case Op::Mul:
    case Op::And:
      return Ops[0] + " & " + Ops[1];
    case Op::Xor:
    case Op::CmpNE:
      return Ops[0] + " != " + Ops[1];
    case Op::CmpEQ:
      return Ops[0] + " == " + Ops[1];
    case Op::CmpLT:
      return "!" + Ops[0] + " & " + Ops[1];
    case Op::MulAcc:
      return "(" + Ops[0] + " & " + Ops[1] + ") | " + Ops[2];
    default:
      return error(U, "not defined on bool");
    }
  }

  if (Operand.Category == ScalarCategory::Float) {
    bool MathInDouble = false;
    if (O == Op::Exp2 || O == Op::Log2 || O == Op::Sin || O == Op::Pow) {
      llvm::Expected<CStyleRenderer::MathPrecision> Precision =
          R.getMathPrecision(getMnemonic(O), OK);
      if (!Precision)
        return error(U, llvm::toString(Precision.takeError()));
      MathInDouble = *Precision == CStyleRenderer::MathPrecision::Double;
    }
    std::string Expr = floatExprOf(OK, O, Ops, MathInDouble);
    if (Expr.empty())
      return error(U, "not defined on floats");
    return Expr;
  }

  // Fixed-width integers and index (64-bit): wrap through unsigned.
  std::string UW =
      scalarName(getBits(OK) > 32 ? ScalarKind::U64 : ScalarKind::U32);
  auto Wrap = [&](const char *Operator) {
    return Cast("(" + UW + ")" + Ops[0] + " " + Operator + " (" + UW + ")" +
                Ops[1]);
  };
  bool Signed = Operand.Category != ScalarCategory::Unsigned;
  ScalarKind DivKind = OK == ScalarKind::Index ? ScalarKind::I64 : OK;
  auto DivMod = [&](const char *Name, const char *Operator) {
    if (!Signed)
      return Cast(Ops[0] + " " + Operator + " " + Ops[1]);
    return Call(useDivMod(Name, DivKind), Ops);
  };
  switch (O) {
  case Op::Add:
    return Wrap("+");
  case Op::Sub:
    return Wrap("-");
  case Op::Mul:
    return Wrap("*");
  case Op::Neg:
    return Cast("(" + UW + ")0 - (" + UW + ")" + Ops[0]);
  case Op::MulAcc:
    return Cast("(" + UW + ")" + Ops[0] + " * (" + UW + ")" + Ops[1] + " + (" +
                UW + ")" + Ops[2]);
  case Op::Shl:
    return Cast("(" + UW + ")" + Ops[0] + " << " + Ops[1]);
  case Op::Shr:
    if (OK == ScalarKind::Index) // floor(a / 2^b) for any b >= 0.
      return Ops[1] + " >= 64 ? (" + Ops[0] + " < 0 ? -1 : 0) : " + Ops[0] +
             " >> " + Ops[1];
    return Cast(Ops[0] + " >> " + Ops[1]);
  case Op::And:
    return Cast(Ops[0] + " & " + Ops[1]);
  case Op::Or:
    return Cast(Ops[0] + " | " + Ops[1]);
  case Op::Xor:
    return Cast(Ops[0] + " ^ " + Ops[1]);
  case Op::Max:
    return Ops[0] + " > " + Ops[1] + " ? " + Ops[0] + " : " + Ops[1];
  case Op::FloorDiv:
    return DivMod("floordiv", "/");
  case Op::FloorMod:
    return DivMod("floormod", "%");
  case Op::TruncDiv:
    return DivMod("truncdiv", "/");
  case Op::TruncMod:
    return DivMod("truncmod", "%");
  case Op::CmpLT:
    return Ops[0] + " < " + Ops[1];
  case Op::CmpNE:
    return Ops[0] + " != " + Ops[1];
  case Op::CmpEQ:
    return Ops[0] + " == " + Ops[1];
  case Op::Threefry:
    if (OK != ScalarKind::U64)
      return error(U, "threefry is defined on u64 only");
    return Call(useThreefry(), Ops);
  default:
    return error(U, "not defined on integers");
  }
}

/// The float op `O` on operands of kind `K`, exp2, log2, sin and pow in
/// double when `MathInDouble`; empty when `O` is not defined on floats.
std::string KernelWriter::floatExprOf(ScalarKind K, Op O,
                                      llvm::ArrayRef<std::string> Ops,
                                      bool MathInDouble) {
  bool IsF64 = K == ScalarKind::F64;
  llvm::SmallVector<std::string, 3> W;
  for (const std::string &Op : Ops)
    W.push_back(widen(K, Op));
  // exp2, log2, sin, pow: in double where the dialect has it, rounded once.
  auto Libm = [&](const char *Name) {
    if (!MathInDouble)
      return round(K, R.callMath(Name, IsF64, W));
    llvm::SmallVector<std::string, 3> D;
    for (const std::string &A : W)
      D.push_back("(double)" + A);
    return fromF64(K, R.callMath(Name, /*IsF64=*/true, D));
  };
  const char *One = IsF64 ? "1.0" : "1.0f";
  switch (O) {
  case Op::Add:
    return round(K, W[0] + " + " + W[1]);
  case Op::Sub:
    return round(K, W[0] + " - " + W[1]);
  case Op::Mul:
    return round(K, W[0] + " * " + W[1]);
  case Op::FDiv:
    return round(K, W[0] + " / " + W[1]);
  case Op::Recip:
    return round(K, std::string(One) + " / " + W[0]);
  case Op::Neg: // The sign bit, of nans too.
    if (isHalfKind(K))
      return R.bitsToFloat(K, R.floatToBits(K, Ops[0]) + " ^ 0x8000u");
    return "-" + Ops[0];
  case Op::Max:
    return round(K, useMax(IsF64) + "(" + W[0] + ", " + W[1] + ")");
  case Op::MulAcc:
    if (K == ScalarKind::F32 || IsF64 || !R.hasDoubleMath())
      return round(K, R.callMath("fma", IsF64, W));
    // A double fma of narrower values, rounded once more.
    return fromF64(K, R.callMath("fma", true,
                                 {"(double)" + W[0], "(double)" + W[1],
                                  "(double)" + W[2]}));
  case Op::Sqrt:
    return round(K, R.callMath("sqrt", IsF64, W));
  case Op::Trunc:
    return round(K, R.callMath("trunc", IsF64, W));
  case Op::Exp2:
    return Libm("exp2");
  case Op::Log2:
    return Libm("log2");
  case Op::Sin:
    return Libm("sin");
  case Op::Pow:
    return Libm("pow");
  case Op::CmpLT:
    return W[0] + " < " + W[1];
  case Op::CmpNE:
    return W[0] + " != " + W[1];
  case Op::CmpEQ:
    return W[0] + " == " + W[1];
  default:
    return "";
  }
}

llvm::Expected<std::string> KernelWriter::elementwise(const UOp *U) {
  DType T = U->getDType();
  bool IsVector = T.isVector();
  // An op of whole vectors of one type, where the dialect has a vector
  // form of it (the CPU's vector accumulators).
  if (IsVector && U->getNumSrcs() == 2 &&
      llvm::all_of(U->getSrcs(),
                   [&](const UOp *Src) { return Src->getDType() == T; })) {
    std::string Expr =
        R.getVectorExpr(U->getOp(), T.getScalarKind(),
                        Names.lookup(U->getSrc(0)), Names.lookup(U->getSrc(1)));
    if (!Expr.empty())
      return Expr;
  }
  llvm::SmallVector<std::string, 8> Lanes;
  for (unsigned L = 0, E = T.getCount(); L != E; ++L) {
    llvm::SmallVector<std::string, 3> Ops;
    for (const UOp *Src : U->getSrcs())
      Ops.push_back(operand(Src, L, IsVector));
    llvm::Expected<std::string> Lane = scalarExpr(U, Ops);
    if (!Lane)
      return Lane.takeError();
    Lanes.push_back(std::move(*Lane));
  }
  if (!IsVector)
    return Lanes.front();
  return vectorOf(T, Lanes);
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

llvm::Error KernelWriter::renderIndex(const UOp *U, const std::string &Name) {
  const UOp *Base = U->getSrc(0);
  auto Srcs = U->getSrcs().drop_front();
  std::string Gate = Gates.lookup(Base);
  if (!Srcs.empty() && Srcs.back()->getDType().isBool()) {
    std::string Own = Names.lookup(Srcs.back());
    Gate = Gate.empty() ? Own : "(" + Gate + ") && " + Own;
    Srcs = Srcs.drop_back();
  }
  if (Base->getDType().isImage()) {
    if (Srcs.size() != 2)
      return error(U, "an image is indexed by (x, y)");
    Names[U] = Names.lookup(Base);
    Gates[U] = Gate;
    Texels[U] = {Names.lookup(Srcs[0]), Names.lookup(Srcs[1])};
    return llvm::Error::success();
  }
  if (Srcs.size() > 1)
    return error(U, "multi-dimensional indexing of a buffer");
  DType Element = Base->getDType().getElement();
  unsigned ElementBytes =
      std::max(1u, getBits(Element.getScalarKind()) / 8) * Element.getCount();
  uint64_t Alignment = Alignments.lookup(Base);
  std::string Offset = "0";
  if (!Srcs.empty()) {
    Offset = Names.lookup(Srcs[0]);
    if (Element.getCount() > 1)
      Offset = "(" + Offset + ") * " + std::to_string(Element.getCount());
    // The largest power of two known to divide the byte offset (none
    // needed when the offset is always 0).
    if (uint64_t Factor = Factors.getConstFactor(Srcs[0])) {
      unsigned Shift =
          std::min(63u, unsigned(llvm::countr_zero(Factor) +
                                 llvm::countr_zero(uint64_t(ElementBytes))));
      Alignment = std::min(Alignment, uint64_t(1) << Shift);
    }
  }
  Names[U] = Name;
  Gates[U] = Gate;
  Alignments[U] = Alignment;
  line(typeName(Base->getDType()) + " const " + Name + " = " + Names[Base] +
       " + " + Offset + ";");
  return llvm::Error::success();
}

llvm::Error KernelWriter::renderLoad(const UOp *U, const std::string &Name) {
  const UOp *Pointer = U->getSrc(0);
  std::string P = Names.lookup(Pointer), Gate = Gates.lookup(Pointer);
  DType T = U->getDType();
  ScalarKind K = T.getScalarKind();
  std::string Type = typeName(T);
  Names[U] = Name;
  std::string Value;
  if (auto Texel = Texels.find(Pointer); Texel != Texels.end()) {
    Value = R.readImage(K, P, Texel->second.first, Texel->second.second);
  } else if (!T.isVector()) {
    Value = "*" + P;
  } else if (isAligned(Pointer, T)) {
    Value = "*(" +
            R.getPointerTypeName(Type, Pointer->getDType().getAddrSpace()) +
            ")" + P;
  } else {
    llvm::SmallVector<std::string, 8> Lanes;
    for (unsigned L = 0, E = T.getCount(); L != E; ++L)
      Lanes.push_back(P + "[" + std::to_string(L) + "]");
    Value = vectorOf(T, Lanes);
  }
  if (!Gate.empty()) {
    std::string Default;
    if (U->getNumSrcs() > 1) {
      Default = Names.lookup(U->getSrc(1));
    } else {
      std::string Zero =
          constant(getScalarInfo(K).Category == ScalarCategory::Float
                       ? ConstValue::getFloat(0)
                       : ConstValue::getInt(0),
                   K);
      Default = T.isVector() ? vectorOf(T, llvm::SmallVector<std::string, 8>(
                                               T.getCount(), Zero))
                             : Zero;
    }
    Value = Gate + " ? " + Value + " : " + Default;
  }
  line("const " + Type + " " + Name + " = " + Value + ";");
  return llvm::Error::success();
}

llvm::Error KernelWriter::renderStore(const UOp *U) {
  const UOp *Pointer = U->getSrc(0);
  std::string P = Names.lookup(Pointer), Gate = Gates.lookup(Pointer);
  const UOp *Value = U->getSrc(1);
  DType T = Value->getDType();
  std::string Write;
  if (auto Texel = Texels.find(Pointer); Texel != Texels.end()) {
    Write = R.writeImage(T.getScalarKind(), P, Texel->second.first,
                         Texel->second.second, Names.lookup(Value));
  } else if (!T.isVector()) {
    Write = "*" + P + " = " + Names.lookup(Value) + ";";
  } else if (isAligned(Pointer, T)) {
    Write =
        "*(" +
        R.getPointerTypeName(typeName(T), Pointer->getDType().getAddrSpace()) +
        ")" + P + " = " + Names.lookup(Value) + ";";
  } else {
    llvm::SmallVector<std::string, 8> Lanes;
    for (unsigned L = 0, E = T.getCount(); L != E; ++L)
      Lanes.push_back(P + "[" + std::to_string(L) +
                      "] = " + operand(Value, L, true) + ";");
    Write = "{ " + llvm::join(Lanes, " ") + " }";
  }
  line(Gate.empty() ? Write : "if (" + Gate + ") " + Write);
  return llvm::Error::success();
}

llvm::Error KernelWriter::renderUOp(const UOp *U, unsigned Position) {
  DType T = U->getDType();
  std::string Name = "v" + std::to_string(Position);
  auto Define = [&](const std::string &Expr) {
    Names[U] = Name;
    line("const " + typeName(T) + " " + Name + " = " + Expr + ";");
  };
  auto Src = [&](unsigned I) { return Names.lookup(U->getSrc(I)); };
  if (!T.isVoid() && !T.isImage() &&
      isFP8((T.isPointer() ? T.getElement() : T).getScalarKind()))
    return error(U, "fp8 needs the decompose pass");
  if (T.isImage() && U->getOp() != Op::Index)
    return error(U, "image buffers are not supported");

  switch (U->getOp()) {
  case Op::Sink:
  case Op::Group:
    return llvm::Error::success();
  case Op::Barrier:
    if (std::string Barrier = R.getBarrier(); !Barrier.empty())
      line(Barrier);
    return llvm::Error::success();
  case Op::AsyncCopy:
  case Op::AsyncCommit:
  case Op::AsyncWait: {
    std::string Statement;
    if (U->getOp() == Op::AsyncCopy) {
      DType Element = U->getSrc(1)->getDType().getElement();
      unsigned Bytes = U->getArgField(0)->getInt() *
                       std::max(1u, Element.getScalarBits() / 8);
      Statement =
          R.getAsyncCopy(Src(0), Src(1), Bytes, Gates.lookup(U->getSrc(1)));
      // A gated destination: no copy at all.
      if (std::string Gate = Gates.lookup(U->getSrc(0));
          !Gate.empty() && !Statement.empty())
        Statement = "if (" + Gate + ") " + Statement;
    } else if (U->getOp() == Op::AsyncCommit) {
      Statement = R.getAsyncCommit();
    } else {
      Statement = R.getAsyncWait(U->getArgField(0)->getInt());
    }
    if (Statement.empty())
      return error(U, "no " + R.getLanguage() +
                          " form of this op (asynchronous copies into local "
                          "memory)");
    line(Statement);
    return llvm::Error::success();
  }
  case Op::After:
  case Op::Noop:
    Names[U] = Src(0);
    Gates[U] = Gates.lookup(U->getSrc(0));
    Alignments[U] = Alignments.lookup(U->getSrc(0));
    if (auto Texel = Texels.find(U->getSrc(0)); Texel != Texels.end()) {
      std::pair<std::string, std::string> Coordinates = Texel->second;
      Texels[U] = std::move(Coordinates); // May grow the map.
    }
    return llvm::Error::success();
  case Op::Const:
  case Op::VConst: {
    ScalarKind K = T.getScalarKind();
    if (!T.isVector()) {
      Define(constant(ConstValue::fromArg(*U->getArg()), K));
      return llvm::Error::success();
    }
    llvm::SmallVector<std::string, 8> Lanes;
    for (unsigned L = 0, E = T.getCount(); L != E; ++L) {
      const Arg *A =
          U->getOp() == Op::Const ? U->getArg() : U->getArg()->getElements()[L];
      Lanes.push_back(constant(ConstValue::fromArg(*A), K));
    }
    Define(vectorOf(T, Lanes));
    return llvm::Error::success();
  }
  case Op::Define: {
    if (T.getAddrSpace() == AddrSpace::Global)
      return error(U, "a global buffer must be a kernel parameter");
    if (T.getSize() < 0)
      return error(U, "a register or local buffer needs a size");
    Names[U] = Name;
    Alignments[U] = BaseAlignment;
    int64_t Scalars = T.getSize() * T.getElement().getCount();
    std::string Element = laneTypeName(T.getElement());
    Declarations += "  " +
                    (T.getAddrSpace() == AddrSpace::Local
                         ? R.getLocalDecl(Element, Name, Scalars)
                         : R.getRegisterDecl(Element, Name, Scalars)) +
                    "\n";
    return llvm::Error::success();
  }
  case Op::Special: {
    llvm::StringRef Index = U->getArgField(0)->getString();
    bool IsGroup = Index.starts_with("gidx");
    unsigned Dim = 0;
    if ((!IsGroup && !Index.starts_with("lidx")) ||
        Index.drop_front(4).getAsInteger(10, Dim) || Dim > 2)
      return error(U, "unknown launch index '" + Index + "'");
    if (!IsGroup) {
      const UOp *Size = U->getSrc(0);
      Threads = Size->getOp() == Op::Const
                    ? Threads * ConstValue::fromArg(*Size->getArg()).getInt()
                    : 0;
    }
    std::string LaunchIndex = R.getLaunchIndex(IsGroup, Dim);
    if (LaunchIndex.empty())
      return error(U, "no launch indices in " + R.getLanguage());
    Define("(" + typeName(T) + ")" + LaunchIndex);
    return llvm::Error::success();
  }
  case Op::Range:
    Names[U] = Name;
    line(R.getLoopHeader(U, typeName(T), Name, Src(0)));
    ++Depth;
    return llvm::Error::success();
  case Op::If:
    line("if (" + Src(0) + ") {");
    ++Depth;
    return llvm::Error::success();
  case Op::End:
  case Op::EndIf:
    if (Depth == 1)
      return error(U, "closes nothing; run linearize first");
    --Depth;
    line("}");
    return llvm::Error::success();
  case Op::Reduce:
    return error(U, "run remove-reduce and linearize first");
  case Op::Index:
    return renderIndex(U, Name);
  case Op::Load:
    return renderLoad(U, Name);
  case Op::Store:
    return renderStore(U);
  case Op::Vectorize:
  case Op::Cat: {
    llvm::SmallVector<std::string, 8> Lanes;
    for (const UOp *Src : U->getSrcs())
      for (unsigned L = 0, E = Src->getDType().getCount(); L != E; ++L)
        Lanes.push_back(operand(Src, L, true));
    Define(vectorOf(T, Lanes));
    return llvm::Error::success();
  }
  case Op::GEP: {
    llvm::SmallVector<std::string, 8> Lanes;
    for (const Arg *Lane : U->getArg()->getElements())
      Lanes.push_back(operand(U->getSrc(0), Lane->getInt(), true));
    Define(T.isVector() ? vectorOf(T, Lanes) : Lanes.front());
    return llvm::Error::success();
  }
  case Op::LoadMatrix: {
    unsigned Matrices = U->getArgField(0)->getInt();
    bool Transpose = U->getArgField(1)->getInt() != 0;
    std::string Function = "tg_load_matrix_x" + std::to_string(Matrices) +
                           (Transpose ? "_trans_" : "_") + typeName(T);
    std::string Helper =
        R.getLoadMatrixHelper(Function, R.getScalarTypeName(T.getScalarKind()),
                              typeName(T), Matrices, Transpose);
    if (Helper.empty())
      return error(U, "no " + R.getLanguage() + " form of this op");
    useHelper(Function, Helper);
    Define(Function + "(" + Src(0) + ")");
    return llvm::Error::success();
  }
  case Op::WMMA: {
    llvm::StringRef Instruction = U->getArgField(0)->getString();
    std::string Function = "tg_wmma_";
    for (char Ch : Instruction)
      Function += llvm::isAlnum(Ch) ? Ch : '_';
    std::string Helper = R.getWMMAHelper(
        Instruction, Function, typeName(U->getSrc(0)->getDType()),
        typeName(U->getSrc(1)->getDType()), typeName(T));
    if (Helper.empty())
      return error(U, "no " + R.getLanguage() +
                          " form of the tensor-core instruction '" +
                          Instruction + "'");
    useHelper(Function, Helper);
    Define(Function + "(" + Src(0) + ", " + Src(1) + ", " + Src(2) + ")");
    return llvm::Error::success();
  }
  case Op::Custom:
  case Op::CustomI: {
    std::string Code = U->getArgField(0)->getString().str();
    for (unsigned I = U->getNumSrcs(); I-- > 0;)
      Code =
          llvm::join(llvm::split(Code, "{" + std::to_string(I) + "}"), Src(I));
    if (U->getOp() == Op::Custom || T.isVoid())
      line(Code + ";");
    else
      Define(Code);
    return llvm::Error::success();
  }
  default:
    break;
  }
  if (!U->hasTrait(OpTrait::Elementwise))
    return error(U, "no " + R.getLanguage() + " form of this op");
  llvm::Expected<std::string> Expr = elementwise(U);
  if (!Expr)
    return Expr.takeError();
  Define(*Expr);
  return llvm::Error::success();
}

llvm::Expected<std::string> KernelWriter::write() {
  if (!Kernel.isKernel())
    return error(nullptr, "only kernels are rendered");
  llvm::SmallVector<CStyleRenderer::KernelParam, 8> Params;
  unsigned NumVars = 0;
  for (const UOp *P : Kernel.Params) {
    DType T = P->getDType();
    if (P->getOp() == Op::Define) {
      if (T.isImage()) {
        std::string Name = "b" + std::to_string(P->getArgField(0)->getInt());
        std::string Param =
            R.getImageParam(T.getScalarKind(), Name, isStored(P));
        if (Param.empty())
          return error(P, "image buffers are not supported");
        Uses.UsesImages = true;
        noteUse(T.getScalarKind());
        Params.push_back({P, Name, "", Param});
        Names[P] = Name;
        continue;
      }
      ScalarKind K = T.getElement().getScalarKind();
      if (isFP8(K))
        return error(P, "fp8 needs the decompose pass");
      std::string Name = "b" + std::to_string(P->getArgField(0)->getInt());
      std::string Element = laneTypeName(T.getElement());
      Params.push_back({P, Name,
                        R.getPointerTypeName(Element, AddrSpace::Global),
                        R.getBufferParam(Element, Name)});
      Names[P] = Name;
      Alignments[P] = BaseAlignment;
      continue;
    }
    std::string Name = "var" + std::to_string(NumVars++);
    Params.push_back({P, Name, typeName(T), R.getVarParam(typeName(T), Name)});
    Names[P] = Name;
  }

  unsigned Position = 0;
  for (const UOp *U : Kernel.getBody())
    if (llvm::Error E = renderUOp(U, Position++))
      return std::move(E);
  if (Depth != 1)
    return error(nullptr, "a range or if is never closed");

  std::string Source = R.getPrelude(Uses);
  for (const auto &[Name, Decl] : VectorTypes)
    if (!Decl.empty())
      Source += Decl + "\n";
  for (const auto &[Name, Text] : Helpers)
    Source += "\n" + Text;
  Source += "\n" + R.getSignature(Kernel, Threads, Params);
  Source += Declarations + Body + "}\n";
  return Source;
}

std::string CStyleRenderer::getAsyncCopy(llvm::StringRef, llvm::StringRef,
                                         unsigned, llvm::StringRef) const {
  return "";
}

std::string CStyleRenderer::getAsyncCommit() const { return ""; }

std::string CStyleRenderer::getLoadMatrixHelper(llvm::StringRef,
                                                llvm::StringRef,
                                                llvm::StringRef, unsigned,
                                                bool) const {
  return "";
}

std::string CStyleRenderer::getAsyncWait(int64_t) const { return ""; }

std::string CStyleRenderer::getVectorExpr(Op, ScalarKind, llvm::StringRef,
                                          llvm::StringRef) const {
  return "";
}

std::string CStyleRenderer::getWMMAHelper(llvm::StringRef, llvm::StringRef,
                                          llvm::StringRef, llvm::StringRef,
                                          llvm::StringRef) const {
  return "";
}

llvm::Expected<std::string> CStyleRenderer::render(const Function &Kernel,
                                                   const ArchInfo &) {
  return renderKernel(Kernel);
}

llvm::Expected<std::string>
CStyleRenderer::renderKernel(const Function &Kernel) const {
  return KernelWriter(*this, Kernel).write();
}
