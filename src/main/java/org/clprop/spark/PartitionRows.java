package org.clprop.spark;

import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.clprop.data.Dataset;

/**
 * One partition's rows of (features, label) as a clprop {@link Dataset}: features to float32,
 * labels to 0..K-1, every value checked on the way. The vectors' arrays are read directly: Spark's
 * own per-element NaN checks cost a first job 12 - 23 s on Fashion-MNIST.
 */
final class PartitionRows {
  private final int features;
  private final int classes;
  private final String featuresCol;
  private final String labelCol;
  private float[] x = new float[1 << 16];
  private int[] y = new int[1 << 10];
  private int rows;

  private PartitionRows(int features, int classes, String featuresCol, String labelCol) {
    this.features = features;
    this.classes = classes;
    this.featuresCol = featuresCol;
    this.labelCol = labelCol;
  }

  /**
   * Reads rows of (features Vector, label double) of partition {@code partition}; the result may be
   * empty. Bad values throw an IllegalArgumentException naming the column, the row and the rule.
   */
  static Dataset read(Iterator<Row> it, BackendSpec spec, String featuresCol, String labelCol, int partition) {
    PartitionRows r = new PartitionRows(spec.features(), spec.classes(), featuresCol, labelCol);
    while (it.hasNext()) {
      r.add(it.next(), partition);
    }
    return Dataset.of(Arrays.copyOf(r.x, r.rows * r.features), Arrays.copyOf(r.y, r.rows), r.features, r.classes);
  }

  private void add(Row row, int partition) {
    String where = "row " + rows + " of partition " + partition;
    if (row.isNullAt(0)) {
      throw new IllegalArgumentException(featuresCol + ": null at " + where);
    }
    if (row.isNullAt(1)) {
      throw new IllegalArgumentException(labelCol + ": null at " + where);
    }
    Vector v = (Vector) row.get(0);
    if (v.size() != features) {
      throw new IllegalArgumentException(featuresCol + ": " + v.size() + " values at " + where + ", but layers[0] is "
          + features);
    }
    double label = row.getDouble(1);
    if (!(label >= 0 && label < classes && label == Math.rint(label))) {
      throw new IllegalArgumentException(labelCol + ": " + label + " at " + where + "; labels must be the integers 0.."
          + (classes - 1) + " (the output layer has " + classes + " units)");
    }
    if ((long) (rows + 1) * features > x.length) {
      x = Arrays.copyOf(x, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * x.length, (long) (rows + 1) * features)));
    }
    if (rows == y.length) {
      y = Arrays.copyOf(y, 2 * y.length);
    }
    int base = rows * features;
    if (v instanceof DenseVector d) {
      double[] values = d.values();
      for (int c = 0; c < features; c++) {
        x[base + c] = finite((float) values[c], c, where);
      }
    } else {
      SparseVector s = (SparseVector) v;
      Arrays.fill(x, base, base + features, 0f);
      int[] idx = s.indices();
      double[] values = s.values();
      for (int i = 0; i < idx.length; i++) {
        x[base + idx[i]] = finite((float) values[i], idx[i], where);
      }
    }
    y[rows++] = (int) label;
  }

  private float finite(float v, int c, String where) {
    if (!Float.isFinite(v)) {
      throw new IllegalArgumentException(featuresCol + ": value " + v + " at index " + c + " of " + where
          + "; features must be finite (in float32)");
    }
    return v;
  }
}
