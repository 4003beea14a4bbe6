package org.clprop.cpu;

import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.clprop.config.Settings;
import org.clprop.data.Dataset;

/**
 * {@link CpuKernels} on the Vector API. The product packs a KC-deep slab of B into 32-column panels
 * and eight (or four) rows of A at a time into a strip, then keeps an 8 x 2-vector tile of C in
 * registers (sixteen accumulators) while p runs down the slab, each pair of B loads feeding sixteen
 * fused multiply-adds; edges go through a zero-padded copy of the tile. Given a transposed A's
 * blocks of zeros (the input layer's gradient on images), a strip keeps only the p at which its
 * rows are not all zero and reads B's rows by index: 28% fewer multiply-adds on Fashion-MNIST,
 * the same sums (see CpuKernels.ZeroBlocks). Where the ISA has only 16
 * vector registers (AVX2) the tile is 4 x 2 vectors, which fits without spilling. Every element of C is one chain
 * of fmas over p in order, whatever the tile or thread that computes it.
 */
final class VectorKernels implements CpuKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** L bytes and L ints, for widening pixel bytes to floats. */
  private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));
  private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, S.vectorShape());
  private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
  private static final FloatVector LN2_HI = FloatVector.broadcast(S, ScalarKernels.LN2_HI);
  private static final FloatVector LN2_LO = FloatVector.broadcast(S, ScalarKernels.LN2_LO);
  private static final FloatVector C2 = FloatVector.broadcast(S, ScalarKernels.C2);
  private static final FloatVector C3 = FloatVector.broadcast(S, ScalarKernels.C3);
  private static final FloatVector C4 = FloatVector.broadcast(S, ScalarKernels.C4);
  private static final FloatVector C5 = FloatVector.broadcast(S, ScalarKernels.C5);
  private static final FloatVector C6 = FloatVector.broadcast(S, ScalarKernels.C6);
  /** Depth of a panel of B kept hot in L1/L2 while a strip of C is updated. */
  private static final int KC = 256;
  /**
   * Rows of C per register block: 8 where the ISA has 32 vector registers (AVX-512, AArch64), so
   * that 16 accumulators, two B vectors and a broadcast fit; 4 on AVX2's 16. On AVX-512 training
   * steps are 3 - 8% shorter with 8 (tools/bench-tiles, docs/performance.md). -Dclprop.cpu.rows=4|8
   * overrides.
   */
  static final int ROWS_HERE = rowsPerBlock();
  /** At most this many rows per block (the edge buffer's size). */
  private static final int MAX_ROWS = 8;
  /** Columns (two vectors) per panel of B. */
  private static final int PANEL = 2 * L;
  private static final ThreadLocal<Panels> PANELS = ThreadLocal.withInitial(Panels::new);

  private final int rows;

  VectorKernels() {
    this(ROWS_HERE);
  }

  /** With blocks of {@code rowsPerBlock} (4 or 8) rows, so that tests cover both tiles anywhere. */
  VectorKernels(int rowsPerBlock) {
    if (rowsPerBlock != 4 && rowsPerBlock != MAX_ROWS) {
      throw new IllegalArgumentException("rows per block (clprop.cpu.rows): " + rowsPerBlock + ", must be 4 or 8");
    }
    rows = rowsPerBlock;
  }

  private static int rowsPerBlock() {
    int wide = S.vectorBitSize() >= 512 || "aarch64".equals(System.getProperty("os.arch")) ? MAX_ROWS : 4;
    return Settings.intValue(Settings.CPU_ROWS, wide); // checked by the constructor
  }

  @Override
  public int panelWidth() {
    return PANEL;
  }

  @Override
  public void gemmPanels(float[] a, int aOff, int lda, float[] bp, float[] c, int cOff, int ldc,
      int i0, int i1, int j0, int j1, int k, ZeroBlocks zeros) {
    product(a, aOff, lda, false, bp, 0, 0, true, c, cOff, ldc, i0, i1, j0, j1, k, null, zeros);
  }

  @Override
  public void gemm(float[] a, int aOff, int lda, boolean transA, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k, RowsDone done, ZeroBlocks zeros) {
    product(a, aOff, lda, transA, b, bOff, ldb, false, c, cOff, ldc, i0, i1, j0, j1, k, done, zeros);
  }

  /** gemm, or with {@code inPanels} gemmPanels (B already in panels of all k rows: no packing). */
  private void product(float[] a, int aOff, int lda, boolean transA, float[] b, int bOff, int ldb, boolean inPanels,
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
    Panels w = PANELS.get();
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
                tileRows8(a, aOff + i * lda + pb, lda, bp, bq + q * bStep, c, cOff + i * ldc + j, ldc, depth);
              } else {
                tileRows(a, aOff + i * lda + pb, lda, bp, bq + q * bStep, c, cOff + i * ldc + j, ldc, depth);
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

  /** The register tile over the live p only (see tileLive4), for this instance's rows. */
  private void tileLive(float[] ap, int[] live, int count, float[] bp, int at, float[] c, int r0, int ldc) {
    if (rows == MAX_ROWS) {
      tileLive8(ap, live, count, bp, at, c, r0, ldc);
    } else {
      tileLive4(ap, live, count, bp, at, c, r0, ldc);
    }
  }

  /** The register tile for this instance's rows of packed A (one branch per tile call). */
  private void tile(float[] ap, float[] bp, int at, float[] c, int r0, int ldc, int depth) {
    if (rows == MAX_ROWS) {
      tile8(ap, bp, at, c, r0, ldc, depth);
    } else {
      tile4(ap, bp, at, c, r0, ldc, depth);
    }
  }

  /**
   * C[r0 + r*ldc + v] += sum_p ap[p*4 + r] * bp[at + p*32 + v] for r < 4, v < 32: a 4 x 2-vector
   * block of C in eight registers. Both operands are packed with constant strides, which lets the
   * JIT drop the range checks from the loop; each pair of B loads feeds eight fused multiply-adds.
   */
  private static void tile4(float[] ap, float[] bp, int at, float[] c, int r0, int ldc, int depth) {
    int r1 = r0 + ldc;
    int r2 = r1 + ldc;
    int r3 = r2 + ldc;
    FloatVector c00 = FloatVector.fromArray(S, c, r0);
    FloatVector c01 = FloatVector.fromArray(S, c, r0 + L);
    FloatVector c10 = FloatVector.fromArray(S, c, r1);
    FloatVector c11 = FloatVector.fromArray(S, c, r1 + L);
    FloatVector c20 = FloatVector.fromArray(S, c, r2);
    FloatVector c21 = FloatVector.fromArray(S, c, r2 + L);
    FloatVector c30 = FloatVector.fromArray(S, c, r3);
    FloatVector c31 = FloatVector.fromArray(S, c, r3 + L);
    for (int p = 0; p < depth; p++) {
      int bq = at + p * PANEL;
      int aq = p * 4;
      FloatVector b0 = FloatVector.fromArray(S, bp, bq);
      FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
      FloatVector x = FloatVector.broadcast(S, ap[aq]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[aq + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[aq + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[aq + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    c00.intoArray(c, r0);
    c01.intoArray(c, r0 + L);
    c10.intoArray(c, r1);
    c11.intoArray(c, r1 + L);
    c20.intoArray(c, r2);
    c21.intoArray(c, r2 + L);
    c30.intoArray(c, r3);
    c31.intoArray(c, r3 + L);
  }

  /**
   * {@link #tile} with A's four rows read in place: a[a0 + r*lda + p], contiguous along p. Two
   * tiles for two layouts of A: the interleaved strip is faster per fma (113 against 92 GFLOP/s on
   * one core) but costs a packing pass, which pays for the gradient's transposed A (strided anyway)
   * and not for the forward's rows (measured: the pass ate the gain).
   */
  private static void tileRows(float[] a, int a0, int lda, float[] bp, int at, float[] c, int r0, int ldc,
      int depth) {
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    int r1 = r0 + ldc;
    int r2 = r1 + ldc;
    int r3 = r2 + ldc;
    FloatVector c00 = FloatVector.fromArray(S, c, r0);
    FloatVector c01 = FloatVector.fromArray(S, c, r0 + L);
    FloatVector c10 = FloatVector.fromArray(S, c, r1);
    FloatVector c11 = FloatVector.fromArray(S, c, r1 + L);
    FloatVector c20 = FloatVector.fromArray(S, c, r2);
    FloatVector c21 = FloatVector.fromArray(S, c, r2 + L);
    FloatVector c30 = FloatVector.fromArray(S, c, r3);
    FloatVector c31 = FloatVector.fromArray(S, c, r3 + L);
    for (int p = 0; p < depth; p++) {
      int bq = at + p * PANEL;
      FloatVector b0 = FloatVector.fromArray(S, bp, bq);
      FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
      FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    c00.intoArray(c, r0);
    c01.intoArray(c, r0 + L);
    c10.intoArray(c, r1);
    c11.intoArray(c, r1 + L);
    c20.intoArray(c, r2);
    c21.intoArray(c, r2 + L);
    c30.intoArray(c, r3);
    c31.intoArray(c, r3 + L);
  }

  /**
   * {@link #tile4} for 8 rows: C[r0 + r*ldc + v] += sum_p ap[p*8 + r] * bp[at + p*32 + v] for r < 8,
   * v < 32, sixteen accumulators; each pair of B loads feeds sixteen fused multiply-adds.
   */
  private static void tile8(float[] ap, float[] bp, int at, float[] c, int r0, int ldc, int depth) {
    int r1 = r0 + ldc;
    int r2 = r1 + ldc;
    int r3 = r2 + ldc;
    int r4 = r3 + ldc;
    int r5 = r4 + ldc;
    int r6 = r5 + ldc;
    int r7 = r6 + ldc;
    FloatVector c00 = FloatVector.fromArray(S, c, r0);
    FloatVector c01 = FloatVector.fromArray(S, c, r0 + L);
    FloatVector c10 = FloatVector.fromArray(S, c, r1);
    FloatVector c11 = FloatVector.fromArray(S, c, r1 + L);
    FloatVector c20 = FloatVector.fromArray(S, c, r2);
    FloatVector c21 = FloatVector.fromArray(S, c, r2 + L);
    FloatVector c30 = FloatVector.fromArray(S, c, r3);
    FloatVector c31 = FloatVector.fromArray(S, c, r3 + L);
    FloatVector c40 = FloatVector.fromArray(S, c, r4);
    FloatVector c41 = FloatVector.fromArray(S, c, r4 + L);
    FloatVector c50 = FloatVector.fromArray(S, c, r5);
    FloatVector c51 = FloatVector.fromArray(S, c, r5 + L);
    FloatVector c60 = FloatVector.fromArray(S, c, r6);
    FloatVector c61 = FloatVector.fromArray(S, c, r6 + L);
    FloatVector c70 = FloatVector.fromArray(S, c, r7);
    FloatVector c71 = FloatVector.fromArray(S, c, r7 + L);
    for (int p = 0; p < depth; p++) {
      int bq = at + p * PANEL;
      int aq = p * 8;
      FloatVector b0 = FloatVector.fromArray(S, bp, bq);
      FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
      FloatVector x = FloatVector.broadcast(S, ap[aq]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[aq + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[aq + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[aq + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, ap[aq + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, ap[aq + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, ap[aq + 6]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, ap[aq + 7]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(c, r0);
    c01.intoArray(c, r0 + L);
    c10.intoArray(c, r1);
    c11.intoArray(c, r1 + L);
    c20.intoArray(c, r2);
    c21.intoArray(c, r2 + L);
    c30.intoArray(c, r3);
    c31.intoArray(c, r3 + L);
    c40.intoArray(c, r4);
    c41.intoArray(c, r4 + L);
    c50.intoArray(c, r5);
    c51.intoArray(c, r5 + L);
    c60.intoArray(c, r6);
    c61.intoArray(c, r6 + L);
    c70.intoArray(c, r7);
    c71.intoArray(c, r7 + L);
  }

  /**
   * {@link #tile4} over the p listed in {@code live[0 .. count)} only, reading A's four rows at p
   * from a[a0 + p*lda + r] (a transposed A in place, or a packed strip with lda 4); B's row is picked
   * by index. Every element is still one fma chain over p in increasing order, less terms that add
   * nothing. (C2 checks the eight A loads at one index against the array's bounds once.)
   */
  private static void tileLive4(float[] ap, int[] live, int count, float[] bp, int at, float[] c, int r0, int ldc) {
    int r1 = r0 + ldc;
    int r2 = r1 + ldc;
    int r3 = r2 + ldc;
    FloatVector c00 = FloatVector.fromArray(S, c, r0);
    FloatVector c01 = FloatVector.fromArray(S, c, r0 + L);
    FloatVector c10 = FloatVector.fromArray(S, c, r1);
    FloatVector c11 = FloatVector.fromArray(S, c, r1 + L);
    FloatVector c20 = FloatVector.fromArray(S, c, r2);
    FloatVector c21 = FloatVector.fromArray(S, c, r2 + L);
    FloatVector c30 = FloatVector.fromArray(S, c, r3);
    FloatVector c31 = FloatVector.fromArray(S, c, r3 + L);
    for (int t = 0; t < count; t++) {
      int p = live[t];
      int bq = at + p * PANEL;
      int aq = t * 4;
      FloatVector b0 = FloatVector.fromArray(S, bp, bq);
      FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
      FloatVector x = FloatVector.broadcast(S, ap[aq]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[aq + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[aq + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[aq + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    c00.intoArray(c, r0);
    c01.intoArray(c, r0 + L);
    c10.intoArray(c, r1);
    c11.intoArray(c, r1 + L);
    c20.intoArray(c, r2);
    c21.intoArray(c, r2 + L);
    c30.intoArray(c, r3);
    c31.intoArray(c, r3 + L);
  }

  /** {@link #tileLive4} for 8 rows: {@link #tile8} over the listed p only. */
  private static void tileLive8(float[] ap, int[] live, int count, float[] bp, int at, float[] c, int r0, int ldc) {
    int r1 = r0 + ldc;
    int r2 = r1 + ldc;
    int r3 = r2 + ldc;
    int r4 = r3 + ldc;
    int r5 = r4 + ldc;
    int r6 = r5 + ldc;
    int r7 = r6 + ldc;
    FloatVector c00 = FloatVector.fromArray(S, c, r0);
    FloatVector c01 = FloatVector.fromArray(S, c, r0 + L);
    FloatVector c10 = FloatVector.fromArray(S, c, r1);
    FloatVector c11 = FloatVector.fromArray(S, c, r1 + L);
    FloatVector c20 = FloatVector.fromArray(S, c, r2);
    FloatVector c21 = FloatVector.fromArray(S, c, r2 + L);
    FloatVector c30 = FloatVector.fromArray(S, c, r3);
    FloatVector c31 = FloatVector.fromArray(S, c, r3 + L);
    FloatVector c40 = FloatVector.fromArray(S, c, r4);
    FloatVector c41 = FloatVector.fromArray(S, c, r4 + L);
    FloatVector c50 = FloatVector.fromArray(S, c, r5);
    FloatVector c51 = FloatVector.fromArray(S, c, r5 + L);
    FloatVector c60 = FloatVector.fromArray(S, c, r6);
    FloatVector c61 = FloatVector.fromArray(S, c, r6 + L);
    FloatVector c70 = FloatVector.fromArray(S, c, r7);
    FloatVector c71 = FloatVector.fromArray(S, c, r7 + L);
    for (int t = 0; t < count; t++) {
      int p = live[t];
      int bq = at + p * PANEL;
      int aq = t * 8;
      FloatVector b0 = FloatVector.fromArray(S, bp, bq);
      FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
      FloatVector x = FloatVector.broadcast(S, ap[aq]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[aq + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[aq + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[aq + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, ap[aq + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, ap[aq + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, ap[aq + 6]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, ap[aq + 7]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(c, r0);
    c01.intoArray(c, r0 + L);
    c10.intoArray(c, r1);
    c11.intoArray(c, r1 + L);
    c20.intoArray(c, r2);
    c21.intoArray(c, r2 + L);
    c30.intoArray(c, r3);
    c31.intoArray(c, r3 + L);
    c40.intoArray(c, r4);
    c41.intoArray(c, r4 + L);
    c50.intoArray(c, r5);
    c51.intoArray(c, r5 + L);
    c60.intoArray(c, r6);
    c61.intoArray(c, r6 + L);
    c70.intoArray(c, r7);
    c71.intoArray(c, r7 + L);
  }

  /**
   * {@link #tileRows} for 8 rows: A's rows read in place, a[a0 + r*lda + p]. Kept apart from
   * {@link #tile8} on purpose: one tile taking A's row and p strides as arguments ran the network's
   * products 4 - 6% slower (8 rows) and 4 - 15% slower (4 rows) in a side-by-side micro-benchmark.
   */
  private static void tileRows8(float[] a, int a0, int lda, float[] bp, int at, float[] c, int r0, int ldc,
      int depth) {
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    int a4 = a3 + lda;
    int a5 = a4 + lda;
    int a6 = a5 + lda;
    int a7 = a6 + lda;
    int r1 = r0 + ldc;
    int r2 = r1 + ldc;
    int r3 = r2 + ldc;
    int r4 = r3 + ldc;
    int r5 = r4 + ldc;
    int r6 = r5 + ldc;
    int r7 = r6 + ldc;
    FloatVector c00 = FloatVector.fromArray(S, c, r0);
    FloatVector c01 = FloatVector.fromArray(S, c, r0 + L);
    FloatVector c10 = FloatVector.fromArray(S, c, r1);
    FloatVector c11 = FloatVector.fromArray(S, c, r1 + L);
    FloatVector c20 = FloatVector.fromArray(S, c, r2);
    FloatVector c21 = FloatVector.fromArray(S, c, r2 + L);
    FloatVector c30 = FloatVector.fromArray(S, c, r3);
    FloatVector c31 = FloatVector.fromArray(S, c, r3 + L);
    FloatVector c40 = FloatVector.fromArray(S, c, r4);
    FloatVector c41 = FloatVector.fromArray(S, c, r4 + L);
    FloatVector c50 = FloatVector.fromArray(S, c, r5);
    FloatVector c51 = FloatVector.fromArray(S, c, r5 + L);
    FloatVector c60 = FloatVector.fromArray(S, c, r6);
    FloatVector c61 = FloatVector.fromArray(S, c, r6 + L);
    FloatVector c70 = FloatVector.fromArray(S, c, r7);
    FloatVector c71 = FloatVector.fromArray(S, c, r7 + L);
    for (int p = 0; p < depth; p++) {
      int bq = at + p * PANEL;
      FloatVector b0 = FloatVector.fromArray(S, bp, bq);
      FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
      FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[a4 + p]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[a5 + p]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, a[a6 + p]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, a[a7 + p]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(c, r0);
    c01.intoArray(c, r0 + L);
    c10.intoArray(c, r1);
    c11.intoArray(c, r1 + L);
    c20.intoArray(c, r2);
    c21.intoArray(c, r2 + L);
    c30.intoArray(c, r3);
    c31.intoArray(c, r3 + L);
    c40.intoArray(c, r4);
    c41.intoArray(c, r4 + L);
    c50.intoArray(c, r5);
    c51.intoArray(c, r5 + L);
    c60.intoArray(c, r6);
    c61.intoArray(c, r6 + L);
    c70.intoArray(c, r7);
    c71.intoArray(c, r7 + L);
  }

  /**
   * Per-thread packing buffers: a KC-deep slab of B as 32-column panels (zero beyond the last
   * column), and a block's rows of A interleaved along p (zero beyond the last row). Packing costs one
   * pass over each operand per call; the products then read both at fixed strides.
   */
  private static final class Panels {
    float[] b = new float[0];
    float[] a = new float[0];
    /** The p that packLive kept, in order. */
    int[] live = new int[0];
    final float[] edge = new float[MAX_ROWS * PANEL];
    final int[] column = new int[L];
    final float[] lanes = new float[L];
    final int[] bits = new int[L];
    int columnStride = -1;

    /** The gather offsets of L consecutive rows of a matrix with rows {@code stride} apart. */
    int[] column(int stride) {
      if (stride != columnStride) {
        for (int i = 0; i < L; i++) {
          column[i] = i * stride;
        }
        columnStride = stride;
      }
      return column;
    }

    /** bp[q*depth*32 + p*32 + v] = B[from + p*ldb + j0 + q*32 + v], 0 past j1. */
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
    int packLive(float[] src, int from, int si, int sp, int block, ZeroBlocks zeros, int pb, int depth, int g) {
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
  }

  @Override
  public void gemmDot(float[] a, int aOff, int lda, float[] bt, int btOff, int ldbt,
      float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k) {
    int kv = k - k % L;
    for (int i = i0; i < i1; i++) {
      int ai = aOff + i * lda;
      int j = j0;
      for (; j + 2 <= j1; j += 2) {
        int b0 = btOff + j * ldbt;
        int b1 = b0 + ldbt;
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        for (int p = 0; p < kv; p += L) {
          FloatVector x = FloatVector.fromArray(S, a, ai + p);
          s0 = x.fma(FloatVector.fromArray(S, bt, b0 + p), s0);
          s1 = x.fma(FloatVector.fromArray(S, bt, b1 + p), s1);
        }
        float t0 = sumLanes(s0);
        float t1 = sumLanes(s1);
        for (int p = kv; p < k; p++) {
          t0 = Math.fma(a[ai + p], bt[b0 + p], t0);
          t1 = Math.fma(a[ai + p], bt[b1 + p], t1);
        }
        c[cOff + i * ldc + j] += t0;
        c[cOff + i * ldc + j + 1] += t1;
      }
      for (; j < j1; j++) {
        int b0 = btOff + j * ldbt;
        FloatVector s0 = FloatVector.zero(S);
        for (int p = 0; p < kv; p += L) {
          s0 = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, bt, b0 + p), s0);
        }
        float t0 = sumLanes(s0);
        for (int p = kv; p < k; p++) {
          t0 = Math.fma(a[ai + p], bt[b0 + p], t0);
        }
        c[cOff + i * ldc + j] += t0;
      }
    }
  }

  /** L rows at a time: one gather down a column of src, one contiguous store along a row of dst. */
  @Override
  public void transpose(float[] src, int srcOff, int lds, float[] dst, int dstOff, int ldd, int rows, int cols) {
    int[] down = PANELS.get().column(lds);
    int r = 0;
    for (; r + L <= rows; r += L) {
      int from = srcOff + r * lds;
      for (int c = 0; c < cols; c++) {
        FloatVector.fromArray(S, src, from + c, down, 0).intoArray(dst, dstOff + c * ldd + r);
      }
    }
    for (; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        dst[dstOff + c * ldd + r] = src[srcOff + r * lds + c];
      }
    }
  }

  @Override
  public void pixels(byte[] src, int srcOff, float[] dst, int dstOff, int n) {
    int i = 0;
    for (; i <= n - L; i += L) {
      // Sign-extended to ints, masked to the unsigned value, converted, divided: Dataset.pixel exactly.
      IntVector v = (IntVector) ByteVector.fromArray(BYTES, src, srcOff + i).convertShape(VectorOperators.B2I, INTS, 0);
      ((FloatVector) v.and(0xff).convertShape(VectorOperators.I2F, S, 0)).div(255f).intoArray(dst, dstOff + i);
    }
    for (; i < n; i++) {
      dst[dstOff + i] = Dataset.pixel(src[srcOff + i]);
    }
  }

  /** L inputs at a time: the rows' bits or-ed, the sign cleared, 0 or more clamped to 0 or 1. */
  @Override
  public void markLive(float[] a, int at, int w, int rows, byte[] flags, int g, int stride) {
    int[] t = PANELS.get().bits;
    int p = 0;
    for (; p + L <= w; p += L) {
      IntVector bits = IntVector.zero(INTS);
      for (int r = 0; r < rows; r++) {
        bits = bits.or((IntVector) FloatVector.fromArray(S, a, at + r * w + p).reinterpretAsInts());
      }
      bits.and(0x7fffffff).min(1).intoArray(t, 0);
      for (int l = 0; l < L; l++) {
        flags[(p + l) * stride + g] = (byte) t[l];
      }
    }
    for (; p < w; p++) {
      flags[p * stride + g] = ScalarKernels.live(a, at + p, w, rows);
    }
  }

  @Override
  public void sigmoid(float[] v, int off, int n) {
    int i = off;
    for (int end = off + n - L; i <= end; i += L) {
      FloatVector z = FloatVector.fromArray(S, v, i);
      ONE.div(exp(z.neg()).add(1f)).intoArray(v, i);
    }
    for (; i < off + n; i++) {
      v[i] = ScalarKernels.sigmoid(v[i]);
    }
  }

  /** {@link ScalarKernels#exp} lane by lane, with the same operations in the same order. */
  private static FloatVector exp(FloatVector x) {
    x = x.max(ScalarKernels.EXP_MIN).min(ScalarKernels.EXP_MAX);
    FloatVector t = x.fma(ScalarKernels.LOG2E, ScalarKernels.ROUNDER);
    FloatVector k = t.sub(ScalarKernels.ROUNDER);
    FloatVector r = k.neg().fma(LN2_HI, x);
    r = k.neg().fma(LN2_LO, r);
    FloatVector p = C6.fma(r, C5);
    p = p.fma(r, C4);
    p = p.fma(r, C3);
    p = p.fma(r, C2);
    p = p.fma(r, ONE);
    p = p.fma(r, ONE);
    IntVector bits = ((IntVector) t.reinterpretAsInts()).sub(Float.floatToRawIntBits(ScalarKernels.ROUNDER) - 127)
        .lanewise(VectorOperators.LSHL, 23);
    return p.mul((FloatVector) bits.reinterpretAsFloats());
  }

  /** The lanes of {@code v} summed in lane order: a fixed order, whatever compiles the code. */
  private static float sumLanes(FloatVector v) {
    // Through memory: lane(l) with a variable l is not a register move on Java 17 (measured: a
    // 4 x 4 dot-product block ran at 33 GFLOP/s with it, 44 this way).
    float[] t = PANELS.get().lanes;
    v.intoArray(t, 0);
    float s = 0;
    for (int l = 0; l < L; l++) {
      s += t[l];
    }
    return s;
  }

  @Override
  public void timesSigmoidGradient(float[] d, float[] a, int off, int n) {
    int i = off;
    for (int end = off + n - L; i <= end; i += L) {
      FloatVector av = FloatVector.fromArray(S, a, i);
      FloatVector.fromArray(S, d, i).mul(av.mul(av.neg().add(1f))).intoArray(d, i);
    }
    for (; i < off + n; i++) {
      d[i] *= a[i] * (1f - a[i]);
    }
  }

  @Override
  public void update(UpdateRule r, float[] t, float[] g, float[] m, float[] v, int off, int n, float reg) {
    int p = off;
    int end = off + n - L;
    if (m == null) {
      for (; p <= end; p += L) {
        FloatVector tv = FloatVector.fromArray(S, t, p);
        FloatVector d = FloatVector.fromArray(S, g, p).mul(r.inv).add(tv.mul(reg));
        tv.sub(d.mul(r.lr)).intoArray(t, p);
      }
    } else if (v == null) {
      for (; p <= end; p += L) {
        FloatVector tv = FloatVector.fromArray(S, t, p);
        FloatVector d = FloatVector.fromArray(S, g, p).mul(r.inv).add(tv.mul(reg));
        FloatVector mv = FloatVector.fromArray(S, m, p).mul(r.mu).sub(d.mul(r.lr));
        mv.intoArray(m, p);
        tv.add(mv).intoArray(t, p);
      }
    } else {
      for (; p <= end; p += L) {
        FloatVector tv = FloatVector.fromArray(S, t, p);
        FloatVector d = FloatVector.fromArray(S, g, p).mul(r.inv).add(tv.mul(reg));
        FloatVector mv = FloatVector.fromArray(S, m, p).mul(r.b1).add(d.mul(1f - r.b1));
        FloatVector vv = FloatVector.fromArray(S, v, p).mul(r.b2).add(d.mul(d).mul(1f - r.b2));
        mv.intoArray(m, p);
        vv.intoArray(v, p);
        FloatVector den = vv.sqrt().mul(r.adamScale).add(r.eps);
        tv.sub(mv.mul(r.adamStep).div(den)).intoArray(t, p);
      }
    }
    for (; p < off + n; p++) {
      t[p] = ScalarKernels.updateOne(r, t, g, m, v, p, reg);
    }
  }
}
