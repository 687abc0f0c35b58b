//===- CRenderer.cpp - C source for the CPU backend -----------------------===//
//
// Values are named by body position (`v12`), buffers by id (`b0`) and
// variables by position (`var0`). Vector ops other than loads, stores and
// lane shuffles are rendered lane by lane from the scalar expression, so a
// vector op means exactly what the scalar op means; clang re-vectorizes.
//
//===----------------------------------------------------------------------===//

#include "CRenderer.h"

#include "CPUKernel.h"

#include "tg/IR/Arg.h"
#include "tg/IR/Eval.h"
#include "tg/IR/UOp.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <map>

using namespace tg;
using namespace tg::cpu;

/// Helpers every kernel may call. Integer helpers exist per width because
/// C promotes narrow operands; each guards what C leaves undefined but
/// docs/Semantics.md defines (INT_MIN / -1).
static const char Prelude[] = R"(#include <stdint.h>

typedef uint16_t tg_bf16; /* bf16 bits; computed in float */

static inline float tg_bf16_to_f32(tg_bf16 x) {
  uint32_t u = (uint32_t)x << 16;
  float f;
  __builtin_memcpy(&f, &u, 4);
  return f;
}
/* Round to nearest even; every nan becomes the default nan. */
static inline tg_bf16 tg_f32_to_bf16(float f) {
  uint32_t u;
  __builtin_memcpy(&u, &f, 4);
  if (f != f)
    return 0x7fc0;
  return (tg_bf16)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}
/* Round to odd to float first, so that the second rounding is exact. */
static inline tg_bf16 tg_f64_to_bf16(double d) {
  float f = (float)d;
  uint32_t u;
  __builtin_memcpy(&u, &f, 4);
  if (d == d && (double)f != d && !(u & 1u))
    u += ((double)f < d) == !(u >> 31) ? 1u : 0xffffffffu;
  __builtin_memcpy(&f, &u, 4);
  return tg_f32_to_bf16(f);
}
static inline tg_bf16 tg_u64_to_bf16(uint64_t m, int negative) {
  int shift = 56 - __builtin_clzll(m | 1);
  if (shift > 0) { /* Keep 8 significant bits, rounded to nearest even. */
    uint64_t q = m >> shift, rest = m & ((1ull << shift) - 1);
    uint64_t half = 1ull << (shift - 1);
    q += rest > half || (rest == half && (q & 1u));
    m = q << shift;
  }
  float f = (float)m; /* Exact: at most 9 significant bits. */
  return tg_f32_to_bf16(negative ? -f : f);
}
static inline tg_bf16 tg_i64_to_bf16(int64_t x) {
  return tg_u64_to_bf16(x < 0 ? 0 - (uint64_t)x : (uint64_t)x, x < 0);
}

/* IEEE 754-2019 maximum: nan if either is nan, -0.0 < +0.0. Selects, no
   branches, so that the copies of an unrolled max vectorize: of equal
   operands (+0.0 and -0.0 the only ones that differ) the AND of the bits
   is the larger, and a nan a passes through (b's through a > b). */
static inline float tg_max_f32(float a, float b) {
  uint32_t x, y;
  float both;
  __builtin_memcpy(&x, &a, 4);
  __builtin_memcpy(&y, &b, 4);
  x &= y;
  __builtin_memcpy(&both, &x, 4);
  float m = a > b ? a : b;
  m = a == b ? both : m;
  return a != a ? a : m;
}
static inline double tg_max_f64(double a, double b) {
  uint64_t x, y;
  double both;
  __builtin_memcpy(&x, &a, 8);
  __builtin_memcpy(&y, &b, 8);
  x &= y;
  __builtin_memcpy(&both, &x, 8);
  double m = a > b ? a : b;
  m = a == b ? both : m;
  return a != a ? a : m;
}

/* The same of two float vectors of one type, lane by lane, in vector
   operations: the larger (b when either is a nan), then a + b where both
   are zeros (+0.0 unless both are -0.0), then a where a is a nan. */
#define tg_vmax(A, B)                                                        \
  ({                                                                         \
    __typeof__(A) a_ = (A), b_ = (B);                                        \
    __typeof__(A) r_ = a_ > b_ ? a_ : b_;                                    \
    r_ = (a_ == 0 & b_ == 0) ? a_ + b_ : r_;                                 \
    a_ != a_ ? a_ : r_;                                                      \
  })

#define TG_DIVMOD(N)                                                         \
  static inline int##N##_t tg_truncdiv_i##N(int##N##_t a, int##N##_t b) {   \
    return b == -1 ? (int##N##_t)(0 - (uint##N##_t)a) : (int##N##_t)(a / b); \
  }                                                                          \
  static inline int##N##_t tg_truncmod_i##N(int##N##_t a, int##N##_t b) {   \
    return b == -1 ? 0 : (int##N##_t)(a % b);                                \
  }                                                                          \
  static inline int##N##_t tg_floordiv_i##N(int##N##_t a, int##N##_t b) {   \
    if (b == -1)                                                             \
      return (int##N##_t)(0 - (uint##N##_t)a);                               \
    return (int##N##_t)(a / b - (a % b != 0 && (a < 0) != (b < 0)));         \
  }                                                                          \
  static inline int##N##_t tg_floormod_i##N(int##N##_t a, int##N##_t b) {   \
    if (b == -1)                                                             \
      return 0;                                                              \
    int##N##_t r = (int##N##_t)(a % b);                                      \
    return (int##N##_t)(r != 0 && (r < 0) != (b < 0) ? r + b : r);           \
  }
TG_DIVMOD(8)
TG_DIVMOD(16)
TG_DIVMOD(32)
TG_DIVMOD(64)

static inline uint64_t tg_threefry(uint64_t x, uint64_t key) {
  static const int rotations[2][4] = {{13, 15, 26, 6}, {17, 29, 16, 24}};
  uint32_t k[3] = {(uint32_t)key, (uint32_t)(key >> 32), 0};
  k[2] = k[0] ^ k[1] ^ 0x1BD11BDAu;
  uint32_t x0 = (uint32_t)x + k[0], x1 = (uint32_t)(x >> 32) + k[1];
  for (uint32_t s = 1; s <= 5; ++s) {
    for (int i = 0; i < 4; ++i) {
      int r = rotations[(s - 1) % 2][i];
      x0 += x1;
      x1 = ((x1 << r) | (x1 >> (32 - r))) ^ x0;
    }
    x0 += k[s % 3];
    x1 += k[(s + 1) % 3] + s;
  }
  return (uint64_t)x1 << 32 | x0;
}
)";

namespace {

/// How a value of one float kind is computed: in `float` (f16, bf16, f32) or
/// `double` (f64), then rounded back.
struct FloatKind {
  ScalarKind K;
  bool isF64() const { return K == ScalarKind::F64; }
  /// `X` (a value of this kind) as a float or double.
  std::string widen(const std::string &X) const {
    if (K == ScalarKind::BF16)
      return "tg_bf16_to_f32(" + X + ")";
    if (K == ScalarKind::F16)
      return "(float)" + X;
    return X;
  }
  /// A float expression rounded to this kind.
  std::string fromF32(const std::string &E) const {
    if (K == ScalarKind::BF16)
      return "tg_f32_to_bf16(" + E + ")";
    if (K == ScalarKind::F16)
      return "(_Float16)(" + E + ")";
    if (K == ScalarKind::F64)
      return "(double)(" + E + ")";
    return E;
  }
  /// A double expression rounded to this kind.
  std::string fromF64(const std::string &E) const {
    if (K == ScalarKind::BF16)
      return "tg_f64_to_bf16(" + E + ")";
    if (K == ScalarKind::F16)
      return "(_Float16)(" + E + ")";
    if (K == ScalarKind::F32)
      return "(float)(" + E + ")";
    return E;
  }
  /// An expression of the compute type (float or double) rounded back.
  std::string round(const std::string &E) const {
    return isF64() ? E : fromF32(E);
  }
};

class CRenderer {
public:
  CRenderer(const Function &Kernel) : Kernel(Kernel) {}
  llvm::Expected<std::string> render();

private:
  llvm::Error renderUOp(const UOp *U, unsigned Position);
  llvm::Expected<std::string> scalarExpr(const UOp *U,
                                         llvm::ArrayRef<std::string> Ops);
  llvm::Expected<std::string> elementwise(const UOp *U);
  std::string constant(ConstValue V, ScalarKind K);
  std::string typeName(DType T);
  std::string operand(const UOp *U, unsigned Lane, bool IsVector) const;
  void line(const llvm::Twine &Text) {
    Body.append(2 * Depth, ' ');
    Body += Text.str();
    Body += '\n';
  }
  llvm::Error error(const UOp *U, const llvm::Twine &Why) const {
    return makeRenderError(Kernel, U, Why);
  }

  const Function &Kernel;
  const UOp *Sliced = nullptr;
  llvm::DenseMap<const UOp *, std::string> Names;
  /// Pointers: the condition under which an access happens (empty: always).
  llvm::DenseMap<const UOp *, std::string> Gates;
  /// Vector typedefs by name, so that they print in a stable order.
  std::map<std::string, std::string> VectorTypes;
  /// Registers and local buffers, declared before the body.
  std::string Declarations;
  std::string Body;
  unsigned Depth = 1;
};

} // namespace

static const char *getScalarTypeName(ScalarKind K) {
  switch (K) {
  case ScalarKind::Bool:
    return "_Bool";
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
    return "_Float16";
  case ScalarKind::BF16:
    return "tg_bf16";
  case ScalarKind::F32:
    return "float";
  case ScalarKind::F64:
    return "double";
  default:
    return "void";
  }
}

/// Bits of a lane in C arithmetic: index is int64_t.
static unsigned getBits(ScalarKind K) {
  return K == ScalarKind::Index ? 64 : getScalarInfo(K).Bits;
}

/// The unsigned type wide enough that C computes `T op T` in it without
/// promotion to (signed) int.
static const char *getWrapType(ScalarKind K) {
  return getBits(K) > 32 ? "uint64_t" : "uint32_t";
}

std::string CRenderer::typeName(DType T) {
  if (T.isPointer())
    return std::string(getScalarTypeName(T.getElement().getScalarKind())) +
           " *";
  if (!T.isVector())
    return getScalarTypeName(T.getScalarKind());
  ScalarKind K = T.getScalarKind();
  std::string Name = "tg_" + std::string(getScalarInfo(K).Mnemonic) + "x" +
                     std::to_string(T.getCount());
  // Bool lanes are bytes in vectors, as in memory.
  const char *Lane = K == ScalarKind::Bool ? "uint8_t" : getScalarTypeName(K);
  VectorTypes[Name] = "typedef " + std::string(Lane) + " " + Name +
                      " __attribute__((ext_vector_type(" +
                      std::to_string(T.getCount()) + ")));";
  return Name;
}

/// The bits of a float constant of type `K`, as an unsigned integer.
static uint64_t getFloatBits(ConstValue V, ScalarKind K) {
  ScalarKind Bits = getBits(K) == 16   ? ScalarKind::U16
                    : getBits(K) == 32 ? ScalarKind::U32
                                       : ScalarKind::U64;
  return uint64_t(evalAlu(Op::Bitcast, Bits, K, {V})->getInt());
}

std::string CRenderer::constant(ConstValue V, ScalarKind K) {
  const ScalarInfo &Info = getScalarInfo(K);
  if (!V.isFloat()) {
    int64_t I = V.getInt();
    if (Info.Category == ScalarCategory::Unsigned)
      return std::to_string(uint64_t(I)) + "ull";
    if (I == INT64_MIN)
      return "(-9223372036854775807ll - 1)";
    if (I >= INT32_MIN && I <= INT32_MAX)
      return std::to_string(I);
    return std::to_string(I) + "ll";
  }
  double D = V.getFloat();
  std::string Type = getScalarTypeName(K);
  if (K == ScalarKind::BF16)
    return "(tg_bf16)0x" + llvm::utohexstr(getFloatBits(V, K), true);
  if (D != D) { // Any nan, by its bits.
    std::string UType = getBits(K) == 64   ? "uint64_t"
                        : getBits(K) == 32 ? "uint32_t"
                                           : "uint16_t";
    return "({ " + UType + " u_ = 0x" +
           llvm::utohexstr(getFloatBits(V, K), true) + "u; " + Type +
           " f_; __builtin_memcpy(&f_, &u_, sizeof f_); f_; })";
  }
  if (std::isinf(D))
    return std::string(D < 0 ? "-" : "") + "(" + Type + ")__builtin_inf()";
  char Buffer[64];
  std::snprintf(Buffer, sizeof Buffer, "%a", D);
  if (K == ScalarKind::F64)
    return Buffer;
  if (K == ScalarKind::F32)
    return std::string(Buffer) + "f";
  return "(" + Type + ")" + Buffer;
}

/// Lane `Lane` of `U` as an operand of a lane-by-lane vector op (a scalar
/// operand is broadcast).
std::string CRenderer::operand(const UOp *U, unsigned Lane,
                               bool IsVector) const {
  std::string Name = Names.lookup(U);
  if (!IsVector || !U->getDType().isVector())
    return Name;
  return Name + "[" + std::to_string(Lane) + "]";
}

/// The C expression of one lane of the elementwise op `U` on the operand
/// expressions `Ops` (each a scalar of the operand's type).
llvm::Expected<std::string>
CRenderer::scalarExpr(const UOp *U, llvm::ArrayRef<std::string> Ops) {
  Op O = U->getOp();
  ScalarKind RK = U->getDType().getScalarKind();
  ScalarKind OK = U->getSrcs().back()->getDType().getScalarKind();
  if (O != Op::Where)
    OK = U->getSrc(0)->getDType().getScalarKind();
  const ScalarInfo &Result = getScalarInfo(RK), &Operand = getScalarInfo(OK);
  std::string T = getScalarTypeName(RK);
  auto Cast = [&](const std::string &E) { return "(" + T + ")(" + E + ")"; };
  auto Call = [](const char *F, llvm::ArrayRef<std::string> Args) {
    return std::string(F) + "(" + llvm::join(Args, ", ") + ")";
  };

  if (O == Op::Where)
    return Ops[0] + " ? " + Ops[1] + " : " + Ops[2];
  if (O == Op::Bitcast) {
    if (OK == ScalarKind::Bool || RK == ScalarKind::Bool ||
        getBits(OK) != getBits(RK) || OK == ScalarKind::Index ||
        RK == ScalarKind::Index)
      return error(U, "bitcast needs two types of the same width");
    return "({ " + std::string(getScalarTypeName(OK)) + " s_ = " + Ops[0] +
           "; " + T + " t_; __builtin_memcpy(&t_, &s_, sizeof t_); t_; })";
  }
  if (O == Op::Cast) {
    FloatKind From{OK}, To{RK};
    bool FromFloat = Operand.Category == ScalarCategory::Float;
    if (Result.Category == ScalarCategory::Bool)
      return (FromFloat ? From.widen(Ops[0]) : Ops[0]) + " != 0";
    if (Result.Category != ScalarCategory::Float) // To an integer.
      return Cast(FromFloat ? From.widen(Ops[0]) : Ops[0]);
    if (FromFloat)
      return From.isF64() ? To.fromF64(Ops[0]) : To.fromF32(From.widen(Ops[0]));
    if (RK == ScalarKind::BF16) // Integers of up to 64 bits, rounded once.
      return Operand.Category == ScalarCategory::Unsigned
                 ? "tg_u64_to_bf16(" + Ops[0] + ", 0)"
                 : "tg_i64_to_bf16((int64_t)" + Ops[0] + ")";
    // Integers beyond float's 24 bits round to f16's infinity either way.
    if (RK == ScalarKind::F16)
      return "(_Float16)(float)" + Ops[0];
    return Cast(Ops[0]);
  }

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
    FloatKind F{OK};
    llvm::SmallVector<std::string, 3> W;
    for (const std::string &Op : Ops)
      W.push_back(F.widen(Op));
    const char *Suffix = F.isF64() ? "" : "f";
    auto Libm = [&](const char *Name) {
      std::string Args;
      for (const std::string &A : W)
        Args += (Args.empty() ? "(double)" : ", (double)") + A;
      return F.fromF64(std::string("__builtin_") + Name + "(" + Args + ")");
    };
    switch (O) {
    case Op::Add:
      return F.round(W[0] + " + " + W[1]);
    case Op::Sub:
      return F.round(W[0] + " - " + W[1]);
    case Op::Mul:
      return F.round(W[0] + " * " + W[1]);
    case Op::FDiv:
      return F.round(W[0] + " / " + W[1]);
    case Op::Recip:
      return F.round(std::string("1.0") + Suffix + " / " + W[0]);
    case Op::Neg:
      if (OK == ScalarKind::BF16)
        return "(tg_bf16)(" + Ops[0] + " ^ 0x8000u)";
      return "-" + Ops[0];
    case Op::Max:
      return F.round(Call(F.isF64() ? "tg_max_f64" : "tg_max_f32", W));
    case Op::MulAcc:
      if (OK == ScalarKind::F32)
        return Call("__builtin_fmaf", W);
      return Libm("fma"); // Exact: a double fma of narrower values.
    case Op::Sqrt:
      return F.round(Call(F.isF64() ? "__builtin_sqrt" : "__builtin_sqrtf", W));
    case Op::Trunc:
      return F.round(
          Call(F.isF64() ? "__builtin_trunc" : "__builtin_truncf", W));
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
      return error(U, "not defined on floats");
    }
  }

  // Fixed-width integers and index (int64_t): wrap through unsigned.
  std::string UW = getWrapType(OK);
  auto Wrap = [&](const char *Operator) {
    return Cast("(" + UW + ")" + Ops[0] + " " + Operator + " (" + UW + ")" +
                Ops[1]);
  };
  bool Signed = Operand.Category != ScalarCategory::Unsigned;
  std::string Width = std::to_string(getBits(OK));
  auto DivMod = [&](const char *Name, const char *Operator) {
    if (!Signed)
      return Cast(Ops[0] + " " + Operator + " " + Ops[1]);
    return Call(("tg_" + std::string(Name) + "_i" + Width).c_str(), Ops);
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
    return Call("tg_threefry", Ops);
  default:
    return error(U, "not defined on integers");
  }
}

/// An elementwise op: the scalar expression, or a vector of one per lane.
llvm::Expected<std::string> CRenderer::elementwise(const UOp *U) {
  DType T = U->getDType();
  bool IsVector = T.isVector();
  // An f32 or f64 add, sub, mul or max of whole vectors (a vector
  // accumulator of `expand{lane-accumulators}`) is one vector expression:
  // lane by lane, clang's SLP vectorizer packs it into 2-lane pieces.
  ScalarKind K = T.getScalarKind();
  Op O = U->getOp();
  if (IsVector && (K == ScalarKind::F32 || K == ScalarKind::F64) &&
      (O == Op::Add || O == Op::Sub || O == Op::Mul || O == Op::Max) &&
      llvm::all_of(U->getSrcs(),
                   [&](const UOp *Src) { return Src->getDType() == T; })) {
    std::string A = Names.lookup(U->getSrc(0)), B = Names.lookup(U->getSrc(1));
    if (O == Op::Max)
      return "tg_vmax(" + A + ", " + B + ")";
    const char *Symbol = O == Op::Add ? " + " : O == Op::Sub ? " - " : " * ";
    return "(" + A + Symbol + B + ")";
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
  return "(" + typeName(T) + "){" + llvm::join(Lanes, ", ") + "}";
}

llvm::Error CRenderer::renderUOp(const UOp *U, unsigned Position) {
  DType T = U->getDType();
  std::string Name = "v" + std::to_string(Position);
  auto Define = [&](const std::string &Expr) {
    Names[U] = Name;
    line("const " + typeName(T) + " " + Name + " = " + Expr + ";");
  };
  auto Src = [&](unsigned I) { return Names.lookup(U->getSrc(I)); };

  switch (U->getOp()) {
  case Op::Sink:
  case Op::Group:
  case Op::Barrier: // A CPU work-group is one thread.
    return llvm::Error::success();
  case Op::After:
  case Op::Noop:
    Names[U] = Src(0);
    Gates[U] = Gates.lookup(U->getSrc(0));
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
    Define("(" + typeName(T) + "){" + llvm::join(Lanes, ", ") + "}");
    return llvm::Error::success();
  }
  case Op::Define: { // Registers and local memory, zeroed as in tg-interp.
    if (T.getAddrSpace() == AddrSpace::Global)
      return error(U, "a global buffer must be a kernel parameter");
    if (T.getSize() < 0)
      return error(U, "a register or local buffer needs a size");
    Names[U] = Name;
    int64_t Scalars = T.getSize() * T.getElement().getCount();
    Declarations +=
        "  " + std::string(getScalarTypeName(T.getElement().getScalarKind())) +
        " " + Name + "[" + std::to_string(Scalars) + "] = {0};\n";
    return llvm::Error::success();
  }
  case Op::Range: {
    std::string Type = typeName(T), Bound = Src(0);
    Names[U] = Name;
    if (U == Sliced)
      line("for (" + Type + " " + Name + " = begin > 0 ? begin : 0; " + Name +
           " < " + Bound + " && " + Name + " < end; ++" + Name + ") {");
    else
      line("for (" + Type + " " + Name + " = 0; " + Name + " < " + Bound +
           "; ++" + Name + ") {");
    ++Depth;
    return llvm::Error::success();
  }
  case Op::If:
    line("if (" + Src(0) + ") {");
    ++Depth;
    return llvm::Error::success();
  case Op::End:
  case Op::EndIf:
    --Depth;
    line("}");
    return llvm::Error::success();
  case Op::Index: {
    auto Srcs = U->getSrcs().drop_front();
    std::string Gate = Gates.lookup(U->getSrc(0));
    if (!Srcs.empty() && Srcs.back()->getDType().isBool()) {
      std::string Own = Names.lookup(Srcs.back());
      Gate = Gate.empty() ? Own : Gate + " && " + Own;
      Srcs = Srcs.drop_back();
    }
    if (Srcs.size() > 1)
      return error(U, "multi-dimensional (image) indexing");
    std::string Offset = Srcs.empty() ? "0" : Names.lookup(Srcs[0]);
    unsigned Lanes = U->getSrc(0)->getDType().getElement().getCount();
    if (Lanes > 1)
      Offset = "(" + Offset + ") * " + std::to_string(Lanes);
    Names[U] = Name;
    Gates[U] = Gate;
    line(typeName(U->getSrc(0)->getDType()) + "const " + Name + " = " + Src(0) +
         " + " + Offset + ";");
    return llvm::Error::success();
  }
  case Op::Load: {
    std::string Pointer = Src(0), Gate = Gates.lookup(U->getSrc(0));
    std::string Default = U->getNumSrcs() > 1 ? Src(1) : "0";
    Names[U] = Name;
    if (!T.isVector()) {
      line("const " + typeName(T) + " " + Name + " = " +
           (Gate.empty() ? "" : Gate + " ? ") + "*" + Pointer +
           (Gate.empty() ? "" : " : " + Default) + ";");
      return llvm::Error::success();
    }
    std::string Type = typeName(T);
    line(Type + " " + Name + " = " +
         (U->getNumSrcs() > 1 ? Default : "(" + Type + ")0") + ";");
    std::string Copy = "__builtin_memcpy(&" + Name + ", " + Pointer + ", " +
                       std::to_string(T.getCount()) + " * sizeof *" + Pointer +
                       ");";
    line(Gate.empty() ? Copy : "if (" + Gate + ") " + Copy);
    return llvm::Error::success();
  }
  case Op::Store: {
    std::string Pointer = Src(0), Gate = Gates.lookup(U->getSrc(0));
    DType V = U->getSrc(1)->getDType();
    std::string Write = V.isVector()
                            ? "__builtin_memcpy(" + Pointer + ", &" + Src(1) +
                                  ", " + std::to_string(V.getCount()) +
                                  " * sizeof *" + Pointer + ");"
                            : "*" + Pointer + " = " + Src(1) + ";";
    line(Gate.empty() ? Write : "if (" + Gate + ") " + Write);
    return llvm::Error::success();
  }
  case Op::Vectorize:
  case Op::Cat: {
    llvm::SmallVector<std::string, 8> Lanes;
    for (const UOp *Src : U->getSrcs())
      for (unsigned L = 0, E = Src->getDType().getCount(); L != E; ++L)
        Lanes.push_back(operand(Src, L, true));
    Define("(" + typeName(T) + "){" + llvm::join(Lanes, ", ") + "}");
    return llvm::Error::success();
  }
  case Op::GEP: {
    llvm::SmallVector<std::string, 8> Lanes;
    for (const Arg *Lane : U->getArg()->getElements())
      Lanes.push_back(operand(U->getSrc(0), Lane->getInt(), true));
    Define(T.isVector()
               ? "(" + typeName(T) + "){" + llvm::join(Lanes, ", ") + "}"
               : Lanes.front());
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
    return error(U, "the CPU backend has no C form of this op");
  llvm::Expected<std::string> Expr = elementwise(U);
  if (!Expr)
    return Expr.takeError();
  Define(*Expr);
  return llvm::Error::success();
}

llvm::Expected<std::string> CRenderer::render() {
  llvm::Expected<const UOp *> Analysis = analyzeKernel(Kernel);
  if (!Analysis)
    return Analysis.takeError();
  Sliced = *Analysis;

  std::string Params;
  unsigned NumVars = 0;
  for (const UOp *P : Kernel.Params) {
    if (P->getOp() == Op::Define) {
      std::string Name = "b" + std::to_string(P->getArgField(0)->getInt());
      std::string Type = typeName(P->getDType());
      Params += "  " + Type + "const " + Name + " = (" + Type + ")buffers[" +
                std::to_string(P->getArgField(0)->getInt()) + "];\n";
      Names[P] = Name;
      continue;
    }
    std::string Name = "var" + std::to_string(NumVars);
    Params += "  const " + typeName(P->getDType()) + " " + Name + " = (" +
              typeName(P->getDType()) + ")vars[" + std::to_string(NumVars) +
              "];\n";
    ++NumVars;
    Names[P] = Name;
  }

  unsigned Position = 0;
  for (const UOp *U : Kernel.getBody())
    if (llvm::Error E = renderUOp(U, Position++))
      return std::move(E);

  std::string Source = Prelude;
  for (const auto &[Name, Typedef] : VectorTypes)
    Source += Typedef + "\n";
  Source += "\nvoid " + getEntryName(Kernel) +
            "(void **buffers, const int64_t *vars, int64_t begin, "
            "int64_t end) {\n";
  Source += "  (void)vars, (void)begin, (void)end;\n";
  Source += Params + Declarations + Body + "}\n";
  return Source;
}

llvm::Expected<std::string> cpu::renderC(const Function &Kernel) {
  return CRenderer(Kernel).render();
}
