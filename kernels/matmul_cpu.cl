// The matrix products for CPU devices (PoCL and the like), compiled instead of matmul.cl's tiled
// kernels when the host defines GEMM_CPU. Same kernels, arguments, layouts and epilogues as
// matmul.cl; only the work split differs.
//
// Why a second form: a CPU OpenCL driver runs a work-group as a loop over its work-items on one
// thread, and local memory is ordinary cache, so staging tiles through it and synchronising with
// barriers only costs time (matmul.cl runs at 3 - 4 GFLOP/s on PoCL). Here each work-item is a
// CPU GEMM micro-kernel: it keeps a CPU_RM x (CPU_VN * 16) block of C in float16 registers and
// streams A and B straight from global memory (the caches), so that each float16 load of B feeds
// CPU_RM fused multiply-adds. The compiler maps float16 onto one AVX-512 register, or two AVX2 ones.
// The nt form keeps CPU_DM x CPU_RN dot products (float16 each): its own sizes, because its
// accumulators are CPU_DM * CPU_RN registers where the other form's are CPU_RM * CPU_VN.
//
//   nn, tn  (B contiguous along j): acc[r][v] += A(i+r, p) * B(p, j + 16v .. j + 16v + 15)
//   nt      (B contiguous along p): acc[r][c] += A(i+r, p .. p+15) * B(p .. p+15, j+c), a block of
//           CPU_DM x CPU_RN dot products summed across lanes at the end
//
// Blocks that reach past N in the nn/tn form take a scalar path computing the same sums; rows past
// M (and, for nt, columns past N) read a clamped index and are not stored.

#ifdef GEMM_CPU

#ifndef CPU_RM
#define CPU_RM 8   // rows of C per work-item (nn, tn)
#endif
#ifndef CPU_VN
#define CPU_VN 1   // float16 vectors of C per row per work-item (nn, tn)
#endif
#ifndef CPU_DM
#define CPU_DM 4   // rows of C per work-item (nt)
#endif
#ifndef CPU_RN
#define CPU_RN 4   // columns of C per work-item (nt)
#endif

#define CPU_BN (CPU_VN * 16)

inline float epilogue_value(const int mode, const float v, const int i, const int j, const int N,
                            __global float* C, const int at, const float beta,
                            __global const float* X, const int xoff, const int ldx,
                            __global float* Z, const int zoff) {
  if (mode == 0) return beta == 0.0f ? v : v + beta * C[at];
  if (mode == 1) return ACT(v + X[xoff + j * ldx]);
  if (mode == 2) {
    const float z = v + X[xoff + j * ldx];
    Z[zoff + i * N + j] = z;
    return OUT(z);
  }
  const float x = X[xoff + i * ldx + j];
  return TIMES_ACT_GRAD(v, x);
}

// nn and tn: A(i, p) = A[aoff + i * a_si + p * a_sp], B(p, j) = B[boff + p * ldb + j].
inline void gemm_cpu_rows(const int a_si, const int a_sp,
                          const int M, const int N, const int K,
                          __global const float* A, const int aoff,
                          __global const float* B, const int boff, const int ldb,
                          __global float* C, const int coff, const int ldc,
                          const int mode, const float beta,
                          __global const float* X, const int xoff, const int ldx,
                          __global float* Z, const int zoff) {
  const int i0 = get_global_id(0) * CPU_RM;
  const int j0 = get_global_id(1) * CPU_BN;
  if (j0 >= N || i0 >= M) return;
  int rows[CPU_RM];
  for (int r = 0; r < CPU_RM; r++) rows[r] = aoff + min(i0 + r, M - 1) * a_si;

  if (j0 + CPU_BN > N) {
    // Columns past N: one scalar chain per element, in the same order as the vector path.
    for (int r = 0; r < CPU_RM && i0 + r < M; r++) {
      for (int j = j0; j < N; j++) {
        float acc = 0.0f;
        for (int p = 0; p < K; p++) acc = fma(A[rows[r] + p * a_sp], B[boff + p * ldb + j], acc);
        const int at = coff + (i0 + r) * ldc + j;
        C[at] = epilogue_value(mode, acc, i0 + r, j, N, C, at, beta, X, xoff, ldx, Z, zoff);
      }
    }
    return;
  }

  float16 acc[CPU_RM][CPU_VN];
#pragma unroll
  for (int r = 0; r < CPU_RM; r++)
#pragma unroll
    for (int v = 0; v < CPU_VN; v++) acc[r][v] = (float16)(0.0f);

  __global const float* bp = B + boff + j0;
  for (int p = 0; p < K; p++, bp += ldb) {
    float16 b[CPU_VN];
#pragma unroll
    for (int v = 0; v < CPU_VN; v++) b[v] = vload16(v, bp);
#pragma unroll
    for (int r = 0; r < CPU_RM; r++) {
      const float16 a = (float16)(A[rows[r] + p * a_sp]);
#pragma unroll
      for (int v = 0; v < CPU_VN; v++) acc[r][v] = fma(a, b[v], acc[r][v]);
    }
  }

  for (int r = 0; r < CPU_RM; r++) {
    const int i = i0 + r;
    if (i >= M) break;
    const int base = coff + i * ldc + j0;
    if (mode == 0 && beta == 0.0f) {
#pragma unroll
      for (int v = 0; v < CPU_VN; v++) vstore16(acc[r][v], v, C + base);
      continue;
    }
    for (int v = 0; v < CPU_VN; v++) {
      float o[16];
      vstore16(acc[r][v], 0, o);
      for (int e = 0; e < 16; e++) {
        const int j = j0 + v * 16 + e;
        C[base + v * 16 + e] = epilogue_value(mode, o[e], i, j, N, C, base + v * 16 + e, beta, X, xoff, ldx, Z, zoff);
      }
    }
  }
}

// nt: A(i, p) = A[aoff + i * lda + p], B(p, j) = B[boff + j * ldb + p].
inline void gemm_cpu_dots(const int M, const int N, const int K,
                          __global const float* A, const int aoff, const int lda,
                          __global const float* B, const int boff, const int ldb,
                          __global float* C, const int coff, const int ldc,
                          const int mode, const float beta,
                          __global const float* X, const int xoff, const int ldx,
                          __global float* Z, const int zoff) {
  const int j0 = get_global_id(0) * CPU_RN;
  const int i0 = get_global_id(1) * CPU_DM;
  if (j0 >= N || i0 >= M) return;
  __global const float* a[CPU_DM];
  __global const float* b[CPU_RN];
  for (int r = 0; r < CPU_DM; r++) a[r] = A + aoff + min(i0 + r, M - 1) * lda;
  for (int c = 0; c < CPU_RN; c++) b[c] = B + boff + min(j0 + c, N - 1) * ldb;

  float16 acc[CPU_DM][CPU_RN];
#pragma unroll
  for (int r = 0; r < CPU_DM; r++)
#pragma unroll
    for (int c = 0; c < CPU_RN; c++) acc[r][c] = (float16)(0.0f);

  const int kv = K & ~15;
  for (int p = 0; p < kv; p += 16) {
    float16 bv[CPU_RN];
#pragma unroll
    for (int c = 0; c < CPU_RN; c++) bv[c] = vload16(0, b[c] + p);
#pragma unroll
    for (int r = 0; r < CPU_DM; r++) {
      const float16 av = vload16(0, a[r] + p);
#pragma unroll
      for (int c = 0; c < CPU_RN; c++) acc[r][c] = fma(av, bv[c], acc[r][c]);
    }
  }

  for (int r = 0; r < CPU_DM; r++) {
    const int i = i0 + r;
    if (i >= M) break;
    for (int c = 0; c < CPU_RN; c++) {
      const int j = j0 + c;
      if (j >= N) break;
      // Lanes summed in a fixed order, then the K % 16 tail.
      const float16 s = acc[r][c];
      const float8 h8 = s.lo + s.hi;
      const float4 h4 = h8.lo + h8.hi;
      const float2 h2 = h4.lo + h4.hi;
      float v = h2.x + h2.y;
      for (int p = kv; p < K; p++) v = fma(a[r][p], b[c][p], v);
      const int at = coff + i * ldc + j;
      C[at] = epilogue_value(mode, v, i, j, N, C, at, beta, X, xoff, ldx, Z, zoff);
    }
  }
}

__kernel void gemm_nt(GEMM_ARGS) {
  gemm_cpu_dots(M, N, K, A, aoff, lda, B, boff, ldb, C, coff, ldc, mode, beta, X, xoff, ldx, Z, zoff);
}

__kernel void gemm_nn(GEMM_ARGS) {
  gemm_cpu_rows(lda, 1, M, N, K, A, aoff, B, boff, ldb, C, coff, ldc, mode, beta, X, xoff, ldx, Z, zoff);
}

__kernel void gemm_tn(GEMM_ARGS) {
  gemm_cpu_rows(1, lda, M, N, K, A, aoff, B, boff, ldb, C, coff, ldc, mode, beta, X, xoff, ldx, Z, zoff);
}

#endif
