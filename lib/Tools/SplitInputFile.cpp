//===- SplitInputFile.cpp -------------------------------------------------===//

#include "SplitInputFile.h"

#include <string>

using namespace tg;

/// A chunk of `Input` starting at line `FirstLine` (1-based), padded so its
/// lines keep their numbers.
static std::unique_ptr<llvm::MemoryBuffer>
makeChunk(const llvm::MemoryBuffer &Input, llvm::StringRef Text,
          unsigned FirstLine) {
  std::string Padded(FirstLine - 1, '\n');
  Padded += Text;
  return llvm::MemoryBuffer::getMemBufferCopy(Padded,
                                              Input.getBufferIdentifier());
}

std::vector<std::unique_ptr<llvm::MemoryBuffer>>
tg::splitInputFile(const llvm::MemoryBuffer &Input) {
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> Chunks;
  llvm::StringRef Text = Input.getBuffer();
  size_t ChunkBegin = 0;
  unsigned ChunkLine = 1;
  unsigned Line = 1;
  for (size_t LineBegin = 0; LineBegin < Text.size(); ++Line) {
    size_t LineEnd = std::min(Text.find('\n', LineBegin), Text.size());
    size_t Next = LineEnd + 1;
    if (Text.slice(LineBegin, LineEnd).rtrim() == SplitMarker) {
      Chunks.push_back(
          makeChunk(Input, Text.slice(ChunkBegin, LineBegin), ChunkLine));
      ChunkBegin = std::min(Next, Text.size());
      ChunkLine = Line + 1;
    }
    LineBegin = Next;
  }
  Chunks.push_back(makeChunk(Input, Text.substr(ChunkBegin), ChunkLine));
  return Chunks;
}
