package org.clprop.opencl;

import static org.clprop.testutil.Tensors.assertClose;
import static org.clprop.testutil.Tensors.widen;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.clprop.model.ModelSpec.Activation;
import org.clprop.model.ModelSpec.Output;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kernel against its CPU counterpart on random inputs over many shapes (PoCL in CI). */
class ClKernelsTest {
  private static final int[] SHAPES = {1, 3, 17, 33, 129};
  private static ClContext ctx;
  private static ClKernels k;
  private final List<ClBuffer> buffers = new ArrayList<>();
  private final Random r = new Random(345);

  @BeforeAll
  static void open() {
    ctx = new ClContext(OpenClTests.device());
    k = new ClKernels(ctx);
  }

  @AfterAll
  static void release() {
    if (k != null) {
      k.close();
    }
    if (ctx != null) {
      ctx.close();
    }
  }

  @AfterEach
  void freeBuffers() {
    buffers.forEach(ClBuffer::close);
    buffers.clear();
  }

  private ClBuffer up(float[] v) {
    ClBuffer b = ctx.buffer("test", (long) v.length * 4);
    b.write(ctx.queue(), v, 0, 0, v.length);
    buffers.add(b);
    return b;
  }

  private ClBuffer up(int[] v) {
    ClBuffer b = ctx.buffer("test", (long) v.length * 4);
    b.write(ctx.queue(), v, 0, 0, v.length);
    buffers.add(b);
    return b;
  }

  private static float[] down(ClBuffer b, int n) {
    float[] out = new float[n];
    b.read(ctx.queue(), 0, out, 0, n);
    return out;
  }

  private float[] random(int n) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = r.nextFloat() * 2 - 1;
    }
    return f;
  }

  /** Both forms of the products on whatever device runs the tests, and an odd-sized CPU block. */
  static List<KernelParams> gemmForms() {
    KernelParams.CpuBlock odd = new KernelParams.CpuBlock(3, 1, 2, 5);
    return List.of(new KernelParams(32, 32, 16, 4, 4, 64), new KernelParams(16, 32, 8, 2, 4, 64),
        new KernelParams(24, 16, 8, 3, 2, 64), new KernelParams(64, 64, 8, 8, 8, 64),
        new KernelParams(128, 256, 16, 8, 8, 64),
        new KernelParams(32, 32, 16, 4, 4, 64, KernelParams.DEFAULT_CPU_BLOCK),
        new KernelParams(32, 32, 16, 4, 4, 64, odd));
  }

  @ParameterizedTest
  @MethodSource("gemmForms")
  void gemmFormsMatchTheDefinition(KernelParams params) {
    try (ClKernels form = new ClKernels(ctx, params, ProgramCache.fromEnvironment())) {
      gemmVariantsAndEpiloguesMatchTheDefinition(form);
    }
  }

  /**
   * A GPU's set of tile shapes, here on whatever device runs the tests: each product takes the
   * largest tiles that still make a work-group per compute unit, and every choice computes the
   * definition.
   */
  @Test
  void tileShapesAreChosenPerProduct() {
    KernelParams main = new KernelParams(32, 32, 16, 4, 4, 64);
    KernelParams wide = new KernelParams(64, 64, 8, 8, 8, 64);
    KernelParams narrow = new KernelParams(16, 16, 8, 2, 2, 64);
    try (ClKernels k = new ClKernels(ctx, main, List.of(narrow, wide), ProgramCache.fromEnvironment())) {
      assertEquals(List.of(wide, main, narrow), k.tileShapes());
      int units = ctx.device().computeUnits();
      // Rows enough for `units` work-groups of each shape, one column of tiles.
      assertEquals(wide, k.tilesFor(64 * units, 64));
      assertEquals(main, k.tilesFor(64 * units - 64, 64));
      assertEquals(main, k.tilesFor(32 * units, 32));
      assertEquals(narrow, k.tilesFor(32 * units - 32, 32));
      assertEquals(narrow, k.tilesFor(1, 1));
      for (int[] mn : new int[][] {{64 * units, 64}, {32 * units, 32}, {17, 9}}) {
        for (ClKernels.Layout v : ClKernels.Layout.values()) {
          checkGemm(k, v, mn[0], mn[1], 37, (mn[0] + mn[1]) % 4);
        }
      }
    }
  }

  private void gemmVariantsAndEpiloguesMatchTheDefinition(ClKernels k) {
    for (int m : SHAPES) {
      for (int n : SHAPES) {
        for (int kk : SHAPES) {
          for (ClKernels.Layout v : ClKernels.Layout.values()) {
            checkGemm(k, v, m, n, kk, (m + n + kk) % 4);
          }
        }
      }
    }
    // The long edges: 1000 in each position, not a multiple of any tile.
    for (int[] mnk : new int[][] {{1000, 17, 33}, {33, 1000, 17}, {17, 33, 1000}, {129, 1000, 129}}) {
      for (ClKernels.Layout v : ClKernels.Layout.values()) {
        for (int mode = 0; mode < 4; mode++) {
          checkGemm(k, v, mnk[0], mnk[1], mnk[2], mode);
        }
      }
    }
  }

  /** C = epilogue(sum_p A(i,p) B(p,j)) with offsets and padded leading dimensions, against doubles. */
  private void checkGemm(ClKernels k, ClKernels.Layout variant, int m, int n, int kk, int mode) {
    checkGemm(k, variant, m, n, kk, mode, Activation.SIGMOID, Output.SIGMOID);
  }

  /**
   * Programs built for every other hidden unit and output function: the forward epilogues apply g
   * (hidden) or keep z and apply the output's function (the identity before softmax_rows), the delta
   * epilogue multiplies by g' written in a = g(z).
   */
  @Test
  void epiloguesComputeEachActivationAndOutputFunction() {
    for (Activation g : Activation.values()) {
      for (Output out : Output.values()) {
        if (g == Activation.SIGMOID && out == Output.SIGMOID) {
          continue;
        }
        try (ClKernels f = new ClKernels(ctx, g, out)) {
          for (int[] mnk : new int[][] {{17, 33, 5}, {1, 129, 3}, {33, 1, 17}, {129, 17, 129}}) {
            for (ClKernels.Layout v : ClKernels.Layout.values()) {
              for (int mode = 1; mode < 4; mode++) {
                checkGemm(f, v, mnk[0], mnk[1], mnk[2], mode, g, out);
              }
            }
          }
        }
      }
    }
  }

  /** softmax_rows, and output_delta's cost -log a_label from z, in a program built for softmax outputs. */
  @Test
  void softmaxRowsAndItsCost() {
    try (ClKernels f = new ClKernels(ctx, Activation.RELU, Output.SOFTMAX)) {
      for (int n : new int[] {1, 17, 129}) {
        int kOut = 1 + n % 11;
        float[] z = random(n * kOut);
        int[] y = new int[n];
        for (int i = 0; i < z.length; i++) {
          z[i] *= 40;   // exponents far beyond float's range unless shifted by the row's max
        }
        for (int i = 0; i < n; i++) {
          y[i] = r.nextInt(kOut);
        }
        ClBuffer zb = up(z);
        ClBuffer ab = up(new float[n * kOut]);
        f.softmaxRows(n, kOut, zb, ab);
        float[] a = down(ab, n * kOut);
        ClBuffer d = up(new float[n * kOut]);
        ClBuffer cost = up(new float[n]);
        ClBuffer hit = up(new float[n]);
        f.outputDelta(n, kOut, ab, zb, up(y), d, cost, hit);
        float[] dv = down(d, n * kOut);
        float[] cv = down(cost, n);
        for (int i = 0; i < n; i++) {
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < kOut; j++) {
            max = Math.max(max, z[i * kOut + j]);
          }
          double sum = 0;
          for (int j = 0; j < kOut; j++) {
            sum += Math.exp(z[i * kOut + j] - max);
          }
          double rowSum = 0;
          for (int j = 0; j < kOut; j++) {
            double h = Math.exp(z[i * kOut + j] - max) / sum;
            assertEquals(h, a[i * kOut + j], 1e-6, "softmax row " + i + " unit " + j);
            assertEquals(a[i * kOut + j] - (j == y[i] ? 1 : 0), dv[i * kOut + j], 1e-7, "d row " + i);
            rowSum += a[i * kOut + j];
          }
          assertEquals(1, rowSum, 1e-5, "row " + i + " sums to 1");
          double want = Math.log(sum) + max - z[i * kOut + y[i]];
          assertEquals(want, cv[i], 1e-5 * Math.max(1, want), "-log a_label of row " + i);
        }
      }
    }
  }

  private void checkGemm(ClKernels k, ClKernels.Layout variant, int m, int n, int kk, int mode, Activation g,
      Output out) {
    boolean ta = variant.name().charAt(0) == 'T';
    boolean tb = variant.name().charAt(1) == 'T';
    int lda = (ta ? m : kk) + 2;
    int ldb = (tb ? kk : n) + 1;
    int ldc = n + 3;
    int aoff = 5;
    int boff = 2;
    int coff = 1;
    float[] a = random(aoff + (ta ? kk : m) * lda);
    float[] b = random(boff + (tb ? n : kk) * ldb);
    float[] c = random(coff + m * ldc);
    float[] x = random(Math.max(m, n) * (n + 1) + 1);
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.abs(x[i]);
    }
    float beta = mode == 0 && (m + kk) % 2 == 1 ? 1f : 0f;
    double[] want = widen(c);
    double[] wantZ = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        for (int p = 0; p < kk; p++) {
          double av = ta ? a[aoff + p * lda + i] : a[aoff + i * lda + p];
          double bv = tb ? b[boff + j * ldb + p] : b[boff + p * ldb + j];
          sum += av * bv;
        }
        int at = coff + i * ldc + j;
        switch (mode) {
          case 0 -> want[at] = sum + beta * c[at];
          case 1 -> want[at] = g.g(sum + x[j * (n + 1)]);
          case 2 -> {
            double z = sum + x[j * (n + 1)];
            wantZ[i * n + j] = z;
            want[at] = out == Output.SIGMOID ? 1 / (1 + Math.exp(-z)) : z;
          }
          default -> {
            // x holds a = g(z): a (1 - a) for the sigmoid, 1 - a^2 for tanh, [a > 0] for ReLU.
            double xv = g == Activation.RELU ? x[i * (n + 1) + j] - 0.5 : x[i * (n + 1) + j];
            x[i * (n + 1) + j] = (float) xv;
            want[at] = sum * switch (g) {
              case SIGMOID -> xv * (1 - xv);
              case TANH -> 1 - xv * xv;
              case RELU -> xv > 0 ? 1 : 0;
            };
          }
        }
      }
    }
    ClBuffer cb = up(c);
    ClBuffer zb = up(new float[m * n]);
    int ldx = mode == 3 ? n + 1 : n + 1;
    k.gemm(variant, m, n, kk, up(a), aoff, lda, up(b), boff, ldb, cb, coff, ldc, mode, beta, up(x), 0, ldx, zb, 0);
    String what = k.tilesFor(m, n) + " gemm_" + variant.name().toLowerCase() + " " + m + "x" + n + "x" + kk + " mode " + mode + " beta " + beta;
    assertClose(want, widen(down(cb, c.length)), 1e-5, 1e-4, what);
    if (mode == 2) {
      assertClose(wantZ, widen(down(zb, m * n)), 1e-5, 1e-4, what + " z");
    }
  }

  @Test
  void gatherAndOutputDeltaAndReductions() {
    for (int n : new int[] {1, 3, 17, 33, 129, 1000}) {
      int f = 1 + n % 7;
      int kOut = 1 + n % 11;
      int total = n + 5;
      float[] xAll = random(total * f);
      int[] labels = new int[total];
      int[] order = new int[total];
      for (int i = 0; i < total; i++) {
        labels[i] = r.nextInt(kOut);
        order[i] = (i * 7 + 3) % total;
      }
      ClBuffer xb = up(new float[n * f]);
      ClBuffer yb = up(new int[n]);
      k.gatherRows(up(xAll), up(order), 2, n, f, xb);
      k.gatherLabels(up(labels), up(order), 2, n, yb);
      float[] gx = down(xb, n * f);
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < f; c++) {
          assertEquals(xAll[order[2 + i] * f + c], gx[i * f + c]);
        }
      }
      // output_delta on z and a = g(z).
      float[] z = random(n * kOut);
      float[] a = new float[z.length];
      for (int i = 0; i < z.length; i++) {
        z[i] *= 6;
        a[i] = (float) (1 / (1 + Math.exp(-z[i])));
      }
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        y[i] = labels[order[2 + i]];
      }
      ClBuffer d = up(new float[n * kOut]);
      ClBuffer cost = up(new float[n]);
      ClBuffer hit = up(new float[n]);
      k.outputDelta(n, kOut, up(a), up(z), yb, d, cost, hit);
      double[] wantD = new double[n * kOut];
      double wantCost = 0;
      int wantHits = 0;
      for (int i = 0; i < n; i++) {
        int best = 0;
        for (int j = 0; j < kOut; j++) {
          double t = j == y[i] ? 1 : 0;
          double h = 1 / (1 + Math.exp(-(double) z[i * kOut + j]));
          wantCost += -t * Math.log(h) - (1 - t) * Math.log(1 - h);
          wantD[i * kOut + j] = a[i * kOut + j] - t;
          if (a[i * kOut + j] > a[i * kOut + best]) {
            best = j;
          }
        }
        wantHits += best == y[i] ? 1 : 0;
      }
      assertClose(wantD, widen(down(d, n * kOut)), 1e-7, 1e-6, "output delta n=" + n);
      ClBuffer metrics = up(new float[6]);
      k.reduceMetrics(n, cost, hit, metrics, 1);
      float[] mv = down(metrics, 6);
      assertEquals(wantCost, mv[2], 1e-4 * Math.max(1, wantCost), "cost sum n=" + n);
      assertEquals(wantHits, mv[3], "hits n=" + n);
      // column sums into a Theta-layout gradient, overwriting then accumulating.
      float[] g = random(kOut * (f + 1) + 3);
      ClBuffer gb = up(g);
      k.columnSum(n, kOut, d, gb, 3, f + 1, 0f);
      k.columnSum(n, kOut, d, gb, 3, f + 1, 1f);
      float[] gv = down(gb, g.length);
      for (int j = 0; j < kOut; j++) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
          sum += wantD[i * kOut + j];
        }
        assertEquals(2 * sum, gv[3 + j * (f + 1)], 1e-4 * Math.max(1, Math.abs(sum)), "column sum " + j);
      }
    }
  }

  @Test
  void scaleSumOfSquaresAndOptimisersMatchTheCpuKernels() {
    for (int rows : new int[] {1, 3, 17, 129}) {
      for (int cols : new int[] {2, 34, 1001}) {
        int off = 7;
        int p = rows * cols;
        float[] t = random(off + p);
        float[] g = random(off + p);
        ClBuffer tb = up(t);
        ClBuffer gb = up(g);
        k.scaleGradient(rows, cols, off, gb, tb, 0.25f, 0.1f);
        float[] gv = down(gb, g.length);
        double squares = 0;
        for (int i = 0; i < p; i++) {
          boolean bias = i % cols == 0;
          double want = g[off + i] * 0.25 + (bias ? 0 : 0.1 * t[off + i]);
          assertEquals(want, gv[off + i], 1e-6, "scale " + rows + "x" + cols + " at " + i);
          squares += bias ? 0 : (double) t[off + i] * t[off + i];
        }
        ClBuffer out = up(new float[3]);
        k.sumSquares(rows, cols, off, tb, out, 2);
        assertEquals(squares, down(out, 3)[2], 1e-4 * Math.max(1, squares), "sum of squares");
      }
    }
    int n = 1000;
    float[] t0 = random(n);
    float[] d = random(n);
    float[] m0 = random(n);
    float[] v0 = random(n);
    for (int i = 0; i < n; i++) {
      v0[i] = Math.abs(v0[i]);
    }
    float gs = 0.25f; // the gradient's scale (1 / m when the update does the division)
    for (int kind = 0; kind < 3; kind++) {
      ClBuffer tb = up(t0);
      ClBuffer mb = up(m0);
      ClBuffer vb = up(v0);
      float[] t = t0.clone();
      float[] m = m0.clone();
      float[] v = v0.clone();
      String what;
      switch (kind) {
        case 0 -> {
          what = "sgd";
          k.sgd(n, tb, up(d), gs, 0.05f);
          for (int i = 0; i < n; i++) {
            t[i] -= 0.05f * (gs * d[i]);
          }
        }
        case 1 -> {
          what = "momentum";
          k.momentum(n, tb, up(d), gs, mb, 0.05f, 0.9f);
          for (int i = 0; i < n; i++) {
            m[i] = 0.9f * m[i] - 0.05f * (gs * d[i]);
            t[i] += m[i];
          }
        }
        default -> {
          what = "adam";
          float step = 0.001f / (1 - 0.9f);
          float scale = (float) (1 / Math.sqrt(1 - 0.999));
          k.adam(n, tb, up(d), gs, mb, vb, 0.9f, 0.999f, 1e-8f, step, scale);
          for (int i = 0; i < n; i++) {
            float g = gs * d[i];
            m[i] = 0.9f * m[i] + 0.1f * g;
            v[i] = 0.999f * v[i] + 0.001f * g * g;
            t[i] -= step * m[i] / ((float) Math.sqrt(v[i]) * scale + 1e-8f);
          }
        }
      }
      assertClose(widen(t), widen(down(tb, n)), 1e-6, 1e-5, what + " weights");
      if (kind >= 1) {
        assertClose(widen(m), widen(down(mb, n)), 1e-6, 1e-5, what + " first moment");
      }
      if (kind == 2) {
        assertClose(widen(v), widen(down(vb, n)), 1e-7, 1e-5, what + " second moment");
      }
    }
  }
}
