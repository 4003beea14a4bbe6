package org.clprop.cpu;

import org.clprop.data.Dataset;

/**
 * The rows of a dataset that form the batch: {@code idx[from ..]} or, when idx is null, rows
 * {@code from ..}. They are copied into A(0) by the first forward task, each thread its own rows:
 * the copy gathers scattered rows from memory, and two threads wait on it half as long.
 */
final class BatchRows {
  private final int features;
  private Dataset data;
  private int[] idx;
  private int from;

  BatchRows(int features) {
    this.features = features;
  }

  void select(Dataset rowsOf, int[] index, int start) {
    data = rowsOf;
    idx = index;
    from = start;
  }

  /** The data row of batch row i. */
  int row(int i) {
    return idx == null ? from + i : idx[from + i];
  }

  /** The label of batch row i. */
  int label(int i) {
    return data.labels()[row(i)];
  }

  /** Batch rows [i0, i1) into A(0) (image bytes widened as they are gathered), marked for zero skipping. */
  void gather(int i0, int i1, float[] a0, CpuKernels k, ZeroSkipping zeros) {
    int w = features;
    byte[] px = data.pixels();
    float[] x = px == null ? data.x() : null;
    for (int i = i0; i < i1; i++) {
      int r = row(i);
      if (px != null) {
        k.pixels(px, r * w, a0, i * w, w);
      } else {
        System.arraycopy(x, r * w, a0, i * w, w);
      }
      zeros.markRow(data, r, i);
    }
    zeros.markStrips(k, a0, i0, i1);
  }
}
