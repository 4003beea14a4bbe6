package org.clprop.cpu;

import java.util.Arrays;

/**
 * One thread's packing buffers for {@link VectorGemm}: a slab of B as panels of
 * {@link VectorTiles#PANEL} columns (zero beyond the last column), a block's rows of A interleaved
 * along p (zero beyond the last row), and a zero-padded copy of an edge block of C. Packing costs
 * one pass over each operand per call; the tiles then read both at fixed strides.
 */
final class GemmPacking {
  private static final int PANEL = VectorTiles.PANEL;
  private static final ThreadLocal<GemmPacking> OF_THREAD = ThreadLocal.withInitial(GemmPacking::new);

  float[] b = new float[0];
  float[] a = new float[0];
  /** The p that packLive kept, in order. */
  int[] live = new int[0];
  private final float[] edge = new float[VectorGemm.MAX_ROWS * PANEL];

  /** The calling thread's buffers. */
  static GemmPacking ofThread() {
    return OF_THREAD.get();
  }

  /** bp[q*depth*PANEL + p*PANEL + v] = B[from + p*ldb + j0 + q*PANEL + v], 0 past j1. */
  float[] packB(float[] src, int from, int ldb, int j0, int j1, int depth) {
    int panels = (j1 - j0 + PANEL - 1) / PANEL;
    int need = panels * depth * PANEL;
    if (b.length < need) {
      b = new float[need];
    }
    for (int q = 0; q < panels; q++) {
      int j = j0 + q * PANEL;
      int cols = Math.min(PANEL, j1 - j);
      int dst = q * depth * PANEL;
      for (int p = 0; p < depth; p++, dst += PANEL) {
        System.arraycopy(src, from + p * ldb + j, b, dst, cols);
        if (cols < PANEL) {
          Arrays.fill(b, dst + cols, dst + PANEL, 0f);
        }
      }
    }
    return b;
  }

  /**
   * The p in [0, depth) at which block {@code g} of {@code zeros} is live, into live, with each
   * one's rows of A packed: a[t*block + r] = A[from + r*si + live[t]*sp]; returns the count.
   */
  int packLive(float[] src, int from, int si, int sp, int block, CpuKernels.ZeroBlocks zeros, int pb, int depth, int g) {
    if (a.length < depth * block) {
      a = new float[depth * block];
    }
    if (live.length < depth) {
      live = new int[depth];
    }
    byte[] flags = zeros.flags();
    int stride = zeros.stride();
    int count = 0;
    for (int p = 0; p < depth; p++) {
      live[count] = p; // kept only if the count moves on: no branch to mispredict
      count += flags[(pb + p) * stride + g];
    }
    if (si == 1) {
      for (int t = 0; t < count; t++) { // a transposed A: each p's rows are contiguous
        System.arraycopy(src, from + live[t] * sp, a, t * block, block);
      }
      return count;
    }
    for (int t = 0; t < count; t++) {
      int at = from + live[t] * sp;
      for (int r = 0; r < block; r++) {
        a[t * block + r] = src[at + r * si];
      }
    }
    return count;
  }

  /** ap[p*block + r] = A[from + r*si + p*sp] for r < rows, 0 for the rows up to block. */
  float[] packA(float[] src, int from, int si, int sp, int rows, int block, int depth) {
    int need = depth * block;
    if (a.length < need) {
      a = new float[need];
    }
    if (si == 1 && rows == block) {
      // The transposed operand of a gradient product: each p's rows are contiguous already.
      for (int p = 0; p < depth; p++) {
        System.arraycopy(src, from + p * sp, a, p * block, block);
      }
      return a;
    }
    for (int p = 0; p < depth; p++) {
      int at = from + p * sp;
      int dst = p * block;
      for (int r = 0; r < block; r++) {
        a[dst + r] = r < rows ? src[at + r * si] : 0f;
      }
    }
    return a;
  }

  /** The edge buffer holding C's block of rows x cols at c[at], zero elsewhere. */
  float[] toEdge(float[] c, int at, int ldc, int rows, int cols) {
    Arrays.fill(edge, 0f);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(c, at + r * ldc, edge, r * PANEL, cols);
    }
    return edge;
  }

  /** The edge buffer's block back into C. */
  void fromEdge(float[] c, int at, int ldc, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(edge, r * PANEL, c, at + r * ldc, cols);
    }
  }
}
