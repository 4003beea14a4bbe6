package org.clprop.cpu;

import java.util.Arrays;

/**
 * Delta(l) += d(l+1)' [1, A(l)] for a block of Delta(l), in Theta's layout: d(l+1) is (n, s[l+1]),
 * A(l) (n, s[l]), Delta(l) (s[l+1], s[l] + 1), its column 0 the column sums of d(l+1). With
 * {@code overwrite}, = instead of += (each part clears its own block, just before using it).
 */
final class GradientTask extends StepTask {
  /** Column sums of d(l+1), one slot per unit. */
  private final float[] colSum;
  private int l;
  private int n;
  private boolean overwrite;

  GradientTask(int[] s, StepBuffers buf, ParameterLayout params, CpuKernels k, int threads) {
    super(s, buf, params, k, threads);
    colSum = new float[Arrays.stream(s).max().getAsInt()];
  }

  void prepare(int layer, int rows, boolean clear) {
    l = layer;
    n = rows;
    overwrite = clear;
  }

  @Override
  public void run(int part, int parts) {
    int in = s[l];
    int out = s[l + 1];
    int cols = in + 1;
    int off = params.offset(l);
    float[] grad = params.grad;
    // Rows of this output are the units j of layer l+1, columns the inputs c.
    WorkPartition.Block b = blocks[part].of(out, in, part, parts);
    float[] d = buf.delta[l + 1];
    if (overwrite) {
      for (int j = b.r0; j < b.r1; j++) {
        int row = off + j * cols + 1;
        Arrays.fill(grad, row + b.c0, row + b.c1, 0f);
      }
    }
    k.gemm(d, 0, out, true, buf.act[l], 0, in, grad, off + 1, cols, b.r0, b.r1, b.c0, b.c1, n);
    if (b.byRows || part == 0) {
      columnSums(d, n, out, b.r0, b.r1, colSum);
      for (int j = b.r0; j < b.r1; j++) {
        int at = off + j * cols;
        grad[at] = overwrite ? colSum[j] : grad[at] + colSum[j];
      }
    }
  }

  /**
   * sum[j] = the sum over the n rows of d (width wide) in row order, for j in [j0, j1): row by row,
   * so that the inner loop runs along memory (and vectorises); each sum's order is unchanged.
   */
  static void columnSums(float[] d, int n, int width, int j0, int j1, float[] sum) {
    Arrays.fill(sum, j0, j1, 0f);
    for (int i = 0; i < n; i++) {
      int row = i * width;
      for (int j = j0; j < j1; j++) {
        sum[j] += d[row + j];
      }
    }
  }
}
