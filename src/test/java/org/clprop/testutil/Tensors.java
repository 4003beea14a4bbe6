package org.clprop.testutil;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import org.clprop.core.Matrix;
import org.clprop.data.Dataset;

/** Comparisons with a tolerance and a report of the worst entry, in the manner of llm.c's check_tensor. */
public final class Tensors {
  private Tensors() {}

  /**
   * Fails unless every |got - want| <= abs + rel * |want|; the message names the first bad index,
   * the largest difference and {@code what}.
   */
  public static void assertClose(double[] want, double[] got, double abs, double rel, String what) {
    if (want.length != got.length) {
      fail(what + ": length " + got.length + ", expected " + want.length);
    }
    int firstBad = -1;
    double maxDiff = 0;
    for (int i = 0; i < want.length; i++) {
      double d = Math.abs(want[i] - got[i]);
      maxDiff = Math.max(maxDiff, d);
      if (!(d <= abs + rel * Math.abs(want[i])) && firstBad < 0) {
        firstBad = i;
      }
    }
    if (firstBad >= 0) {
      fail(what + ": first bad index " + firstBad + " (got " + got[firstBad] + ", want " + want[firstBad]
          + "), max difference " + maxDiff);
    }
  }

  public static void assertClose(List<Matrix> want, List<Matrix> got, double abs, double rel, String what) {
    if (want.size() != got.size()) {
      fail(what + ": " + got.size() + " matrices, expected " + want.size());
    }
    for (int l = 0; l < want.size(); l++) {
      assertClose(want.get(l).toRowMajor(), got.get(l).toRowMajor(), abs, rel, what + " D" + (l + 1));
    }
  }

  public static double[] widen(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** m random examples with features uniform in [0, 1) and labels uniform in 0..k-1. */
  public static Dataset randomData(int m, int n, int k, long seed) {
    Random r = new Random(seed);
    float[] x = new float[m * n];
    int[] y = new int[m];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    for (int i = 0; i < m; i++) {
      y[i] = r.nextInt(k);
    }
    return Dataset.of(x, y, n, k);
  }

  /** Rows of 4 features: in the thousands, fractions, negative, and one constant. */
  public static Dataset tabularData(int m, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    float[] x = new float[m * 4];
    int[] y = new int[m];
    for (int i = 0; i < m; i++) {
      x[i * 4] = (float) r.nextDouble(500, 2500);
      x[i * 4 + 1] = (float) r.nextDouble(0.05, 0.2);
      x[i * 4 + 2] = (float) r.nextDouble(-40, 10);
      x[i * 4 + 3] = 7;
      y[i] = (x[i * 4] - 1500) / 1000 + (x[i * 4 + 1] - 0.125) * 10 > 0 ? 1 : 0;
    }
    return Dataset.of(x, y, 4, 2);
  }
}
