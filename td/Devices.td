//===- Devices.td - the devices and arches tg compiles for --*- tablegen -*-===//
//
// Each Device is a kind of hardware a backend plugin runs (cpu, nv, amd,
// metal, qcom); each Arch one generation of it that the compilers target.
// Arch names are unique across devices, so `--device=null:sm_90` names both.
// tg-tblgen -gen-device-defs turns this file into the tables of
// include/tg/Target/Device.h; the codegen passes read the limits and
// capabilities from there, never from a backend.
//
//===----------------------------------------------------------------------===//

include "DTypes.td"

// A tensor-core instruction: D (N x M, `Acc`) = A (N x K) * B (K x M) + C,
// spread over `Threads` threads.
class TensorCore<string name, int n, int m, int k, Scalar input, Scalar accumulator,
                 int threads> {
  string Name = name;
  int N = n;
  int M = m;
  int K = k;
  Scalar In = input;
  Scalar Acc = accumulator;
  int Threads = threads;
}

class Arch<string name, string device, string summary> {
  string Name = name;
  string Device = device;
  string Summary = summary;
  // LLVM's target triple and CPU for this arch (empty: no LLVM path).
  string Triple = "";
  string CPU = "";
  // Scalar types kernels may compute in; the others are decomposed.
  list<Scalar> DTypes = [DTBool, DTI8, DTI16, DTI32, DTI64, DTU8, DTU16,
                         DTU32, DTU64, DTF16, DTF32, DTF64];
  // Launch limits: threads per work-group, per dimension and in all, and
  // work-groups per dimension. A device without work-groups has 1s.
  list<int> MaxLocalDims = [1, 1, 1];
  int MaxLocalSize = 1;
  list<int> MaxGlobalDims = [2147483647, 65535, 65535];
  // Shared (local) memory per work-group in bytes; 0: none.
  int LocalMemory = 0;
  // Threads that run in lockstep (a warp or wavefront); 1 on a CPU.
  int WarpSize = 1;
  // Widest vector load or store, in bytes.
  int MaxVectorBytes = 16;
  // Image buffers (2-D textures), the row pitch alignment in bytes (rows of
  // an image that aliases a linear buffer start at multiples of it), and the
  // largest image in texels.
  bit Images = 0;
  int ImagePitchAlignment = 0;
  int ImageMaxWidth = 0;
  int ImageMaxHeight = 0;
  list<TensorCore> TensorCores = [];
  // Asynchronous copies from global into local memory (async_copy,
  // async_commit, async_wait): NVIDIA's cp.async, sm_80 and later.
  bit AsyncCopy = 0;
}

class Device<string name, string summary, list<string> compilers,
             string plugin> {
  string Name = name;
  string Summary = summary;
  // The device's compilers; the first is the default.
  list<string> Compilers = compilers;
  // The plugin that runs it: libtg-backend-<Plugin>.so.
  string Plugin = plugin;
  // The arch `--device=<name>` means without `:<arch>` (when the runtime
  // cannot say which one it has).
  string DefaultArch = "";
}

//===----------------------------------------------------------------------===//
// Devices
//===----------------------------------------------------------------------===//

def CPU : Device<"cpu", "the host CPU, the outermost global axis spread over "
                 "threads", ["llvm", "clang"], "cpu"> {
  let DefaultArch = "x86-64";
}
def NV : Device<"nv", "NVIDIA GPUs through CUDA", ["nvrtc", "ptx"], "nv"> {
  let DefaultArch = "sm_90";
}
def AMD : Device<"amd", "AMD GPUs through HIP", ["llvm", "hip"], "amd"> {
  let DefaultArch = "gfx1100";
}
def Metal : Device<"metal", "Apple GPUs through Metal", ["metal"], "metal"> {
  let DefaultArch = "apple7";
}
def QCOM : Device<"qcom", "Qualcomm Adreno GPUs through OpenCL images",
                  ["opencl"], "qcom"> {
  let DefaultArch = "a630";
}

//===----------------------------------------------------------------------===//
// Arches
//===----------------------------------------------------------------------===//

def X86_64 : Arch<"x86-64", "cpu", "x86-64 CPUs (AVX2)"> {
  let Triple = "x86_64-unknown-linux-gnu";
  let CPU = "x86-64-v3";
  let DTypes = [DTBool, DTI8, DTI16, DTI32, DTI64, DTU8, DTU16, DTU32, DTU64,
                DTF16, DTBF16, DTF32, DTF64];
  let MaxGlobalDims = [9223372036854775807, 1, 1];
  let MaxVectorBytes = 32;
}

// NVIDIA: mma.sync shapes for f16 and bf16 into f32 (Ampere and later).
def MmaF16 : TensorCore<"mma.m16n8k16.f16", 16, 8, 16, DTF16, DTF32, 32>;
def MmaBF16 : TensorCore<"mma.m16n8k16.bf16", 16, 8, 16, DTBF16, DTF32, 32>;

class NVArch<string name, string summary, int shared>
    : Arch<name, "nv", summary> {
  let Triple = "nvptx64-nvidia-cuda";
  let CPU = name;
  let DTypes = [DTBool, DTI8, DTI16, DTI32, DTI64, DTU8, DTU16, DTU32, DTU64,
                DTF16, DTBF16, DTF32, DTF64];
  let MaxLocalDims = [1024, 1024, 64];
  let MaxLocalSize = 1024;
  let LocalMemory = shared;
  let WarpSize = 32;
  let TensorCores = [MmaF16, MmaBF16];
  let AsyncCopy = 1;
}
def SM_80 : NVArch<"sm_80", "Ampere (A100)", 49152>;
def SM_89 : NVArch<"sm_89", "Ada Lovelace (L4, RTX 40)", 49152>;
def SM_90 : NVArch<"sm_90", "Hopper (H100, H200)", 49152>;
// LLVM 19's NVPTX stops at sm_90a: Blackwell compiles through NVRTC only.
def SM_120 : NVArch<"sm_120", "Blackwell (RTX 50)", 49152> {
  let Triple = "";
}

// AMD: WMMA on RDNA3, MFMA on CDNA3.
def WmmaF16 : TensorCore<"wmma.16x16x16.f16", 16, 16, 16, DTF16, DTF32, 32>;
def MfmaF16 : TensorCore<"mfma.16x16x16.f16", 16, 16, 16, DTF16, DTF32, 64>;
def MfmaBF16 : TensorCore<"mfma.16x16x16.bf16", 16, 16, 16, DTBF16, DTF32, 64>;
// RDNA4's WMMA takes 8 halves of A and B per lane (no replication across
// the wave's halves): another instruction with another layout.
def WmmaF16Gfx12 : TensorCore<"wmma.16x16x16.f16.gfx12", 16, 16, 16, DTF16, DTF32, 32>;

class AMDArch<string name, string summary, int wave>
    : Arch<name, "amd", summary> {
  let Triple = "amdgcn-amd-amdhsa";
  let CPU = name;
  let DTypes = [DTBool, DTI8, DTI16, DTI32, DTI64, DTU8, DTU16, DTU32, DTU64,
                DTF16, DTBF16, DTF32, DTF64];
  let MaxLocalDims = [1024, 1024, 1024];
  let MaxLocalSize = 1024;
  let LocalMemory = 65536;
  let WarpSize = wave;
}
def GFX1100 : AMDArch<"gfx1100", "RDNA3 (RX 7900)", 32> {
  let TensorCores = [WmmaF16];
}
def GFX942 : AMDArch<"gfx942", "CDNA3 (MI300X)", 64> {
  let TensorCores = [MfmaF16, MfmaBF16];
}
def GFX1201 : AMDArch<"gfx1201", "RDNA4 (RX 9070)", 32> {
  let TensorCores = [WmmaF16Gfx12];
}

// Apple: simdgroup matrices, 8x8x8 (simdgroup_float8x8, simdgroup_half8x8),
// a SIMD group of 32 threads multiplying them together.
def SimdgroupF16 : TensorCore<"simdgroup.8x8x8.f16", 8, 8, 8, DTF16, DTF32, 32>;
def SimdgroupF32 : TensorCore<"simdgroup.8x8x8.f32", 8, 8, 8, DTF32, DTF32, 32>;

// Metal has no f64. Every family since apple7 has 32 KiB of threadgroup
// memory, 1024 threads per threadgroup and SIMD groups of 32 threads; half
// computes natively, bfloat (MSL 3.1) from apple9 on.
class AppleArch<string name, string summary> : Arch<name, "metal", summary> {
  let DTypes = [DTBool, DTI8, DTI16, DTI32, DTI64, DTU8, DTU16, DTU32, DTU64,
                DTF16, DTF32];
  let MaxLocalDims = [1024, 1024, 1024];
  let MaxLocalSize = 1024;
  let LocalMemory = 32768;
  let WarpSize = 32;
  let TensorCores = [SimdgroupF16, SimdgroupF32];
}
def Apple7 : AppleArch<"apple7", "Apple GPU family 7 (M1, A14)">;
def Apple8 : AppleArch<"apple8", "Apple GPU family 8 (M2, A15)">;
def Apple9 : AppleArch<"apple9", "Apple GPU family 9 (M3, M4, A17)"> {
  let DTypes = [DTBool, DTI8, DTI16, DTI32, DTI64, DTU8, DTU16, DTU32, DTU64,
                DTF16, DTBF16, DTF32];
}

// Qualcomm: OpenCL C with images; the runtime reads the real limits.
def A630 : Arch<"a630", "qcom", "Adreno 630 (Snapdragon 845)"> {
  let DTypes = [DTBool, DTI8, DTI16, DTI32, DTU8, DTU16, DTU32, DTF16, DTF32];
  let MaxLocalDims = [1024, 1024, 1024];
  let MaxLocalSize = 1024;
  let LocalMemory = 32768;
  let WarpSize = 64;
  let Images = 1;
  let ImagePitchAlignment = 64;
  let ImageMaxWidth = 16384;
  let ImageMaxHeight = 16384;
}
