//===- Plugin.h - loading tg plugins ----------------------------*- C++ -*-===//
//
// A plugin is a shared library that adds to tg's process-wide registries:
// backends (renderers, compilers, runtimes), rule sets, passes. It exports
// one C entry point, tgGetPluginInfo, returning a plain struct; the loader
// checks the API version before calling anything else, so a plugin built
// against another version of this header is refused with a clear message
// instead of crashing. Tools and plugins share tg's shared libraries, so
// Register() adds to the same registries the tool reads (RuleSetRegistry,
// PassRegistry, ...), as LLVM's pass plugins do (llvm/Passes/PassPlugin.h).
//
// A plugin's source:
//
//   extern "C" const tgPluginInfo *tgGetPluginInfo(void) {
//     static const tgPluginInfo Info = {TG_PLUGIN_API_VERSION, "my-plugin",
//                                       "1.0", registerMyThings};
//     return &Info;
//   }
//
//===----------------------------------------------------------------------===//

#ifndef TG_TARGET_PLUGIN_H
#define TG_TARGET_PLUGIN_H

#include <cstdint>

/// The version of tgPluginInfo and of what Register may call; a loader
/// refuses any other.
#define TG_PLUGIN_API_VERSION 1

extern "C" {

struct tgPluginInfo {
  /// TG_PLUGIN_API_VERSION of the headers the plugin was built with.
  uint32_t APIVersion;
  /// A short name (`cpu`, `test-bad-rules`) and a free-form version.
  const char *Name;
  const char *Version;
  /// Adds the plugin's things to tg's registries; called once per load.
  void (*Register)(void);
};

/// The one symbol a plugin exports.
const tgPluginInfo *tgGetPluginInfo(void);
}

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace tg {

/// A loaded plugin; the library stays loaded until the process exits.
class Plugin {
public:
  /// Loads the shared library at `Path` and checks its tgPluginInfo; an
  /// error names the file and says what is wrong (the library does not
  /// load, lacks tgGetPluginInfo, returns no info or another API version).
  static llvm::Expected<Plugin> load(llvm::StringRef Path);

  llvm::StringRef getFilename() const { return Filename; }
  llvm::StringRef getName() const { return Info.Name; }
  llvm::StringRef getVersion() const { return Info.Version; }
  /// Runs the plugin's Register().
  void registerComponents() const { Info.Register(); }

private:
  Plugin(std::string Filename, const tgPluginInfo &Info)
      : Filename(std::move(Filename)), Info(Info) {}

  std::string Filename;
  tgPluginInfo Info;
};

} // namespace tg

#endif // TG_TARGET_PLUGIN_H
