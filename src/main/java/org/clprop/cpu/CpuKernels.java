package org.clprop.cpu;

import org.clprop.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inner loops of the CPU backend, in two implementations with the same results: one on the
 * JDK's Vector API ({@code jdk.incubator.vector}, used when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}) and one in plain Java for JVMs without it.
 *
 * <p>All arrays are row-major with explicit offsets and leading dimensions. Every product computes
 * each output element as one chain of fused multiply-adds over p in increasing order, whatever the
 * block of the output a call covers: splitting the output across threads never changes a bit.
 */
interface CpuKernels {

  /**
   * C[i, j] += sum_p opA(i, p) * B[p, j] for i in [i0, i1), j in [j0, j1), p in [0, k), where
   * opA(i, p) = A[i*lda + p], or A[p*lda + i] when {@code transA}. Vectorised along j: for outputs
   * at least one vector wide.
   */
  default void gemm(float[] a, int aOff, int lda, boolean transA, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k) {
    gemm(a, aOff, lda, transA, b, bOff, ldb, c, cOff, ldc, i0, i1, j0, j1, k, null, null);
  }

  /**
   * {@link #gemm} telling {@code done} (when not null) each block of rows of C as it becomes final.
   * With {@code zeros} a kernel may skip each p at which a block of rows of opA is zero throughout.
   * That changes no result: fma(0, b, c) is c for any finite b (a sum that is zero throughout may
   * differ in the sign of that zero), so a training step is the same with or without it unless B
   * holds infinities or NaNs.
   */
  void gemm(float[] a, int aOff, int lda, boolean transA, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k, RowsDone done, ZeroBlocks zeros);

  /**
   * {@link #gemm} with A not transposed and B given as panels of {@link #panelWidth()} columns, each
   * holding all k rows: B[p, j] = bp[(j / w) * k * w + p * w + j % w] for w the panel width (see
   * {@link #toPanels}). j0 is a multiple of w. A product whose B changes only once per training step
   * (the input layer's weights) keeps its panels instead of packing B at every call.
   */
  void gemmPanels(float[] a, int aOff, int lda, float[] bp, float[] c, int cOff, int ldc,
      int i0, int i1, int j0, int j1, int k, ZeroBlocks zeros);

  /** Columns per panel of {@link #gemmPanels}' B. */
  int panelWidth();

  /**
   * B[p, j] = b[bOff + p * ldb + j] into panels of w columns for {@link #gemmPanels}, for p in
   * [p0, p1) and j in [j0, j1) of a B of k rows: bp[(j / w) * k * w + p * w + j % w].
   */
  static void toPanels(float[] b, int bOff, int ldb, int k, int w, int p0, int p1, int j0, int j1, float[] bp) {
    for (int j = j0; j < j1; ) {
      int end = Math.min(j1, (j / w + 1) * w);
      for (int p = p0; p < p1; p++) {
        System.arraycopy(b, bOff + p * ldb + j, bp, panelIndex(p, j, k, w), end - j);
      }
      j = end;
    }
  }

  /** Where B[p, j] of a B of k rows lies in its panels of w columns. */
  static int panelIndex(int p, int j, int k, int w) {
    return (j / w) * k * w + p * w + j % w;
  }

  /** The length of the panels of w columns holding a B of k rows and the given width (the last panel padded). */
  static int panelsLength(int width, int k, int w) {
    return (width + w - 1) / w * w * k;
  }

  /**
   * Which blocks of {@link #ROWS} consecutive rows of opA are zero throughout at each p:
   * {@code flags[p*stride + i/ROWS]} is 1 when some opA(i', p) with i' in that block is not zero, else
   * 0. For the input layer's gradient, where opA(i, p) is feature i of example p: images have
   * black margins (28% of Fashion-MNIST's blocks of 8 pixels are black in a given image). For its
   * forward product, where opA(i, p) is pixel p of example i: a pixel black in all of 8 examples
   * (30% of them in batches grouped by label and live blocks, see LabelGrouping).
   */
  record ZeroBlocks(byte[] flags, int stride) {
    static final int ROWS = 8;

    /** Blocks per row of {@code width} features, the last one short when width is no multiple of ROWS. */
    static int perRow(int width) {
      return (width + ROWS - 1) / ROWS;
    }
  }

  /** Rows [i0, i1) of a product's C hold their final values: a caller can use them while they are in cache. */
  interface RowsDone {
    void rows(int i0, int i1);
  }

  /**
   * C[i, j] += sum_p A[i*lda + p] * Bt[j*ldbt + p]: the product with B given transposed, as dot
   * products along p. For narrow outputs (a few columns) over a long p.
   */
  void gemmDot(float[] a, int aOff, int lda, float[] bt, int btOff, int ldbt,
      float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k);

  /** dst[dstOff + c*ldd + r] = src[srcOff + r*lds + c] for r < rows, c < cols. */
  void transpose(float[] src, int srcOff, int lds, float[] dst, int dstOff, int ldd, int rows, int cols);

  /** dst[dstOff + i] = Pixels.feature(src[srcOff + i]) = (src & 0xff) / 255 for i < n: image rows into A(0). */
  void pixels(byte[] src, int srcOff, float[] dst, int dstOff, int n);

  /**
   * flags[p*stride + g] = 1 when a[at + r*w + p] is other than +0 or -0 for some r < rows, else 0,
   * for p < w: which inputs of a strip of rows (examples) are live, for {@link ZeroBlocks}.
   */
  void markLive(float[] a, int at, int w, int rows, byte[] flags, int g, int stride);

  /** v[off .. off+n) = g(v) = 1 / (1 + e^-v). */
  void sigmoid(float[] v, int off, int n);

  /** d[off .. off+n) *= a (1 - a), with a = g(z) the stored activations: d .* g'(z). */
  void timesSigmoidGradient(float[] d, float[] a, int off, int n);

  /**
   * One optimiser step on t[off .. off+n) with gradient D = g * inv + reg * t:
   * SGD when {@code m == null}: t -= lr D; momentum when {@code v == null}: m = mu m - lr D, t += m;
   * else Adam: m = b1 m + (1-b1) D, v = b2 v + (1-b2) D^2, t -= step m / (sqrt(v) * scale + eps).
   */
  void update(UpdateRule r, float[] t, float[] g, float[] m, float[] v, int off, int n, float reg);

  /** Scalars of an update, fixed for one step; mutable so that a step allocates nothing. */
  final class UpdateRule {
    float inv;
    float lr;
    float mu;
    float b1;
    float b2;
    float eps;
    float adamStep;
    float adamScale;
  }

  /** The Vector API kernels when the JVM has them (and -Dclprop.cpu.vector is not false), else plain Java. */
  static CpuKernels best() {
    return Holder.BEST;
  }

  /** Chooses once per JVM. */
  final class Holder {
    private static final Logger LOG = LoggerFactory.getLogger(CpuKernels.class);
    static final CpuKernels BEST = choose();

    private Holder() {}

    private static CpuKernels choose() {
      if ("false".equalsIgnoreCase(Settings.get(Settings.CPU_VECTOR))) {
        return new ScalarKernels();
      }
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        LOG.warn("CPU backend without SIMD kernels, several times slower: this JVM lacks the Vector API; add "
            + "--add-modules jdk.incubator.vector to its options (README: JVM setup)");
        return new ScalarKernels();
      }
      try {
        return (CpuKernels) Class.forName("org.clprop.cpu.VectorKernels").getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        LOG.warn("Vector API kernels unavailable ({}); using plain Java kernels", e.toString());
        return new ScalarKernels();
      }
    }
  }
}
