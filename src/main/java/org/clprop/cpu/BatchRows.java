package org.clprop.cpu;

import org.clprop.data.Dataset;
import org.clprop.data.RowCursor;

/**
 * The rows of a dataset that form the batch: {@code idx[from ..]} or, when idx is null, rows
 * {@code from ..}. They are copied into A(0) by the first forward task, each thread its own rows:
 * the copy gathers scattered rows from memory, and two threads wait on it half as long.
 *
 * <p>Rows are read through one {@link RowCursor} per part: a row held in the heap is copied from
 * where it lies, a row of a memory-mapped file is read from the file, so the set never has to be
 * one Java array.
 */
final class BatchRows {
  private final int features;
  /** One cursor per part of the forward task; a gather outside the task uses part 0's. */
  private final RowCursor[] cursors;
  private Dataset data;
  private int[] idx;
  private int from;

  BatchRows(int features, int parts) {
    this.features = features;
    this.cursors = new RowCursor[parts];
  }

  void select(Dataset rowsOf, int[] index, int start) {
    if (rowsOf != data) {
      for (int p = 0; p < cursors.length; p++) {
        cursors[p] = rowsOf.cursor();
      }
    }
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

  /**
   * Batch rows [i0, i1) into A(0) (image bytes widened as they are gathered), marked for zero
   * skipping; {@code part} names the cursor, one per concurrently running part.
   */
  void gather(int part, int i0, int i1, float[] a0, CpuKernels k, ZeroSkipping zeros) {
    int w = features;
    RowCursor c = cursors[part];
    for (int i = i0; i < i1; i++) {
      c.seek(row(i));
      if (c.pixels()) {
        k.pixels(c.bytes(), c.offset(), a0, i * w, w);
      } else {
        System.arraycopy(c.floats(), c.offset(), a0, i * w, w);
      }
      zeros.markRow(c, i);
    }
    zeros.markStrips(k, a0, i0, i1);
  }
}
