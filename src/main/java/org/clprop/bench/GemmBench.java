package org.clprop.bench;

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
      return rates;
    }
  }

  public static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
