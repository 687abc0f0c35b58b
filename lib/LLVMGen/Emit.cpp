//===- Emit.cpp - a rendered module as an object or assembly --------------===//
//
// The new pass manager's O3 pipeline for the target machine (which adds the
// target's own passes, such as NVVMReflect for libdevice), with the loop and
// SLP vectorizers on as clang's -O3 has them, then the legacy code
// generator, as clang and llc do.
//
//===----------------------------------------------------------------------===//

#include "tg/LLVMGen/LLVMGen.h"

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"

using namespace tg;
using namespace tg::llvmgen;

static void initializeTargets() {
  static const bool Initialized = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    return true;
  }();
  (void)Initialized;
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
llvmgen::createTargetMachine(const ArchInfo &Arch) {
  if (!*Arch.Triple)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "arch '" + llvm::Twine(Arch.Name) +
            "' has no LLVM target (its Triple in td/Devices.td is empty): "
            "LLVM " LLVM_VERSION_STRING " cannot compile for it");
  initializeTargets();
  std::string Problem;
  const llvm::Target *T =
      llvm::TargetRegistry::lookupTarget(Arch.Triple, Problem);
  if (!T)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "arch '" + llvm::Twine(Arch.Name) +
                                       "': " + Problem);
  llvm::TargetOptions Options;
  std::unique_ptr<llvm::TargetMachine> TM(T->createTargetMachine(
      Arch.Triple, Arch.CPU, "", Options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!TM)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "arch '" + llvm::Twine(Arch.Name) +
                                       "': LLVM has no target machine for " +
                                       Arch.Triple + " " + Arch.CPU);
  if (!TM->getMCSubtargetInfo()->isCPUStringValid(Arch.CPU))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "arch '" + llvm::Twine(Arch.Name) +
                                       "': LLVM " LLVM_VERSION_STRING
                                       " does not know the CPU '" +
                                       Arch.CPU + "' of " + Arch.Triple);
  return std::move(TM);
}

/// Runs the O3 pipeline for `TM` over `M`.
static void optimize(llvm::Module &M, llvm::TargetMachine &TM) {
  llvm::LoopAnalysisManager LAM;
  llvm::FunctionAnalysisManager FAM;
  llvm::CGSCCAnalysisManager CGAM;
  llvm::ModuleAnalysisManager MAM;
  // Clang's -O2 and -O3 turn the SLP vectorizer on; PassBuilder's default
  // leaves it off, and tg's kernels need it: `expand` makes an upcast's
  // copies scalar ops, which SLP turns into vector instructions.
  llvm::PipelineTuningOptions Tuning;
  Tuning.SLPVectorization = true;
  llvm::PassBuilder PB(&TM, Tuning);
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  PB.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3).run(M, MAM);
}

llvm::Expected<std::vector<char>> llvmgen::emit(llvm::Module &M,
                                                llvm::TargetMachine &TM,
                                                llvm::CodeGenFileType Type) {
  M.setDataLayout(TM.createDataLayout());
  M.setTargetTriple(TM.getTargetTriple().str());
  optimize(M, TM);
  llvm::SmallVector<char, 0> Output;
  llvm::raw_svector_ostream OS(Output);
  llvm::legacy::PassManager CodeGen;
  if (TM.addPassesToEmitFile(CodeGen, OS, nullptr, Type))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the target " + TM.getTargetTriple().str() +
                                       " cannot emit this file type");
  CodeGen.run(M);
  return std::vector<char>(Output.begin(), Output.end());
}

llvm::Error llvmgen::IRCompiler::compile(const Function &Kernel,
                                         const ArchInfo &,
                                         CompiledKernel &Out) {
  llvm::LLVMContext Context;
  llvm::Expected<std::unique_ptr<llvm::Module>> M =
      parseText(Kernel, Out.Source, Context);
  if (!M)
    return M.takeError();
  if (llvm::Error E = prepare(Kernel, **M))
    return E;
  llvm::Expected<std::vector<char>> Emitted =
      emit(**M, Source.getTargetMachine(), FileType);
  if (!Emitted)
    return Emitted.takeError();
  llvm::Expected<std::vector<char>> Binary =
      finish(Kernel, std::move(*Emitted));
  if (!Binary)
    return Binary.takeError();
  Out.Binary = std::move(*Binary);
  Out.BinaryFormat = BinaryFormat;
  Out.EntryName = getEntryName(Kernel);
  return llvm::Error::success();
}

llvm::Error llvmgen::IRCompiler::prepare(const Function &, llvm::Module &) {
  return llvm::Error::success();
}

llvm::Expected<std::vector<char>>
llvmgen::IRCompiler::finish(const Function &, std::vector<char> Emitted) {
  return Emitted;
}
