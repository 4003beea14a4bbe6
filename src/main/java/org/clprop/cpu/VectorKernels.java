package org.clprop.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.clprop.config.Settings;
import org.clprop.core.Pixels;

/**
 * {@link CpuKernels} on the Vector API: the products by {@link VectorGemm} (tiles of
 * {@link VectorTiles}) and {@link VectorDot}, and here the element-wise kernels, L lanes at a time
 * with the scalar kernels' operations in the same order, so that an element's result does not
 * depend on whether it falls in a vector body or a scalar tail.
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
  /**
   * Rows of C per register tile: 8 where the ISA has 32 vector registers (AVX-512, AArch64), 4 on
   * AVX2's 16 (see VectorTiles). -Dclprop.cpu.rows=4|8 overrides.
   */
  static final int ROWS_HERE = rowsPerBlock();
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final VectorGemm gemm;

  VectorKernels() {
    this(ROWS_HERE);
  }

  /** With tiles of {@code rowsPerBlock} (4 or 8) rows, so that tests cover both tiles anywhere. */
  VectorKernels(int rowsPerBlock) {
    gemm = new VectorGemm(rowsPerBlock);
  }

  private static int rowsPerBlock() {
    int wide = S.vectorBitSize() >= 512 || "aarch64".equals(System.getProperty("os.arch")) ? VectorGemm.MAX_ROWS : 4;
    return Settings.intValue(Settings.CPU_ROWS, wide); // checked by VectorGemm
  }

  /** One thread's buffers for the element-wise kernels. */
  private static final class Scratch {
    final int[] column = new int[L];
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
  }

  @Override
  public String toString() {
    return "VectorKernels(" + L + " lanes, " + gemm.rows() + "-row tiles)";
  }

  @Override
  public int panelWidth() {
    return VectorTiles.PANEL;
  }

  @Override
  public void gemm(float[] a, int aOff, int lda, boolean transA, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k, RowsDone done, ZeroBlocks zeros) {
    gemm.product(a, aOff, lda, transA, b, bOff, ldb, false, c, cOff, ldc, i0, i1, j0, j1, k, done, zeros);
  }

  @Override
  public void gemmPanels(float[] a, int aOff, int lda, float[] bp, float[] c, int cOff, int ldc,
      int i0, int i1, int j0, int j1, int k, ZeroBlocks zeros) {
    gemm.product(a, aOff, lda, false, bp, 0, 0, true, c, cOff, ldc, i0, i1, j0, j1, k, null, zeros);
  }

  @Override
  public void gemmDot(float[] a, int aOff, int lda, float[] bt, int btOff, int ldbt,
      float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k) {
    VectorDot.gemmDot(a, aOff, lda, bt, btOff, ldbt, c, cOff, ldc, i0, i1, j0, j1, k);
  }

  /** L rows at a time: one gather down a column of src, one contiguous store along a row of dst. */
  @Override
  public void transpose(float[] src, int srcOff, int lds, float[] dst, int dstOff, int ldd, int rows, int cols) {
    int[] down = SCRATCH.get().column(lds);
    int r = 0;
    for (; r + L <= rows; r += L) {
      transposeBlock(src, srcOff + r * lds, down, dst, dstOff + r, ldd, cols);
    }
    for (; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        dst[dstOff + c * ldd + r] = src[srcOff + r * lds + c];
      }
    }
  }

  /**
   * L rows of src from {@code from} (gather offsets {@code down}) into L columns of dst from
   * {@code at}. A method per block, so that C2, which compiles a method once it has been called
   * often enough, compiles it within the first step: the update calls transpose a few times a step.
   */
  private static void transposeBlock(float[] src, int from, int[] down, float[] dst, int at, int ldd, int cols) {
    for (int c = 0; c < cols; c++) {
      FloatVector.fromArray(S, src, from + c, down, 0).intoArray(dst, at + c * ldd);
    }
  }

  @Override
  public void pixels(byte[] src, int srcOff, float[] dst, int dstOff, int n) {
    int i = 0;
    for (; i <= n - L; i += L) {
      // Sign-extended to ints, masked to the unsigned value, converted, divided: Pixels.feature exactly.
      IntVector v = (IntVector) ByteVector.fromArray(BYTES, src, srcOff + i).convertShape(VectorOperators.B2I, INTS, 0);
      ((FloatVector) v.and(0xff).convertShape(VectorOperators.I2F, S, 0)).div(255f).intoArray(dst, dstOff + i);
    }
    for (; i < n; i++) {
      dst[dstOff + i] = Pixels.feature(src[srcOff + i]);
    }
  }

  /** L inputs at a time: the rows' bits or-ed, the sign cleared, 0 or more clamped to 0 or 1. */
  @Override
  public void markLive(float[] a, int at, int w, int rows, byte[] flags, int g, int stride) {
    int[] t = SCRATCH.get().bits;
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
