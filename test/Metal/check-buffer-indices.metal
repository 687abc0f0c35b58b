// Two parameters at one [[buffer(N)]] index are an error Metal reports and
// clang cannot see; the kernel check catches it.
// REQUIRES: clang-19
// RUN: not %metal-check-kernels %s | FileCheck %s
// CHECK: kernel 0 is rejected:
// CHECK: {{\[\[}}buffer(N)]] bound twice for N = 1
// CHECK: 1 of 1 kernels rejected

#include <metal_stdlib>
using namespace metal;

kernel void k_twice(device float *b0 [[buffer(0)]],
                    device float *b1 [[buffer(1)]],
                    constant int &var0 [[buffer(1)]]) {
  b0[0] = b1[var0];
}
