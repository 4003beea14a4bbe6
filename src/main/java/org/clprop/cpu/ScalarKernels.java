package org.clprop.cpu;

/** {@link CpuKernels} in plain Java: the fallback, and the reading of what the vector kernels do. */
final class ScalarKernels implements CpuKernels {

  @Override
  public void gemm(float[] a, int aOff, int lda, boolean transA, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k) {
    for (int i = i0; i < i1; i++) {
      int ci = cOff + i * ldc;
      for (int p = 0; p < k; p++) {
        float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        int bp = bOff + p * ldb;
        for (int j = j0; j < j1; j++) {
          c[ci + j] = Math.fma(av, b[bp + j], c[ci + j]);
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
  public void sigmoid(float[] v, int off, int n) {
    for (int i = off; i < off + n; i++) {
      v[i] = sigmoid(v[i]);
    }
  }

  static float sigmoid(float z) {
    return (float) (1.0 / (1.0 + Math.exp(-z)));
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
    v[p] = r.b2 * v[p] + (1f - r.b2) * d * d;
    return t[p] - r.adamStep * m[p] / ((float) Math.sqrt(v[p]) * r.adamScale + r.eps);
  }
}
