//===- FakeHIP.cpp - a libamdhip64.so that records instead of running -----===//
//
// The HIP entry points HIPRuntime.cpp binds, on host memory: enough to test
// what the runtime computes and passes (launch dimensions, parameters in
// order, the code object and entry it loads, how HIP's errors come back)
// on a machine without ROCm. Kernels do not run. Built with the soname
// libamdhip64.so; the test loads it first, so the runtime's
// dlopen("libamdhip64.so") finds it.
//
//===----------------------------------------------------------------------===//

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Launch {
  unsigned Grid[3], Block[3];
  std::vector<int64_t> Params;
};

std::string Image, Entry;
Launch Last;
int NextError = 0;
unsigned NumParams = 0;

/// Returns the error set by fakeHipFailNext once, else hipSuccess.
int result() {
  int E = NextError;
  NextError = 0;
  return E;
}

} // namespace

extern "C" {

// What the test reads and sets.
const char *fakeHipImage() { return Image.c_str(); }
const char *fakeHipEntry() { return Entry.c_str(); }
void fakeHipLaunch(unsigned *Grid, unsigned *Block, const int64_t **Params,
                   size_t *NumParams) {
  std::memcpy(Grid, Last.Grid, sizeof(Last.Grid));
  std::memcpy(Block, Last.Block, sizeof(Last.Block));
  *Params = Last.Params.data();
  *NumParams = Last.Params.size();
}
void fakeHipFailNext(int Error) { NextError = Error; }
void fakeHipSetNumParams(unsigned N) { NumParams = N; }

// HIP's C API, as much as tg uses.
int hipInit(unsigned) { return result(); }
int hipGetDeviceCount(int *Count) {
  *Count = 1;
  return result();
}
const char *hipGetErrorString(int) { return "fake HIP error"; }
int hipMalloc(void **Pointer, size_t Size) {
  *Pointer = std::malloc(Size);
  return result();
}
int hipFree(void *Pointer) {
  std::free(Pointer);
  return 0;
}
int hipMemcpy(void *To, const void *From, size_t Size, int) {
  std::memcpy(To, From, Size);
  return result();
}
int hipModuleLoadData(void **Module, const void *Data) {
  Image.assign(static_cast<const char *>(Data), 4);
  *Module = &Image;
  return result();
}
int hipModuleUnload(void *) { return 0; }
int hipModuleGetFunction(void **Function, void *, const char *Name) {
  Entry = Name;
  *Function = &Entry;
  return result();
}
int hipModuleLaunchKernel(void *, unsigned GX, unsigned GY, unsigned GZ,
                          unsigned BX, unsigned BY, unsigned BZ, unsigned,
                          void *, void **Params, void **) {
  Last = {{GX, GY, GZ}, {BX, BY, BZ}, {}};
  // HIP's parameter array has no terminator: the test says its length.
  for (unsigned I = 0; I != NumParams; ++I)
    Last.Params.push_back(*static_cast<int64_t *>(Params[I]));
  return result();
}
int hipEventCreate(void **Event) {
  *Event = &Last;
  return 0;
}
int hipEventRecord(void *, void *) { return 0; }
int hipEventSynchronize(void *) { return 0; }
int hipEventElapsedTime(float *Ms, void *, void *) {
  *Ms = 0.5f;
  return 0;
}
int hipEventDestroy(void *) { return 0; }
}
