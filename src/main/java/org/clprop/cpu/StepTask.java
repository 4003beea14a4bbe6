package org.clprop.cpu;

import java.util.Arrays;

/**
 * One operation of a training step, run by the WorkerPool as parts: each part computes the block
 * of the output that {@link WorkPartition.Block} gives it, over the batch's buffers and the
 * parameters. A task's per-operation settings are set by its prepare method, so that a step
 * allocates nothing.
 */
abstract class StepTask implements WorkerPool.Task {
  /** The layer sizes. */
  final int[] s;
  final StepBuffers buf;
  final ParameterLayout params;
  final CpuKernels k;
  /** One per part, filled by the part. */
  final WorkPartition.Block[] blocks;

  StepTask(int[] s, StepBuffers buf, ParameterLayout params, CpuKernels k, int threads) {
    this.s = s;
    this.buf = buf;
    this.params = params;
    this.k = k;
    blocks = new WorkPartition.Block[threads];
    for (int i = 0; i < threads; i++) {
      blocks[i] = new WorkPartition.Block();
    }
  }

  /**
   * Zeroes rows [r0, r1), columns [c0, c1) of the matrix that starts at a[at] with rows
   * {@code stride} apart: a part clears its own block of an output it accumulates into.
   */
  static void clearBlock(float[] a, int at, int stride, int r0, int r1, int c0, int c1) {
    for (int r = r0; r < r1; r++) {
      Arrays.fill(a, at + r * stride + c0, at + r * stride + c1, 0f);
    }
  }
}
