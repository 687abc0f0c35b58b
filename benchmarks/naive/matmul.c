/*===- matmul.c - a naive C matmul, the reference for tg's CPU matmul -----===//
 *
 * C = A * B for N x N f32 matrices (N = 1024 unless given) as the plain
 * triple loop a C programmer writes first, compiled by clang -O3 alone:
 *   clang-19 -O3 -march=native benchmarks/naive/matmul.c -o /tmp/naive-matmul
 *   /tmp/naive-matmul [ijk|ikj] [repetitions] [N]
 * `ijk` (default) is the dot-product order of benchmarks/kernels/matmul.tg:
 * one sum per output over k, in order (clang cannot vectorize it without
 * reassociating). `ikj` runs over a row of B innermost (c[i][j] += a[i][k] *
 * b[k][j]), which clang vectorizes; it rounds as the ijk order does. One
 * thread. Prints the median and best time and GFLOP/s (2 N^3 flops) and a
 * checksum, the same for both orders.
 *
 *===----------------------------------------------------------------------===*/

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec T;
  clock_gettime(CLOCK_MONOTONIC, &T);
  return (double)T.tv_sec + 1e-9 * (double)T.tv_nsec;
}

static void matmulIJK(float *restrict C, const float *restrict A,
                      const float *restrict B, int N) {
  for (int I = 0; I < N; ++I)
    for (int J = 0; J < N; ++J) {
      float Sum = 0;
      for (int K = 0; K < N; ++K)
        Sum += A[I * N + K] * B[K * N + J];
      C[I * N + J] = Sum;
    }
}

static void matmulIKJ(float *restrict C, const float *restrict A,
                      const float *restrict B, int N) {
  memset(C, 0, sizeof(float) * (size_t)N * (size_t)N);
  for (int I = 0; I < N; ++I)
    for (int K = 0; K < N; ++K) {
      float X = A[I * N + K];
      for (int J = 0; J < N; ++J)
        C[I * N + J] += X * B[K * N + J];
    }
}

static int compare(const void *L, const void *R) {
  double X = *(const double *)L, Y = *(const double *)R;
  return (X > Y) - (X < Y);
}

int main(int argc, char **argv) {
  const char *Order = argc > 1 ? argv[1] : "ijk";
  int Repetitions = argc > 2 ? atoi(argv[2]) : 5;
  int N = argc > 3 ? atoi(argv[3]) : 1024;
  if ((strcmp(Order, "ijk") && strcmp(Order, "ikj")) || Repetitions < 1 ||
      Repetitions > 1000 || N < 1 || N > 8192) {
    fprintf(stderr, "usage: %s [ijk|ikj] [repetitions 1-1000] [N 1-8192]\n",
            argv[0]);
    return 2;
  }
  size_t Bytes = sizeof(float) * (size_t)N * (size_t)N;
  Bytes = (Bytes + 63) / 64 * 64;
  float *A = aligned_alloc(64, Bytes), *B = aligned_alloc(64, Bytes),
        *C = aligned_alloc(64, Bytes);
  double *Times = malloc(sizeof(double) * (size_t)Repetitions);
  if (!A || !B || !C || !Times) {
    fprintf(stderr, "%s: out of memory\n", argv[0]);
    return 1;
  }
  unsigned Seed = 1;
  for (size_t I = 0; I < (size_t)N * (size_t)N; ++I) {
    Seed = Seed * 1103515245u + 12345u;
    A[I] = (float)((Seed >> 16) & 1023) / 512.0f - 1.0f;
    Seed = Seed * 1103515245u + 12345u;
    B[I] = (float)((Seed >> 16) & 1023) / 512.0f - 1.0f;
  }
  for (int R = 0; R < Repetitions; ++R) {
    double Start = now();
    if (Order[1] == 'j')
      matmulIJK(C, A, B, N);
    else
      matmulIKJ(C, A, B, N);
    Times[R] = now() - Start;
  }
  double Checksum = 0;
  for (size_t I = 0; I < (size_t)N * (size_t)N; ++I)
    Checksum += C[I];
  qsort(Times, (size_t)Repetitions, sizeof(double), compare);
  double Flops = 2.0 * N * (double)N * N;
  double Median = Times[Repetitions / 2], Best = Times[0];
  printf("%s N=%d: median %.3f ms (%.1f GFLOP/s), best %.3f ms (%.1f "
         "GFLOP/s), checksum %.6e\n",
         Order, N, Median * 1e3, Flops / Median * 1e-9, Best * 1e3,
         Flops / Best * 1e-9, Checksum);
  free(A);
  free(B);
  free(C);
  free(Times);
  return 0;
}
