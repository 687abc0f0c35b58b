//===- CStyleRenderer.h - the C-like dialects' renderer ---------*- C++ -*-===//
//
// CUDA, HIP, OpenCL C, Metal and the CPU's C (plugins/cpu/CRenderer.h) are
// one language for tg's purposes: C expressions and statements, with
// dialect words for the kernel signature, memory spaces, launch indices,
// barriers, 16-bit floats and vectors.
// CStyleRenderer renders a linearized kernel (after gpudims, lower-index,
// decompose, remove-reduce and linearize) in that common C, one statement per
// UOp in body order, and asks virtual hooks for every word that differs
// (tinygrad's CStyleLanguage). A dialect derives from it and overrides the
// hooks; the defaults are C99 as clang-19 compiles it (a C dialect overrides
// only the signature, local arrays, the barrier and the launch indices).
//
// The code computes exactly what docs/Semantics.md says, independent of the
// dialect compiler's flags (it must not contract a*b+c into fma, nor flush
// denormals): fixed-width integers wrap (arithmetic through unsigned types),
// floor division and modulo and the INT_MIN / -1 cases go through small
// helpers, float max is IEEE maximum, mulacc is fused, f16 and bf16 compute
// in float and round once per op (exact, since float has more than twice
// their precision), and exp2, log2, sin and pow compute in double unless the
// dialect has none (getMathPrecision).
//
// Names: values are `v<position in body>`, buffer parameters `b<define id>`,
// variables `var<position among the define_var parameters>`. Buffers are
// pointers to their scalar element; a buffer of vec<T, n> elements is n
// packed T per element. A vector load or store goes through the dialect's
// vector type when the address is known to be aligned to it
// (DivisibilityAnalysis on the offset; buffers, registers and local arrays
// are aligned to 16 bytes at least), else lane by lane. Image parameters
// (Qualcomm) are rendered by the image hooks of a dialect that has them:
// `index(img, x, y)` keeps the texel's coordinates for the read or write.
//
// Depends on TGIR and TGAnalysis only: no LLVM codegen.
//
//===----------------------------------------------------------------------===//

#ifndef TG_TARGET_CSTYLERENDERER_H
#define TG_TARGET_CSTYLERENDERER_H

#include "tg/Target/Target.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace tg {

/// What a kernel uses, for the dialect's prelude (headers, extensions).
struct CStyleFeatures {
  bool UsesF16 = false;
  bool UsesBF16 = false;
  bool UsesF64 = false;
  bool UsesImages = false;
};

class CStyleRenderer : public Renderer {
public:
  /// The source of `Kernel`: the prelude, the helpers and vector types it
  /// uses, and the kernel. An error names the kernel and the op that has no
  /// form in the dialect.
  llvm::Expected<std::string> render(const Function &Kernel,
                                     const ArchInfo &Arch) override;
  /// The same: no dialect's source depends on the arch.
  llvm::Expected<std::string> renderKernel(const Function &Kernel) const;

  /// The kernel's function name: `k_` and the kernel's name with every
  /// character other than [A-Za-z0-9_] replaced by `_` (the prefix keeps a
  /// kernel named `exp` or `max` from shadowing the dialect's functions).
  virtual std::string getEntryName(const Function &Kernel) const;

  //===--------------------------------------------------------------------===//
  // Hooks: what the dialects spell differently.
  //===--------------------------------------------------------------------===//

  /// Text before everything else: includes, typedefs, pragmas.
  virtual std::string getPrelude(const CStyleFeatures &Uses) const;
  /// The qualifiers of the small helper functions (`static inline`).
  virtual std::string getHelperQualifier() const;

  /// The name of a scalar type (index and i64 are one type).
  virtual std::string getScalarTypeName(ScalarKind K) const;
  /// A pointer to `Element` (a type name) in the address space `Space`.
  virtual std::string getPointerTypeName(llvm::StringRef Element,
                                         AddrSpace Space) const;
  /// The name of the vector type of `Lanes` lanes of `K` (Lanes >= 2).
  virtual std::string getVectorTypeName(ScalarKind K, unsigned Lanes) const;
  /// The declaration of that type, or empty when the dialect has it built
  /// in. The default is a struct with getLaneName fields, aligned to
  /// getVectorAlignment.
  virtual std::string getVectorTypeDecl(ScalarKind K, unsigned Lanes) const;
  /// The vector type's alignment in bytes: that of the whole vector when its
  /// size is a power of two of at most 16 bytes, else that of one lane.
  virtual unsigned getVectorAlignment(ScalarKind K, unsigned Lanes) const;
  /// The attribute that aligns a declaration to `Bytes`.
  virtual std::string getAlignAttribute(unsigned Bytes) const;
  /// The field or component of lane `Lane` of a vector of `Lanes` lanes:
  /// `x y z w` up to four lanes, else `v<n>`.
  virtual std::string getLaneName(unsigned Lanes, unsigned Lane) const;
  /// Lane `Lane` of the vector value `Vector` of `Lanes` lanes: the default
  /// is `Vector.<getLaneName>`.
  virtual std::string getLane(llvm::StringRef Vector, unsigned Lanes,
                              unsigned Lane) const;
  /// A vector of type `Type` made of the scalar expressions `Lanes` (a C99
  /// compound literal).
  virtual std::string makeVector(llvm::StringRef Type,
                                 llvm::ArrayRef<std::string> Lanes) const;

  /// What precedes the kernel's name: `__kernel void`, `extern "C"
  /// __global__ void __launch_bounds__(256)`. `Threads` is the number of
  /// threads of a work-group when it is a constant, else 0.
  virtual std::string getKernelPrefix(const Function &Kernel,
                                      int64_t Threads) const = 0;
  /// The parameter of buffer `Name` of `Element`s (a global pointer).
  virtual std::string getBufferParam(llvm::StringRef Element,
                                     llvm::StringRef Name) const;
  /// The parameter of variable `Name` of type `Type`.
  virtual std::string getVarParam(llvm::StringRef Type,
                                  llvm::StringRef Name) const;
  /// Parameters after the kernel's own, for a dialect whose launch indices
  /// are parameters (Metal's [[threadgroup_position_in_grid]]). The default
  /// has none.
  virtual llvm::SmallVector<std::string, 2> getLaunchParams() const;
  /// A parameter of the kernel, as getSignature sees it.
  struct KernelParam {
    const UOp *Param; ///< The `define` of a buffer or the `define_var`.
    std::string Name; ///< `b<id>` or `var<n>`.
    std::string Type; ///< The buffer's pointer type or the variable's type.
    std::string Text; ///< getBufferParam, getVarParam or getImageParam.
  };
  /// The kernel's signature up to and including its opening brace and
  /// newline, with any statements that must come before the body. The
  /// default is getKernelPrefix, getEntryName and the parameters' Text
  /// followed by getLaunchParams; a dialect whose entry takes its buffers
  /// some other way (the CPU's array of pointers) overrides it.
  virtual std::string getSignature(const Function &Kernel, int64_t Threads,
                                   llvm::ArrayRef<KernelParam> Params) const;
  /// The header of the loop of `Range` (named `Name`, of type `Type`,
  /// bounded by the expression `Bound`), up to and including its `{`. The
  /// default runs from 0 to Bound.
  virtual std::string getLoopHeader(const UOp *Range, llvm::StringRef Type,
                                    llvm::StringRef Name,
                                    llvm::StringRef Bound) const;
  /// The declaration of a local (work-group shared) array.
  virtual std::string getLocalDecl(llvm::StringRef Element,
                                   llvm::StringRef Name,
                                   int64_t Count) const = 0;
  /// The declaration of a zeroed register array.
  virtual std::string getRegisterDecl(llvm::StringRef Element,
                                      llvm::StringRef Name,
                                      int64_t Count) const;
  /// The statement that waits for every thread of the work-group and makes
  /// their local memory writes visible; empty where a work-group is one
  /// thread (the CPU).
  virtual std::string getBarrier() const = 0;
  /// The expression of a launch index: `IsGroup` for the work-group's
  /// index in the grid (gidx), else the thread's in its group (lidx), along
  /// dimension `Dim` (0 is x); empty where the dialect has none (rendering
  /// one is then an error).
  virtual std::string getLaunchIndex(bool IsGroup, unsigned Dim) const = 0;

  /// A value of f16 or bf16 (`K`) as a float expression.
  virtual std::string widenToFloat(ScalarKind K, llvm::StringRef X) const;
  /// A float (`FromF64` false) or double expression rounded to the f16 or
  /// bf16 `K`, to nearest even.
  virtual std::string narrowFloat(ScalarKind K, llvm::StringRef X,
                                  bool FromF64) const;
  /// A float of kind `K` as the unsigned integer of its width, bit for bit,
  /// and back (clang's and NVRTC's `__builtin_bit_cast`).
  virtual std::string floatToBits(ScalarKind K, llvm::StringRef X) const;
  virtual std::string bitsToFloat(ScalarKind K, llvm::StringRef X) const;
  /// The dialect's `Name` (`sqrt`, `trunc`, `fma`, `exp2`, `log2`, `sin`,
  /// `pow`, `signbit`) on float (`IsF64` false) or double arguments.
  virtual std::string callMath(llvm::StringRef Name, bool IsF64,
                               llvm::ArrayRef<std::string> Args) const;
  /// Where exp2, log2, sin and pow compute.
  enum class MathPrecision { Float, Double };
  /// Where the dialect computes `Name` (`exp2`, `log2`, `sin`, `pow`) of
  /// values of the float kind `K`, or an error saying why it has no form of
  /// it (a dialect without a device math library). The default is double
  /// where hasDoubleMath(), else float.
  virtual llvm::Expected<MathPrecision> getMathPrecision(llvm::StringRef Name,
                                                         ScalarKind K) const;
  /// Whether exp2, log2, sin and pow compute in double (docs/Semantics.md:
  /// libm in double, rounded once). A dialect without doubles says no and
  /// computes them in float.
  virtual bool hasDoubleMath() const;

  /// Images (image<S, H, W> parameters, Qualcomm): the parameter of image
  /// `Name` of `Texel` texels, which the kernel writes (`Written`) or reads;
  /// empty when the dialect has no images (rendering one is then an error).
  virtual std::string getImageParam(ScalarKind Texel, llvm::StringRef Name,
                                    bool Written) const;
  /// The texel of `Image` at the integer coordinates `X`, `Y` as a value of
  /// the 4-lane vector type of `Texel`; zero outside the image.
  virtual std::string readImage(ScalarKind Texel, llvm::StringRef Image,
                                llvm::StringRef X, llvm::StringRef Y) const;
  /// The statement that writes the 4-lane `Value` to that texel.
  virtual std::string writeImage(ScalarKind Texel, llvm::StringRef Image,
                                 llvm::StringRef X, llvm::StringRef Y,
                                 llvm::StringRef Value) const;

  /// An integer constant of the integer type `K`.
  virtual std::string getIntConstant(int64_t Value, ScalarKind K) const;

  /// The elementwise `O` of two whole vectors `A` and `B` of lanes of `K`
  /// as one vector expression, or empty (the default) to have it rendered
  /// lane by lane. It must compute each lane exactly as the scalar op does.
  virtual std::string getVectorExpr(Op O, ScalarKind K, llvm::StringRef A,
                                    llvm::StringRef B) const;

  /// The definition of the helper `Function` that computes the tensor-core
  /// instruction `Name` (td/Devices.td) of a `wmma`: it takes the
  /// fragments of A, B and C (of the vector types `A`, `B`, `C`) and returns
  /// D's (a `C`). Empty: the dialect has no form of it (the default).
  virtual std::string getWMMAHelper(llvm::StringRef Name,
                                    llvm::StringRef Function, llvm::StringRef A,
                                    llvm::StringRef B, llvm::StringRef C) const;

  /// Asynchronous copies into local memory: the statement that starts
  /// copying `Bytes` bytes from the global pointer `From` to the local
  /// pointer `To` (zeros instead where the expression `Gate`, when not
  /// empty, is false); the one that closes the group of copies started
  /// since the last; the one that waits until at most `Pending` groups are
  /// not done. Empty: the dialect has none (the default; rendering one is
  /// then an error).
  virtual std::string getAsyncCopy(llvm::StringRef To, llvm::StringRef From,
                                   unsigned Bytes, llvm::StringRef Gate) const;
  virtual std::string getAsyncCommit() const;
  /// The definition of the helper `Function` that returns, as a `Vector`,
  /// what `load_matrix` gives the lane of `Matrices` 8 x 8 matrices
  /// (`Transpose`d) from the local pointer (of `Element`) it takes. Empty:
  /// the dialect has none (the default).
  virtual std::string getLoadMatrixHelper(llvm::StringRef Function,
                                          llvm::StringRef Element,
                                          llvm::StringRef Vector,
                                          unsigned Matrices,
                                          bool Transpose) const;
  virtual std::string getAsyncWait(int64_t Pending) const;

protected:
  /// The fixed-width integer types (index is i64) as C++'s built-in types
  /// (`signed char` ... `unsigned long long`: CUDA and HIP), or as OpenCL
  /// and Metal spell them (`char` ... `ulong`); null for other kinds.
  static const char *getBuiltinIntegerTypeName(ScalarKind K);
  static const char *getShortIntegerTypeName(ScalarKind K);
};

} // namespace tg

#endif // TG_TARGET_CSTYLERENDERER_H
