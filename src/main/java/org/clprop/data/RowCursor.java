package org.clprop.data;

/**
 * Reads the rows of one {@link Dataset}, one thread at a time: after {@link #seek}(i), example i's
 * features are {@code features()} values from {@link #offset()} of {@link #floats()} or, for pixel
 * data ({@link #pixels()}), of {@link #bytes()} (feature = {@link Dataset#pixel} of the byte). Rows
 * held in the Java heap are located where they lie, without a copy; rows of a memory-mapped file
 * are copied into the cursor's own row first. The arrays are shared: do not modify them.
 *
 * <p>For backends that gather batches: each gathering thread takes its own cursor from
 * {@link Dataset#cursor()}.
 */
public final class RowCursor {
  private final RowStore store;
  private final boolean pixels;
  private final int features;
  float[] floats;
  byte[] bytes;
  int offset;
  /** The cursor's own row, for stores that copy (mapped files); allocated on first use. */
  private float[] ownFloats;
  private byte[] ownBytes;
  /** The base store's cursor, for a store that reads another one's rows (TransformedRows). */
  RowCursor inner;

  RowCursor(RowStore store) {
    this.store = store;
    this.pixels = store.pixels();
    this.features = store.features();
  }

  /** Locates example {@code i} ({@code 0 <= i < size}). */
  public void seek(int i) {
    store.locate(i, this);
  }

  /** Whether the rows are pixel bytes ({@link #bytes()}) rather than floats ({@link #floats()}). */
  public boolean pixels() {
    return pixels;
  }

  /** The array that holds the sought row's floats (float data). */
  public float[] floats() {
    return floats;
  }

  /** The array that holds the sought row's pixel bytes (pixel data). */
  public byte[] bytes() {
    return bytes;
  }

  /** Where the sought row starts in {@link #floats()} or {@link #bytes()}. */
  public int offset() {
    return offset;
  }

  /** Example {@code i}'s features as floats into dst[off .. off + features): pixels widened, floats copied. */
  public void copy(int i, float[] dst, int off) {
    seek(i);
    if (pixels) {
      for (int c = 0; c < features; c++) {
        dst[off + c] = Dataset.pixel(bytes[offset + c]);
      }
    } else {
      System.arraycopy(floats, offset, dst, off, features);
    }
  }

  /** The cursor's own row of floats, for a store that copies into it. */
  float[] ownFloats() {
    if (ownFloats == null) {
      ownFloats = new float[features];
    }
    return ownFloats;
  }

  /** The cursor's own row of bytes, for a store that copies into it. */
  byte[] ownBytes() {
    if (ownBytes == null) {
      ownBytes = new byte[features];
    }
    return ownBytes;
  }
}
