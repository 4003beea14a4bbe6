package org.clprop.backend;

/** The L2 term of J, shared by every backend: lambda/(2m) times the sum of squares off the bias columns. */
public final class Regularization {
  private Regularization() {}

  /** Sum of Theta(l)_jc^2 over c >= 1, for flat parameters laid out as {@link Backend} describes. */
  public static double sumOfSquares(int[] sizes, float[] flat) {
    double sum = 0;
    int off = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      int cols = sizes[l] + 1;
      for (int j = 0; j < sizes[l + 1]; j++) {
        int row = off + j * cols;
        for (int c = 1; c < cols; c++) {
          double t = flat[row + c];
          sum += t * t;
        }
      }
      off += sizes[l + 1] * cols;
    }
    return sum;
  }

  /** lambda/(2m) * sumOfSquares. */
  public static double term(int[] sizes, float[] flat, double lambda, long m) {
    return lambda == 0 ? 0 : lambda / (2.0 * m) * sumOfSquares(sizes, flat);
  }
}
