package org.clprop.data;

import java.nio.file.Path;
import org.clprop.core.MemoryBudget;
import org.clprop.io.DataFormatException;

/**
 * Numbers read from a file, before they become a {@link Dataset}: features in double precision
 * (row-major), integer labels or none, and for each row the line it came from, for messages.
 *
 * @param file the file read, for messages
 * @param x the features, row-major, {@code rows() x features}
 * @param labels one label per row, or null when the file has none
 * @param features features per row
 * @param lines for each row, its 1-based line in the file (its 0-based index for a .npz)
 */
public record Table(Path file, double[] x, int[] labels, int features, int[] lines) {

  /** Refuses a table without rows or without features; keeps the arrays given, uncopied. */
  public Table {
    if (lines.length == 0) {
      throw new DataFormatException(file + ": no examples");
    }
    if (features <= 0) {
      throw new DataFormatException(file + ": no features");
    }
  }

  /** The number of rows (examples). */
  public int rows() {
    return lines.length;
  }

  /** Whether the file had labels. */
  public boolean hasLabels() {
    return labels != null;
  }

  /** The largest label plus one: the number of classes the labels imply. */
  public int impliedClasses() {
    int k = 0;
    for (int y : labels) {
      k = Math.max(k, y + 1);
    }
    return k;
  }

  /** Fails, naming file and line, when a label lies outside 0..classes-1. */
  public void checkLabels(int classes, String why) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= classes) {
        throw new DataFormatException(file + ":" + lines[i] + ": label " + labels[i] + " is outside 0.." + (classes - 1)
            + " (" + why + ")");
      }
    }
  }

  /** As float32 features with labels 0..classes-1. */
  public Dataset toDataset(int classes) {
    if (labels == null) {
      throw new IllegalStateException(file + " has no labels");
    }
    checkLabels(classes, classes + " classes");
    String what = file + ": " + rows() + " examples of " + features + " features as float32";
    float[] f = MemoryBudget.allocate(4L * x.length, what, "use a smaller data set", () -> new float[x.length]);
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) x[i];
      if (!Float.isFinite(f[i])) {
        throw new DataFormatException(file + ":" + lines[i / features] + ": value " + x[i] + " in column "
            + (i % features + 1) + " overflows float32");
      }
    }
    return Dataset.of(f, labels, features, classes);
  }
}
