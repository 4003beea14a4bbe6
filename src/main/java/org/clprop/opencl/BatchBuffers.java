package org.clprop.opencl;

/**
 * The device buffers of one batch, for every layer: A(l) (rows, s_l), d(l) (rows, s_l) for l >= 2,
 * the output's z, the batch's labels, and per-row cost and hit. Allocated for the largest batch
 * seen, after {@link DeviceMemory} has checked that they fit.
 */
final class BatchBuffers implements AutoCloseable {
  private final ClContext ctx;
  private final int[] s;
  private final long paramCount;
  private final int metricSlots;
  private int capacity;
  /** A(l), rows x s_l, l = 0 .. L-1 (A(0) holds the inputs). */
  ClBuffer[] act;
  /** d(l), rows x s_l, l = 1 .. L-1; d(0) is null. */
  ClBuffer[] delta;
  ClBuffer zOut;
  ClBuffer labels;
  ClBuffer rowCost;
  ClBuffer rowHit;

  BatchBuffers(ClContext ctx, int[] s, long paramCount, int metricSlots) {
    this.ctx = ctx;
    this.s = s;
    this.paramCount = paramCount;
    this.metricSlots = metricSlots;
  }

  /** Rows the buffers hold. */
  int capacity() {
    return capacity;
  }

  /** Makes room for batches of {@code rows}; a smaller request keeps the buffers. */
  void ensure(int rows) {
    if (rows <= capacity) {
      return;
    }
    DeviceMemory.checkBatch(ctx.device(), s, paramCount, metricSlots, rows);
    close();
    capacity = rows;
    int layers = s.length;
    act = new ClBuffer[layers];
    delta = new ClBuffer[layers];
    for (int l = 0; l < layers; l++) {
      act[l] = ctx.buffer("activations " + (l + 1), (long) rows * s[l] * 4);
      if (l >= 1) {
        delta[l] = ctx.buffer("deltas " + (l + 1), (long) rows * s[l] * 4);
      }
    }
    zOut = ctx.buffer("output z", (long) rows * s[layers - 1] * 4);
    labels = ctx.buffer("batch labels", (long) rows * 4);
    rowCost = ctx.buffer("row costs", (long) rows * 4);
    rowHit = ctx.buffer("row hits", (long) rows * 4);
  }

  @Override
  public void close() {
    if (act == null) {
      return;
    }
    for (ClBuffer b : act) {
      b.close();
    }
    for (ClBuffer b : delta) {
      if (b != null) {
        b.close();
      }
    }
    zOut.close();
    labels.close();
    rowCost.close();
    rowHit.close();
    act = null;
    capacity = 0;
  }
}
