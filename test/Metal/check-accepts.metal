// The check accepts what Metal accepts: a kernel written by hand with every
// part of Inputs/metal_stdlib that tg's Metal renderer uses.
// REQUIRES: clang-19
// RUN: %metal-check %s

#include <metal_stdlib>
using namespace metal;

kernel void k_everything(device float *b0 [[buffer(0)]],
                         const device half *b1 [[buffer(1)]],
                         device bfloat *b2 [[buffer(2)]],
                         constant int &var0 [[buffer(3)]],
                         uint3 gid [[threadgroup_position_in_grid]],
                         uint3 lid [[thread_position_in_threadgroup]]) {
  threadgroup float temp[16];
  temp[lid.x] = float(b1[gid.x]) * float(var0);
  threadgroup_barrier(mem_flags::mem_threadgroup);
  float4 v = float4(temp[0], temp[1], temp[2], temp[3]);
  float4 w = float4(v.xy, 1.0f, 2);
  float4 splat = float4(0.5f);
  int4 converted = int4(v);
  float4 e = exp2(v) + precise::exp2(w) + fma(v, w, splat);
  bool nan = isnan(e.x) || signbit(v.y);
  float s = select(0.0f, 1.0f, nan);
  float4 s4 = select(v, w, isinf(e));
  uint bits = as_type<uint>(s);
  half h = half(s) * half(2.0f);
  b2[gid.x] = bfloat(float(h) + 1.0f);
  *((device float4 *)(b0 + 4)) = s4;
  b0[gid.x * 16 + lid.x] = e.x + float(bits) + float(converted.y) +
                           max(s, 1.0f) + float(min(1, var0)) +
                           metal::sqrt(fabs(s));
}

// Simdgroup matrices as the renderer's wmma helper uses them: half and
// float operands into a float accumulator.
kernel void k_simdgroup(device float *b0 [[buffer(0)]],
                        const device half *b1 [[buffer(1)]]) {
  simdgroup_half8x8 a = simdgroup_half8x8(0), b = simdgroup_half8x8(0);
  simdgroup_float8x8 c = simdgroup_float8x8(0);
  a.thread_elements()[0] = b1[0];
  b.thread_elements()[1] = b1[1];
  c.thread_elements()[0] = b0[0];
  simdgroup_multiply_accumulate(c, a, b, c);
  simdgroup_multiply_accumulate(c, c, c, c);
  b0[0] = c.thread_elements()[0] + c.thread_elements()[1];
}
