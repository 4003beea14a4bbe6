package org.clprop.opencl;

import org.clprop.backend.StepMetrics;

/**
 * The training steps' cost and hit sums since they were last taken: each step's kernels write one
 * pair of {@link MetricSlots}, which are read back and added up only when they run out or when the
 * trainer asks, so that a step never waits for the device.
 */
final class StepTotals implements AutoCloseable {
  private final MetricSlots slots;
  private int drainedSteps;
  private int firstNonFinite = -1;
  private double cost;
  private long hits;
  private long examples;

  StepTotals(ClContext ctx, int slotCount) {
    slots = new MetricSlots(ctx, "step metrics", slotCount);
  }

  /** The buffer the step kernels write to. */
  ClBuffer buffer() {
    return slots.buffer();
  }

  /** The slot for the sums of the next step, of {@code n} examples. */
  int slotFor(int n) {
    examples += n;
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
    int steps = v.length / 2;
    for (int i = 0; i < steps; i++) {
      if (!Float.isFinite(v[2 * i]) && firstNonFinite < 0) {
        firstNonFinite = drainedSteps + i;
      }
      cost += v[2 * i];
      hits += Math.round(v[2 * i + 1]);
    }
    drainedSteps += steps;
  }

  /** The totals since the last call (a sync point), then zero. */
  StepMetrics take() {
    drain();
    StepMetrics m = new StepMetrics(cost, hits, examples, firstNonFinite);
    cost = 0;
    hits = 0;
    examples = 0;
    drainedSteps = 0;
    firstNonFinite = -1;
    return m;
  }

  @Override
  public void close() {
    slots.close();
  }
}
