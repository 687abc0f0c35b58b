//===- LLVMGen.h - linearized kernels as LLVM IR, any target ----*- C++ -*-===//
//-*-===//
//
// The LLVM IR renderer every LLVM-based compiler of tg shares (the CPU's
// `llvm`, the NV device's `ptx`, the AMD device's `llvm`), and the emission
// that turns its module into an object or assembly. A kernel that
// `remove-reduce,linearize` have lowered becomes one LLVM function built
// with IRBuilder: loops are blocks with a phi, ifs and gated loads branch,
// registers are zeroed allocas. It means exactly what docs/Semantics.md says
// and what the C renderer's C means: no nsw/nuw flags, guarded signed
// division, llvm.maximum for float max, fused mulacc, f16 computed in f32 or
// f64 and rounded once, bf16 held as its bits (i16) and rounded by integer
// code, transcendentals in double.
//
// What differs between targets is a TargetHooks object: the entry
// function's signature and how parameters reach it, address spaces, local
// memory, launch indices, barriers, the transcendental functions, kernel
// metadata. The NVPTX and AMDGPU hooks (createNVPTXHooks, createAMDGPUHooks)
// implement the GPU ABI (parameters in Kernel.Params order: a `define` is a
// pointer in the global address space, a `define_var` a scalar of its
// dtype); the CPU plugin implements its own (plugins/cpu/CPUKernel.h).
//
// Depends on TGIR, TGTarget and Debian's shared libLLVM.
//
//===----------------------------------------------------------------------===//

#ifndef TG_LLVMGEN_LLVMGEN_H
#define TG_LLVMGEN_LLVMGEN_H

#include "tg/IR/Module.h"
#include "tg/Target/Device.h"
#include "tg/Target/Target.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>
#include <vector>

namespace tg {
namespace llvmgen {

/// What one target makes of the parts of a kernel that are not plain
/// arithmetic. The renderer calls these in order: checkKernel, prepareModule,
/// createEntry, loadParams, then per op, then finishKernel.
class TargetHooks {
public:
  virtual ~TargetHooks();

  /// Refuses kernels the target cannot run (an error from makeRenderError).
  virtual llvm::Error checkKernel(const Function &Kernel) = 0;
  /// Sets the triple and data layout, before any instruction is built.
  virtual void prepareModule(llvm::Module & /*M*/) {}
  /// The entry function of `Kernel` in `M`.
  virtual llvm::Function *createEntry(llvm::Module &M,
                                      const Function &Kernel) = 0;
  /// The value of each of `Kernel.Params` in `Values`, built at `B`'s insert
  /// point in the entry block of `F`.
  virtual void
  loadParams(llvm::IRBuilder<> &B, llvm::Function &F, const Function &Kernel,
             llvm::DenseMap<const UOp *, llvm::Value *> &Values) = 0;
  /// LLVM's address space for pointers to `Space`.
  virtual unsigned getAddrSpace(AddrSpace /*Space*/) const { return 0; }
  /// Memory of type `Type` for the local buffer `U`. `Allocas` builds at the
  /// end of the block before the body. The default is a zeroed alloca.
  virtual llvm::Value *createLocal(llvm::IRBuilder<> &Allocas, llvm::Module &M,
                                   const UOp *U, llvm::ArrayType *Type);
  /// A zeroed alloca of `Type` at `Allocas` (registers, and CPU locals).
  static llvm::Value *createZeroedAlloca(llvm::IRBuilder<> &Allocas,
                                         llvm::ArrayType *Type);
  /// The launch index `Name` (gidx0, lidx1, ...) as an i32.
  virtual llvm::Expected<llvm::Value *>
  launchIndex(llvm::IRBuilder<> &B, llvm::Module &M, llvm::StringRef Name) = 0;
  /// A work-group barrier with the memory fences around it.
  virtual void barrier(llvm::IRBuilder<> &B, llvm::Module &M) = 0;
  /// `O` (exp2, log2, sin, pow) of the doubles `Args`, as a double. `K` is
  /// the type the op computes in; an error when the target cannot.
  virtual llvm::Expected<llvm::Value *>
  transcendental(llvm::IRBuilder<> &B, llvm::Module &M, Op O, ScalarKind K,
                 llvm::ArrayRef<llvm::Value *> Args) = 0;
  /// IEEE 754-2019 maximum of the floats `A` and `BValue` (a nan if either
  /// is one, -0.0 < +0.0). The default is `llvm.maximum`.
  virtual llvm::Value *floatMax(llvm::IRBuilder<> &B, llvm::Value *A,
                                llvm::Value *BValue);
  /// The tensor-core instruction `Name` (td/Devices.td) of a `wmma`: D's
  /// fragment from those of A, B and C (include/tg/IR/WMMA.h). An error
  /// when the target has no form of it (the default).
  virtual llvm::Expected<llvm::Value *>
  wmma(llvm::IRBuilder<> &B, llvm::Module &M, llvm::StringRef Name,
       llvm::Value *A, llvm::Value *BValue, llvm::Value *C);
  /// Where a loop over the range `U` starts and stops (default: [0, Limit)).
  virtual void boundRange(llvm::IRBuilder<> & /*B*/, const UOp * /*U*/,
                          llvm::Value *& /*Start*/, llvm::Value *& /*Limit*/) {}
  /// Kernel metadata and attributes, after the body.
  virtual void finishKernel(llvm::Module & /*M*/, llvm::Function & /*F*/,
                            const Function & /*Kernel*/) {}
};

/// The LLVM module of `Kernel` in `Context` for `Hooks`' target, or an
/// error naming the kernel and the op that cannot be rendered.
llvm::Expected<std::unique_ptr<llvm::Module>>
renderModule(const Function &Kernel, llvm::LLVMContext &Context,
             TargetHooks &Hooks);

/// renderModule printed as text.
llvm::Expected<std::string> renderText(const Function &Kernel,
                                       TargetHooks &Hooks);

/// Parses `Text`, the LLVM IR rendered from `Kernel`; the error names the
/// kernel.
llvm::Expected<std::unique_ptr<llvm::Module>>
parseText(const Function &Kernel, llvm::StringRef Text,
          llvm::LLVMContext &Context);

/// A TargetMachine for `Arch`'s triple and CPU at -O3; an error for an arch
/// without an LLVM triple or one LLVM lacks.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const ArchInfo &Arch);

/// Sets `M`'s triple and data layout to `TM`'s, runs the O3 pipeline and
/// emits an object or assembly.
llvm::Expected<std::vector<char>> emit(llvm::Module &M, llvm::TargetMachine &TM,
                                       llvm::CodeGenFileType Type);

/// The LLVM type of a value of scalar type `K`: bool is i1, bf16 its bits
/// (i16), index i64.
llvm::Type *getScalarType(llvm::LLVMContext &Ctx, ScalarKind K);

/// The symbol of `Kernel`'s entry: its name with every character other than
/// [A-Za-z0-9_] replaced by '_'.
std::string getEntryName(const Function &Kernel);

/// An error "cannot render <what> in kernel @<name>: <why>".
llvm::Error makeRenderError(const Function &Kernel, const UOp *U,
                            const llvm::Twine &Why);

/// The hooks of the GPU targets (lib/LLVMGen/NVPTX.cpp, AMDGPU.cpp) for
/// `Arch`, whose TargetMachine `TM` gives the data layout.
std::unique_ptr<TargetHooks> createNVPTXHooks(const llvm::TargetMachine &TM);
std::unique_ptr<TargetHooks> createAMDGPUHooks(const llvm::TargetMachine &TM);

/// The renderer of a GPU compiler that goes through LLVM: the kernel as LLVM
/// IR text for one TargetMachine, with the hooks `MakeHooks` builds for it
/// (createNVPTXHooks, createAMDGPUHooks). The compiler parses the text back
/// and emits it with getTargetMachine().
class IRRenderer final : public Renderer {
public:
  using HooksFactory =
      std::unique_ptr<TargetHooks> (*)(const llvm::TargetMachine &);
  IRRenderer(std::unique_ptr<llvm::TargetMachine> TM, HooksFactory MakeHooks)
      : TM(std::move(TM)), MakeHooks(MakeHooks) {}

  llvm::StringRef getLanguage() const override { return "llvm-ir"; }
  llvm::Expected<std::string> render(const Function &Kernel,
                                     const ArchInfo &) override {
    std::unique_ptr<TargetHooks> Hooks = MakeHooks(*TM);
    return renderText(Kernel, *Hooks);
  }
  llvm::TargetMachine &getTargetMachine() { return *TM; }

private:
  std::unique_ptr<llvm::TargetMachine> TM;
  HooksFactory MakeHooks;
};

/// A GPU compiler through LLVM: renders with an IRRenderer, parses the text
/// back, lets the target adjust the module (prepare), emits it as
/// `FileType` and lets the target turn the bytes into the binary (finish).
/// NV's `ptx` links libdevice in prepare; AMD's `llvm` links the code object
/// in finish.
class IRCompiler : public Compiler {
public:
  IRCompiler(std::unique_ptr<llvm::TargetMachine> TM,
             IRRenderer::HooksFactory MakeHooks, llvm::CodeGenFileType FileType,
             llvm::StringRef BinaryFormat)
      : Source(std::move(TM), MakeHooks), FileType(FileType),
        BinaryFormat(BinaryFormat) {}

  Renderer &getRenderer() override { return Source; }
  llvm::Error compile(const Function &Kernel, const ArchInfo &Arch,
                      CompiledKernel &Out) final;

protected:
  /// Called on the parsed module before emission. The default does nothing.
  virtual llvm::Error prepare(const Function &Kernel, llvm::Module &M);
  /// The binary made of the emitted bytes. The default is the bytes.
  virtual llvm::Expected<std::vector<char>> finish(const Function &Kernel,
                                                   std::vector<char> Emitted);

private:
  IRRenderer Source;
  llvm::CodeGenFileType FileType;
  std::string BinaryFormat;
};

} // namespace llvmgen
} // namespace tg

#endif // TG_LLVMGEN_LLVMGEN_H
