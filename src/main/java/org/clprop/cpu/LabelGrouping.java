package org.clprop.cpu;

import java.util.Arrays;
import org.clprop.data.Dataset;
import org.clprop.data.RowCursor;

/**
 * Training batches of images gathered grouped by label and, within a label, by how many blocks of
 * 8 pixels are not black. Examples of one class share their black margins, so that a strip of 8
 * rows has a pixel black in all 8 far more often (Fashion-MNIST at batch 256: 30% of (strip, pixel)
 * pairs, 13% in shuffled order), which the input layer's forward product skips (ZeroSkipping). A
 * batch is a set: the order of its rows changes only the order of the sums over examples. On for
 * data with zero blocks ({@link ZeroSkipping#MIN_ZERO_BLOCKS}) and a first layer of
 * {@link ZeroSkipping#MIN_SKIPPING_WIDTH} units or more, whether or not skipping is, so that skipping
 * never changes a result.
 */
final class LabelGrouping {
  private final boolean on;
  private final int features;
  private final int width;
  private boolean active;
  /** Per row of the bound data: how many of its blocks of 8 inputs are not all zero; -1 until needed. */
  private int[] liveBlocks;
  private int[] counts;
  private byte[] flags;
  /** Reads the bound data's rows (group runs on the stepping thread only). */
  private RowCursor cursor;
  private Dataset cursorOf;
  /** The batch's rows, grouped, and a buffer for that. */
  private int[] rows = new int[0];
  private int[] tmp = new int[0];

  /** For a network with {@code features} inputs and a first layer {@code width} units wide. */
  LabelGrouping(boolean on, int features, int width) {
    this.on = on;
    this.features = features;
    this.width = width;
  }

  /** For training data with {@code zeroShare} (see ZeroSkipping.zeroBlocks): whether batches are grouped. */
  void bind(Dataset data, double zeroShare) {
    active = on && zeroShare >= ZeroSkipping.MIN_ZERO_BLOCKS && width >= ZeroSkipping.MIN_SKIPPING_WIDTH;
    if (active) {
      liveBlocks = new int[data.size()];
      Arrays.fill(liveBlocks, -1);
      int perRow = CpuKernels.ZeroBlocks.perRow(features);
      counts = new int[Math.max(data.classes(), perRow + 1) + 1];
      flags = new byte[perRow];
    } else {
      liveBlocks = null;
    }
  }

  boolean active() {
    return active;
  }

  void ensure(int capacity) {
    rows = new int[capacity];
    tmp = new int[capacity];
  }

  /** The rows order[from .. from+count) of data, grouped: valid until the next call. */
  int[] group(Dataset data, int[] order, int from, int count) {
    int perRow = CpuKernels.ZeroBlocks.perRow(features);
    for (int i = from; i < from + count; i++) {
      int r = order[i];
      if (liveBlocks[r] < 0) { // counted the first time a row is in a batch
        if (cursorOf != data) {
          cursor = data.cursor();
          cursorOf = data;
        }
        cursor.seek(r);
        ZeroSkipping.markBlocks(cursor, features, flags, 0);
        int live = 0;
        for (int g = 0; g < perRow; g++) {
          live += flags[g];
        }
        liveBlocks[r] = live;
      }
    }
    groupByLabel(order, from, count, data.labels(), liveBlocks, counts, tmp, rows);
    return rows;
  }

  /**
   * The rows order[from .. from+count) into out[0 .. count), grouped by label and, within a label, by
   * {@code density} (per row of the data), ties in their order: two stable counting sorts, by density
   * into tmp, then by label ({@code at} has a slot per class and per density value, and one more).
   */
  static void groupByLabel(int[] order, int from, int count, int[] labels, int[] density, int[] at, int[] tmp,
      int[] out) {
    Arrays.fill(at, 0);
    for (int i = from; i < from + count; i++) {
      at[density[order[i]] + 1]++;
    }
    for (int c = 1; c < at.length; c++) {
      at[c] += at[c - 1];
    }
    for (int i = from; i < from + count; i++) {
      int r = order[i];
      tmp[at[density[r]]++] = r;
    }
    Arrays.fill(at, 0);
    for (int i = 0; i < count; i++) {
      at[labels[tmp[i]] + 1]++;
    }
    for (int c = 1; c < at.length; c++) {
      at[c] += at[c - 1];
    }
    for (int i = 0; i < count; i++) {
      int r = tmp[i];
      out[at[labels[r]]++] = r;
    }
  }
}
