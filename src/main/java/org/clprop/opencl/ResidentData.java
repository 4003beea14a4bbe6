package org.clprop.opencl;

import org.clprop.data.Dataset;
import org.clprop.data.RowCursor;

/**
 * A data set kept on the device: its examples (m x n floats), labels and an order to gather rows
 * by (the identity until an epoch's permutation is written), so that a step reads nothing from the
 * host.
 */
final class ResidentData implements AutoCloseable {
  /** Floats per upload: 16 MiB. */
  private static final int PIECE_VALUES = 1 << 22;

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
    upload(ctx, data, x);
    labels.write(ctx.queue(), data.labels(), 0, 0, m);
    int[] identity = new int[m];
    for (int i = 0; i < m; i++) {
      identity[i] = i;
    }
    order.write(ctx.queue(), identity, 0, 0, m);
  }

  /**
   * The features into {@code x}, row-major, in pieces of at most {@link #PIECE_VALUES} floats
   * gathered from the set's storage (pixel bytes widened on the way), so that the host never holds
   * the set as one float array.
   */
  private static void upload(ClContext ctx, Dataset data, ClBuffer x) {
    int w = data.features();
    int rowsPerPiece = Math.max(1, Math.min(data.size(), PIECE_VALUES / w));
    float[] piece = new float[rowsPerPiece * w];
    RowCursor rows = data.cursor();
    for (int from = 0; from < data.size(); from += rowsPerPiece) {
      int n = Math.min(rowsPerPiece, data.size() - from);
      for (int i = 0; i < n; i++) {
        rows.copy(from + i, piece, i * w);
      }
      // Blocking: the piece is refilled at once.
      x.write(ctx.queue(), piece, 0, (long) from * w, n * w);
    }
  }

  @Override
  public void close() {
    x.close();
    labels.close();
    order.close();
  }
}
