//===- Target.cpp - the target registry and plugin search -----------------===//

#include "tg/Target/Target.h"

#include "tg/Target/Plugin.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <set>

using namespace tg;

Renderer::~Renderer() = default;
Compiler::~Compiler() = default;
DeviceBuffer::~DeviceBuffer() = default;
LoadedKernel::~LoadedKernel() = default;
Runtime::~Runtime() = default;
Backend::~Backend() = default;

llvm::Expected<CompiledKernel> Compiler::compileKernel(const Function &Kernel,
                                                       const ArchInfo &Arch) {
  CompiledKernel Out;
  Out.Name = Kernel.getName().str();
  llvm::Expected<std::string> Source = getRenderer().render(Kernel, Arch);
  if (!Source)
    return Source.takeError();
  Out.Source = std::move(*Source);
  if (llvm::Error E = compile(Kernel, Arch, Out))
    return std::move(E);
  return Out;
}

TargetRegistry &TargetRegistry::get() {
  // Never destroyed: a plugin's backends have their code in the plugin,
  // which LLVM's DynamicLibrary may unload before a static registry's
  // destructor would run at exit.
  static TargetRegistry *Registry = new TargetRegistry;
  return *Registry;
}

void TargetRegistry::add(std::unique_ptr<Backend> B,
                         llvm::StringRef PluginName) {
  if (lookup(B->getDevice().Name))
    return;
  Entries.push_back({std::move(B), PluginName.str()});
}

Backend *TargetRegistry::lookup(llvm::StringRef Device) const {
  for (const Entry &E : Entries)
    if (Device == E.TheBackend->getDevice().Name)
      return E.TheBackend.get();
  return nullptr;
}

llvm::StringRef TargetRegistry::getPluginName(llvm::StringRef Device) const {
  for (const Entry &E : Entries)
    if (Device == E.TheBackend->getDevice().Name)
      return E.PluginName;
  return {};
}

void TargetRegistry::addSearchDirectory(llvm::StringRef Dir) {
  SearchDirs.push_back(Dir.str());
}

std::vector<std::string> TargetRegistry::getSearchPath() const {
  std::vector<std::string> Path = SearchDirs;
  if (std::optional<std::string> Env =
          llvm::sys::Process::GetEnv("TG_PLUGIN_PATH")) {
    llvm::SmallVector<llvm::StringRef, 4> Dirs;
    llvm::StringRef(*Env).split(Dirs, ':', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef D : Dirs)
      Path.push_back(D.str());
  }
  // <prefix>/bin/tool -> <prefix>/lib.
  std::string Exe = llvm::sys::fs::getMainExecutable(
      nullptr, reinterpret_cast<void *>(&TargetRegistry::get));
  if (!Exe.empty()) {
    llvm::SmallString<256> Lib(
        llvm::sys::path::parent_path(llvm::sys::path::parent_path(Exe)));
    llvm::sys::path::append(Lib, "lib");
    Path.push_back(std::string(Lib));
  }
  return Path;
}

llvm::Error tg::loadPlugin(llvm::StringRef Path) {
  static std::set<std::string> Loaded;
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real))
    Real = Path;
  if (!Loaded.insert(std::string(Real)).second)
    return llvm::Error::success();
  llvm::Expected<Plugin> P = Plugin::load(Path);
  if (!P)
    return P.takeError();
  P->registerComponents();
  return llvm::Error::success();
}

llvm::Expected<Backend *> TargetRegistry::getOrLoad(const DeviceInfo &Device) {
  if (Backend *B = lookup(Device.Name))
    return B;
  std::string File =
      ("libtg-backend-" + llvm::Twine(Device.Plugin) + ".so").str();
  std::vector<std::string> Path = getSearchPath();
  for (const std::string &Dir : Path) {
    llvm::SmallString<256> Candidate(Dir);
    llvm::sys::path::append(Candidate, File);
    if (!llvm::sys::fs::exists(Candidate))
      continue;
    if (llvm::Error E = loadPlugin(Candidate))
      return std::move(E);
    if (Backend *B = lookup(Device.Name))
      return B;
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "plugin '" + Candidate +
                                       "' registers no backend for device '" +
                                       Device.Name + "'");
  }
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      "no backend for device '" + llvm::Twine(Device.Name) + "': " + File +
          " is not in the plugin search path (" + llvm::join(Path, ":") +
          "); build it, add its directory with --plugin-path or "
          "TG_PLUGIN_PATH, or load it with --load-plugin");
}
