package org.clprop.spark;

import org.clprop.core.Network;

/** Facts about the flat parameter layout (Theta(1) row-major, then Theta(2), ...; bias as column 0). */
final class ThetaLayout {
  private ThetaLayout() {}

  /** For each parameter, whether it lies in a bias column (c = 0), which L2 leaves alone. */
  static boolean[] biasColumns(int[] sizes) {
    boolean[] bias = new boolean[Network.parameterCount(sizes)];
    int off = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      int cols = sizes[l] + 1;
      for (int j = 0; j < sizes[l + 1]; j++) {
        bias[off + j * cols] = true;
      }
      off += sizes[l + 1] * cols;
    }
    return bias;
  }

  /** D = Delta / m + (lambda / m) Theta off the bias column (docs/algorithm.md, step 3), into {@code out}. */
  static void gradient(double[] delta, float[] theta, boolean[] bias, double lambda, long m, double[] out) {
    double reg = lambda / m;
    for (int p = 0; p < out.length; p++) {
      out[p] = delta[p] / m + (bias[p] ? 0 : reg * theta[p]);
    }
  }
}
