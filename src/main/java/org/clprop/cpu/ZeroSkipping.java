package org.clprop.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.clprop.data.Dataset;
import org.clprop.data.RowCursor;

/**
 * Zero-input skipping: on images, the input layer's products leave out terms whose input is zero
 * (black pixels). fma(0, b, c) is c for any finite b, so the sums are the same with fewer terms
 * (see CpuKernels.ZeroBlocks). Two sets of flags, marked as the batch is gathered:
 *
 * <pre>
 * rowBlocks  per row of A(0), which blocks of 8 inputs are not all zero: the gradient product
 *            A(0)' d(1) skips, per block of 8 inputs, the examples in which the block is black
 * strips     per strip of 8 rows of A(0), which inputs are not all zero: the forward product
 *            A(0) W(0)' skips the pixels black in all 8 examples (wide layers of grouped batches)
 * </pre>
 *
 * Both need the held input layer (ParameterLayout). Off, or on other data, nothing is marked and
 * the products run dense.
 */
final class ZeroSkipping {
  /**
   * Below this share of zero blocks in the training data the gradient product skips none: marking
   * them costs a pass over each gathered row.
   */
  static final double MIN_ZERO_BLOCKS = 0.05;
  /**
   * The forward product skips inputs only from this many units on: finding and packing the live
   * inputs costs the same per strip at any width, and below it cost more than they saved.
   */
  static final int MIN_SKIPPING_WIDTH = 512;
  /** Eight pixel bytes at once, for finding blocks of zeros. */
  private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final boolean on;
  private final int features;
  /** What the bound data gets: gradient skipping (rowBlocks) and forward skipping (strips). */
  private boolean rowsOn;
  private boolean stripsOn;
  private CpuKernels.ZeroBlocks rowBlocks;
  private CpuKernels.ZeroBlocks strips;
  /** Whether the strips describe A(0) of the forward pass under way. */
  private boolean stripsMarked;

  ZeroSkipping(boolean on, int features) {
    this.on = on;
    this.features = features;
  }

  /**
   * For training data with {@code zeroShare} (see {@link #zeroBlocks}), the input layer held or not,
   * batches grouped by label or not: which products skip.
   */
  void bind(double zeroShare, boolean inputHeld, boolean grouped) {
    rowsOn = on && inputHeld && zeroShare >= MIN_ZERO_BLOCKS;
    stripsOn = on && inputHeld && grouped;
  }

  void ensure(int rows) {
    int groups = CpuKernels.ZeroBlocks.perRow(features);
    rowBlocks = new CpuKernels.ZeroBlocks(new byte[rows * groups], groups);
    int stripCount = (rows + CpuKernels.ZeroBlocks.ROWS - 1) / CpuKernels.ZeroBlocks.ROWS;
    strips = new CpuKernels.ZeroBlocks(new byte[features * stripCount], stripCount);
  }

  /** Whether a forward pass over gathered rows marks strips: set before the gathering. */
  void startForward(boolean gathered) {
    stripsMarked = gathered && stripsOn;
  }

  /** The blocks the gradient product may skip, or null. */
  CpuKernels.ZeroBlocks rowBlocks() {
    return rowsOn ? rowBlocks : null;
  }

  /** The strips the forward product may skip, or null. */
  CpuKernels.ZeroBlocks strips() {
    return stripsMarked ? strips : null;
  }

  /** Marks batch row i, row r of data, as it is gathered. */
  void markRow(RowCursor row, int i) {
    if (rowsOn) {
      markBlocks(row, features, rowBlocks.flags(), i * rowBlocks.stride());
    }
  }

  /** Marks the strips of gathered rows [i0, i1) of A(0) (i0 a multiple of 8). */
  void markStrips(CpuKernels k, float[] a0, int i0, int i1) {
    if (stripsMarked) {
      int block = CpuKernels.ZeroBlocks.ROWS;
      for (int i = i0; i < i1; i += block) {
        k.markLive(a0, i * features, features, Math.min(block, i1 - i), strips.flags(), i / block, strips.stride());
      }
    }
  }

  /**
   * The share of (example, block of 8 consecutive features) pairs that are zero throughout, over the
   * first rows of the data: the share of multiply-adds the input layer's gradient product can skip.
   * Fashion-MNIST: 0.28; random data: none.
   */
  static double zeroBlocks(Dataset data, int features) {
    int rows = Math.min(data.size(), 1024);
    int groups = CpuKernels.ZeroBlocks.perRow(features);
    if (rows == 0) {
      return 0;
    }
    byte[] flags = new byte[groups];
    long zero = 0;
    RowCursor c = data.cursor();
    for (int r = 0; r < rows; r++) {
      c.seek(r);
      markBlocks(c, features, flags, 0);
      for (byte f : flags) {
        zero += 1 - f;
      }
    }
    return (double) zero / ((long) rows * groups);
  }

  /**
   * flags[at + g] = 1 when some of features [8g, 8g + 8) of the row {@code row} has sought is not
   * zero, else 0. Pixel bytes are read eight at a time as a long.
   */
  static void markBlocks(RowCursor row, int features, byte[] flags, int at) {
    int block = CpuKernels.ZeroBlocks.ROWS;
    byte[] px = row.pixels() ? row.bytes() : null;
    int base = row.offset();
    int g = 0;
    if (px != null) {
      for (; (g + 1) * block <= features; g++) {
        flags[at + g] = (long) EIGHT_BYTES.get(px, base + g * block) != 0 ? (byte) 1 : 0;
      }
      for (; g * block < features; g++) {
        int any = 0;
        for (int f = g * block; f < Math.min(features, (g + 1) * block); f++) {
          any |= px[base + f];
        }
        flags[at + g] = any != 0 ? (byte) 1 : 0;
      }
      return;
    }
    float[] x = row.floats();
    for (; g * block < features; g++) { // -0 is zero too
      flags[at + g] = ScalarKernels.live(x, base + g * block, 1, Math.min(block, features - g * block));
    }
  }
}
