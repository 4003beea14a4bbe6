package org.clprop.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.clprop.config.Settings;
import org.clprop.core.MemoryBudget;

/**
 * Builds {@link HeapRows} block by block, every block through the {@link MemoryBudget}. Where the
 * number of rows is known (a .npy header), each block is allocated at its final size; where it is
 * not (CSV), the first block starts small and doubles up to the block size, and later blocks are
 * allocated whole, so a false or unbounded input costs what it holds, not what it claims, and no
 * value is copied more than twice.
 *
 * <p>Writers either append rows, or fill {@link #floatTarget()} / {@link #byteTarget()} from
 * {@link #targetOffset()} with up to {@link #room()} rows and {@link #commit} them.
 */
final class RowBlocks {
  /** Default bytes per block: large enough that the count of blocks stays small, small enough for any heap. */
  static final int DEFAULT_BLOCK_BYTES = 16 << 20;
  /** Bytes of the first block when the number of rows is unknown. */
  private static final int FIRST_BLOCK_BYTES = 64 << 10;

  private final int features;
  private final boolean pixels;
  private final long expected;
  private final Supplier<String> what;
  private final String remedy;
  private final int blockRows;
  private final List<float[]> floats = new ArrayList<>();
  private final List<byte[]> bytes = new ArrayList<>();
  /** Rows in the blocks before the current one, and in the current one. */
  private long done;
  private int used;
  private int capacity;

  /**
   * @param features values per row
   * @param pixels whether rows are pixel bytes (else floats)
   * @param expected the number of rows to come, or -1 when unknown
   * @param what the data, for a refusal's message (evaluated only then)
   * @param remedy what the user can change, for a refusal's message
   */
  RowBlocks(int features, boolean pixels, long expected, Supplier<String> what, String remedy) {
    this.features = features;
    this.pixels = pixels;
    this.expected = expected;
    this.what = what;
    this.remedy = remedy;
    this.blockRows = blockRows(features, pixels ? 1 : 4);
    if (expected >= 0) {
      MemoryBudget.require(MemoryBudget.product(expected, (long) features * (pixels ? 1 : 4)), what.get(), remedy);
    }
  }

  /**
   * Rows per block for rows of {@code features} values of {@code elementBytes}: the block size
   * ({@link Settings#DATA_BLOCK_BYTES}, else 16 MiB, at most a sixteenth of the heap) over the row's
   * bytes, at least one row.
   */
  static int blockRows(int features, int elementBytes) {
    long bytes = Math.min(Settings.intValue(Settings.DATA_BLOCK_BYTES, DEFAULT_BLOCK_BYTES),
        Math.max(1 << 16, Runtime.getRuntime().maxMemory() / 16));
    if (bytes <= 0) {
      throw new IllegalArgumentException(Settings.DATA_BLOCK_BYTES + ": " + bytes + ", must be positive");
    }
    long rowBytes = (long) features * elementBytes;
    return (int) Math.max(1, Math.min(bytes / rowBytes, MemoryBudget.MAX_ARRAY_LENGTH / features));
  }

  /** Rows appended so far. */
  long rows() {
    return done + used;
  }

  /** Rows the current block takes before it must grow or a new one start; at least 1 (a block is made as needed). */
  int room() {
    if (used == capacity) {
      next();
    }
    return capacity - used;
  }

  /** The current block's floats; rows go from {@link #targetOffset()}. */
  float[] floatTarget() {
    return floats.get(floats.size() - 1);
  }

  /** The current block's bytes; rows go from {@link #targetOffset()}. */
  byte[] byteTarget() {
    return bytes.get(bytes.size() - 1);
  }

  /** Where the next row's first value goes in the current block. */
  int targetOffset() {
    return used * features;
  }

  /** Takes {@code n} rows written at the target (at most {@link #room()}). */
  void commit(int n) {
    used += n;
  }

  /** Appends {@code n} float rows from src[off ..]. */
  void append(float[] src, int off, int n) {
    while (n > 0) {
      int take = Math.min(n, room());
      System.arraycopy(src, off, floatTarget(), targetOffset(), take * features);
      commit(take);
      off += take * features;
      n -= take;
    }
  }

  /** Appends {@code n} pixel rows from src[off ..]. */
  void append(byte[] src, int off, int n) {
    while (n > 0) {
      int take = Math.min(n, room());
      System.arraycopy(src, off, byteTarget(), targetOffset(), take * features);
      commit(take);
      off += take * features;
      n -= take;
    }
  }

  /** Appends {@code n} rows that lie one after another from the cursor's position (its kind must be this one's). */
  void append(RowCursor c, int n) {
    if (pixels) {
      append(c.bytes(), c.offset(), n);
    } else {
      append(c.floats(), c.offset(), n);
    }
  }

  /**
   * Allocates every block of the expected rows now and counts them as written (zeros until
   * filled): for a reader that scatters values in another order through the finished store.
   */
  void preallocate() {
    if (expected < 0) {
      throw new IllegalStateException("preallocate needs the number of rows");
    }
    while (rows() < expected) {
      commit(room());
    }
  }

  /** The rows appended; the builder is spent. */
  HeapRows finish() {
    int rows = (int) rows();
    if (floats.isEmpty() && bytes.isEmpty()) {
      return pixels ? HeapRows.ofBytes(0, features, blockRows, new byte[][] {new byte[0]})
          : HeapRows.ofFloats(0, features, blockRows, new float[][] {new float[0]});
    }
    return pixels ? HeapRows.ofBytes(rows, features, blockRows, bytes.toArray(new byte[0][]))
        : HeapRows.ofFloats(rows, features, blockRows, floats.toArray(new float[0][]));
  }

  /** Grows the current block (unknown size, still below a block) or starts the next one. */
  private void next() {
    long rowBytes = (long) features * (pixels ? 1 : 4);
    boolean first = floats.isEmpty() && bytes.isEmpty();
    int want;
    if (expected >= 0) {
      long left = expected - rows();
      if (left <= 0) {
        throw new IllegalStateException("more rows than the " + expected + " expected");
      }
      want = (int) Math.min(blockRows, left);
    } else if (first) {
      want = (int) Math.max(1, Math.min(blockRows, FIRST_BLOCK_BYTES / rowBytes));
    } else if (capacity < blockRows) {
      grow((int) Math.min(blockRows, 2L * capacity));
      return;
    } else {
      want = blockRows;
    }
    done += used;
    used = 0;
    capacity = want;
    long n = (long) want * features;
    String w = what.get();
    if (pixels) {
      bytes.add(MemoryBudget.allocate(n, w, remedy, () -> new byte[(int) n]));
    } else {
      floats.add(MemoryBudget.allocate(4 * n, w, remedy, () -> new float[(int) n]));
    }
  }

  /** The current (first) block, grown to {@code rows} rows. */
  private void grow(int rows) {
    long n = (long) rows * features;
    String w = what.get();
    if (pixels) {
      byte[] old = byteTarget();
      bytes.set(bytes.size() - 1, MemoryBudget.allocate(n, w, remedy, () -> Arrays.copyOf(old, (int) n)));
    } else {
      float[] old = floatTarget();
      floats.set(floats.size() - 1, MemoryBudget.allocate(4 * n, w, remedy, () -> Arrays.copyOf(old, (int) n)));
    }
    capacity = rows;
  }
}
