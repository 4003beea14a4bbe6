package org.clprop.data;

import java.util.Arrays;
import org.clprop.core.Pixels;

/**
 * Examples as rows of float32 features (row-major, {@code size() x features()}) with integer class
 * labels 0..K-1. Immutable once built; the arrays are owned by the dataset.
 *
 * <p>Image data may instead be held as its pixel bytes, feature = {@link #pixel}(byte), a quarter
 * of the memory: Fashion-MNIST's training images are 47 MB of bytes against 188 MB of floats, whose
 * allocation and conversion took a tenth of a second of every run. The CPU backend reads the bytes
 * ({@link #pixels}); {@link #x} makes the floats on first use for everything else.
 */
public final class Dataset {
  private volatile float[] x;
  private final byte[] pixels;
  private final int[] labels;
  private final int features;
  private final int classes;

  private Dataset(float[] x, byte[] pixels, int[] labels, int features, int classes) {
    this.x = x;
    this.pixels = pixels;
    this.labels = labels;
    this.features = features;
    this.classes = classes;
  }

  private Dataset(float[] x, int[] labels, int features, int classes) {
    this(x, null, labels, features, classes);
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
    return new Dataset(x, labels, features, classes);
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
    return new Dataset(null, pixels, labels, features, classes);
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
    return features;
  }

  /** K, the number of classes; every label lies in 0..K-1. */
  public int classes() {
    return classes;
  }

  /**
   * The features, row-major. Shared, not copied: do not modify. For pixel data they are made on
   * the first call (and kept).
   */
  public float[] x() {
    float[] v = x;
    if (v == null) {
      synchronized (this) {
        if (x == null) {
          float[] f = new float[pixels.length];
          for (int i = 0; i < f.length; i += features) {
            widen(pixels, f, i, Math.min(f.length, i + features));
          }
          x = f;
        }
        v = x;
      }
    }
    return v;
  }

  /**
   * f[i] = pixel(px[i]) for i in [from, to): one row per call, so that C2 compiles it as a method
   * called often; tools/clprop stops C2 from replacing long-running loops on the stack.
   */
  private static void widen(byte[] px, float[] f, int from, int to) {
    for (int i = from; i < to; i++) {
      f[i] = pixel(px[i]);
    }
  }

  /**
   * The pixel bytes behind the features ({@link #pixel}), row-major, or null when the dataset holds
   * floats. Shared, not copied: do not modify.
   */
  public byte[] pixels() {
    return pixels;
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
    int at = i * features + c;
    return pixels != null ? pixel(pixels[at]) : x[at];
  }

  /** A copy of example {@code i}'s features. */
  public float[] row(int i) {
    checkIndex(i, 0);
    float[] r = new float[features];
    int at = i * features;
    if (pixels != null) {
      for (int c = 0; c < features; c++) {
        r[c] = pixel(pixels[at + c]);
      }
    } else {
      System.arraycopy(x, at, r, 0, features);
    }
    return r;
  }

  private void checkIndex(int i, int c) {
    if (i < 0 || i >= size() || c < 0 || c >= features) {
      throw new IndexOutOfBoundsException("example " + i + ", feature " + c + ": the dataset has " + size()
          + " examples of " + features + " features");
    }
  }

  /** The rows at {@code indices}, in that order (pixels stay pixels). */
  public Dataset subset(int[] indices) {
    int[] sy = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      sy[i] = labels[indices[i]];
    }
    if (pixels != null) {
      byte[] sp = new byte[indices.length * features];
      for (int i = 0; i < indices.length; i++) {
        System.arraycopy(pixels, indices[i] * features, sp, i * features, features);
      }
      return new Dataset(null, sp, sy, features, classes);
    }
    float[] sx = new float[indices.length * features];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(x, indices[i] * features, sx, i * features, features);
    }
    return new Dataset(sx, sy, features, classes);
  }

  /** Rows {@code from} (inclusive) to {@code to} (exclusive). */
  public Dataset slice(int from, int to) {
    if (from < 0 || to > size() || from > to) {
      throw new IllegalArgumentException("slice [" + from + ", " + to + ") outside 0.." + size());
    }
    int[] sy = Arrays.copyOfRange(labels, from, to);
    return pixels != null ? new Dataset(null, Arrays.copyOfRange(pixels, from * features, to * features), sy,
        features, classes) : new Dataset(Arrays.copyOfRange(x, from * features, to * features), sy, features, classes);
  }

  @Override
  public String toString() {
    return "Dataset[" + size() + " examples x " + features + " features, " + classes + " classes]";
  }
}
