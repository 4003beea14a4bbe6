package org.clprop.opencl;

import static org.jocl.blast.CLBlastLayout.CLBlastLayoutRowMajor;
import static org.jocl.blast.CLBlastTranspose.CLBlastTransposeNo;
import static org.jocl.blast.CLBlastTranspose.CLBlastTransposeYes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.clprop.cli.bench.GemmBench;
import org.jocl.blast.CLBlast;

/**
 * clprop's matrix-multiply kernel against CLBlast's SGEMM (through JOCLBlast) on the same device,
 * the same buffers and the same shapes: those of a 784-128-10 network's training step at two batch
 * sizes, and square ones. Each run times a few back-to-back launches of one, then of the other (A B
 * A B ...), so that drift of a shared machine hits both alike; it prints median, min and max GFLOP/s
 * and the ratio of medians, and checks first that both compute the same product.
 *
 * <pre>tools/bench-gemm [runs]</pre>
 *
 * A benchmark, not a test: JOCLBlast is a test-scoped dependency and never ships.
 */
public final class ClBlastComparison {
  /** One product: C (m, n) = op(A) op(B) over k, in one of the network's layouts. */
  record Shape(String what, ClKernels.Layout layout, int m, int n, int k) {
    double flops() {
      return 2.0 * m * n * k;
    }
  }

  private ClBlastComparison() {}

  static List<Shape> shapes() {
    List<Shape> list = new ArrayList<>();
    for (int batch : new int[] {128, 1024}) {
      String b = " b" + batch;
      list.add(new Shape("forward 784->128" + b, ClKernels.Layout.NT, batch, 128, 784));
      list.add(new Shape("forward 128->10" + b, ClKernels.Layout.NT, batch, 10, 128));
      list.add(new Shape("delta 10->128" + b, ClKernels.Layout.NN, batch, 128, 10));
      list.add(new Shape("gradient 128x784" + b, ClKernels.Layout.TN, 128, 784, batch));
      list.add(new Shape("gradient 10x128" + b, ClKernels.Layout.TN, 10, 128, batch));
    }
    list.add(new Shape("square 1024", ClKernels.Layout.NN, 1024, 1024, 1024));
    list.add(new Shape("square 2048", ClKernels.Layout.NN, 2048, 2048, 2048));
    return list;
  }

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    CLBlast.setExceptionsEnabled(true);
    ClDevice device = OpenCl.choose(OpenCl.deviceFromEnvironment(), false)
        .orElseThrow(() -> new IllegalStateException(OpenCl.whyNone(OpenCl.deviceFromEnvironment(), false)));
    try (ClContext ctx = new ClContext(device); ClKernels k = new ClKernels(ctx)) {
      System.out.printf("device: %s; clprop kernel %s%n", device.name(), k.params());
      System.out.printf("%-22s %-6s %28s %28s %7s%n", "product", "layout", "clprop GFLOP/s (min-max)",
          "CLBlast GFLOP/s (min-max)", "ratio");
      for (Shape s : shapes()) {
        compare(ctx, k, s, runs);
      }
    }
  }

  private static void compare(ClContext ctx, ClKernels k, Shape s, int runs) {
    boolean ta = s.layout() == ClKernels.Layout.TN;
    boolean tb = s.layout() == ClKernels.Layout.NT;
    int lda = ta ? s.m() : s.k();
    int ldb = tb ? s.k() : s.n();
    int aSize = s.m() * s.k();
    int bSize = s.k() * s.n();
    int cSize = s.m() * s.n();
    try (ClBuffer a = filled(ctx, aSize, 1); ClBuffer b = filled(ctx, bSize, 2);
        ClBuffer c1 = ctx.buffer("C clprop", 4L * cSize); ClBuffer c2 = ctx.buffer("C CLBlast", 4L * cSize)) {
      Runnable ours = () -> k.gemm(s.layout(), s.m(), s.n(), s.k(), a, 0, lda, b, 0, ldb, c1, 0, s.n(),
          ClKernels.STORE, 0f, c1, 0, 0, c1, 0);
      Runnable theirs = () -> CLBlast.CLBlastSgemm(CLBlastLayoutRowMajor,
          ta ? CLBlastTransposeYes : CLBlastTransposeNo, tb ? CLBlastTransposeYes : CLBlastTransposeNo,
          s.m(), s.n(), s.k(), 1f, a.mem(), 0, lda, b.mem(), 0, ldb, 0f, c2.mem(), 0, s.n(), ctx.queue(), null);
      ours.run();
      theirs.run();
      ctx.finish();
      double diff = maxDifference(ctx, c1, c2, cSize);
      if (diff > 1e-3 * Math.sqrt(s.k())) {
        throw new IllegalStateException(s.what() + ": clprop and CLBlast disagree by " + diff);
      }
      // Enough launches per timed run for about 20 ms of work at 20 GFLOP/s.
      int reps = (int) Math.max(1, Math.min(200, 0.02 * 20e9 / s.flops()));
      double[] mine = new double[runs];
      double[] clblast = new double[runs];
      for (int r = 0; r < runs; r++) {
        mine[r] = rate(ctx, ours, reps, s.flops());
        clblast[r] = rate(ctx, theirs, reps, s.flops());
      }
      double m1 = GemmBench.median(mine);
      double m2 = GemmBench.median(clblast);
      System.out.printf(Locale.ROOT, "%-22s %-6s %12.1f (%5.1f-%5.1f) %14.1f (%5.1f-%5.1f) %7.2f%n", s.what(),
          s.layout().name().toLowerCase(Locale.ROOT), m1, min(mine), max(mine), m2, min(clblast), max(clblast),
          m1 / m2);
    }
  }

  private static double rate(ClContext ctx, Runnable gemm, int reps, double flops) {
    ctx.finish();
    long t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      gemm.run();
    }
    ctx.finish();
    return flops * reps / ((System.nanoTime() - t0) / 1e9) / 1e9;
  }

  private static ClBuffer filled(ClContext ctx, int n, long seed) {
    float[] v = new float[n];
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      v[i] = r.nextFloat() * 2 - 1;
    }
    ClBuffer b = ctx.buffer("operand", 4L * n);
    b.write(ctx.queue(), v, 0, 0, n);
    return b;
  }

  private static double maxDifference(ClContext ctx, ClBuffer x, ClBuffer y, int n) {
    float[] u = new float[n];
    float[] v = new float[n];
    x.read(ctx.queue(), 0, u, 0, n);
    y.read(ctx.queue(), 0, v, 0, n);
    double d = 0;
    for (int i = 0; i < n; i++) {
      d = Math.max(d, Math.abs(u[i] - v[i]));
    }
    return d;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }
}
