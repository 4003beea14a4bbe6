package org.clprop.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CpuKernels} on the Vector API. The product keeps a 4 x 2-vector tile of C in registers
 * (eight accumulators) while p runs over a KC-deep panel of B, so each load of B feeds four fused
 * multiply-adds; edges fall back to narrower tiles and then to scalar fma, which computes the same
 * chain per element.
 */
final class VectorKernels implements CpuKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
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

  @Override
  public void gemm(float[] a, int aOff, int lda, boolean transA, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k) {
    // opA(i, p) = a[aOff + i * si + p * sp]
    int si = transA ? 1 : lda;
    int sp = transA ? lda : 1;
    for (int pb = 0; pb < k; pb += KC) {
      int pe = Math.min(pb + KC, k);
      int j = j0;
      for (; j + 2 * L <= j1; j += 2 * L) {
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
          tile4x2(a, aOff, si, sp, b, bOff, ldb, c, cOff, ldc, i, j, pb, pe);
        }
        for (; i < i1; i++) {
          tile1x2(a, aOff, si, sp, b, bOff, ldb, c, cOff, ldc, i, j, pb, pe);
        }
      }
      for (; j + L <= j1; j += L) {
        for (int i = i0; i < i1; i++) {
          tile1x1(a, aOff, si, sp, b, bOff, ldb, c, cOff, ldc, i, j, pb, pe);
        }
      }
      for (; j < j1; j++) {
        for (int i = i0; i < i1; i++) {
          int at = cOff + i * ldc + j;
          float acc = c[at];
          for (int p = pb; p < pe; p++) {
            acc = Math.fma(a[aOff + i * si + p * sp], b[bOff + p * ldb + j], acc);
          }
          c[at] = acc;
        }
      }
    }
  }

  private static void tile4x2(float[] a, int aOff, int si, int sp, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, int i, int j, int pb, int pe) {
    int r0 = cOff + i * ldc + j;
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
    int a0 = aOff + i * si;
    for (int p = pb; p < pe; p++) {
      int bp = bOff + p * ldb + j;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      int ap = a0 + p * sp;
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[ap + si]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[ap + 2 * si]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[ap + 3 * si]);
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

  private static void tile1x2(float[] a, int aOff, int si, int sp, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, int i, int j, int pb, int pe) {
    int r0 = cOff + i * ldc + j;
    FloatVector c00 = FloatVector.fromArray(S, c, r0);
    FloatVector c01 = FloatVector.fromArray(S, c, r0 + L);
    int a0 = aOff + i * si;
    for (int p = pb; p < pe; p++) {
      int bp = bOff + p * ldb + j;
      FloatVector x = FloatVector.broadcast(S, a[a0 + p * sp]);
      c00 = x.fma(FloatVector.fromArray(S, b, bp), c00);
      c01 = x.fma(FloatVector.fromArray(S, b, bp + L), c01);
    }
    c00.intoArray(c, r0);
    c01.intoArray(c, r0 + L);
  }

  private static void tile1x1(float[] a, int aOff, int si, int sp, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, int i, int j, int pb, int pe) {
    int r0 = cOff + i * ldc + j;
    FloatVector c00 = FloatVector.fromArray(S, c, r0);
    int a0 = aOff + i * si;
    for (int p = pb; p < pe; p++) {
      FloatVector x = FloatVector.broadcast(S, a[a0 + p * sp]);
      c00 = x.fma(FloatVector.fromArray(S, b, bOff + p * ldb + j), c00);
    }
    c00.intoArray(c, r0);
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
    float s = 0;
    for (int l = 0; l < L; l++) {
      s += v.lane(l);
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
