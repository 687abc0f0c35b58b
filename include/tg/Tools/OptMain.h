//===- OptMain.h - the tg-opt driver as a library entry point ---*- C++ -*-===//
//
// tgOptMain() is all of tg-opt: it parses the command line, reads a .tg file
// (or each `// -----` chunk of it), verifies it, runs the pass pipeline with
// the requested instrumentation and prints the result. tools/tg-opt is a
// thin main over it, so a tool with more passes registered is a main that
// registers them and calls tgOptMain (as mlir-opt does with MlirOptMain).
// docs/Passes.md lists the flags.
//
//===----------------------------------------------------------------------===//

#ifndef TG_TOOLS_OPTMAIN_H
#define TG_TOOLS_OPTMAIN_H

namespace tg {

/// Returns the process exit code: 0 on success, 1 on any error.
int tgOptMain(int argc, char **argv);

} // namespace tg

#endif // TG_TOOLS_OPTMAIN_H
