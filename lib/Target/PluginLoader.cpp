//===- PluginLoader.cpp - loading tg plugins ------------------------------===//
//
// Modeled on llvm/lib/Passes/PassPlugin.cpp: load, look up the entry point,
// check the version, and report each failure with the file's name.
//
//===----------------------------------------------------------------------===//

#include "tg/Target/Plugin.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/DynamicLibrary.h"

using namespace tg;

static llvm::Error pluginError(llvm::StringRef Path, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "could not load plugin '" + Path +
                                     "': " + Why);
}

llvm::Expected<Plugin> Plugin::load(llvm::StringRef Path) {
  std::string Message;
  auto Library = llvm::sys::DynamicLibrary::getPermanentLibrary(
      Path.str().c_str(), &Message);
  if (!Library.isValid())
    return pluginError(Path, Message);

  using GetInfoFn = const tgPluginInfo *(*)();
  auto GetInfo = reinterpret_cast<GetInfoFn>(
      Library.getAddressOfSymbol("tgGetPluginInfo"));
  if (!GetInfo)
    return pluginError(Path, "the library does not export 'tgGetPluginInfo'; "
                             "is it a tg plugin?");
  const tgPluginInfo *Info = GetInfo();
  if (!Info)
    return pluginError(Path, "tgGetPluginInfo() returned no plugin info");
  if (Info->APIVersion != TG_PLUGIN_API_VERSION)
    return pluginError(Path, "the plugin was built for plugin API version " +
                                 llvm::Twine(Info->APIVersion) +
                                 ", but this tg supports version " +
                                 llvm::Twine(TG_PLUGIN_API_VERSION));
  if (!Info->Name || !Info->Version || !Info->Register)
    return pluginError(Path, "the plugin info lacks a name, a version or a "
                             "register function");
  return Plugin(Path.str(), *Info);
}
