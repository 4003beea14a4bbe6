package org.clprop.opencl;

/**
 * Per-batch cost and hit sums that kernels write into device slots (two floats each), read back
 * only when asked or when the slots run out: a step waits for nothing.
 */
final class MetricSlots implements AutoCloseable {
  private final ClContext ctx;
  private final String name;
  private ClBuffer buffer;
  private int capacity;
  private int used;

  MetricSlots(ClContext ctx, String name, int slots) {
    this.ctx = ctx;
    this.name = name;
    ensure(slots);
  }

  /** Makes room for at least {@code slots} slots (the ones written are lost when it grows). */
  void ensure(int slots) {
    if (slots <= capacity) {
      return;
    }
    DeviceMemory.checkAllocation(ctx.device(), name, 2L * slots * 4);
    if (buffer != null) {
      buffer.close();
    }
    buffer = ctx.buffer(name, 2L * slots * 4);
    capacity = slots;
    used = 0;
  }

  ClBuffer buffer() {
    return buffer;
  }

  /** The next free slot, now taken. */
  int next() {
    if (used == capacity) {
      throw new IllegalStateException(name + ": all " + capacity + " slots are taken");
    }
    return used++;
  }

  boolean full() {
    return used == capacity;
  }

  /** The slots taken, as (cost, hits) pairs in order (a sync point); frees them. */
  float[] drain() {
    float[] v = new float[2 * used];
    if (used > 0) {
      buffer.read(ctx.queue(), 0, v, 0, v.length);
    }
    used = 0;
    return v;
  }

  @Override
  public void close() {
    if (buffer != null) {
      buffer.close();
      buffer = null;
    }
  }
}
