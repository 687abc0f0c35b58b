//===- BadRulesPlugin.cpp - a plugin of deliberately wrong rules ----------===//
//
// Registers the rule set test-bad-rules compiled from bad-rules.td, for the
// lit tests of tg-opt --verify-rules and --load-plugin.
//
//===----------------------------------------------------------------------===//

#include "tg/Rewrite/Declarative.h"
#include "tg/Rewrite/RuleSetRegistry.h"
#include "tg/Target/Plugin.h"

#include "tg/Verify/BadRules.inc"

static void registerComponents() {
  registerBadRules(tg::RuleSetRegistry::get());
}

extern "C" const tgPluginInfo *tgGetPluginInfo(void) {
  static const tgPluginInfo Info = {TG_PLUGIN_API_VERSION, "test-bad-rules",
                                    "1", registerComponents};
  return &Info;
}
