package org.clprop.cli.bench;

import java.util.Arrays;
import java.util.Random;
import org.clprop.opencl.ClBuffer;
import org.clprop.opencl.ClContext;
import org.clprop.opencl.ClDevice;
import org.clprop.opencl.ClKernels;

/** GFLOP/s of the OpenCL matrix-multiply kernel on square n x n products, median of several runs. */
public final class GemmBench {
  private GemmBench() {}

  /** The rates of each timed run of C = A B (gemm_nn, plain store), after one untimed run. */
  public static double[] run(ClDevice device, int n, int runs) {
    try (ClContext ctx = new ClContext(device); ClKernels k = new ClKernels(ctx);
        ClBuffer a = ctx.buffer("A", 4L * n * n); ClBuffer b = ctx.buffer("B", 4L * n * n);
        ClBuffer c = ctx.buffer("C", 4L * n * n)) {
      float[] host = new float[n * n];
      Random r = new Random(1);
      for (int i = 0; i < host.length; i++) {
        host[i] = r.nextFloat();
      }
      a.write(ctx.queue(), host, 0, 0, host.length);
      b.write(ctx.queue(), host, 0, 0, host.length);
      double[] rates = new double[runs];
      for (int i = -1; i < runs; i++) {
        ctx.finish();
        long t0 = System.nanoTime();
        k.gemm(ClKernels.Layout.NN, n, n, n, a, 0, n, b, 0, n, c, 0, n, ClKernels.STORE, 0f, c, 0, 0, c, 0);
        ctx.finish();
        double s = (System.nanoTime() - t0) / 1e9;
        if (i >= 0) {
          rates[i] = 2.0 * n * n * n / s / 1e9;
        }
      }
      check(ctx, c, host, n);
      return rates;
    }
  }

  /**
   * Compares sampled entries of C = A A (A and B hold the same values) with sums in double, so that
   * a tile shape being tuned cannot report a rate for a wrong product.
   */
  private static void check(ClContext ctx, ClBuffer c, float[] a, int n) {
    float[] got = new float[n * n];
    c.read(ctx.queue(), 0, got, 0, got.length);
    Random r = new Random(2);
    for (int s = 0; s < 64; s++) {
      int i = s == 0 ? n - 1 : r.nextInt(n);
      int j = s == 0 ? n - 1 : r.nextInt(n);
      double want = 0;
      for (int p = 0; p < n; p++) {
        want += (double) a[i * n + p] * a[p * n + j];
      }
      if (Math.abs(got[i * n + j] - want) > 1e-4 * Math.abs(want) + 1e-3) {
        throw new IllegalStateException(String.format("gemm %d x %d x %d: C(%d, %d) = %g, expected %g", n, n, n, i, j,
            got[i * n + j], want));
      }
    }
  }

  public static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
