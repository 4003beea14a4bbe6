package org.clprop.reference;

import java.util.List;
import org.clprop.core.Matrix;
import org.clprop.core.Network;

/** The small fixed network of the course's checkNNGradients.m (docs/algorithm.md, "Published reference values"). */
public final class CourseFixtures {
  public static final int[] SIZES = {3, 5, 3};
  /** y = 1 + mod(t, 3) for t = 1..5 in 1-based classes, shifted to clprop's 0-based labels. */
  public static final int[] LABELS = {1, 2, 0, 1, 2};

  private CourseFixtures() {}

  /** debugInitializeWeights(fanOut, fanIn): fanOut x (1 + fanIn), W(i, j) = sin(i + (j-1) fanOut) / 10, 1-based. */
  public static Matrix debugInitializeWeights(int fanOut, int fanIn) {
    int cols = 1 + fanIn;
    double[] w = new double[fanOut * cols];
    for (int i = 1; i <= fanOut; i++) {
      for (int j = 1; j <= cols; j++) {
        w[(i - 1) * cols + (j - 1)] = Math.sin(i + (j - 1) * fanOut) / 10;
      }
    }
    return Matrix.of(fanOut, cols, w);
  }

  public static Network network() {
    return new Network(SIZES, List.of(debugInitializeWeights(5, 3), debugInitializeWeights(3, 5)));
  }

  /** X = debugInitializeWeights(5, 2): 5 examples of 3 features, row-major. */
  public static double[] x() {
    return debugInitializeWeights(5, 2).toRowMajor();
  }
}
