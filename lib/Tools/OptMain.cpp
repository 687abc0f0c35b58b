//===- OptMain.cpp - tg-opt's driver --------------------------------------===//
//
// Per input (or per `// -----` chunk with --split-input-file): parse, verify
// (unless --verify-each=none), run the pipeline, print. A chunk that fails
// prints nothing; the exit code is 1 if any chunk failed (with
// --verify-diagnostics: if any expectation did not match).
//
//===----------------------------------------------------------------------===//

#include "tg/Tools/OptMain.h"

#include "DiagnosticVerifier.h"
#include "SplitInputFile.h"

#include "tg/Codegen/Passes.h"
#include "tg/IR/Parser.h"
#include "tg/IR/Printer.h"
#include "tg/IR/Verifier.h"
#include "tg/Pass/Instrumentations.h"
#include "tg/Pass/PassManager.h"
#include "tg/Pass/PassRegistry.h"
#include "tg/Pass/Passes.h"
#include "tg/Rewrite/RuleSetRegistry.h"
#include "tg/Symbolic/Passes.h"
#include "tg/Target/Plugin.h"
#include "tg/Target/Target.h"
#include "tg/Verify/Passes.h"
#include "tg/Verify/RuleProver.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

#include <optional>

using namespace tg;
namespace cl = llvm::cl;

/// libLLVM already registers a --time-passes for LLVM's own pass managers,
/// which tg-opt never runs; tg-opt takes the name over.
static bool unregisterLLVMOption(llvm::StringRef Name) {
  auto &Registered = cl::getRegisteredOptions();
  auto It = Registered.find(Name);
  if (It == Registered.end())
    return false;
  It->second->removeArgument();
  return true;
}

namespace {

/// What --verify-each checks after parsing and after every pass.
enum class VerifyEachKind { None, Spec, Z3 };

/// tg-opt's flags. They are made on the first call of tgOptMain (not at
/// load time), so other tools linking TGTools do not show them.
struct OptMainOptions {
  cl::OptionCategory IOCategory{"Input and output"};
  cl::OptionCategory PipelineCategory{"Pass pipeline"};
  cl::OptionCategory DebugCategory{"Debugging"};

  cl::opt<std::string> InputFilename{cl::Positional, cl::desc("<input file>"),
                                     cl::init("-"), cl::cat(IOCategory)};
  cl::opt<std::string> OutputFilename{
      "o", cl::desc("Output file (default: stdout)"),
      cl::value_desc("filename"), cl::init("-"), cl::cat(IOCategory)};
  cl::opt<bool> SplitInputFile{
      "split-input-file",
      cl::desc("Process each chunk between `// -----` lines on its own and "
               "join the outputs with `// -----`"),
      cl::cat(IOCategory)};
  cl::opt<bool> VerifyDiagnostics{
      "verify-diagnostics",
      cl::desc("Check the diagnostics against the `// expected-error "
               "{{...}}` comments of the input"),
      cl::cat(IOCategory)};

  cl::opt<std::string> PassPipeline{
      "pass-pipeline",
      cl::desc("The passes to run, e.g. `dce,print-stats{json=true}`"),
      cl::value_desc("pipeline"), cl::cat(PipelineCategory)};
  cl::opt<bool> ListPasses{
      "list-passes",
      cl::desc("List the registered passes with their options and exit"),
      cl::cat(PipelineCategory)};
  cl::opt<bool> ListRules{
      "list-rules",
      cl::desc("List every rule of every registered rule set and exit"),
      cl::cat(PipelineCategory)};

  cl::list<std::string> LoadPlugins{
      "load-plugin",
      cl::desc("Load a tg plugin (a shared library exporting "
               "tgGetPluginInfo) before anything else; repeatable"),
      cl::value_desc("path"), cl::cat(PipelineCategory)};
  cl::opt<std::string> VerifyRules{
      "verify-rules",
      cl::desc("Prove every rule of every registered rule set (or of the "
               "named one) with Z3 and exit; needs no input"),
      cl::value_desc("set"), cl::ValueOptional, cl::cat(PipelineCategory)};
  cl::opt<bool> VerifyRulesTime{
      "verify-rules-time",
      cl::desc("With --verify-rules, print the time each rule took to "
               "stderr"),
      cl::cat(PipelineCategory)};

  cl::opt<bool> PrintIRAfterAll{
      "print-ir-after-all", cl::desc("Print the IR to stderr after each pass"),
      cl::cat(DebugCategory)};
  cl::list<std::string> PrintIRAfter{
      "print-ir-after",
      cl::desc("Print the IR to stderr after each run of the given passes"),
      cl::value_desc("pass"), cl::CommaSeparated, cl::cat(DebugCategory)};
  cl::opt<VerifyEachKind> VerifyEach{
      "verify-each",
      cl::desc("Verify the IR after parsing and after each pass"),
      cl::values(
          clEnumValN(VerifyEachKind::Spec, "spec", "the IR verifier (default)"),
          clEnumValN(VerifyEachKind::Z3, "z3",
                     "the IR verifier, and Z3 proves each pass run correct "
                     "(translation validation)"),
          clEnumValN(VerifyEachKind::None, "none", "no verification")),
      cl::init(VerifyEachKind::Spec), cl::cat(DebugCategory)};
  bool LLVMTimePassesRemoved = unregisterLLVMOption("time-passes");
  cl::opt<bool> TimePasses{
      "time-passes",
      cl::desc("Print the wall time of each pass to stderr at exit"),
      cl::cat(DebugCategory)};
  cl::opt<bool> PassStatistics{
      "pass-statistics",
      cl::desc("Print the statistics of the passes to stderr at exit"),
      cl::cat(DebugCategory)};
  cl::opt<bool> RewriteStats{
      "rewrite-stats",
      cl::desc("Print how often each rule fired and the time per rule set "
               "of the symbolic passes to stderr at exit"),
      cl::cat(DebugCategory)};
  cl::opt<bool> DebugRewrite{
      "debug-rewrite",
      cl::desc("Print every rule application of the symbolic passes to "
               "stderr: rule, before, after"),
      cl::cat(DebugCategory)};

  cl::OptionCategory TargetCategory{"Compiling for a device"};
  cl::opt<std::string> CompileFor{
      "compile-for", cl::value_desc("device[:arch]|null:<arch>"),
      cl::desc("After the pipeline, render and compile every kernel for this "
               "device with its compiler (no hardware needed) and print, "
               "instead of the IR, one line per kernel: its binary's size "
               "and format"),
      cl::cat(TargetCategory)};
  cl::opt<std::string> TargetCompiler{
      "compiler", cl::value_desc("name"),
      cl::desc("With --compile-for: which of the device's compilers (default: "
               "its first)"),
      cl::cat(TargetCategory)};
  cl::opt<bool> EmitSource{
      "emit-source",
      cl::desc("With --compile-for: print each kernel's rendered source "
               "instead of the size line"),
      cl::cat(TargetCategory)};
};

/// Everything a chunk is processed with.
struct Driver {
  const OptMainOptions &Opts;
  PassManager PM;
  PassTiming *Timing = nullptr;

  LogicalResult processBuffer(std::unique_ptr<llvm::MemoryBuffer> Buffer,
                              llvm::raw_ostream &OS);
  LogicalResult runOnBuffer(unsigned BufferID, DiagnosticEngine &Diag,
                            llvm::raw_ostream &OS);
  /// --compile-for: compiles every kernel of `M`; errors at the kernel.
  LogicalResult compileKernels(const Module &M, DiagnosticEngine &Diag,
                               llvm::raw_ostream &OS);
};

} // namespace

static OptMainOptions &getOptions() {
  static OptMainOptions Options;
  return Options;
}

static llvm::raw_ostream &error() {
  return llvm::WithColor::error(llvm::errs(), "tg-opt");
}

LogicalResult Driver::runOnBuffer(unsigned BufferID, DiagnosticEngine &Diag,
                                  llvm::raw_ostream &OS) {
  Context Ctx;
  std::unique_ptr<Module> M;
  {
    PassTiming::Scope S(Timing, "Parser");
    M = parseModule(BufferID, Ctx, Diag);
  }
  if (!M)
    return failure();
  if (Opts.VerifyEach != VerifyEachKind::None) {
    PassTiming::Scope S(Timing, "Verifier");
    if (failed(verifyModule(*M, Diag)))
      return failure();
  }
  if (failed(PM.run(*M, Diag)))
    return failure();
  PassTiming::Scope S(Timing, "Output");
  if (!Opts.CompileFor.empty())
    return compileKernels(*M, Diag, OS);
  printModule(*M, OS);
  return success();
}

LogicalResult Driver::compileKernels(const Module &M, DiagnosticEngine &Diag,
                                     llvm::raw_ostream &OS) {
  auto Fail = [&](llvm::Error E) {
    error() << "--compile-for=" << Opts.CompileFor << ": "
            << llvm::toString(std::move(E)) << "\n";
    return failure();
  };
  llvm::Expected<DeviceSpec> Spec = parseDeviceSpec(Opts.CompileFor);
  if (!Spec)
    return Fail(Spec.takeError());
  llvm::Expected<Backend *> B = TargetRegistry::get().getOrLoad(*Spec->Device);
  if (!B)
    return Fail(B.takeError());
  std::string Name = Opts.TargetCompiler.empty()
                         ? std::string(Spec->Device->getCompilers()[0])
                         : Opts.TargetCompiler.getValue();
  if (!llvm::is_contained(Spec->Device->getCompilers(), Name))
    return Fail(llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "device '" + llvm::Twine(Spec->Device->Name) + "' has no compiler '" +
            Name + "' (it has " +
            llvm::join(Spec->Device->getCompilers(), ", ") + ")"));
  llvm::Expected<std::unique_ptr<Compiler>> C =
      (*B)->createCompiler(Name, *Spec->Arch);
  if (!C)
    return Fail(C.takeError());
  bool Failed = false;
  for (const std::unique_ptr<Function> &F : M.Functions) {
    if (!F->isKernel())
      continue;
    llvm::Expected<CompiledKernel> K = (*C)->compileKernel(*F, *Spec->Arch);
    if (!K) {
      (void)Diag.error(F->getLoc(), llvm::toString(K.takeError()));
      Failed = true;
      continue;
    }
    if (Opts.EmitSource)
      OS << K->Source;
    else
      OS << "@" << F->getName() << ": " << K->Binary.size() << " bytes of "
         << K->BinaryFormat << " for " << Spec->Arch->Name << " (" << Name
         << ")\n";
  }
  return failure(Failed);
}

LogicalResult Driver::processBuffer(std::unique_ptr<llvm::MemoryBuffer> Buffer,
                                    llvm::raw_ostream &OS) {
  llvm::SourceMgr SM;
  unsigned BufferID = SM.AddNewSourceBuffer(std::move(Buffer), llvm::SMLoc());
  DiagnosticEngine Diag(SM);
  if (!Opts.VerifyDiagnostics)
    return runOnBuffer(BufferID, Diag, OS);
  DiagnosticVerifier Verifier(SM, BufferID, llvm::errs());
  Diag.setHandler([&](const Diagnostic &D) { Verifier.handle(D); });
  (void)runOnBuffer(BufferID, Diag, OS);
  return Verifier.verify();
}

/// Adds the instrumentations the flags ask for. After-hooks run in reverse
/// order: the timer stops first, then the IR is printed, then verified.
static LogicalResult addInstrumentations(const OptMainOptions &Opts,
                                         Driver &D) {
  for (const std::string &Name : Opts.PrintIRAfter)
    if (!lookupPass(Name)) {
      error() << "--print-ir-after: " << getUnknownPassMessage(Name) << "\n";
      return failure();
    }
  if (Opts.VerifyEach != VerifyEachKind::None)
    D.PM.addInstrumentation(std::make_unique<VerifyEachInstrumentation>());
  if (Opts.VerifyEach == VerifyEachKind::Z3)
    D.PM.addInstrumentation(createTranslationValidationInstrumentation());
  if (Opts.PrintIRAfterAll || !Opts.PrintIRAfter.empty()) {
    auto ShouldPrint = [&Opts](const Pass &P) {
      return Opts.PrintIRAfterAll ||
             llvm::is_contained(Opts.PrintIRAfter, P.getArgument());
    };
    D.PM.addInstrumentation(
        std::make_unique<PrintIRInstrumentation>(ShouldPrint, llvm::errs()));
  }
  if (Opts.TimePasses) {
    auto Timing = std::make_unique<PassTiming>();
    D.Timing = Timing.get();
    D.PM.addInstrumentation(std::move(Timing));
  }
  return success();
}

static std::vector<std::unique_ptr<llvm::MemoryBuffer>>
getChunks(std::unique_ptr<llvm::MemoryBuffer> Input, bool Split) {
  if (Split)
    return splitInputFile(*Input);
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> Chunks;
  Chunks.push_back(std::move(Input));
  return Chunks;
}

/// --verify-rules[=<set>]: 0 when every rule is proved or checked.
static int verifyRuleSets(llvm::StringRef SetName, bool PrintTimes) {
  const RuleSetRegistry &Registry = RuleSetRegistry::get();
  std::vector<const RuleSet *> Sets = Registry.getAll();
  if (!SetName.empty()) {
    const RuleSet *Set = Registry.lookup(SetName);
    if (!Set) {
      error() << "--verify-rules: no rule set named '" << SetName
              << "'; known sets:";
      for (const RuleSet *Known : Sets)
        llvm::errs() << " " << Known->getName();
      llvm::errs() << "\n";
      return 1;
    }
    Sets = {Set};
  }
  RuleProverOptions Options;
  if (PrintTimes)
    Options.Times = &llvm::errs();
  RuleProofSummary Summary = verifyRules(Sets, llvm::outs(), Options);
  return Summary.Failed == 0 ? 0 : 1;
}

int tg::tgOptMain(int argc, char **argv) {
  llvm::InitLLVM InitLLVM(argc, argv);
  registerCorePasses();
  registerSymbolicPasses();
  registerCodegenPasses();
  registerVerifyPasses();
  const OptMainOptions &Opts = getOptions();
  cl::HideUnrelatedOptions(
      {&Opts.IOCategory, &Opts.PipelineCategory, &Opts.DebugCategory});
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "tg-opt version " << TG_VERSION << "\n";
  });
  cl::ParseCommandLineOptions(
      argc, argv,
      "tg-opt: parses a .tg file, runs a pass pipeline over it and prints "
      "the result\n");

  for (const std::string &Path : Opts.LoadPlugins) {
    llvm::Expected<Plugin> P = Plugin::load(Path);
    if (!P) {
      error() << llvm::toString(P.takeError()) << "\n";
      return 1;
    }
    P->registerComponents();
  }
  if (Opts.VerifyRules.getNumOccurrences())
    return verifyRuleSets(Opts.VerifyRules, Opts.VerifyRulesTime);
  if (Opts.ListPasses) {
    printRegisteredPasses(llvm::outs());
    return 0;
  }
  if (Opts.ListRules) {
    RuleSetRegistry::get().printRules(llvm::outs());
    return 0;
  }
  std::optional<RewriteStatistics> RewriteStats;
  SymbolicPassOptions &SymbolicOpts = getSymbolicPassOptions();
  if (Opts.RewriteStats)
    SymbolicOpts.Statistics = &RewriteStats.emplace(/*Timing=*/true);
  if (Opts.DebugRewrite)
    SymbolicOpts.Tracer = makeStreamTracer(llvm::errs());

  Driver D{Opts, PassManager(), nullptr};
  if (failed(parsePassPipeline(Opts.PassPipeline, D.PM, llvm::errs())) ||
      failed(addInstrumentations(Opts, D)))
    return 1;

  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Input =
      llvm::MemoryBuffer::getFileOrSTDIN(Opts.InputFilename, /*IsText=*/true);
  if (std::error_code EC = Input.getError()) {
    error() << "could not open input file '" << Opts.InputFilename
            << "': " << EC.message() << "\n";
    return 1;
  }
  std::error_code EC;
  llvm::ToolOutputFile Output(Opts.OutputFilename, EC, llvm::sys::fs::OF_None);
  if (EC) {
    error() << "could not open output file '" << Opts.OutputFilename
            << "': " << EC.message() << "\n";
    return 1;
  }

  bool Failed = false;
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> Chunks =
      getChunks(std::move(*Input), Opts.SplitInputFile);
  for (size_t I = 0; I < Chunks.size(); ++I) {
    if (I != 0)
      Output.os() << SplitMarker << "\n";
    Failed |= failed(D.processBuffer(std::move(Chunks[I]), Output.os()));
  }

  if (D.Timing)
    D.Timing->print(llvm::errs());
  if (Opts.PassStatistics)
    D.PM.printStatistics(llvm::errs());
  if (RewriteStats)
    RewriteStats->print(llvm::errs());
  if (Failed)
    return 1;
  Output.keep();
  return 0;
}
