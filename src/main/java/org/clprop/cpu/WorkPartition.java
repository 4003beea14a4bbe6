package org.clprop.cpu;

/**
 * How an operation is split across the threads: into at most one part per
 * {@link #PART_WORK} multiply-adds, each part a block of the output, whole rows when the output is
 * tall enough and whole columns otherwise. Each output element is computed by one part, as one
 * chain over p, so results are bitwise the same for any number of parts. Off, every operation is
 * one part, on the calling thread.
 */
final class WorkPartition {
  /**
   * The least work, in multiply-adds, worth a part of its own: below it, handing a part to a
   * worker costs more than the part saves (on many cores, small networks such as digits' would
   * otherwise be split into parts of a few microseconds each).
   */
  static final long PART_WORK = 1 << 16;
  /** Row blocks start at multiples of this (the SIMD product's rows per tile, and ZeroBlocks.ROWS). */
  static final int ROW_ALIGN = 8;
  /** Column blocks start at multiples of this (two 512-bit vectors of floats). */
  static final int COLUMN_ALIGN = 32;

  private final int threads;

  WorkPartition(boolean on, int threads) {
    this.threads = on ? threads : 1;
  }

  /** How many parts an operation of this many multiply-adds runs as. */
  int parts(long multiplyAdds) {
    return (int) Math.max(1, Math.min(threads, multiplyAdds / PART_WORK));
  }

  /** Whether an output of rows x cols is split by rows (else by columns). */
  static boolean byRows(int rows, int cols) {
    return rows >= cols / 4;
  }

  /** Part {@code part} of {@code parts} of an output of rows x cols: [r0, r1) x [c0, c1). */
  static final class Block {
    int r0;
    int r1;
    int c0;
    int c1;
    boolean byRows;

    Block of(int rows, int cols, int part, int parts) {
      byRows = byRows(rows, cols);
      r0 = byRows ? start(rows, part, parts, ROW_ALIGN) : 0;
      r1 = byRows ? start(rows, part + 1, parts, ROW_ALIGN) : rows;
      c0 = byRows ? 0 : start(cols, part, parts, COLUMN_ALIGN);
      c1 = byRows ? cols : start(cols, part + 1, parts, COLUMN_ALIGN);
      return this;
    }
  }

  /** Splits [0, size) into {@code parts} blocks, each starting at a multiple of {@code align} but the last's end. */
  static int start(int size, int part, int parts, int align) {
    if (part >= parts) {
      return size;
    }
    // The even boundary rounded to the nearest multiple of align: rounding every block up would
    // leave the last one short and the other parts waiting on the longest (784 inputs: 416 / 368).
    long even = (long) size * part / parts;
    return (int) Math.min(size, (even + align / 2) / align * align);
  }
}
