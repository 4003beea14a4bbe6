package org.clprop.cpu;

import org.clprop.cpu.CpuKernels.RowsDone;
import org.clprop.cpu.CpuKernels.ZeroBlocks;

/**
 * The matrix product of {@link VectorKernels}: C[i, j] += sum_p opA(i, p) B[p, j], blocked as
 * GotoBLAS blocks it. For each KC-deep slab of B (packed into panels of {@link VectorTiles#PANEL}
 * columns, or read from panels the caller keeps), for each block of {@code rows} rows of A, for each
 * panel: one register tile of {@link VectorTiles}. A is read in place when its rows are contiguous
 * along p, else packed; given a transposed A's blocks of zeros, a block keeps only the p at which
 * its rows are not all zero (the same sums, see CpuKernels.ZeroBlocks). Edges go through a
 * zero-padded copy of the tile, so that one tile serves every shape. Every element of C is one
 * chain of fmas over p in order, whatever the tile or thread that computes it.
 */
final class VectorGemm {
  /** Depth of a slab of B kept hot in L1/L2 while a strip of C is updated. */
  private static final int KC = 256;
  /** At most this many rows per block (the edge buffer's size). */
  static final int MAX_ROWS = 8;
  private static final int PANEL = VectorTiles.PANEL;

  private final int rows;

  /** Blocks of {@code rowsPerBlock} (4 or 8) rows of C per register tile. */
  VectorGemm(int rowsPerBlock) {
    if (rowsPerBlock != 4 && rowsPerBlock != MAX_ROWS) {
      throw new IllegalArgumentException("rows per block (clprop.cpu.rows): " + rowsPerBlock + ", must be 4 or 8");
    }
    rows = rowsPerBlock;
  }

  int rows() {
    return rows;
  }

  /**
   * CpuKernels.gemm, or with {@code inPanels} CpuKernels.gemmPanels (B already in panels of all k
   * rows: nothing packed).
   */
  void product(float[] a, int aOff, int lda, boolean transA, float[] b, int bOff, int ldb, boolean inPanels,
      float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k, RowsDone done, ZeroBlocks zeros) {
    if (i0 >= i1 || j0 >= j1) {
      return;
    }
    if (k == 0 && done != null) {
      done.rows(i0, i1);
    }
    // opA(i, p) = a[aOff + i * si + p * sp]
    int si = transA ? 1 : lda;
    int sp = transA ? lda : 1;
    GemmPacking w = GemmPacking.ofThread();
    int panels = (j1 - j0 + PANEL - 1) / PANEL;
    for (int pb = 0; pb < k; pb += KC) {
      int depth = Math.min(KC, k - pb);
      float[] bp = inPanels ? b : w.packB(b, bOff + pb * ldb, ldb, j0, j1, depth);
      // Panel q of this slab starts at bq + q * bStep; its row p at + p * PANEL.
      int bq = inPanels ? (j0 / PANEL) * k * PANEL + pb * PANEL : 0;
      int bStep = inPanels ? k * PANEL : depth * PANEL;
      for (int i = i0; i < i1; i += this.rows) {
        int rows = Math.min(this.rows, i1 - i);
        int from = aOff + i * si + pb * sp;
        if (zeros != null && rows == this.rows && i / ZeroBlocks.ROWS == (i + rows - 1) / ZeroBlocks.ROWS) {
          // Only the p at which some of the block's rows of A is not zero (A packed, B by index);
          // for strips inside one marked block, whatever i0 the caller split at.
          int live = w.packLive(a, from, si, sp, this.rows, zeros, pb, depth, i / ZeroBlocks.ROWS);
          for (int q = 0; q < panels; q++) {
            int j = j0 + q * PANEL;
            int cols = Math.min(PANEL, j1 - j);
            if (cols == PANEL) {
              tileLive(w.a, w.live, live, bp, bq + q * bStep, c, cOff + i * ldc + j, ldc);
            } else {
              float[] t = w.toEdge(c, cOff + i * ldc + j, ldc, rows, cols);
              tileLive(w.a, w.live, live, bp, bq + q * bStep, t, 0, PANEL);
              w.fromEdge(c, cOff + i * ldc + j, ldc, rows, cols);
            }
          }
        } else {
          // Rows of A read in place when they are contiguous along p and all there; else packed.
          boolean direct = !transA && rows == this.rows;
          float[] ap = direct ? a : w.packA(a, from, si, sp, rows, this.rows, depth);
          for (int q = 0; q < panels; q++) {
            int j = j0 + q * PANEL;
            int cols = Math.min(PANEL, j1 - j);
            if (direct && cols == PANEL) {
              if (this.rows == MAX_ROWS) {
                VectorTiles.rows8(a, aOff + i * lda + pb, lda, bp, bq + q * bStep, c, cOff + i * ldc + j, ldc, depth);
              } else {
                VectorTiles.rows4(a, aOff + i * lda + pb, lda, bp, bq + q * bStep, c, cOff + i * ldc + j, ldc, depth);
              }
            } else if (rows == this.rows && cols == PANEL) {
              tile(ap, bp, bq + q * bStep, c, cOff + i * ldc + j, ldc, depth);
            } else {
              if (direct) {
                ap = w.packA(a, from, si, sp, rows, this.rows, depth);
                direct = false;
              }
              // An edge: through a full-sized copy of the block, so that one tile serves every shape.
              float[] t = w.toEdge(c, cOff + i * ldc + j, ldc, rows, cols);
              tile(ap, bp, bq + q * bStep, t, 0, PANEL, depth);
              w.fromEdge(c, cOff + i * ldc + j, ldc, rows, cols);
            }
          }
        }
        if (done != null && pb + depth >= k) {
          done.rows(i, i + rows);
        }
      }
    }
  }

  /** The tile over the live p only, for this product's rows. */
  private void tileLive(float[] ap, int[] live, int count, float[] bp, int at, float[] c, int r0, int ldc) {
    if (rows == MAX_ROWS) {
      VectorTiles.live8(ap, live, count, bp, at, c, r0, ldc);
    } else {
      VectorTiles.live4(ap, live, count, bp, at, c, r0, ldc);
    }
  }

  /** The tile on packed A, for this product's rows (one branch per tile call). */
  private void tile(float[] ap, float[] bp, int at, float[] c, int r0, int ldc, int depth) {
    if (rows == MAX_ROWS) {
      VectorTiles.packed8(ap, bp, at, c, r0, ldc, depth);
    } else {
      VectorTiles.packed4(ap, bp, at, c, r0, ldc, depth);
    }
  }
}
