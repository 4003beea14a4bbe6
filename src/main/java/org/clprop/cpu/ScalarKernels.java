package org.clprop.cpu;

import org.clprop.core.Pixels;

/** {@link CpuKernels} in plain Java: the fallback, and the reading of what the vector kernels do. */
final class ScalarKernels implements CpuKernels {

  @Override
  public String toString() {
    return "ScalarKernels";
  }

  @Override
  public void gemm(float[] a, int aOff, int lda, boolean transA, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k, RowsDone done, ZeroBlocks zeros) {
    // zeros is not used: skipping would change no result, and this is the reading of the product.
    for (int i = i0; i < i1; i++) {
      int ci = cOff + i * ldc;
      for (int p = 0; p < k; p++) {
        float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        int bp = bOff + p * ldb;
        for (int j = j0; j < j1; j++) {
          c[ci + j] = Math.fma(av, b[bp + j], c[ci + j]);
        }
      }
      if (done != null) {
        done.rows(i, i + 1);
      }
    }
  }

  /** Any width serves the plain loops; this one matches AVX-512's two vectors. */
  private static final int PANEL = 32;

  @Override
  public int panelWidth() {
    return PANEL;
  }

  @Override
  public void gemmPanels(float[] a, int aOff, int lda, float[] bp, float[] c, int cOff, int ldc,
      int i0, int i1, int j0, int j1, int k, ZeroBlocks zeros) {
    for (int i = i0; i < i1; i++) {
      int ci = cOff + i * ldc;
      for (int p = 0; p < k; p++) {
        float av = a[aOff + i * lda + p];
        for (int j = j0; j < j1; j++) {
          c[ci + j] = Math.fma(av, bp[CpuKernels.panelIndex(p, j, k, PANEL)], c[ci + j]);
        }
      }
    }
  }

  @Override
  public void gemmDot(float[] a, int aOff, int lda, float[] bt, int btOff, int ldbt,
      float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k) {
    for (int i = i0; i < i1; i++) {
      for (int j = j0; j < j1; j++) {
        float sum = 0;
        for (int p = 0; p < k; p++) {
          sum = Math.fma(a[aOff + i * lda + p], bt[btOff + j * ldbt + p], sum);
        }
        c[cOff + i * ldc + j] += sum;
      }
    }
  }

  @Override
  public void pixels(byte[] src, int srcOff, float[] dst, int dstOff, int n) {
    for (int i = 0; i < n; i++) {
      dst[dstOff + i] = Pixels.feature(src[srcOff + i]);
    }
  }

  @Override
  public void markLive(float[] a, int at, int w, int rows, byte[] flags, int g, int stride) {
    for (int p = 0; p < w; p++) {
      flags[p * stride + g] = live(a, at + p, w, rows);
    }
  }

  /** 1 when a[at + r*w] is other than +0 or -0 for some r < rows, else 0. */
  static byte live(float[] a, int at, int w, int rows) {
    int bits = 0;
    for (int r = 0; r < rows; r++) {
      bits |= Float.floatToRawIntBits(a[at + r * w]);
    }
    return (bits & 0x7fffffff) != 0 ? (byte) 1 : 0;
  }

  @Override
  public void sigmoid(float[] v, int off, int n) {
    for (int i = off; i < off + n; i++) {
      v[i] = sigmoid(v[i]);
    }
  }

  /** g(z) = 1 / (1 + e^-z) with {@link #exp}: only exact IEEE operations, so bits never depend on the JIT. */
  static float sigmoid(float z) {
    return 1f / (1f + exp(-z));
  }

  // e^x = 2^k e^r with k = round(x / ln 2) and |r| <= ln 2 / 2 (Cody and Waite's split of ln 2 into
  // a short high part and a low part keeps r exact), e^r by its Taylor polynomial to degree 6
  // (error below 2e-7 relative), 2^k by building the float's exponent field. The vector kernel
  // does the same operations lane by lane, so both give identical bits.
  static final float EXP_MIN = -87.3f;
  static final float EXP_MAX = 88.7f;
  static final float LOG2E = 1.44269504f;
  static final float LN2_HI = 0.693145752f;
  static final float LN2_LO = 1.42860677e-6f;
  /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer in the low mantissa bits. */
  static final float ROUNDER = 12582912f;
  static final float C2 = 1f / 2;
  static final float C3 = 1f / 6;
  static final float C4 = 1f / 24;
  static final float C5 = 1f / 120;
  static final float C6 = 1f / 720;

  static float exp(float x) {
    x = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
    float t = Math.fma(x, LOG2E, ROUNDER);
    float k = t - ROUNDER;
    float r = Math.fma(-k, LN2_HI, x);
    r = Math.fma(-k, LN2_LO, r);
    float p = Math.fma(C6, r, C5);
    p = Math.fma(p, r, C4);
    p = Math.fma(p, r, C3);
    p = Math.fma(p, r, C2);
    p = Math.fma(p, r, 1f);
    p = Math.fma(p, r, 1f);
    int bits = (Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUNDER) + 127) << 23;
    return p * Float.intBitsToFloat(bits);
  }

  @Override
  public void transpose(float[] src, int srcOff, int lds, float[] dst, int dstOff, int ldd, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        dst[dstOff + c * ldd + r] = src[srcOff + r * lds + c];
      }
    }
  }

  @Override
  public void timesSigmoidGradient(float[] d, float[] a, int off, int n) {
    for (int i = off; i < off + n; i++) {
      d[i] *= a[i] * (1f - a[i]);
    }
  }

  @Override
  public void update(UpdateRule r, float[] t, float[] g, float[] m, float[] v, int off, int n, float reg) {
    for (int p = off; p < off + n; p++) {
      t[p] = updateOne(r, t, g, m, v, p, reg);
    }
  }

  /** The new value of t[p]; also the tail of the vector kernel, so both agree bit for bit. */
  static float updateOne(UpdateRule r, float[] t, float[] g, float[] m, float[] v, int p, float reg) {
    float d = g[p] * r.inv + reg * t[p];
    if (m == null) {
      return t[p] - r.lr * d;
    }
    if (v == null) {
      m[p] = r.mu * m[p] - r.lr * d;
      return t[p] + m[p];
    }
    m[p] = r.b1 * m[p] + (1f - r.b1) * d;
    // (d d)(1 - b2), in the SIMD kernel's order: an element's result must not depend on whether it
    // falls in a vector body or a scalar tail.
    v[p] = r.b2 * v[p] + d * d * (1f - r.b2);
    return t[p] - r.adamStep * m[p] / ((float) Math.sqrt(v[p]) * r.adamScale + r.eps);
  }
}
