// The check rejects what Metal rejects, each error at its place: the Metal
// tests rely on it to catch a renderer that emits broken kernels.
// REQUIRES: clang-19
// RUN: %metal-check -Xclang -verify -Xclang -verify-ignore-unexpected=note %s

#include <metal_stdlib>
using namespace metal;

kernel void k_undeclared(device float *b0 [[buffer(0)]]) {
  b0[0] = v7; // expected-error {{use of undeclared identifier 'v7'}}
}

kernel void k_vector_size(device float *b0 [[buffer(0)]]) {
  float4 v = float4(b0[0], b0[1], b0[2], b0[3]);
  float3 w = v; // expected-error {{cannot initialize a variable of type 'float3'}}
  b0[0] = w.x;
}

kernel void k_constructor_lanes(device float *b0 [[buffer(0)]]) {
  // expected-error@metal_stdlib:* {{as many lanes as the vector}}
  float4 v = float4(b0[0], b0[1], b0[2]);
  b0[0] = v.x;
}

kernel void k_vector_conversion(device float *b0 [[buffer(0)]]) {
  float4 v = float4(b0[0]);
  int4 i = v; // expected-error {{cannot initialize a variable of type 'int4'}}
  b0[0] = float(i.x);
}

kernel void k_store_to_const(const device float *b0 [[buffer(0)]]) {
  b0[0] = 1.0f; // expected-error {{read-only variable is not assignable}}
}

kernel void k_address_space(device float *b0 [[buffer(0)]]) {
  float *p = b0; // expected-error {{cannot initialize a variable of type 'float *' with an lvalue of type 'device float *'}}
  p[0] = 1.0f;
}

kernel void k_double(device float *b0 [[buffer(0)]]) {
  double d = b0[0]; // expected-error {{unknown type name 'metal_has_no_double'}}
  b0[0] = d;
}

kernel void k_math_on_int(device int *b0 [[buffer(0)]]) {
  b0[0] = exp2(b0[1]); // expected-error {{no matching function for call to 'exp2'}}
}

// expected-error@+1 {{unknown attribute 'thread_position_in_grd' ignored}}
kernel void k_attribute(device float *b0 [[buffer(0)]], uint3 gid [[thread_position_in_grd]]) {
  b0[gid.x] = 0.0f;
}

kernel void k_simdgroup_vector(device float *b0 [[buffer(0)]]) {
  simdgroup_float8x8 m = simdgroup_float8x8(0);
  float2 v = float2(b0[0], b0[1]);
  // expected-error@+1 {{no matching function for call to 'simdgroup_multiply_accumulate'}}
  simdgroup_multiply_accumulate(m, m, v, m);
  m.thread_elements() = float3(0.0f); // expected-error {{assigning to}}
}
