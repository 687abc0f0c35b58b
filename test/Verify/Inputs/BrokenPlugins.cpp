//===- BrokenPlugins.cpp - plugins the loader must refuse -----------------===//
//
// Built three times: with TG_WRONG_VERSION (API version 999), with
// TG_NULL_INFO (tgGetPluginInfo returns null) and with TG_NO_ENTRY (no
// tgGetPluginInfo at all), for test/Verify/load-plugin-errors.test.
//
//===----------------------------------------------------------------------===//

#include "tg/Target/Plugin.h"

#if defined(TG_NO_ENTRY)
extern "C" int tgSomethingElse(void) { return 0; }
#else
[[maybe_unused]] static void registerNothing() {}

extern "C" const tgPluginInfo *tgGetPluginInfo(void) {
#if defined(TG_NULL_INFO)
  return nullptr;
#else
  static const tgPluginInfo Info = {999, "broken", "0", registerNothing};
  return &Info;
#endif
}
#endif
