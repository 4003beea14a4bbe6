package org.clprop.data;

import java.util.Arrays;
import java.util.function.Consumer;
import org.clprop.core.MemoryBudget;
import org.clprop.core.Pixels;

/**
 * Examples as rows of float32 features (row-major, {@code size() x features()}) with integer class
 * labels 0..K-1. Immutable once built.
 *
 * <p>Image data may instead be held as its pixel bytes, feature = {@link #pixel}(byte), a quarter
 * of the memory: Fashion-MNIST's training images are 47 MB of bytes against 188 MB of floats, whose
 * allocation and conversion took a tenth of a second of every run.
 *
 * <p>The features are stored in blocks of whole rows, so that a set may hold more than the 2^31
 * values of one Java array, and a set read from a .npy file may stay in that file, memory-mapped,
 * so that it may be larger than the heap. Backends read rows through a {@link #cursor()}, which
 * finds a row where it lies. {@link #x()} and {@link #pixels()} give the features as one array:
 * the array itself for a set built from one ({@link #of}, {@link #ofPixels}), else a copy made on the
 * first call, which fails with a message where one array cannot hold the set or the heap cannot.
 */
public final class Dataset {
  private final RowStore store;
  private final int[] labels;
  private final int classes;
  /** The features as one array, made on the first call of x() or pixels() where the store is not one. */
  private volatile float[] x;
  private volatile byte[] px;

  Dataset(RowStore store, int[] labels, int classes) {
    if (store.rows() != labels.length) {
      throw new IllegalArgumentException(store.rows() + " rows of features but " + labels.length + " labels");
    }
    this.store = store;
    this.labels = labels;
    this.classes = classes;
  }

  /** The feature a pixel byte stands for: its unsigned value / 255, in [0, 1]. */
  public static float pixel(byte b) {
    return Pixels.feature(b);
  }

  /**
   * Takes ownership of {@code x} (row-major, {@code labels.length x features}). {@code classes} is
   * the number of classes K; every label must lie in 0..K-1 and every feature must be finite.
   */
  public static Dataset of(float[] x, int[] labels, int features, int classes) {
    if (features <= 0) {
      throw new IllegalArgumentException("features: " + features + ", must be positive");
    }
    if (classes <= 0) {
      throw new IllegalArgumentException("classes: " + classes + ", must be positive");
    }
    if ((long) labels.length * features != x.length) {
      throw new IllegalArgumentException("x: " + x.length + " values is not " + labels.length + " examples x "
          + features + " features");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "labels[" + i + "] = " + labels[i] + ": outside 0.." + (classes - 1));
      }
    }
    for (int i = 0; i < x.length; i++) {
      if (!Float.isFinite(x[i])) {
        throw new IllegalArgumentException("x[" + (i / features) + "][" + (i % features) + "] = " + x[i]
            + ": features must be finite");
      }
    }
    return new Dataset(HeapRows.ofFloats(labels.length, features, labels.length, new float[][] {x}), labels,
        classes);
  }

  /**
   * Takes ownership of {@code pixels} (row-major, {@code labels.length x features}): example i's
   * feature c is {@link #pixel}{@code (pixels[i * features + c])}.
   */
  public static Dataset ofPixels(byte[] pixels, int[] labels, int features, int classes) {
    if ((long) labels.length * features != pixels.length) {
      throw new IllegalArgumentException("pixels: " + pixels.length + " values is not " + labels.length
          + " examples x " + features + " features");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + ": outside 0.." + (classes - 1));
      }
    }
    return new Dataset(HeapRows.ofBytes(labels.length, features, labels.length, new byte[][] {pixels}), labels,
        classes);
  }

  /** Copies rows of features ({@code x[i]} is example i) with their labels; K = {@code classes}. */
  public static Dataset of(float[][] rows, int[] labels, int classes) {
    if (rows.length != labels.length) {
      throw new IllegalArgumentException(
          "x has " + rows.length + " rows but labels has " + labels.length + " entries");
    }
    if (rows.length == 0) {
      throw new IllegalArgumentException("x: empty data, need at least one example");
    }
    int n = rows[0].length;
    float[] flat = new float[rows.length * n];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != n) {
        throw new IllegalArgumentException("x[" + i + "] has " + rows[i].length + " features, x[0] has " + n);
      }
      System.arraycopy(rows[i], 0, flat, i * n, n);
    }
    return of(flat, labels.clone(), n, classes);
  }

  /** m, the number of examples. */
  public int size() {
    return labels.length;
  }

  /** The number of features per example, s_1 of a network that takes the data. */
  public int features() {
    return store.features();
  }

  /** K, the number of classes; every label lies in 0..K-1. */
  public int classes() {
    return classes;
  }

  /** Whether the features are held as pixel bytes ({@link #pixel}) rather than floats. */
  public boolean isPixels() {
    return store.pixels();
  }

  /** Whether the features are in the Java heap; false when they stay in a memory-mapped file. */
  public boolean inHeap() {
    return store.inHeap();
  }

  /** Where the features are, for messages and logs: "in memory", "mapped from x.npy". */
  public String origin() {
    return store.origin();
  }

  /**
   * A reader of the rows for one thread: finds a row where it lies (in the heap) or copies it from
   * the mapped file. Backends gather batches through it.
   */
  public RowCursor cursor() {
    return store.cursor();
  }

  /**
   * Rows per block of block shuffling: the storage block size ({@code clprop.data.blockBytes}) over
   * the bytes of one row, whatever blocks this set happens to be stored in.
   */
  public int shuffleBlockRows() {
    return RowBlocks.blockRows(features(), isPixels() ? 1 : 4);
  }

  /**
   * The features as one float array, row-major. Shared, not copied, for a set built from one float
   * array; otherwise (pixel data, a set in blocks or in a mapped file) made on the first call and
   * kept. Do not modify.
   *
   * @throws IllegalStateException when one Java array cannot hold the set (more than 2^31 - 9 values)
   * @throws org.clprop.core.MemoryBudgetException when the heap cannot take the copy
   */
  public float[] x() {
    float[] v = x;
    if (v == null) {
      synchronized (this) {
        if (x == null) {
          x = store instanceof HeapRows h && !h.pixels() && h.blocks() == 1 && h.floatBlock(0).length == store.values()
              ? h.floatBlock(0) : flatFloats();
        }
        v = x;
      }
    }
    return v;
  }

  /**
   * The pixel bytes behind the features ({@link #pixel}), row-major, or null when the dataset holds
   * floats. Shared, not copied, for a set built from one array ({@link #ofPixels}, the IDX readers);
   * otherwise made on the first call, as {@link #x()}. Do not modify.
   */
  public byte[] pixels() {
    if (!store.pixels()) {
      return null;
    }
    byte[] v = px;
    if (v == null) {
      synchronized (this) {
        if (px == null) {
          px = store instanceof HeapRows h && h.blocks() == 1 && h.byteBlock(0).length == store.values()
              ? h.byteBlock(0) : flatBytes();
        }
        v = px;
      }
    }
    return v;
  }

  private float[] flatFloats() {
    int n = flatLength(4);
    float[] f = MemoryBudget.allocate(4L * n, this + " as one float array", "read it by rows (row, cursor)",
        () -> new float[n]);
    RowCursor c = cursor();
    int w = features();
    for (int i = 0; i < size(); i++) {
      c.copy(i, f, i * w);
    }
    return f;
  }

  private byte[] flatBytes() {
    int n = flatLength(1);
    byte[] b = MemoryBudget.allocate(n, this + " as one byte array", "read it by rows (row, cursor)",
        () -> new byte[n]);
    RowCursor c = cursor();
    int w = features();
    for (int i = 0; i < size(); i++) {
      c.seek(i);
      System.arraycopy(c.bytes(), c.offset(), b, i * w, w);
    }
    return b;
  }

  private int flatLength(int elementBytes) {
    if (store.values() > MemoryBudget.MAX_ARRAY_LENGTH) {
      throw new IllegalStateException(this + " (" + origin() + ") holds " + store.values() + " values, more than one "
          + "Java array can (" + MemoryBudget.MAX_ARRAY_LENGTH + "): read it by rows (row(i), cursor()), not as "
          + (elementBytes == 4 ? "x()" : "pixels()"));
    }
    return (int) store.values();
  }

  /** The labels. Shared, not copied: do not modify. */
  public int[] labels() {
    return labels;
  }

  /** The label of example {@code i}. */
  public int label(int i) {
    return labels[i];
  }

  /** Feature {@code c} of example {@code i}. */
  public float feature(int i, int c) {
    checkIndex(i, c);
    return store.value(i, c);
  }

  /** A copy of example {@code i}'s features. */
  public float[] row(int i) {
    checkIndex(i, 0);
    float[] r = new float[features()];
    store.cursor().copy(i, r, 0);
    return r;
  }

  private void checkIndex(int i, int c) {
    if (i < 0 || i >= size() || c < 0 || c >= features()) {
      throw new IndexOutOfBoundsException("example " + i + ", feature " + c + ": the dataset has " + size()
          + " examples of " + features() + " features");
    }
  }

  /** The rows at {@code indices}, in that order (pixels stay pixels), copied into the heap. */
  public Dataset subset(int[] indices) {
    int[] sy = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      sy[i] = labels[indices[i]];
    }
    RowBlocks out = new RowBlocks(features(), isPixels(), indices.length, () -> "a subset of " + indices.length
        + " examples of " + features() + " features", "use a smaller data set");
    RowCursor c = cursor();
    for (int i : indices) {
      c.seek(i);
      out.append(c, 1);
    }
    return new Dataset(out.finish(), sy, classes);
  }

  /**
   * A view of this set whose rows pass through {@code rowInPlace} (given a copy of one row's
   * features, changing it in place) each time they are read; the labels are this set's. Nothing is
   * copied, so a mapped set stays mapped. {@code what} names the function in {@link #origin()}.
   */
  public Dataset mapRows(Consumer<float[]> rowInPlace, String what) {
    return new Dataset(new TransformedRows(store, rowInPlace, what), labels, classes);
  }

  /** Rows {@code from} (inclusive) to {@code to} (exclusive): a copy, or for a mapped set a view of the file. */
  public Dataset slice(int from, int to) {
    if (from < 0 || to > size() || from > to) {
      throw new IllegalArgumentException("slice [" + from + ", " + to + ") outside 0.." + size());
    }
    return new Dataset(store.slice(from, to), Arrays.copyOfRange(labels, from, to), classes);
  }

  @Override
  public String toString() {
    return "Dataset[" + size() + " examples x " + features() + " features, " + classes + " classes]";
  }
}
