//===- Target.h - renderers, compilers, runtimes and their registry -*- C++
//-*-===//
//
// A backend plugin gives tg three things per device (ARCHITECTURE.md,
// "Targets and plugins"):
//   - Renderers: a linearized kernel as source text (C, LLVM IR, CUDA, ...);
//   - Compilers: that text as a binary for one arch (an object file, a cubin,
//     a code object). A device has one or more named compilers (Devices.td),
//     each with the renderer it compiles;
//   - a Runtime: memory, loading binaries, launching, timing.
// Compiling needs no hardware, so `--device=null:<arch>` runs every stage up
// to a binary anywhere; only creating a Runtime asks for the device.
//
// A plugin registers a Backend per device with TargetRegistry from its
// tgPluginInfo::Register (Plugin.h); tools look backends up by device name
// and load `libtg-backend-<plugin>.so` from the plugin search path when the
// device's backend is not registered yet.
//
//===----------------------------------------------------------------------===//

#ifndef TG_TARGET_TARGET_H
#define TG_TARGET_TARGET_H

#include "tg/IR/Module.h"
#include "tg/Target/Device.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tg {

/// A kernel compiled for one arch: what `--emit` writes and a Runtime loads.
struct CompiledKernel {
  std::string Name;      ///< The kernel's name.
  std::string EntryName; ///< The symbol or function the runtime calls.
  std::string Source;    ///< The rendered source.
  std::vector<char> Binary;
  std::string BinaryFormat; ///< `elf-object`, `cubin`, `ptx`, `hsaco`, ...
};

class Renderer {
public:
  virtual ~Renderer();
  /// The language rendered: `c`, `llvm-ir`, `cuda`, ...
  virtual llvm::StringRef getLanguage() const = 0;
  /// The source of `Kernel`, which `linearize` has ordered.
  virtual llvm::Expected<std::string> render(const Function &Kernel,
                                             const ArchInfo &Arch) = 0;
};

class Compiler {
public:
  virtual ~Compiler();
  /// The name Devices.td lists (`llvm`, `clang`, `nvrtc`, ...).
  virtual llvm::StringRef getName() const = 0;
  virtual Renderer &getRenderer() = 0;
  /// Compiles `Source`, rendered from `Kernel`, for `Arch`: fills Binary,
  /// BinaryFormat and EntryName of `Out`.
  virtual llvm::Error compile(const Function &Kernel, const ArchInfo &Arch,
                              CompiledKernel &Out) = 0;

  /// Renders and compiles.
  llvm::Expected<CompiledKernel> compileKernel(const Function &Kernel,
                                               const ArchInfo &Arch);
};

/// A buffer in a device's memory.
class DeviceBuffer {
public:
  virtual ~DeviceBuffer();
  size_t getSize() const { return Size; }

protected:
  explicit DeviceBuffer(size_t Size) : Size(Size) {}
  size_t Size;
};

/// A kernel loaded on a device, ready to launch.
class LoadedKernel {
public:
  virtual ~LoadedKernel();
};

class Runtime {
public:
  virtual ~Runtime();
  /// The arch of the hardware this runtime drives.
  virtual const ArchInfo &getArch() const = 0;

  virtual llvm::Expected<std::unique_ptr<DeviceBuffer>>
  allocate(size_t Bytes) = 0;
  virtual llvm::Error copyIn(DeviceBuffer &To, const void *From) = 0;
  virtual llvm::Error copyOut(void *To, const DeviceBuffer &From) = 0;

  /// Loads `Compiled`, made from `Kernel` by one of the device's compilers.
  virtual llvm::Expected<std::unique_ptr<LoadedKernel>>
  load(const Function &Kernel, const CompiledKernel &Compiled) = 0;
  /// Runs `K` to completion with `Buffers` by `define` id and `Vars` in the
  /// order of the kernel's define_var parameters; the launch dimensions come
  /// from the kernel (its launch indices, or on a CPU its outermost global
  /// range). Returns the seconds the kernel took on the device.
  virtual llvm::Expected<double> launch(LoadedKernel &K,
                                        llvm::ArrayRef<DeviceBuffer *> Buffers,
                                        llvm::ArrayRef<int64_t> Vars) = 0;
};

/// What a plugin provides for one device.
class Backend {
public:
  virtual ~Backend();
  virtual const DeviceInfo &getDevice() const = 0;
  /// The compiler `Name` (one of the device's, Devices.td) for `Arch`.
  virtual llvm::Expected<std::unique_ptr<Compiler>>
  createCompiler(llvm::StringRef Name, const ArchInfo &Arch) = 0;
  /// A runtime on this machine's device; an error says why there is none
  /// (no driver, no hardware).
  virtual llvm::Expected<std::unique_ptr<Runtime>> createRuntime() = 0;
};

class TargetRegistry {
public:
  static TargetRegistry &get();

  /// Registers `B` for its device, as provided by the plugin `PluginName`
  /// (or `built-in`). A second backend for one device is ignored, so a
  /// built-in backend also loaded as a plugin registers once.
  void add(std::unique_ptr<Backend> B, llvm::StringRef PluginName);
  Backend *lookup(llvm::StringRef Device) const;
  /// The plugin that registered the device's backend, or empty.
  llvm::StringRef getPluginName(llvm::StringRef Device) const;

  /// The backend of `Device`, loading `libtg-backend-<plugin>.so` from the
  /// search path if it is not registered yet.
  llvm::Expected<Backend *> getOrLoad(const DeviceInfo &Device);
  /// Directories searched for plugins, in order: those added here (for
  /// `--plugin-path`), then $TG_PLUGIN_PATH (colon-separated), then the
  /// `lib` directory beside the running tool's `bin`.
  void addSearchDirectory(llvm::StringRef Dir);
  std::vector<std::string> getSearchPath() const;

private:
  struct Entry {
    std::unique_ptr<Backend> TheBackend;
    std::string PluginName;
  };
  std::vector<Entry> Entries;
  std::vector<std::string> SearchDirs;
};

/// Loads a plugin and runs its registration; the error names the file.
llvm::Error loadPlugin(llvm::StringRef Path);

} // namespace tg

#endif // TG_TARGET_TARGET_H
