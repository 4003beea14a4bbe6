package org.clprop.core;

import java.util.List;

/**
 * The cost J and the gradients D(l) = dJ/dTheta(l), one matrix per Theta, same shapes.
 *
 * @param cost J, regularisation included
 * @param gradients D(1) .. D(L-1), D(l) s_{l+1} x (s_l + 1) with the bias as column 0
 */
public record CostGradient(double cost, List<Matrix> gradients) {
  /** Copies {@code gradients} into an unmodifiable list. */
  public CostGradient {
    gradients = List.copyOf(gradients);
  }

  /** The gradients unrolled as MATLAB does: [D1(:); D2(:); ...], column-major. */
  public double[] unrolledColumnMajor() {
    int n = 0;
    for (Matrix d : gradients) {
      n += d.rows() * d.cols();
    }
    double[] out = new double[n];
    int off = 0;
    for (Matrix d : gradients) {
      double[] c = d.toColumnMajor();
      System.arraycopy(c, 0, out, off, c.length);
      off += c.length;
    }
    return out;
  }
}
