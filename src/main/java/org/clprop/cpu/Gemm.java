package org.clprop.cpu;

/**
 * Single-precision matrix products on row-major arrays, for a block of the output at a time so
 * that callers can split the output across threads.
 *
 * <pre>
 *   C[i, j] += sum_p opA(i, p) * B[p, j]     i in [i0, i1), j in [j0, j1), p in [0, k)
 *   opA(i, p) = A[i*lda + p]                 (A as stored)
 *            or A[p*lda + i]                 (A transposed)
 * </pre>
 *
 * The inner loop is an axpy over a contiguous run of C's row and B's row, which HotSpot turns
 * into SIMD code. Loops are blocked so that a panel of B (KC x NC floats) stays in L2 while every
 * row of the C block sweeps over it, and four rows of C share each load of B.
 */
final class Gemm {
  /** Depth of a B panel: KC rows of B. */
  private static final int KC = 256;
  /** Width of a B panel and of a C block: NC columns. */
  private static final int NC = 512;

  private Gemm() {}

  static void multiplyAdd(float[] a, int aOff, int lda, boolean transA,
      float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc,
      int i0, int i1, int j0, int j1, int k) {
    for (int jb = j0; jb < j1; jb += NC) {
      int je = Math.min(jb + NC, j1);
      int n = je - jb;
      for (int pb = 0; pb < k; pb += KC) {
        int pe = Math.min(pb + KC, k);
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
          int c0 = cOff + i * ldc + jb;
          int c1 = c0 + ldc;
          int c2 = c1 + ldc;
          int c3 = c2 + ldc;
          for (int p = pb; p < pe; p++) {
            float a0;
            float a1;
            float a2;
            float a3;
            if (transA) {
              int ap = aOff + p * lda + i;
              a0 = a[ap];
              a1 = a[ap + 1];
              a2 = a[ap + 2];
              a3 = a[ap + 3];
            } else {
              int ai = aOff + i * lda + p;
              a0 = a[ai];
              a1 = a[ai + lda];
              a2 = a[ai + 2 * lda];
              a3 = a[ai + 3 * lda];
            }
            int bp = bOff + p * ldb + jb;
            axpy4(a0, a1, a2, a3, b, bp, c, c0, c1, c2, c3, n);
          }
        }
        for (; i < i1; i++) {
          int ci = cOff + i * ldc + jb;
          for (int p = pb; p < pe; p++) {
            float ai = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
            axpy(ai, b, bOff + p * ldb + jb, c, ci, n);
          }
        }
      }
    }
  }

  /** c[ci .. ci+n) += alpha * b[bi .. bi+n). */
  static void axpy(float alpha, float[] b, int bi, float[] c, int ci, int n) {
    for (int j = 0; j < n; j++) {
      c[ci + j] += alpha * b[bi + j];
    }
  }

  private static void axpy4(float a0, float a1, float a2, float a3, float[] b, int bi,
      float[] c, int c0, int c1, int c2, int c3, int n) {
    for (int j = 0; j < n; j++) {
      float bj = b[bi + j];
      c[c0 + j] += a0 * bj;
      c[c1 + j] += a1 * bj;
      c[c2 + j] += a2 * bj;
      c[c3 + j] += a3 * bj;
    }
  }
}
