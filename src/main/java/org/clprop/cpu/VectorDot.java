package org.clprop.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * CpuKernels.gemmDot on the Vector API: C[i, j] += sum_p A[i, p] Bt[j, p] as dot products along
 * p, two columns of C at a time, for outputs too narrow for {@link VectorGemm}'s tiles (the output
 * layer's ten units). Each dot product sums L lanes, then the lanes in order, then the tail.
 */
final class VectorDot {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);

  private VectorDot() {}

  static void gemmDot(float[] a, int aOff, int lda, float[] bt, int btOff, int ldbt,
      float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k) {
    for (int i = i0; i < i1; i++) {
      row(a, aOff + i * lda, bt, btOff, ldbt, c, cOff + i * ldc, j0, j1, k);
    }
  }

  /**
   * C[ci + j] += sum_p a[ai + p] Bt[j, p] for j in [j0, j1): one row of C. A method per row, so that
   * C2, which compiles a method once it has been called often enough, compiles it within the first
   * operation: gemmDot itself is called once or twice per training step.
   */
  private static void row(float[] a, int ai, float[] bt, int btOff, int ldbt, float[] c, int ci, int j0, int j1,
      int k) {
    int kv = k - k % L;
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
      c[ci + j] += t0;
      c[ci + j + 1] += t1;
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
      c[ci + j] += t0;
    }
  }

  /**
   * The lanes of {@code v} summed in lane order: a fixed order, whatever compiles the code. Through
   * memory, because lane(l) with a variable l is no register move on Java 17.
   */
  private static float sumLanes(FloatVector v) {
    float[] t = LANES.get();
    v.intoArray(t, 0);
    float s = 0;
    for (int l = 0; l < L; l++) {
      s += t[l];
    }
    return s;
  }
}
