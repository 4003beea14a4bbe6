package org.clprop.cpu;

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
}
