package org.clprop.cpu;

import static org.clprop.testutil.Tensors.assertClose;
import static org.clprop.testutil.Tensors.widen;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both kernel sets against the three-loop definitions over many shapes and block splits, and the
 * vector product against the scalar one bit for bit (both are one fma chain per element).
 */
class CpuKernelsTest {
  private static final CpuKernels SCALAR = new ScalarKernels();
  private static final CpuKernels VECTOR = new VectorKernels();
  private static final int[] M = {1, 3, 4, 5, 17, 33, 129, 300};
  private static final int[] N = {1, 3, 16, 17, 32, 33, 129, 530};
  private static final int[] K = {1, 4, 33, 257, 600};

  @Test
  void theTestJvmHasTheVectorKernels() {
    // surefire runs with --add-modules jdk.incubator.vector, so the fast path is the one under test.
    assertInstanceOf(VectorKernels.class, CpuKernels.best());
  }

  @Test
  void productsMatchTheDefinitionOnAwkwardShapes() {
    Random r = new Random(345);
    for (int m : M) {
      for (int n : N) {
        for (int k : K) {
          for (boolean trans : new boolean[] {false, true}) {
            checkGemm(r, m, n, k, trans);
          }
          checkDot(r, m, n, k);
        }
      }
    }
  }

  @Test
  void pixelsBecomeExactlyTheirFeatures() {
    byte[] all = new byte[3 + 256 + 40];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) (i - 3);
    }
    for (CpuKernels k : new CpuKernels[] {SCALAR, VECTOR}) {
      for (int n : new int[] {0, 1, 15, 16, 17, 256, 290}) {
        float[] out = new float[n + 7];
        k.pixels(all, 3, out, 5, n);
        for (int i = 0; i < n; i++) {
          org.junit.jupiter.api.Assertions.assertEquals(org.clprop.data.Dataset.pixel(all[3 + i]), out[5 + i],
              k.getClass().getSimpleName() + " byte " + (all[3 + i] & 0xff));
        }
        org.junit.jupiter.api.Assertions.assertEquals(0f, out[4], "nothing before the row");
        org.junit.jupiter.api.Assertions.assertEquals(0f, out[5 + n], "nothing after the row");
      }
    }
  }

  @Test
  void transposeMovesEveryElementAndNothingElse() {
    Random r = new Random(9);
    for (int rows : M) {
      for (int cols : N) {
        int lds = cols + 3;
        int ldd = rows + 2;
        float[] src = random(r, 5 + rows * lds);
        for (CpuKernels kern : new CpuKernels[] {SCALAR, VECTOR}) {
          float[] dst = random(new Random(rows * 1000 + cols), 7 + cols * ldd);
          float[] want = dst.clone();
          for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
              want[7 + j * ldd + i] = src[5 + i * lds + j];
            }
          }
          kern.transpose(src, 5, lds, dst, 7, ldd, rows, cols);
          assertArrayEquals(want, dst, kern.getClass().getSimpleName() + " transpose " + rows + "x" + cols);
        }
      }
    }
  }

  private static void checkGemm(Random r, int m, int n, int k, boolean trans) {
    int lda = trans ? m + 2 : k + 1;
    float[] a = random(r, (trans ? k : m) * lda + 1);
    float[] b = random(r, k * (n + 3) + 2);
    float[] c0 = random(r, m * (n + 1) + 1);
    double[] want = widen(c0);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
          sum += (double) (trans ? a[1 + p * lda + i] : a[1 + i * lda + p]) * b[2 + p * (n + 3) + j];
        }
        want[1 + i * (n + 1) + j] += sum;
      }
    }
    String what = "gemm " + m + "x" + n + "x" + k + (trans ? " A'" : "");
    float[] whole = c0.clone();
    SCALAR.gemm(a, 1, lda, trans, b, 2, n + 3, whole, 1, n + 1, 0, m, 0, n, k);
    assertClose(want, widen(whole), 1e-4, 1e-4, what + " scalar");
    // The vector kernel (either register tile), in four blocks of the output, must equal the
    // scalar whole bit for bit.
    int mi = m / 2;
    int nj = (n / 2) & ~31;
    for (CpuKernels vector : new CpuKernels[] {new VectorKernels(4), new VectorKernels(8)}) {
      float[] split = c0.clone();
      for (int[] blk : new int[][] {{0, mi, 0, nj}, {0, mi, nj, n}, {mi, m, 0, nj}, {mi, m, nj, n}}) {
        vector.gemm(a, 1, lda, trans, b, 2, n + 3, split, 1, n + 1, blk[0], blk[1], blk[2], blk[3], k);
      }
      assertArrayEquals(whole, split, what + " vector in blocks vs scalar");
    }
  }

  /**
   * A, transposed or not, with blocks of eight rows zero at many p: with the blocks marked the vector
   * products skip them and still equal the dense scalar product bit for bit (edges, short blocks
   * and thread splits at multiples of 8 included); a block marked zero that is not must show.
   */
  @Test
  void skippingZeroBlocksChangesNoBit() {
    Random r = new Random(77);
    for (boolean transA : new boolean[] {true, false}) {
      for (int m : new int[] {8, 40, 203}) {
        for (int n : new int[] {16, 32, 70}) {
          for (int k : new int[] {1, 37, 300}) {
            // opA(i, p) = a[p*m + i] transposed (the input layer's gradient), a[i*k + p] not (its forward)
            int si = transA ? 1 : k;
            int sp = transA ? m : 1;
            float[] a = random(r, k * m);
            int groups = (m + 7) / 8;
            byte[] flags = new byte[k * groups];
            for (int p = 0; p < k; p++) {
              for (int g = 0; g < groups; g++) {
                boolean zero = r.nextInt(3) > 0;
                for (int i = g * 8; i < Math.min(m, g * 8 + 8); i++) {
                  a[p * sp + i * si] = zero ? (r.nextBoolean() ? 0f : -0f) : a[p * sp + i * si];
                }
                flags[p * groups + g] = (byte) (zero ? 0 : 1);
              }
            }
            float[] b = random(r, k * n);
            float[] c0 = random(r, m * n);
            float[] want = c0.clone();
            SCALAR.gemm(a, 0, transA ? m : k, transA, b, 0, n, want, 0, n, 0, m, 0, n, k);
            CpuKernels.ZeroBlocks zeros = new CpuKernels.ZeroBlocks(flags, groups);
            String shape = (transA ? "A' " : "A ") + m + "x" + n + "x" + k;
            for (CpuKernels vector : new CpuKernels[] {new VectorKernels(4), new VectorKernels(8)}) {
              float[] c = c0.clone();
              int mi = m / 16 * 8;
              vector.gemm(a, 0, transA ? m : k, transA, b, 0, n, c, 0, n, 0, mi, 0, n, k, null, zeros);
              vector.gemm(a, 0, transA ? m : k, transA, b, 0, n, c, 0, n, mi, m, 0, n, k, null, zeros);
              assertArrayEquals(want, c, "zero blocks skipped, " + shape);
            }
            if (k == 300 && m == 40) {
              int live = 0;
              while (flags[live] == 0) {
                live++;
              }
              byte[] lie = flags.clone();
              lie[live] = 0; // a lie: that block's values are then left out
              float[] c = c0.clone();
              new VectorKernels(8).gemm(a, 0, transA ? m : k, transA, b, 0, n, c, 0, n, 0, m, 0, n, k, null,
                  new CpuKernels.ZeroBlocks(lie, groups));
              org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(want, c), "the flags are used, " + shape);
            }
          }
        }
      }
    }
  }

  /**
   * B given as panels of all k rows (the held input layer's forward): the same bits as gemm on B
   * row-major, for both kernels, with and without zero blocks of A, a last panel part full, k across
   * the vector kernel's slab of 256, and the columns split at a panel boundary (two threads).
   */
  @Test
  void theProductOnBInPanelsEqualsTheProductOnBInRows() {
    Random r = new Random(31);
    for (CpuKernels kern : new CpuKernels[] {SCALAR, new VectorKernels(4), new VectorKernels(8)}) {
      int w = kern.panelWidth();
      for (int n : new int[] {w, 3 * w, 3 * w + 5}) {
        for (int k : new int[] {1, 37, 300}) {
          int m = 40;
          float[] a = random(r, m * k);
          int groups = m / 8;
          byte[] flags = new byte[k * groups];
          for (int p = 0; p < k; p++) {
            for (int g = 0; g < groups; g++) {
              boolean zero = r.nextInt(3) == 0;
              for (int i = g * 8; i < g * 8 + 8; i++) {
                a[i * k + p] = zero ? 0f : a[i * k + p];
              }
              flags[p * groups + g] = (byte) (zero ? 0 : 1);
            }
          }
          float[] b = random(r, k * n + 3);
          float[] c0 = random(r, m * n);
          float[] want = c0.clone();
          SCALAR.gemm(a, 0, k, false, b, 3, n, want, 0, n, 0, m, 0, n, k);
          float[] bp = new float[(n + w - 1) / w * w * k];
          CpuKernels.toPanels(b, 3, n, k, w, 0, k / 2, 0, n, bp);
          CpuKernels.toPanels(b, 3, n, k, w, k / 2, k, 0, Math.min(w + 1, n), bp);
          CpuKernels.toPanels(b, 3, n, k, w, k / 2, k, Math.min(w + 1, n), n, bp);
          for (CpuKernels.ZeroBlocks zeros : new CpuKernels.ZeroBlocks[] {null, new CpuKernels.ZeroBlocks(flags, groups)}) {
            float[] c = c0.clone();
            int split = n > w ? w : n;
            kern.gemmPanels(a, 0, k, bp, c, 0, n, 0, m, 0, split, k, zeros);
            kern.gemmPanels(a, 0, k, bp, c, 0, n, 0, m, split, n, k, zeros);
            assertArrayEquals(want, c, kern + ", " + m + "x" + n + "x" + k + (zeros == null ? "" : ", zero blocks"));
          }
        }
      }
    }
  }

  /**
   * markLive: an input is live for a strip when any of its rows has other than +0 or -0 there, in
   * the vector bodies and the scalar tails (w = 37: two 16-float bodies, or four of 8, and a tail).
   */
  @Test
  void stripsOfRowsAreMarkedLiveExactlyWhenNotAllZero() {
    int w = 37;
    Random r = new Random(4);
    for (CpuKernels kern : new CpuKernels[] {SCALAR, new VectorKernels()}) {
      for (int rows : new int[] {8, 5, 1}) {
        float[] a = new float[3 + 8 * w];
        byte[] want = new byte[w * 3];
        for (int p = 0; p < w; p++) {
          int kind = r.nextInt(5);
          int row = r.nextInt(8);
          float v = kind == 0 ? -0f : kind == 1 ? 1e-40f : kind == 2 ? -Float.MIN_VALUE : kind == 3 ? 0.5f : 0f;
          a[3 + row * w + p] = v;
          want[p * 3 + 1] = (byte) (row < rows && kind >= 1 && kind <= 3 ? 1 : 0);
        }
        byte[] flags = new byte[w * 3];
        kern.markLive(a, 3, w, rows, flags, 1, 3);
        assertArrayEquals(want, flags, kern + ", " + rows + " rows");
      }
    }
  }

  /** Every row of C is reported once, in order, and holds its final values when it is. */
  @Test
  void finishedRowsAreReportedOnceWithTheirFinalValues() {
    Random r = new Random(17);
    for (CpuKernels kern : new CpuKernels[] {SCALAR, new VectorKernels(4), new VectorKernels(8)}) {
      for (int k : new int[] {1, 37, 300, 600}) {
        int m = 45;
        int n = 70;
        float[] a = random(r, k * m);
        float[] b = random(r, k * n);
        float[] want = new float[m * n];
        SCALAR.gemm(a, 0, m, true, b, 0, n, want, 0, n, 0, m, 0, n, k);
        float[] c = new float[m * n];
        int[] next = {3};
        kern.gemm(a, 0, m, true, b, 0, n, c, 0, n, 3, m, 0, n, k, (i0, i1) -> {
          org.junit.jupiter.api.Assertions.assertEquals(next[0], i0, "rows reported in order, none skipped");
          for (int i = i0; i < i1; i++) {
            for (int j = 0; j < n; j++) {
              org.junit.jupiter.api.Assertions.assertEquals(want[i * n + j], c[i * n + j], "row " + i + " final");
            }
          }
          next[0] = i1;
        }, null);
        org.junit.jupiter.api.Assertions.assertEquals(m, next[0], kern + " k=" + k + ": every row reported");
      }
    }
  }

  private static void checkDot(Random r, int m, int n, int k) {
    float[] a = random(r, m * (k + 1));
    float[] bt = random(r, n * (k + 2) + 1);
    float[] c0 = random(r, m * n);
    double[] want = widen(c0);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
          sum += (double) a[i * (k + 1) + p] * bt[1 + j * (k + 2) + p];
        }
        want[i * n + j] += sum;
      }
    }
    for (CpuKernels kern : new CpuKernels[] {SCALAR, VECTOR}) {
      float[] c = c0.clone();
      kern.gemmDot(a, 0, k + 1, bt, 1, k + 2, c, 0, n, 0, m / 2, 0, n, k);
      kern.gemmDot(a, 0, k + 1, bt, 1, k + 2, c, 0, n, m / 2, m, 0, n, k);
      assertClose(want, widen(c), 1e-4, 1e-4, "gemmDot " + m + "x" + n + "x" + k + " " + kern.getClass().getSimpleName());
    }
  }

  @Test
  void elementwiseKernelsAgree() {
    Random r = new Random(9);
    for (int n : new int[] {1, 15, 16, 17, 100, 1000}) {
      float[] z = new float[n];
      for (int i = 0; i < n; i++) {
        z[i] = (float) (r.nextGaussian() * 8);
      }
      z[0] = n > 3 ? -100f : z[0];
      float[] s = z.clone();
      float[] v = z.clone();
      SCALAR.sigmoid(s, 0, n);
      VECTOR.sigmoid(v, 0, n);
      double[] want = new double[n];
      for (int i = 0; i < n; i++) {
        want[i] = 1 / (1 + Math.exp(-z[i]));
      }
      assertClose(want, widen(s), 1e-7, 1e-6, "scalar sigmoid");
      // Only exact IEEE operations, in the same order: the same bits, compiled or interpreted.
      assertArrayEquals(s, v, "vector sigmoid vs scalar, bit for bit");
      float[] d1 = random(r, n);
      float[] d2 = d1.clone();
      SCALAR.timesSigmoidGradient(d1, s, 0, n);
      VECTOR.timesSigmoidGradient(d2, s, 0, n);
      assertClose(widen(d1), widen(d2), 1e-7, 1e-6, "g' product");
    }
  }

  /**
   * tanh and ReLU and their g' products: accurate against double precision, and the vector kernels
   * give the scalar kernels' bits (the tails of the vector loops are the scalar code, so a
   * difference would make a result depend on where an element falls).
   */
  @Test
  void tanhAndReluKernelsAgree() {
    Random r = new Random(19);
    for (int n : new int[] {1, 15, 16, 17, 100, 1000}) {
      float[] z = new float[n];
      for (int i = 0; i < n; i++) {
        // Scales from 1e-4 to 20 so that both sides of tanh's small-|z| polynomial run.
        z[i] = (float) (r.nextGaussian() * Math.pow(10, -4 + 5.3 * r.nextDouble()));
      }
      if (n > 3) {
        z[0] = -100f;
        z[1] = 0f;
        z[2] = ScalarKernels.TANH_SMALL;
      }
      float[] s = z.clone();
      float[] v = z.clone();
      SCALAR.tanh(s, 0, n);
      VECTOR.tanh(v, 0, n);
      for (int i = 0; i < n; i++) {
        double want = Math.tanh(z[i]);
        double err = Math.abs(s[i] - want);
        if (err > 1e-6 * Math.abs(want) + 1e-30) {
          throw new AssertionError("tanh(" + z[i] + ") = " + s[i] + ", want " + want);
        }
      }
      assertArrayEquals(s, v, "vector tanh vs scalar, bit for bit");
      float[] d1 = random(r, n);
      float[] d2 = d1.clone();
      SCALAR.timesTanhGradient(d1, s, 0, n);
      VECTOR.timesTanhGradient(d2, s, 0, n);
      assertArrayEquals(d1, d2, "tanh' product");

      float[] rs = z.clone();
      float[] rv = z.clone();
      SCALAR.relu(rs, 0, n);
      VECTOR.relu(rv, 0, n);
      for (int i = 0; i < n; i++) {
        org.junit.jupiter.api.Assertions.assertEquals(z[i] > 0 ? z[i] : 0f, rs[i], "relu(" + z[i] + ")");
      }
      assertArrayEquals(rs, rv, "vector relu vs scalar");
      float[] e1 = random(r, n);
      float[] e2 = e1.clone();
      float[] e0 = e1.clone();
      SCALAR.timesReluGradient(e1, rs, 0, n);
      VECTOR.timesReluGradient(e2, rs, 0, n);
      for (int i = 0; i < n; i++) {
        org.junit.jupiter.api.Assertions.assertEquals(z[i] > 0 ? e0[i] : 0f, e1[i], "relu' product at z=" + z[i]);
      }
      assertArrayEquals(e1, e2, "vector relu' product vs scalar");
    }
  }

  @Test
  void expIsAccurateOverTheWholeFloatRange() {
    for (float x = -87f; x <= 88f; x += 0.01f) {
      double want = Math.exp(x);
      float got = ScalarKernels.exp(x);
      if (Math.abs(got - want) > 3e-7 * want) {
        throw new AssertionError("exp(" + x + ") = " + got + ", want " + want);
      }
    }
    org.junit.jupiter.api.Assertions.assertEquals(0f, ScalarKernels.sigmoid(-200f), 1e-37f);
    org.junit.jupiter.api.Assertions.assertEquals(1f, ScalarKernels.sigmoid(200f));
  }

  @Test
  void updateRulesAgree() {
    Random r = new Random(5);
    CpuKernels.UpdateRule rule = new CpuKernels.UpdateRule();
    rule.inv = 1f / 7;
    rule.lr = 0.01f;
    rule.mu = 0.9f;
    rule.b1 = 0.9f;
    rule.b2 = 0.999f;
    rule.eps = 1e-8f;
    rule.adamStep = 0.01f / (1 - 0.9f);
    rule.adamScale = (float) (1 / Math.sqrt(1 - 0.999));
    int n = 301;
    for (int kind = 0; kind < 3; kind++) {
      float[] t1 = random(r, n);
      float[] g = random(r, n);
      float[] m1 = kind >= 1 ? random(r, n) : null;
      // Adam's second moment as at its first step: zero, so that its new value is the d^2 term alone.
      float[] v1 = kind == 2 ? new float[n] : null;
      float[] t2 = t1.clone();
      float[] m2 = m1 == null ? null : m1.clone();
      float[] v2 = v1 == null ? null : v1.clone();
      SCALAR.update(rule, t1, g, m1, v1, 0, n, 0.3f);
      VECTOR.update(rule, t2, g, m2, v2, 0, n, 0.3f);
      // Bit for bit: which elements fall in the SIMD body and which in its scalar tail depends on
      // how a caller splits the parameters (rows, threads), and must not change a result.
      assertArrayEquals(t1, t2, "update rule " + kind + ": parameters");
      if (m1 != null) {
        assertArrayEquals(m1, m2, "update rule " + kind + ": first moment");
      }
      if (v1 != null) {
        assertArrayEquals(v1, v2, "update rule " + kind + ": second moment");
      }
      // The same update in uneven pieces.
      float[] t3 = t2.clone();
      float[] m3 = m2 == null ? null : m2.clone();
      float[] v3 = v2 == null ? null : v2.clone();
      VECTOR.update(rule, t2, g, m2, v2, 0, n, 0.3f);
      for (int from = 0, len = 3; from < n; from += len, len += 7) {
        VECTOR.update(rule, t3, g, m3, v3, from, Math.min(len, n - from), 0.3f);
      }
      assertArrayEquals(t2, t3, "update rule " + kind + " in pieces");
    }
  }

  private static float[] random(Random r, int n) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = r.nextFloat() * 2 - 1;
    }
    return f;
  }
}
