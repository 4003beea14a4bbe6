package org.clprop.opencl;

import org.clprop.backend.StepMetrics;
import org.clprop.backend.StepSums;

/**
 * The training steps' cost and hit sums since they were last taken: each step's kernels write one
 * pair of {@link MetricSlots}, which are read back and added up only when they run out or when the
 * trainer asks, so that a step never waits for the device.
 */
final class StepTotals implements AutoCloseable {
  private final MetricSlots slots;
  private final StepSums sums = new StepSums();

  StepTotals(ClContext ctx, int slotCount) {
    slots = new MetricSlots(ctx, "step metrics", slotCount);
  }

  /** The buffer the step kernels write to. */
  ClBuffer buffer() {
    return slots.buffer();
  }

  /** The slot for the sums of the next step, of {@code n} examples. */
  int slotFor(int n) {
    sums.add(0, 0, n);
    return slots.next();
  }

  /** Reads the slots back when none is left for the next step. */
  void drainIfFull() {
    if (slots.full()) {
      drain();
    }
  }

  private void drain() {
    float[] v = slots.drain();
    for (int i = 0; i < v.length / 2; i++) {
      sums.add(v[2 * i], Math.round(v[2 * i + 1]), 0);
      sums.stepDone(v[2 * i]);
    }
  }

  /** The totals since the last call (a sync point), then zero. */
  StepMetrics take() {
    drain();
    return sums.take();
  }

  @Override
  public void close() {
    slots.close();
  }
}
