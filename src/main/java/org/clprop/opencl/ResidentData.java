package org.clprop.opencl;

import org.clprop.data.Dataset;

/**
 * A data set kept on the device: its examples (m x n floats), labels and an order to gather rows
 * by (the identity until an epoch's permutation is written), so that a step reads nothing from the
 * host.
 */
final class ResidentData implements AutoCloseable {
  final Dataset data;
  final ClBuffer x;
  final ClBuffer labels;
  final ClBuffer order;

  ResidentData(ClContext ctx, Dataset data) {
    this.data = data;
    int m = data.size();
    x = ctx.buffer("examples", (long) m * data.features() * 4);
    labels = ctx.buffer("labels", (long) m * 4);
    order = ctx.buffer("order", (long) m * 4);
    x.write(ctx.queue(), data.x(), 0, 0, m * data.features());
    labels.write(ctx.queue(), data.labels(), 0, 0, m);
    int[] identity = new int[m];
    for (int i = 0; i < m; i++) {
      identity[i] = i;
    }
    order.write(ctx.queue(), identity, 0, 0, m);
  }

  @Override
  public void close() {
    x.close();
    labels.close();
    order.close();
  }
}
