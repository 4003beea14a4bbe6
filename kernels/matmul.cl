// Tiled matrix products with register blocking, and the epilogues that fuse the layer's
// element-wise step into the product's store.
//
//   C(i, j) = sum_p A(i, p) B(p, j),    i < M, j < N, p < K
//
// Three transposition variants, named by how A and B are stored (n: as is, t: transposed):
//   gemm_nt   A(i,p) = A[i*lda + p],  B(p,j) = B[j*ldb + p]    forward:  Z = A(l) Theta(l)'
//   gemm_nn   A(i,p) = A[i*lda + p],  B(p,j) = B[p*ldb + j]    delta:    d(l+1) Theta(l)
//   gemm_tn   A(i,p) = A[p*lda + i],  B(p,j) = B[p*ldb + j]    gradient: d(l+1)' A(l)
//
// Shapes in the network, batch n, layer widths s_l (in) and s_{l+1} (out):
//   forward   A(l) (n, in), Theta(l) (out, in+1) read from column 1 -> Z (n, out)
//   delta     d(l+1) (n, out), Theta(l) from column 1              -> d(l) (n, in)
//   gradient  d(l+1) (n, out) read transposed, A(l) (n, in)        -> Delta(l)[:, 1:] (out, in)
//
// A work-group computes a TS_M x TS_N tile of C; each work-item holds WPT_M x WPT_N results in
// registers, in VW x VW blocks interleaved with its neighbours' (below) so that neighbouring
// work-items touch neighbouring addresses. A and B advance through K in TS_K-deep tiles staged in
// local memory, loaded along whichever index is contiguous in global memory. Loads outside the
// matrices read zeros and stores outside are skipped, so every size is correct.
//
// Epilogue (mode), with acc the sum above and at = the address of C(i, j):
//   0  C = acc + beta * C                                  (beta 0 or 1: overwrite or accumulate)
//   1  C = g(acc + bias[j*ldx])                            forward, hidden layer (g: ACT, common.cl)
//   2  Z = acc + bias[j*ldx]; C = out(Z)                   forward, output layer (keeps z for J; OUT)
//   3  C = acc .* g'(z), from X(i,j) = X[i*ldx+j] = a      hidden delta: (d Theta) .* g'(z) (TIMES_ACT_GRAD)

#define GEMM_ARGS                                                                   \
  const int M, const int N, const int K,                                            \
  __global const float* A, const int aoff, const int lda,                           \
  __global const float* B, const int boff, const int ldb,                           \
  __global float* C, const int coff, const int ldc,                                 \
  const int mode, const float beta,                                                 \
  __global const float* X, const int xoff, const int ldx,                           \
  __global float* Z, const int zoff

#define GEMM_PASS M, N, K, A, aoff, lda, B, boff, ldb, C, coff, ldc, mode, beta, X, xoff, ldx, Z, zoff

// The tiled form, for GPUs and accelerators; CPU devices get matmul_cpu.cl's (GEMM_CPU).
#ifndef GEMM_CPU

// Work-items hold their results as VW x VW blocks (VW = 4, 2 or 1, from WPT_M and WPT_N) so that one
// local-memory load brings VW values of A or B: a work-item at (tx, ty) owns rows
// bm * RTS_M * VW + ty * VW + v and columns bn * RTS_N * VW + tx * VW + w of the tile. With VW = 4
// and 8 x 8 results each k step costs 4 vector loads for 64 FMAs, which keeps local memory off the
// critical path (scalar loads cost 16 for 64 and held the kernel near 40% of an H200's peak).
#ifndef VW
#if WPT_M % 4 == 0 && WPT_N % 4 == 0
#define VW 4
#elif WPT_M % 2 == 0 && WPT_N % 2 == 0
#define VW 2
#else
#define VW 1
#endif
#endif
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#if VW == 1
#define floatV float
#else
#define floatV CAT(float, VW)
#endif
// Component v of a floatV; v is a constant once the loops are unrolled, so this folds to one
// register (no private-memory pointer casts, which some compilers keep in memory).
#if VW == 4
#define COMP(x, v) ((v) == 0 ? (x).s0 : (v) == 1 ? (x).s1 : (v) == 2 ? (x).s2 : (x).s3)
#elif VW == 2
#define COMP(x, v) ((v) == 0 ? (x).s0 : (x).s1)
#else
#define COMP(x, v) (x)
#endif
#define BM (WPT_M / VW)
#define BN (WPT_N / VW)
// Staged rows are padded by VW floats: a transposing store then hits distinct banks.
#define LDS_A (TS_M + VW)
#define LDS_B (TS_N + VW)

inline void gemm_tile(const int a_trans, const int b_trans,
                      const int M, const int N, const int K,
                      __global const float* A, const int aoff, const int lda,
                      __global const float* B, const int boff, const int ldb,
                      __global float* C, const int coff, const int ldc,
                      const int mode, const float beta,
                      __global const float* X, const int xoff, const int ldx,
                      __global float* Z, const int zoff,
                      __local floatV* AsubV, __local floatV* BsubV) {
  __local float* Asub = (__local float*) AsubV;
  __local float* Bsub = (__local float*) BsubV;
  const int tx = get_local_id(0);               // along N
  const int ty = get_local_id(1);               // along M
  const int lid = ty * RTS_N + tx;
  const int wg = RTS_M * RTS_N;
  const int i0 = get_group_id(1) * TS_M;
  const int j0 = get_group_id(0) * TS_N;

  floatV acc[WPT_M][BN];
  #pragma unroll
  for (int r = 0; r < WPT_M; r++)
    #pragma unroll
    for (int c = 0; c < BN; c++) acc[r][c] = (floatV) 0.0f;

  for (int k0 = 0; k0 < K; k0 += TS_K) {
    // Stage A(i0 .. i0+TS_M, k0 .. k0+TS_K) as Asub[k][m], reading along whichever index is
    // contiguous in global memory.
    #pragma unroll
    for (int q = 0; q < (TS_M * TS_K + wg - 1) / wg; q++) {
      const int e = lid + q * wg;
      if (TS_M * TS_K % wg != 0 && e >= TS_M * TS_K) break;
      int m, k;
      if (a_trans) { m = e % TS_M; k = e / TS_M; }
      else         { k = e % TS_K; m = e / TS_K; }
      const int gi = i0 + m, gk = k0 + k;
      float v = 0.0f;
      if (gi < M && gk < K) v = a_trans ? A[aoff + gk * lda + gi] : A[aoff + gi * lda + gk];
      Asub[k * LDS_A + m] = v;
    }
    // Stage B(k0 .. k0+TS_K, j0 .. j0+TS_N) as Bsub[k][n].
    #pragma unroll
    for (int q = 0; q < (TS_N * TS_K + wg - 1) / wg; q++) {
      const int e = lid + q * wg;
      if (TS_N * TS_K % wg != 0 && e >= TS_N * TS_K) break;
      int n, k;
      if (b_trans) { k = e % TS_K; n = e / TS_K; }
      else         { n = e % TS_N; k = e / TS_N; }
      const int gj = j0 + n, gk = k0 + k;
      float v = 0.0f;
      if (gj < N && gk < K) v = b_trans ? B[boff + gj * ldb + gk] : B[boff + gk * ldb + gj];
      Bsub[k * LDS_B + n] = v;
    }
    barrier(CLK_LOCAL_MEM_FENCE);

    #pragma unroll
    for (int k = 0; k < TS_K; k++) {
      floatV a[BM], b[BN];
      #pragma unroll
      for (int bm = 0; bm < BM; bm++) a[bm] = AsubV[(k * LDS_A) / VW + bm * RTS_M + ty];
      #pragma unroll
      for (int bn = 0; bn < BN; bn++) b[bn] = BsubV[(k * LDS_B) / VW + bn * RTS_N + tx];
      #pragma unroll
      for (int bm = 0; bm < BM; bm++)
        #pragma unroll
        for (int v = 0; v < VW; v++)
          #pragma unroll
          for (int bn = 0; bn < BN; bn++)
            acc[bm * VW + v][bn] = fma((floatV) COMP(a[bm], v), b[bn], acc[bm * VW + v][bn]);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }

  #pragma unroll
  for (int r = 0; r < WPT_M; r++) {
    const int i = i0 + (r / VW) * RTS_M * VW + ty * VW + r % VW;
    if (i >= M) continue;
    #pragma unroll
    for (int c = 0; c < WPT_N; c++) {
      const int j = j0 + (c / VW) * RTS_N * VW + tx * VW + c % VW;
      if (j >= N) continue;
      const int at = coff + i * ldc + j;
      const float v = COMP(acc[r][c / VW], c % VW);
      if (mode == 0) {
        C[at] = beta == 0.0f ? v : v + beta * C[at];
      } else if (mode == 1) {
        C[at] = ACT(v + X[xoff + j * ldx]);
      } else if (mode == 2) {
        const float z = v + X[xoff + j * ldx];
        Z[zoff + i * N + j] = z;
        C[at] = OUT(z);
      } else {
        const float x = X[xoff + i * ldx + j];
        C[at] = TIMES_ACT_GRAD(v, x);
      }
    }
  }
}

#define GEMM_KERNEL(name, a_trans, b_trans)                                         \
  __kernel __attribute__((reqd_work_group_size(RTS_N, RTS_M, 1)))                   \
  void name(GEMM_ARGS) {                                                            \
    __local floatV Asub[TS_K * LDS_A / VW];                                         \
    __local floatV Bsub[TS_K * LDS_B / VW];                                         \
    gemm_tile(a_trans, b_trans, GEMM_PASS, Asub, Bsub);                             \
  }

GEMM_KERNEL(gemm_nt, 0, 1)
GEMM_KERNEL(gemm_nn, 0, 0)
GEMM_KERNEL(gemm_tn, 1, 0)

#endif
