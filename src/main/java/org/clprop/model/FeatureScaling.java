package org.clprop.model;

import org.clprop.core.MemoryBudget;
import org.clprop.data.Dataset;
import org.clprop.model.ModelSpec.Scaling;

/**
 * Feature scaling learned with a model, in one place: the statistics, learned from the training part
 * only, and the scaled copies of data that every path into a backend goes through ({@code Trainer}'s
 * fit, evaluate, predict, cost and gradients; the CLI's grad). Scaling is x' = (x - offset) .* scale
 * per feature ({@link Scaling#apply}, float32, as the exported ONNX graph computes it):
 *
 * <pre>
 *   standard   offset = mean, scale = 1 / std (population std, as scikit-learn's StandardScaler)
 *   minmax     offset = min,  scale = 1 / (max - min)                  (the training part into [0, 1])
 * </pre>
 *
 * with scale 1 for a feature that is constant in the training part. The double reference (the CLI's
 * grad) gets the same formula in double precision. Statistics are computed in double
 * precision over the rows as {@link Dataset#row} gives them; copies are made through Dataset's public
 * API only ({@link Dataset#of(float[], int[], int, int)}).
 */
public final class FeatureScaling {
  private FeatureScaling() {}

  /** The offset and scale of {@code kind} for the features of {@code train}. */
  public static Scaling learn(Scaling.Kind kind, Dataset train) {
    int n = train.features();
    int m = train.size();
    if (m == 0) {
      throw new IllegalArgumentException("scaling: no training examples to learn its statistics from");
    }
    double[] offset = new double[n];
    double[] scale = new double[n];
    if (kind == Scaling.Kind.STANDARD) {
      double[] sum = new double[n];
      for (int i = 0; i < m; i++) {
        float[] r = train.row(i);
        for (int c = 0; c < n; c++) {
          sum[c] += r[c];
        }
      }
      for (int c = 0; c < n; c++) {
        offset[c] = sum[c] / m;
      }
      // Two passes: the squared deviations from the mean, not E[x^2] - mean^2, which cancels.
      double[] squares = new double[n];
      for (int i = 0; i < m; i++) {
        float[] r = train.row(i);
        for (int c = 0; c < n; c++) {
          double d = r[c] - offset[c];
          squares[c] += d * d;
        }
      }
      for (int c = 0; c < n; c++) {
        double std = Math.sqrt(squares[c] / m);
        scale[c] = std > 0 ? 1 / std : 1;
      }
    } else {
      double[] max = new double[n];
      float[] first = train.row(0);
      for (int c = 0; c < n; c++) {
        offset[c] = first[c];
        max[c] = first[c];
      }
      for (int i = 1; i < m; i++) {
        float[] r = train.row(i);
        for (int c = 0; c < n; c++) {
          offset[c] = Math.min(offset[c], r[c]);
          max[c] = Math.max(max[c], r[c]);
        }
      }
      for (int c = 0; c < n; c++) {
        scale[c] = max[c] > offset[c] ? 1 / (max[c] - offset[c]) : 1;
      }
    }
    return new Scaling(kind, offset, scale);
  }

  /**
   * {@code data} scaled: its rows through {@link Scaling#apply}, its labels and classes. A copy for
   * a set in the heap; for a mapped set a view that scales each row as it is read, so that a set
   * larger than the heap stays mapped.
   */
  public static Dataset apply(Scaling s, Dataset data) {
    int n = checkFeatures(s, data.features());
    if (!data.inHeap()) {
      return data.mapRows(row -> s.apply(row, 1), s.kind().jsonName() + " scaling");
    }
    int m = data.size();
    MemoryBudget.require(4L * m * n, "a scaled copy of " + m + " examples of " + n + " features",
        "use less data or no scaling");
    float[] x = new float[MemoryBudget.arrayLength((long) m * n, 4, "scaled features", "use less data")];
    for (int i = 0; i < m; i++) {
      System.arraycopy(data.row(i), 0, x, i * n, n);
    }
    s.apply(x, m);
    return Dataset.of(x, data.labels().clone(), n, data.classes());
  }

  /** {@code rows} examples, row-major in {@code x}, scaled in place. */
  public static void applyInPlace(Scaling s, float[] x, int rows) {
    checkFeatures(s, x.length / Math.max(1, rows));
    s.apply(x, rows);
  }

  /**
   * {@code rows} examples in double precision, row-major in {@code x}, scaled in place in double:
   * (x - offset) * scale, for the double reference ({@code clprop grad}).
   */
  public static void applyInPlace(Scaling s, double[] x, int rows) {
    int n = checkFeatures(s, x.length / Math.max(1, rows));
    double[] offset = s.offset();
    double[] scale = s.scale();
    for (int i = 0; i < rows; i++) {
      for (int c = 0; c < n; c++) {
        x[i * n + c] = (x[i * n + c] - offset[c]) * scale[c];
      }
    }
  }

  private static int checkFeatures(Scaling s, int features) {
    if (features != s.features()) {
      throw new IllegalArgumentException("scaling: learned for " + s.features() + " features, the data has "
          + features);
    }
    return features;
  }
}
