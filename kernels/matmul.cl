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
// registers, at rows ty + r*RTS_M and columns tx + c*RTS_N of the tile so that neighbouring
// work-items touch neighbouring addresses. A and B advance through K in TS_K-deep tiles staged in
// local memory, loaded along whichever index is contiguous in global memory. Loads outside the
// matrices read zeros and stores outside are skipped, so every size is correct.
//
// Epilogue (mode), with acc the sum above and at = the address of C(i, j):
//   0  C = acc + beta * C                                  (beta 0 or 1: overwrite or accumulate)
//   1  C = g(acc + bias[j*ldx])                            forward, hidden layer
//   2  Z = acc + bias[j*ldx]; C = g(Z)                     forward, output layer (keeps z for J)
//   3  C = acc * X(i,j) (1 - X(i,j)), X(i,j) = X[i*ldx+j]  hidden delta: (d Theta) .* a .* (1 - a)

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

inline void gemm_tile(const int a_trans, const int b_trans,
                      const int M, const int N, const int K,
                      __global const float* A, const int aoff, const int lda,
                      __global const float* B, const int boff, const int ldb,
                      __global float* C, const int coff, const int ldc,
                      const int mode, const float beta,
                      __global const float* X, const int xoff, const int ldx,
                      __global float* Z, const int zoff,
                      __local float* Asub, __local float* Bsub) {
  const int tx = get_local_id(0);               // along N
  const int ty = get_local_id(1);               // along M
  const int lid = ty * RTS_N + tx;
  const int wg = RTS_M * RTS_N;
  const int i0 = get_group_id(1) * TS_M;
  const int j0 = get_group_id(0) * TS_N;

  float acc[WPT_M][WPT_N];
  for (int r = 0; r < WPT_M; r++)
    for (int c = 0; c < WPT_N; c++) acc[r][c] = 0.0f;

  for (int k0 = 0; k0 < K; k0 += TS_K) {
    // Stage A(i0 .. i0+TS_M, k0 .. k0+TS_K) as Asub[k][m].
    for (int e = lid; e < TS_M * TS_K; e += wg) {
      int m, k;
      if (a_trans) { m = e % TS_M; k = e / TS_M; }     // contiguous along i
      else         { k = e % TS_K; m = e / TS_K; }     // contiguous along p
      const int gi = i0 + m, gk = k0 + k;
      float v = 0.0f;
      if (gi < M && gk < K) v = a_trans ? A[aoff + gk * lda + gi] : A[aoff + gi * lda + gk];
      Asub[k * TS_M + m] = v;
    }
    // Stage B(k0 .. k0+TS_K, j0 .. j0+TS_N) as Bsub[k][n].
    for (int e = lid; e < TS_N * TS_K; e += wg) {
      int n, k;
      if (b_trans) { k = e % TS_K; n = e / TS_K; }     // contiguous along p
      else         { n = e % TS_N; k = e / TS_N; }     // contiguous along j
      const int gj = j0 + n, gk = k0 + k;
      float v = 0.0f;
      if (gj < N && gk < K) v = b_trans ? B[boff + gj * ldb + gk] : B[boff + gk * ldb + gj];
      Bsub[k * TS_N + n] = v;
    }
    barrier(CLK_LOCAL_MEM_FENCE);

    for (int k = 0; k < TS_K; k++) {
      float a[WPT_M], b[WPT_N];
      for (int r = 0; r < WPT_M; r++) a[r] = Asub[k * TS_M + ty + r * RTS_M];
      for (int c = 0; c < WPT_N; c++) b[c] = Bsub[k * TS_N + tx + c * RTS_N];
      for (int r = 0; r < WPT_M; r++)
        for (int c = 0; c < WPT_N; c++) acc[r][c] = fma(a[r], b[c], acc[r][c]);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }

  for (int r = 0; r < WPT_M; r++) {
    const int i = i0 + ty + r * RTS_M;
    if (i >= M) continue;
    for (int c = 0; c < WPT_N; c++) {
      const int j = j0 + tx + c * RTS_N;
      if (j >= N) continue;
      const int at = coff + i * ldc + j;
      const float v = acc[r][c];
      if (mode == 0) {
        C[at] = beta == 0.0f ? v : v + beta * C[at];
      } else if (mode == 1) {
        C[at] = sigmoid(v + X[xoff + j * ldx]);
      } else if (mode == 2) {
        const float z = v + X[xoff + j * ldx];
        Z[zoff + i * N + j] = z;
        C[at] = sigmoid(z);
      } else {
        const float x = X[xoff + i * ldx + j];
        C[at] = v * x * (1.0f - x);
      }
    }
  }
}

__kernel __attribute__((reqd_work_group_size(RTS_N, RTS_M, 1)))
void gemm_nt(GEMM_ARGS) {
  __local float Asub[TS_K * TS_M];
  __local float Bsub[TS_K * TS_N];
  gemm_tile(0, 1, GEMM_PASS, Asub, Bsub);
}

__kernel __attribute__((reqd_work_group_size(RTS_N, RTS_M, 1)))
void gemm_nn(GEMM_ARGS) {
  __local float Asub[TS_K * TS_M];
  __local float Bsub[TS_K * TS_N];
  gemm_tile(0, 0, GEMM_PASS, Asub, Bsub);
}

__kernel __attribute__((reqd_work_group_size(RTS_N, RTS_M, 1)))
void gemm_tn(GEMM_ARGS) {
  __local float Asub[TS_K * TS_M];
  __local float Bsub[TS_K * TS_N];
  gemm_tile(1, 0, GEMM_PASS, Asub, Bsub);
}

#endif
