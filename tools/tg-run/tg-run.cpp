//===- tg-run.cpp - compile and run IR on a device ------------------------===//
//
// tg-run file.tg [--device=<dev>[:<arch>]] [--compiler=<name>] [--check] ...
//
// Runs a module's `main` (or its single kernel) on a device:
//   1. buffers: a module's declared buffers (or one per parameter of a lone
//      kernel); a buffer some kernel loads before any kernel stores it is an
//      input (random, zeros or .npy), one a kernel stores is an output;
//   2. lowering: each kernel through the pipeline (symbolic simplification,
//      remove-reduce, linearize) and the device's compiler;
//   3. running: the schedule in order on the device's runtime, timed;
//   4. --check: the same schedule in the reference interpreter on the
//      kernels lowered with no optimization at all, every output compared
//      element by element.
//
//===----------------------------------------------------------------------===//

#include "HostData.h"

#ifdef TG_HAVE_CPU_BACKEND
#include "CPUBackend.h"
#endif

#include "tg/Codegen/Passes.h"
#include "tg/Codegen/RangeScope.h"
#include "tg/IR/Arg.h"
#include "tg/IR/Parser.h"
#include "tg/IR/Verifier.h"
#include "tg/Interp/Interpreter.h"
#include "tg/Pass/PassManager.h"
#include "tg/Symbolic/Passes.h"
#include "tg/Target/Target.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <random>

using namespace tg;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory RunCategory("tg-run options");

cl::opt<std::string> InputFile(cl::Positional, cl::desc("<input .tg file>"),
                               cl::init("-"), cl::cat(RunCategory));
cl::opt<std::string>
    DeviceOpt("device",
              cl::desc("Where to run: cpu, nv, amd, metal, qcom, each "
                       "optionally :<arch>, or null:<arch> to compile only "
                       "(default cpu)"),
              cl::value_desc("device[:arch]"), cl::init("cpu"),
              cl::cat(RunCategory));
cl::opt<std::string>
    CompilerOpt("compiler",
                cl::desc("Which of the device's compilers (default: its "
                         "first; --list-devices shows them)"),
                cl::value_desc("name"), cl::cat(RunCategory));
cl::list<std::string> Sets("set",
                           cl::desc("Give a variable of a lone kernel a value"),
                           cl::value_desc("name=value"), cl::cat(RunCategory));
cl::opt<std::string>
    InputsOpt("inputs",
              cl::desc("Input values: random (default), zeros, or a "
                       "directory holding <buffer>.npy for each input"),
              cl::value_desc("random|zeros|dir"), cl::init("random"),
              cl::cat(RunCategory));
cl::opt<uint64_t> Seed("seed", cl::desc("Seed of the random inputs"),
                       cl::init(0), cl::cat(RunCategory));
cl::opt<bool> Check("check",
                    cl::desc("Compare every output with the reference "
                             "interpreter; exit 1 on a mismatch"),
                    cl::cat(RunCategory));
cl::opt<unsigned> Bench("bench",
                        cl::desc("Run the schedule N more times and report "
                                 "each kernel's median and best time"),
                        cl::value_desc("N"), cl::init(0), cl::cat(RunCategory));
cl::opt<std::string>
    SaveOutputs("save-outputs",
                cl::desc("Write each output buffer to <dir>/<buffer>.npy"),
                cl::value_desc("dir"), cl::cat(RunCategory));
enum class EmitKind { None, Source, Binary };
cl::opt<EmitKind> Emit(
    "emit", cl::desc("Write what the compiler makes instead of running"),
    cl::values(clEnumValN(EmitKind::Source, "source", "the rendered source"),
               clEnumValN(EmitKind::Binary, "binary",
                          "the compiled binary (one kernel)")),
    cl::init(EmitKind::None), cl::cat(RunCategory));
cl::opt<std::string> OutputFile("o", cl::desc("Where --emit writes"),
                                cl::value_desc("file"), cl::init("-"),
                                cl::cat(RunCategory));
cl::opt<bool> Json("json", cl::desc("Print the results as JSON"),
                   cl::cat(RunCategory));
cl::opt<bool> ListDevices("list-devices",
                          cl::desc("List the devices, arches, compilers and "
                                   "plugins, and whether each runs here"),
                          cl::cat(RunCategory));
cl::opt<std::string> PipelineOpt(
    "pipeline",
    cl::desc("The passes that lower each kernel for the device (a tg-opt "
             "pipeline; default: heuristic and opt for the arch, expand (with "
             "lane-accumulators on the CPU), "
             "symbolic, coalesce, images and symbolic on arches with images, "
             "gpudims on GPUs, lower-index, decompose, remove-reduce, "
             "linearize)"),
    cl::value_desc("passes"), cl::cat(RunCategory));
cl::opt<bool> NoOpt("no-opt",
                    cl::desc("Apply no opts: neither the heuristic's nor "
                             "those the kernels carry"),
                    cl::cat(RunCategory));
cl::list<std::string> LoadPlugins("load-plugin",
                                  cl::desc("Load a backend plugin"),
                                  cl::value_desc("path"), cl::cat(RunCategory));
cl::list<std::string> PluginPaths("plugin-path",
                                  cl::desc("Search this directory for "
                                           "libtg-backend-<name>.so"),
                                  cl::value_desc("dir"), cl::cat(RunCategory));

/// Reports an error (`tg-run: error: ...`) and returns 1, for `return`.
int fail(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "tg-run") << Message << "\n";
  return 1;
}
int fail(llvm::Error E) { return fail(llvm::toString(std::move(E))); }

/// A buffer of the run.
struct RunBuffer {
  RunBuffer(std::string Name, HostBuffer Host)
      : Name(std::move(Name)), Host(std::move(Host)) {}

  std::string Name;
  HostBuffer Host;
  bool IsInput = false, IsOutput = false;
  std::unique_ptr<DeviceBuffer> OnDevice;
};

/// One kernel launch of the schedule.
struct Launch {
  std::string Kernel;
  std::vector<unsigned> Buffers; ///< By define id: index into the buffers.
  std::vector<int64_t> Vars;     ///< In define_var parameter order.
  std::vector<double> Seconds;
};

/// The `define` parameter a pointer is built from (through index, after,
/// ...), or null.
const UOp *getBaseBuffer(const UOp *Pointer) {
  while (Pointer->getOp() != Op::Define) {
    if (Pointer->getNumSrcs() == 0 ||
        !Pointer->getSrc(0)->getDType().isPointer())
      return nullptr;
    Pointer = Pointer->getSrc(0);
  }
  return Pointer;
}

/// Which buffer parameters (by define id) `Kernel` loads and stores.
void getAccesses(const Function &Kernel, std::vector<bool> &Loads,
                 std::vector<bool> &Stores) {
  Loads.assign(Kernel.Params.size(), false);
  Stores.assign(Kernel.Params.size(), false);
  for (const UOp *U : Kernel.getBody()) {
    if (U->getOp() != Op::Load && U->getOp() != Op::Store)
      continue;
    const UOp *Base = getBaseBuffer(U->getSrc(0));
    if (!Base || !llvm::is_contained(Kernel.Params, Base))
      continue;
    size_t Id = Base->getArgField(0)->getInt();
    if (Id < Loads.size())
      (U->getOp() == Op::Load ? Loads : Stores)[Id] = true;
  }
}

/// Arithmetic the kernel does (elementwise ops on values that are not
/// indices), each counted as often as the loops around it run, times the
/// threads of the launch where the kernel has launch indices (every thread
/// runs the whole body).
double estimateFlops(const Function &Kernel, llvm::ArrayRef<int64_t> Vars) {
  std::vector<const UOp *> VarParams;
  for (const UOp *P : Kernel.Params)
    if (P->getOp() == Op::DefineVar)
      VarParams.push_back(P);
  auto Leaf = [&](const UOp *U) -> std::optional<ConstValue> {
    for (size_t I = 0; I != VarParams.size(); ++I)
      if (VarParams[I] == U && I < Vars.size())
        return ConstValue::getInt(Vars[I]);
    return std::nullopt;
  };
  double Threads = 1;
  for (const UOp *U : Kernel.getBody())
    if (U->getOp() == Op::Special)
      if (std::optional<ConstValue> Size = evalScalar(U->getSrc(0), Leaf))
        Threads *= double(std::max<int64_t>(Size->getInt(), 1));
  RangeScope Scope;
  double Flops = 0;
  for (const UOp *U : Kernel.getBody()) {
    // A reduce combines each element of its source once: one op per
    // element, in the loops around the source.
    bool IsReduce = U->getOp() == Op::Reduce;
    if ((!U->hasTrait(OpTrait::Elementwise) && !IsReduce) ||
        U->getDType().isIndex() || U->getDType().isBool() ||
        U->getOp() == Op::Cast || U->getOp() == Op::Bitcast)
      continue;
    double Count = U->getDType().getCount();
    llvm::SmallBitVector Open = Scope.getOpen(IsReduce ? U->getSrc(0) : U);
    for (unsigned R : Open.set_bits()) {
      std::optional<ConstValue> Trips =
          evalScalar(Scope.getRange(R)->getSrc(0), Leaf);
      Count *= Trips ? double(std::max<int64_t>(Trips->getInt(), 0)) : 1;
    }
    Flops += U->getOp() == Op::MulAcc ? 2 * Count : Count;
  }
  return Flops * Threads;
}

/// The median of `Values` (not empty).
double median(std::vector<double> Values) {
  std::sort(Values.begin(), Values.end());
  size_t N = Values.size();
  return N % 2 ? Values[N / 2] : (Values[N / 2 - 1] + Values[N / 2]) / 2;
}

/// The run of one module.
class Runner {
public:
  int run();

private:
  int load();
  int makeSchedule();
  int classifyBuffers();
  int initInputs();
  int lower(Module &M, llvm::StringRef Pipeline);
  int compile();
  int emit();
  int execute();
  int check();
  int saveOutputs();
  void report();
  void listDevices();

  Context Ctx;
  llvm::SourceMgr SM;
  DiagnosticEngine Diag{SM};
  std::unique_ptr<Module> M, Oracle;
  DeviceSpec Spec{};
  Backend *TheBackend = nullptr;
  std::unique_ptr<Compiler> TheCompiler;
  std::unique_ptr<Runtime> TheRuntime;

  std::vector<RunBuffer> Buffers;
  /// The buffers before the first launch, for the interpreter's replay.
  std::vector<HostBuffer> InitialState;
  std::vector<Launch> Schedule;
  std::map<std::string, CompiledKernel> Compiled;
  std::map<std::string, double> CompileMs;
  std::map<std::string, std::unique_ptr<LoadedKernel>> Loaded;
  std::string CheckResult; ///< What --check found, for the report.
};

int Runner::load() {
  auto File = llvm::MemoryBuffer::getFileOrSTDIN(InputFile);
  if (!File)
    return fail("cannot read '" + InputFile +
                "': " + File.getError().message());
  unsigned Id = SM.AddNewSourceBuffer(std::move(*File), llvm::SMLoc());
  M = parseModule(Id, Ctx, Diag);
  if (!M || failed(verifyModule(*M, Diag)))
    return 1;
  // The oracle's copy, lowered with no optimization.
  Oracle = parseModule(Id, Ctx, Diag);
  return Oracle ? 0 : 1;
}

int Runner::makeSchedule() {
  std::map<std::string, int64_t> Given;
  for (llvm::StringRef Set : Sets) {
    auto [Name, Value] = Set.split('=');
    int64_t V;
    if (Name.empty() || Value.getAsInteger(10, V))
      return fail("--set expects name=<integer>, got '" + Set + "'");
    Given[Name.str()] = V;
  }

  if (M->Main) {
    if (!Given.empty())
      llvm::WithColor::warning(llvm::errs(), "tg-run")
          << "--set is ignored: main gives every variable its value\n";
    for (const BufferDecl &B : M->Buffers) {
      if (B.Type.isImage() || B.Type.getSize() < 0)
        return fail("buffer @" + B.Name + " needs a known size to run");
      Buffers.emplace_back(B.Name,
                           HostBuffer(B.Type.getElement(), B.Type.getSize()));
    }
    for (const Call &C : M->Main->Calls) {
      Launch L;
      L.Kernel = C.Callee;
      for (const CallArg &A : C.Args) {
        if (A.isBuffer()) {
          const std::string &Name = std::get<std::string>(A.Value);
          auto It = llvm::find_if(
              Buffers, [&](const RunBuffer &B) { return B.Name == Name; });
          L.Buffers.push_back(It - Buffers.begin());
        } else {
          L.Vars.push_back(std::get<int64_t>(A.Value));
        }
      }
      Schedule.push_back(std::move(L));
    }
    return 0;
  }

  std::vector<const Function *> Kernels;
  for (const auto &F : M->Functions)
    if (F->isKernel())
      Kernels.push_back(F.get());
  if (Kernels.size() != 1)
    return fail(llvm::Twine(Kernels.size()) + " kernels and no main in '" +
                InputFile + "': add a main that calls them in order");
  const Function &K = *Kernels[0];
  Launch L;
  L.Kernel = K.getName().str();
  for (const UOp *P : K.Params) {
    if (P->getOp() == Op::Define) {
      DType T = P->getDType();
      if (T.isImage() || T.getSize() < 0)
        return fail("parameter %" + K.getName(P) + " of @" + K.getName() +
                    " needs a known size to run");
      L.Buffers.push_back(Buffers.size());
      Buffers.emplace_back(K.getName(P).str(),
                           HostBuffer(T.getElement(), T.getSize()));
      continue;
    }
    llvm::StringRef Name = P->getArgField(0)->getString();
    auto It = Given.find(Name.str());
    if (It == Given.end())
      return fail("variable '" + Name + "' of @" + K.getName() +
                  " needs a value: --set " + Name + "=<value>");
    int64_t Min = P->getArgField(1)->getInt(),
            Max = P->getArgField(2)->getInt();
    if (It->second < Min || It->second > Max)
      return fail("--set " + Name + "=" + llvm::Twine(It->second) +
                  " is outside [" + llvm::Twine(Min) + ", " + llvm::Twine(Max) +
                  "]");
    L.Vars.push_back(It->second);
    Given.erase(It);
  }
  if (!Given.empty())
    return fail("--set names '" + Given.begin()->first + "', which @" +
                K.getName() + " does not have");
  Schedule.push_back(std::move(L));
  return 0;
}

int Runner::classifyBuffers() {
  std::vector<bool> Stored(Buffers.size());
  for (const Launch &L : Schedule) {
    std::vector<bool> Loads, Stores;
    getAccesses(*M->lookupFunction(L.Kernel), Loads, Stores);
    for (size_t Id = 0; Id != L.Buffers.size(); ++Id) {
      unsigned B = L.Buffers[Id];
      if (Loads[Id] && !Stored[B])
        Buffers[B].IsInput = true;
      if (Stores[Id])
        Stored[B] = Buffers[B].IsOutput = true;
    }
  }
  return 0;
}

int Runner::initInputs() {
  std::mt19937_64 Rng(Seed);
  for (RunBuffer &B : Buffers) {
    if (!B.IsInput || InputsOpt == "zeros")
      continue;
    if (InputsOpt == "random") {
      run::fillRandom(B.Host, Rng);
      continue;
    }
    if (!llvm::sys::fs::is_directory(InputsOpt))
      return fail("--inputs must be random, zeros or a directory; '" +
                  InputsOpt + "' is none of them");
    llvm::SmallString<256> Path(InputsOpt);
    llvm::sys::path::append(Path, B.Name + ".npy");
    if (llvm::Error E = run::readNpy(Path, B.Host))
      return fail(std::move(E));
  }
  for (const RunBuffer &B : Buffers)
    InitialState.push_back(B.Host);
  return 0;
}

int Runner::lower(Module &Mod, llvm::StringRef Pipeline) {
  PassManager PM;
  std::string Errors;
  llvm::raw_string_ostream OS(Errors);
  if (failed(parsePassPipeline(Pipeline, PM, OS)))
    return fail(Errors);
  return failed(PM.run(Mod, Diag)) ? 1 : 0;
}

int Runner::compile() {
  for (const Launch &L : Schedule) {
    if (Compiled.count(L.Kernel))
      continue;
    const Function &K = *M->lookupFunction(L.Kernel);
    auto Start = std::chrono::steady_clock::now();
    llvm::Expected<CompiledKernel> C =
        TheCompiler->compileKernel(K, *Spec.Arch);
    if (!C)
      return fail(C.takeError());
    CompileMs[L.Kernel] = std::chrono::duration<double, std::milli>(
                              std::chrono::steady_clock::now() - Start)
                              .count();
    Compiled[L.Kernel] = std::move(*C);
  }
  return 0;
}

int Runner::emit() {
  std::error_code EC;
  llvm::raw_fd_ostream OS(OutputFile, EC);
  if (EC)
    return fail("cannot write '" + OutputFile + "': " + EC.message());
  if (Emit == EmitKind::Source) {
    for (const auto &[Name, C] : Compiled)
      OS << C.Source;
    return 0;
  }
  if (Compiled.size() != 1)
    return fail("--emit=binary writes one kernel; the schedule has " +
                llvm::Twine(Compiled.size()));
  if (OutputFile == "-" && llvm::sys::Process::StandardOutIsDisplayed())
    return fail("not writing a binary to a terminal; use -o <file>");
  const std::vector<char> &Binary = Compiled.begin()->second.Binary;
  OS.write(Binary.data(), Binary.size());
  return 0;
}

int Runner::execute() {
  for (RunBuffer &B : Buffers) {
    auto OnDevice = TheRuntime->allocate(B.Host.Bytes.size());
    if (!OnDevice)
      return fail(OnDevice.takeError());
    B.OnDevice = std::move(*OnDevice);
    if (llvm::Error E = TheRuntime->copyIn(*B.OnDevice, B.Host.Bytes.data()))
      return fail(std::move(E));
  }
  for (const auto &[Name, C] : Compiled) {
    auto K = TheRuntime->load(*M->lookupFunction(Name), C);
    if (!K)
      return fail(K.takeError());
    Loaded[Name] = std::move(*K);
  }
  for (unsigned Round = 0; Round <= Bench; ++Round)
    for (Launch &L : Schedule) {
      std::vector<DeviceBuffer *> Args;
      for (unsigned B : L.Buffers)
        Args.push_back(Buffers[B].OnDevice.get());
      llvm::Expected<double> Seconds =
          TheRuntime->launch(*Loaded[L.Kernel], Args, L.Vars);
      if (!Seconds)
        return fail(Seconds.takeError());
      // With --bench the first round warms up.
      if (!Bench || Round)
        L.Seconds.push_back(*Seconds);
    }
  for (RunBuffer &B : Buffers)
    if (B.IsOutput)
      if (llvm::Error E = TheRuntime->copyOut(B.Host.Bytes.data(), *B.OnDevice))
        return fail(std::move(E));
  return 0;
}

int Runner::check() {
  // The interpreter replays the schedule from the same inputs on the
  // kernels lowered without optimization.
  std::vector<HostBuffer> Want = InitialState;
  // A benchmark runs the schedule again over its own outputs; replay as
  // many rounds so buffers read and written by one kernel agree.
  for (unsigned Round = 0; Round <= Bench; ++Round)
    for (const Launch &L : Schedule) {
      KernelArguments Args;
      for (unsigned B : L.Buffers)
        Args.Buffers.push_back(&Want[B]);
      const Function &K = *Oracle->lookupFunction(L.Kernel);
      size_t V = 0;
      for (const UOp *P : K.Params)
        if (P->getOp() == Op::DefineVar)
          Args.Variables[P->getArgField(0)->getString()] = L.Vars[V++];
      if (failed(interpret(K, Args, Diag)))
        return fail("the reference interpreter could not run @" + L.Kernel);
    }
  unsigned Outputs = 0;
  for (size_t I = 0; I != Buffers.size(); ++I) {
    if (!Buffers[I].IsOutput)
      continue;
    ++Outputs;
    run::Tolerance Tol = run::Tolerance::forType(Want[I].Element);
    if (std::optional<run::Mismatch> Diff =
            run::compare(Buffers[I].Host, Want[I], Tol)) {
      std::string Where = "element " + std::to_string(Diff->Element);
      if (Want[I].Element.getCount() > 1)
        Where += " lane " + std::to_string(Diff->Lane);
      return fail(
          "check failed: buffer @" + Buffers[I].Name + " differs at " + Where +
          ": " + Spec.str() + " gives " + Diff->Got + ", the interpreter " +
          Diff->Want +
          (Tol.Atol || Tol.Rtol
               ? llvm::formatv(" (tolerance {0} + {1} * |want|)",
                               run::format(ConstValue::getFloat(Tol.Atol)),
                               run::format(ConstValue::getFloat(Tol.Rtol)))
                     .str()
               : std::string()));
    }
  }
  CheckResult = "passed (" + std::to_string(Outputs) +
                (Outputs == 1 ? " output matches" : " outputs match") +
                " the interpreter)";
  return 0;
}

int Runner::saveOutputs() {
  if (std::error_code EC = llvm::sys::fs::create_directories(SaveOutputs))
    return fail("cannot create '" + SaveOutputs + "': " + EC.message());
  for (const RunBuffer &B : Buffers) {
    if (!B.IsOutput)
      continue;
    llvm::SmallString<256> Path(SaveOutputs);
    llvm::sys::path::append(Path, B.Name + ".npy");
    if (llvm::Error E = run::writeNpy(Path, B.Host))
      return fail(std::move(E));
  }
  return 0;
}

void Runner::report() {
  llvm::json::Array Kernels;
  if (!Json)
    llvm::outs() << "tg-run: " << InputFile << " on " << Spec.str()
                 << " (compiler " << TheCompiler->getName() << ")\n";
  for (const Launch &L : Schedule) {
    double Bytes = 0;
    for (unsigned B : L.Buffers)
      Bytes += Buffers[B].Host.Bytes.size();
    // Counted on the kernel as written (the oracle's copy, at most lowered
    // by remove-reduce and linearize): after lower-index the address
    // arithmetic is i32 and would count as work.
    double Flops = estimateFlops(*Oracle->lookupFunction(L.Kernel), L.Vars);
    double Median = L.Seconds.empty() ? 0 : median(L.Seconds);
    double Best = L.Seconds.empty()
                      ? 0
                      : *std::min_element(L.Seconds.begin(), L.Seconds.end());
    double GBs = Median > 0 ? Bytes / Median / 1e9 : 0;
    double GFlops = Median > 0 ? Flops / Median / 1e9 : 0;
    if (Json) {
      Kernels.push_back(llvm::json::Object{{"name", L.Kernel},
                                           {"compile_ms", CompileMs[L.Kernel]},
                                           {"runs", int64_t(L.Seconds.size())},
                                           {"median_s", Median},
                                           {"best_s", Best},
                                           {"bytes", Bytes},
                                           {"flops", Flops},
                                           {"gb_per_s", GBs},
                                           {"gflop_per_s", GFlops}});
      continue;
    }
    llvm::outs() << llvm::formatv(
        "  @{0,-16} compile {1,8:f2} ms  run {2,10:f4} ms  {3,8:f2} GB/s  "
        "{4,8:f2} GFLOP/s",
        L.Kernel, CompileMs[L.Kernel], Median * 1e3, GBs, GFlops);
    if (Bench)
      llvm::outs() << llvm::formatv("  (median of {0}, best {1:f4} ms)",
                                    L.Seconds.size(), Best * 1e3);
    llvm::outs() << "\n";
  }
  if (!Json && Check)
    llvm::outs() << "check: " << CheckResult << "\n";
  if (Json) {
    llvm::json::Object Result{{"file", InputFile},
                              {"device", Spec.Device->Name},
                              {"arch", Spec.Arch->Name},
                              {"compiler", TheCompiler->getName()},
                              {"kernels", std::move(Kernels)},
                              {"check", Check ? "passed" : "not run"}};
    llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(Result)))
                 << "\n";
  }
}

void Runner::listDevices() {
  for (const DeviceInfo &D : getDevices()) {
    llvm::outs() << D.Name << ": " << D.Summary << "\n  arches:";
    for (const ArchInfo *A : D.getArches())
      llvm::outs() << " " << A->Name
                   << (llvm::StringRef(A->Name) == D.DefaultArch ? "*" : "");
    llvm::outs() << "\n  compilers: " << llvm::join(D.getCompilers(), ", ")
                 << " (first is the default)\n  plugin: ";
    llvm::Expected<Backend *> B = TargetRegistry::get().getOrLoad(D);
    if (!B) {
      llvm::consumeError(B.takeError());
      llvm::outs() << "libtg-backend-" << D.Plugin
                   << ".so (not found)\n  runs here: no\n";
      continue;
    }
    llvm::outs() << TargetRegistry::get().getPluginName(D.Name) << "\n";
    llvm::Expected<std::unique_ptr<Runtime>> R = (*B)->createRuntime();
    llvm::outs() << "  runs here: "
                 << (R ? "yes" : "no (" + llvm::toString(R.takeError()) + ")")
                 << "\n";
  }
}

int Runner::run() {
  if (ListDevices) {
    listDevices();
    return 0;
  }
  llvm::Expected<DeviceSpec> S = parseDeviceSpec(DeviceOpt);
  if (!S)
    return fail(S.takeError());
  Spec = *S;
  llvm::Expected<Backend *> B = TargetRegistry::get().getOrLoad(*Spec.Device);
  if (!B)
    return fail(B.takeError());
  TheBackend = *B;
  // `--device=<dev>` without an arch compiles for the hardware's own arch.
  if (!Spec.IsNull && !llvm::StringRef(DeviceOpt).contains(':')) {
    llvm::Expected<std::unique_ptr<Runtime>> R = TheBackend->createRuntime();
    if (R) {
      TheRuntime = std::move(*R);
      Spec.Arch = &TheRuntime->getArch();
    } else {
      llvm::consumeError(R.takeError()); // Reported below if it must run.
    }
  }
  std::string CompilerName = CompilerOpt.empty()
                                 ? std::string(Spec.Device->getCompilers()[0])
                                 : CompilerOpt.getValue();
  if (!llvm::is_contained(Spec.Device->getCompilers(), CompilerName))
    return fail("device '" + llvm::Twine(Spec.Device->Name) +
                "' has no compiler '" + CompilerName + "' (it has " +
                llvm::join(Spec.Device->getCompilers(), ", ") + ")");
  llvm::Expected<std::unique_ptr<Compiler>> C =
      TheBackend->createCompiler(CompilerName, *Spec.Arch);
  if (!C)
    return fail(C.takeError());
  TheCompiler = std::move(*C);

  if (int RC = load())
    return RC;
  if (int RC = makeSchedule())
    return RC;
  if (int RC = classifyBuffers())
    return RC;
  std::string Pipeline = PipelineOpt;
  if (Pipeline.empty()) {
    std::string Arch = Spec.Arch->Name;
    // Without work-group threads (the CPU), an unrolled reduction keeps one
    // accumulator per copy: a vector of partial results across its loop.
    std::string Expand =
        Spec.Arch->hasLocals() ? "expand" : "expand{lane-accumulators=true}";
    Pipeline = NoOpt ? "symbolic"
                     : "heuristic{arch=" + Arch + "},opt{arch=" + Arch + "}," +
                           Expand + ",symbolic,coalesce{arch=" + Arch + "}";
    if (!NoOpt && Spec.Arch->Images)
      Pipeline += ",images{arch=" + Arch + "},symbolic";
    if (Spec.Arch->hasLocals())
      Pipeline += ",gpudims{arch=" + Arch + "}";
    // On the CPU, f32 exp2 is decompose's polynomial (about 1 ulp), which
    // vectorizes, instead of libm's exp2 in double (docs/Backends.md).
    std::string Forced = llvm::StringRef(Spec.Device->Name) == "cpu"
                             ? " ops=exp2 types=f32"
                             : "";
    Pipeline += ",lower-index,decompose{arch=" + Arch + Forced +
                "},remove-reduce,linearize";
  }
  if (int RC = lower(*M, Pipeline))
    return RC;
  if (int RC = compile())
    return RC;
  if (Emit != EmitKind::None)
    return emit();
  if (Spec.IsNull) {
    for (const auto &[Name, Kernel] : Compiled)
      llvm::outs() << "@" << Name << ": " << Kernel.Binary.size()
                   << " bytes of " << Kernel.BinaryFormat << " for "
                   << Spec.Arch->Name << "\n";
    return 0;
  }
  if (!TheRuntime) {
    llvm::Expected<std::unique_ptr<Runtime>> R = TheBackend->createRuntime();
    if (!R)
      return fail("cannot run on " + Spec.str() + ": " +
                  llvm::toString(R.takeError()));
    TheRuntime = std::move(*R);
  }
  if (int RC = initInputs())
    return RC;
  if (int RC = execute())
    return RC;
  if (Check) {
    if (int RC = lower(*Oracle, "remove-reduce,linearize"))
      return RC;
    if (int RC = check())
      return RC;
  }
  if (!SaveOutputs.empty())
    if (int RC = saveOutputs())
      return RC;
  report();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM InitLLVM(argc, argv);
  cl::HideUnrelatedOptions(RunCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "tg-run: compiles a module's kernels for a device, runs its main (or "
      "its single kernel) and checks the outputs against the reference "
      "interpreter\n");
  registerCodegenPasses();
  registerSymbolicPasses();
#ifdef TG_HAVE_CPU_BACKEND
  cpu::registerBackend();
#endif
  for (const std::string &Dir : PluginPaths)
    TargetRegistry::get().addSearchDirectory(Dir);
  for (const std::string &Path : LoadPlugins)
    if (llvm::Error E = loadPlugin(Path))
      return fail(std::move(E));
  return Runner().run();
}
