//===- CRenderer.cpp - C source for the CPU backend -----------------------===//
//
// Only the CPU's words: the rest of the C is CStyleRenderer's.
//
//===----------------------------------------------------------------------===//

#include "CRenderer.h"

#include "CPUKernel.h"

#include "tg/IR/UOp.h"

#include "llvm/ADT/StringExtras.h"

using namespace tg;
using namespace tg::cpu;

/// bf16 as its bits: conversions by integer code, so that no runtime library
/// is needed.
static const char BF16Helpers[] = R"(
typedef uint16_t tg_bf16; /* bf16 bits; computed in float */

static inline float tg_bf16_to_f32(tg_bf16 x) {
  return __builtin_bit_cast(float, (uint32_t)x << 16);
}
/* Round to nearest even; every nan becomes the default nan. */
static inline tg_bf16 tg_f32_to_bf16(float f) {
  uint32_t u = __builtin_bit_cast(uint32_t, f);
  if (f != f)
    return 0x7fc0;
  return (tg_bf16)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}
/* Round to odd to float first, so that the second rounding is exact. */
static inline tg_bf16 tg_f64_to_bf16(double d) {
  float f = (float)d;
  uint32_t u = __builtin_bit_cast(uint32_t, f);
  if (d == d && (double)f != d && !(u & 1u))
    u += ((double)f < d) == !(u >> 31) ? 1u : 0xffffffffu;
  return tg_f32_to_bf16(__builtin_bit_cast(float, u));
}
)";

llvm::Expected<std::string> CRenderer::render(const Function &Kernel,
                                              const ArchInfo &) {
  return render(Kernel);
}

llvm::Expected<std::string> CRenderer::render(const Function &Kernel) {
  llvm::Expected<const UOp *> Analysis = analyzeKernel(Kernel);
  if (!Analysis)
    return Analysis.takeError();
  Sliced = *Analysis;
  return renderKernel(Kernel);
}

std::string CRenderer::getEntryName(const Function &Kernel) const {
  return cpu::getEntryName(Kernel);
}

/// tg_max_f32's IEEE maximum of two float vectors of one type, lane by lane
/// in vector operations: the larger (b's where either is a nan), a + b
/// where both are zeros (+0.0 unless both are -0.0), a where a is a nan.
static const char VectorMax[] = R"(
#define tg_vmax(A, B)                                                        \
  ({                                                                         \
    __typeof__(A) a_ = (A), b_ = (B);                                        \
    a_ != a_ ? a_ : (a_ == 0 & b_ == 0) ? a_ + b_ : a_ > b_ ? a_ : b_;      \
  })
)";

std::string CRenderer::getPrelude(const CStyleFeatures &Uses) const {
  std::string Prelude = "#include <stdbool.h>\n#include <stdint.h>\n";
  if (Uses.UsesBF16)
    Prelude += BF16Helpers;
  return Prelude + VectorMax;
}

std::string CRenderer::getScalarTypeName(ScalarKind K) const {
  if (K == ScalarKind::F16)
    return "_Float16";
  if (K == ScalarKind::BF16)
    return "tg_bf16";
  return CStyleRenderer::getScalarTypeName(K);
}

std::string CRenderer::getVectorTypeDecl(ScalarKind K, unsigned Lanes) const {
  // Bool lanes are bytes in vectors, as in memory.
  std::string Lane =
      K == ScalarKind::Bool ? "uint8_t" : CRenderer::getScalarTypeName(K);
  return "typedef " + Lane + " " + getVectorTypeName(K, Lanes) +
         " __attribute__((ext_vector_type(" + std::to_string(Lanes) +
         "), aligned(" + std::to_string(getVectorAlignment(K, Lanes)) + ")));";
}

/// One lane's: every vector access goes through the vector type.
unsigned CRenderer::getVectorAlignment(ScalarKind K, unsigned) const {
  return K == ScalarKind::Index ? 8 : std::max(1u, getScalarInfo(K).Bits / 8);
}

std::string CRenderer::getLane(llvm::StringRef Vector, unsigned,
                               unsigned Lane) const {
  return Vector.str() + "[" + std::to_string(Lane) + "]";
}

std::string CRenderer::getKernelPrefix(const Function &, int64_t) const {
  return "void";
}

std::string CRenderer::getSignature(const Function &Kernel, int64_t Threads,
                                    llvm::ArrayRef<KernelParam> Params) const {
  std::string Text = getKernelPrefix(Kernel, Threads) + " " +
                     getEntryName(Kernel) +
                     "(void **buffers, const int64_t *vars, int64_t begin, "
                     "int64_t end) {\n"
                     "  (void)vars, (void)begin, (void)end;\n";
  unsigned NumVars = 0;
  for (const KernelParam &P : Params) {
    if (P.Param->getOp() == Op::Define)
      Text += "  " + P.Type + " const " + P.Name + " = (" + P.Type +
              ")buffers[" + std::to_string(P.Param->getArgField(0)->getInt()) +
              "];\n";
    else
      Text += "  const " + P.Type + " " + P.Name + " = (" + P.Type + ")vars[" +
              std::to_string(NumVars++) + "];\n";
  }
  return Text;
}

std::string CRenderer::getLoopHeader(const UOp *Range, llvm::StringRef Type,
                                     llvm::StringRef Name,
                                     llvm::StringRef Bound) const {
  if (Range != Sliced)
    return CStyleRenderer::getLoopHeader(Range, Type, Name, Bound);
  return ("for (" + Type + " " + Name + " = begin > 0 ? begin : 0; " + Name +
          " < " + Bound + " && " + Name + " < end; ++" + Name + ") {")
      .str();
}

/// A work-group is one thread: local memory is the thread's own.
std::string CRenderer::getLocalDecl(llvm::StringRef Element,
                                    llvm::StringRef Name, int64_t Count) const {
  return getRegisterDecl(Element, Name, Count);
}

std::string CRenderer::getBarrier() const { return ""; }

std::string CRenderer::getLaunchIndex(bool, unsigned) const { return ""; }

std::string CRenderer::widenToFloat(ScalarKind K, llvm::StringRef X) const {
  if (K == ScalarKind::BF16)
    return "tg_bf16_to_f32(" + X.str() + ")";
  return CStyleRenderer::widenToFloat(K, X);
}

std::string CRenderer::narrowFloat(ScalarKind K, llvm::StringRef X,
                                   bool FromF64) const {
  if (K == ScalarKind::BF16)
    return (FromF64 ? "tg_f64_to_bf16(" : "tg_f32_to_bf16(") + X.str() + ")";
  return CStyleRenderer::narrowFloat(K, X, FromF64);
}

/// clang's builtins: libm's functions without its header.
std::string CRenderer::callMath(llvm::StringRef Name, bool IsF64,
                                llvm::ArrayRef<std::string> Args) const {
  return "__builtin_" + CStyleRenderer::callMath(Name, IsF64, Args);
}

/// f32 and f64 add, sub, mul and max of whole vectors (the vector
/// accumulators of `expand{lane-accumulators}`) as ext_vector_type
/// expressions: lane by lane, clang's SLP vectorizer packs them into 2-lane
/// pieces.
std::string CRenderer::getVectorExpr(Op O, ScalarKind K, llvm::StringRef A,
                                     llvm::StringRef B) const {
  if (K != ScalarKind::F32 && K != ScalarKind::F64)
    return "";
  switch (O) {
  case Op::Add:
    return ("(" + A + " + " + B + ")").str();
  case Op::Sub:
    return ("(" + A + " - " + B + ")").str();
  case Op::Mul:
    return ("(" + A + " * " + B + ")").str();
  case Op::Max:
    return ("tg_vmax(" + A + ", " + B + ")").str();
  default:
    return "";
  }
}

llvm::Expected<std::string> cpu::renderC(const Function &Kernel) {
  return CRenderer().render(Kernel);
}
