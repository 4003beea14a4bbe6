package org.clprop.data;

/**
 * Rows in the Java heap: block b holds rows [b B, (b+1) B) row-major, B = {@link #blockRows()},
 * as floats or as pixel bytes. A cursor finds a row in its block without copying it.
 */
final class HeapRows extends RowStore {
  private final float[][] floatBlocks;
  private final byte[][] byteBlocks;
  private final int blockRows;

  private HeapRows(int rows, int features, int blockRows, float[][] floatBlocks, byte[][] byteBlocks) {
    super(rows, features);
    this.blockRows = Math.max(1, blockRows);
    this.floatBlocks = floatBlocks;
    this.byteBlocks = byteBlocks;
  }

  /** Float rows in blocks of {@code blockRows} (the arrays owned from now on; the last may be longer than its rows). */
  static HeapRows ofFloats(int rows, int features, int blockRows, float[][] blocks) {
    return new HeapRows(rows, features, blockRows, blocks, null);
  }

  /** Pixel rows in blocks of {@code blockRows}. */
  static HeapRows ofBytes(int rows, int features, int blockRows, byte[][] blocks) {
    return new HeapRows(rows, features, blockRows, null, blocks);
  }

  @Override
  boolean pixels() {
    return byteBlocks != null;
  }

  @Override
  int blockRows() {
    return blockRows;
  }

  @Override
  boolean inHeap() {
    return true;
  }

  /** The number of blocks. */
  int blocks() {
    return pixels() ? byteBlocks.length : floatBlocks.length;
  }

  /** Block b's floats (float rows), as held: rows [b B, ...) from index 0. */
  float[] floatBlock(int b) {
    return floatBlocks[b];
  }

  /** Block b's bytes (pixel rows). */
  byte[] byteBlock(int b) {
    return byteBlocks[b];
  }

  @Override
  void locate(int i, RowCursor c) {
    int b = i / blockRows;
    c.offset = (i - b * blockRows) * features();
    if (byteBlocks != null) {
      c.bytes = byteBlocks[b];
    } else {
      c.floats = floatBlocks[b];
    }
  }

  @Override
  float value(int i, int c) {
    int b = i / blockRows;
    int at = (i - b * blockRows) * features() + c;
    return byteBlocks != null ? Dataset.pixel(byteBlocks[b][at]) : floatBlocks[b][at];
  }

  @Override
  RowStore slice(int from, int to) {
    RowBlocks out = new RowBlocks(features(), pixels(), to - from, () -> "a slice of " + (to - from) + " examples",
        "use a smaller data set");
    RowCursor c = cursor();
    for (int i = from; i < to; i++) {
      c.seek(i);
      out.append(c, 1);
    }
    return out.finish();
  }

  @Override
  String origin() {
    return "in memory";
  }
}
