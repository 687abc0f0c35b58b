//===- SplitInputFile.h - --split-input-file --------------------*- C++ -*-===//
//
// Splits a file at lines `// -----` into chunks that tools process one by
// one. Each chunk is its own buffer, named like the file and preceded by as
// many empty lines as came before it in the file, so `file:line:col` in a
// diagnostic about a chunk is the position in the original file.
//
//===----------------------------------------------------------------------===//

#ifndef TG_TOOLS_SPLITINPUTFILE_H
#define TG_TOOLS_SPLITINPUTFILE_H

#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <vector>

namespace tg {

/// The marker line, also printed between the outputs of the chunks.
inline constexpr const char *SplitMarker = "// -----";

std::vector<std::unique_ptr<llvm::MemoryBuffer>>
splitInputFile(const llvm::MemoryBuffer &Input);

} // namespace tg

#endif // TG_TOOLS_SPLITINPUTFILE_H
