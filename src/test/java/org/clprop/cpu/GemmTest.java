package org.clprop.cpu;

import static org.clprop.testutil.Tensors.assertClose;
import static org.clprop.testutil.Tensors.widen;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The blocked product against the three-loop definition, over many shapes and block splits. */
class GemmTest {
  private static final int[] SIZES = {1, 2, 3, 4, 5, 17, 33, 129, 300, 600};

  @Test
  void matchesTheNaiveProductOnAwkwardShapes() {
    Random r = new Random(345);
    for (int m : SIZES) {
      for (int n : new int[] {1, 3, 17, 129, 530}) {
        for (int k : new int[] {1, 4, 33, 257}) {
          for (boolean trans : new boolean[] {false, true}) {
            check(r, m, n, k, trans);
          }
        }
      }
    }
  }

  private static void check(Random r, int m, int n, int k, boolean trans) {
    int lda = trans ? m + 2 : k + 1;
    float[] a = random(r, (trans ? k : m) * lda + 1);
    float[] b = random(r, k * (n + 3) + 2);
    float[] c = random(r, m * (n + 1) + 1);
    double[] want = new double[c.length];
    for (int i = 0; i < c.length; i++) {
      want[i] = c[i];
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
          double av = trans ? a[1 + p * lda + i] : a[1 + i * lda + p];
          sum += av * b[2 + p * (n + 3) + j];
        }
        want[1 + i * (n + 1) + j] += sum;
      }
    }
    // Two blocks of the output computed separately must give the same as the whole.
    int mid = m / 2;
    Gemm.multiplyAdd(a, 1, lda, trans, b, 2, n + 3, c, 1, n + 1, 0, mid, 0, n, k);
    Gemm.multiplyAdd(a, 1, lda, trans, b, 2, n + 3, c, 1, n + 1, mid, m, 0, n, k);
    assertClose(want, widen(c), 1e-4, 1e-4, "C " + m + "x" + n + "x" + k + (trans ? " A'" : ""));
  }

  private static float[] random(Random r, int n) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = r.nextFloat() * 2 - 1;
    }
    return f;
  }
}
