package org.clprop.cpu;

import java.util.Arrays;

/**
 * The held input layer's gradient (ParameterLayout): Delta(0)' = A(0)' d(1) into the W' part,
 * (s[0], s[1]), and d(1)'s column sums into the b part; the same sums as GradientTask's, bitwise.
 * It skips the zero blocks of A(0) (ZeroSkipping). With the update on, each block of rows gets the
 * optimiser's step as the product finishes it, while its gradient is still in cache (nothing reads
 * the layer later in the step), so the update's memory traffic overlaps the product's arithmetic.
 */
final class InputGradientTask extends StepTask {
  private final ZeroSkipping zeros;
  private final UpdateTask update;
  private final float[] colSum;
  /** Per part: updates the rows of W' the product finishes. */
  private final RowUpdate[] rowUpdates;
  private int n;
  private boolean overwrite;
  private boolean updateAsDone;

  InputGradientTask(int[] s, StepBuffers buf, ParameterLayout params, ZeroSkipping zeros, UpdateTask update,
      CpuKernels k, int threads) {
    super(s, buf, params, k, threads);
    this.zeros = zeros;
    this.update = update;
    colSum = new float[s[1]];
    rowUpdates = new RowUpdate[threads];
    Arrays.setAll(rowUpdates, i -> new RowUpdate(params, update, k, s[1]));
  }

  void prepare(int rows, boolean clear, boolean updateRows) {
    n = rows;
    overwrite = clear;
    updateAsDone = updateRows;
  }

  @Override
  public void run(int part, int parts) {
    int in = s[0];
    int out = s[1];
    float[] grad = params.grad;
    // Rows of this output are the inputs c, columns the units j.
    WorkPartition.Block b = blocks[part].of(in, out, part, parts);
    float[] d = buf.delta[1];
    if (overwrite) {
      for (int c = b.r0; c < b.r1; c++) {
        Arrays.fill(grad, out + c * out + b.c0, out + c * out + b.c1, 0f);
      }
    }
    RowUpdate done = null;
    if (updateAsDone) {
      done = rowUpdates[part];
      done.j0 = b.c0;
      done.j1 = b.c1;
    }
    k.gemm(buf.act[0], 0, in, true, d, 0, out, grad, out, out, b.r0, b.r1, b.c0, b.c1, n, done, zeros.rowBlocks());
    if (!b.byRows || part == 0) {
      GradientTask.columnSums(d, n, out, b.c0, b.c1, colSum);
      for (int j = b.c0; j < b.c1; j++) {
        grad[j] = overwrite ? colSum[j] : grad[j] + colSum[j];
      }
      if (updateAsDone) {
        k.update(update.rule, params.theta, grad, params.m, params.v, b.c0, b.c1 - b.c0, 0f);
      }
    }
  }

  /** The update of rows [c0, c1) of W' (s[0], out), columns [j0, j1), then of their panels. */
  private static final class RowUpdate implements CpuKernels.RowsDone {
    private final ParameterLayout params;
    private final UpdateTask update;
    private final CpuKernels k;
    private final int out;
    private int j0;
    private int j1;

    RowUpdate(ParameterLayout params, UpdateTask update, CpuKernels k, int out) {
      this.params = params;
      this.update = update;
      this.k = k;
      this.out = out;
    }

    @Override
    public void rows(int c0, int c1) {
      if (j0 == 0 && j1 == out) {
        k.update(update.rule, params.theta, params.grad, params.m, params.v, out + c0 * out, (c1 - c0) * out, update.reg);
      } else {
        for (int c = c0; c < c1; c++) {
          k.update(update.rule, params.theta, params.grad, params.m, params.v, out + c * out + j0, j1 - j0, update.reg);
        }
      }
      // This part's columns only: another part updates (and copies) the rest of these rows.
      params.refreshInput(c0, c1, j0, j1);
    }
  }
}
