//===- JIT.cpp - CPU kernels as object files, loaded by ORC ---------------===//

#include "JIT.h"

#include "LLVMRenderer.h"

#include "tg/LLVMGen/LLVMGen.h"

#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

using namespace tg;
using namespace tg::cpu;

namespace {

/// A kernel in a JIT of its own.
class JITKernel final : public LoadedCode {
public:
  JITKernel(std::unique_ptr<llvm::orc::LLJIT> J, KernelEntry E)
      : J(std::move(J)) {
    Entry = E;
  }

private:
  std::unique_ptr<llvm::orc::LLJIT> J;
};

} // namespace

static void initializeNativeTarget() {
  static const bool Initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)Initialized;
}

llvm::Expected<std::vector<char>> cpu::compileToObject(llvm::Module &M) {
  initializeNativeTarget();
  auto Builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!Builder)
    return Builder.takeError();
  Builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  Builder->setRelocationModel(llvm::Reloc::PIC_);
  auto TM = Builder->createTargetMachine();
  if (!TM)
    return TM.takeError();
  return llvmgen::emit(M, **TM, llvm::CodeGenFileType::ObjectFile);
}

llvm::Expected<std::unique_ptr<LoadedCode>>
cpu::loadObject(llvm::ArrayRef<char> Object, llvm::StringRef EntryName) {
  initializeNativeTarget();
  auto J = llvm::orc::LLJITBuilder().create();
  if (!J)
    return J.takeError();
  // libm (exp2, ...) and the compiler runtime come from this process.
  auto Generator =
      llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
          (*J)->getDataLayout().getGlobalPrefix());
  if (!Generator)
    return Generator.takeError();
  (*J)->getMainJITDylib().addGenerator(std::move(*Generator));
  if (llvm::Error E = (*J)->addObjectFile(llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(Object.data(), Object.size()), EntryName)))
    return std::move(E);
  auto Symbol = (*J)->lookup(EntryName);
  if (!Symbol)
    return Symbol.takeError();
  KernelEntry Entry = Symbol->toPtr<KernelEntry>();
  return std::make_unique<JITKernel>(std::move(*J), Entry);
}

llvm::Expected<std::unique_ptr<LoadedCode>>
cpu::compileWithJIT(std::unique_ptr<llvm::Module> M,
                    std::unique_ptr<llvm::LLVMContext> Context,
                    llvm::StringRef EntryName) {
  llvm::Expected<std::vector<char>> Object = compileToObject(*M);
  // The module goes before its context.
  M.reset();
  Context.reset();
  if (!Object)
    return Object.takeError();
  return loadObject(*Object, EntryName);
}

llvm::Expected<std::unique_ptr<LoadedCode>>
cpu::compileWithJIT(const Function &Kernel) {
  auto Context = std::make_unique<llvm::LLVMContext>();
  llvm::Expected<std::unique_ptr<llvm::Module>> M =
      renderLLVM(Kernel, *Context);
  if (!M)
    return M.takeError();
  return compileWithJIT(std::move(*M), std::move(Context),
                        getEntryName(Kernel));
}
