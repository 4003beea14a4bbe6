package org.clprop.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.clprop.core.CostGradient;
import org.clprop.core.Matrix;
import org.clprop.core.Network;
import org.clprop.core.Sigmoid;
import org.junit.jupiter.api.Test;

/** The double-precision reference against the course's published numbers (docs/algorithm.md). */
class ReferenceBackpropTest {

  @Test
  void sigmoidGradientAtTheFivePublishedPoints() {
    double[] z = {-1, -0.5, 0, 0.5, 1};
    double[] expected = {0.196612, 0.235004, 0.250000, 0.235004, 0.196612};
    for (int i = 0; i < z.length; i++) {
      assertEquals(expected[i], Sigmoid.gradient(z[i]), 5e-7, "g'(" + z[i] + ")");
    }
  }

  @Test
  void debugWeightsAreFilledColumnByColumn() {
    Matrix w = CourseFixtures.debugInitializeWeights(5, 3);
    // W(2, 1) in 1-based MATLAB terms is sin(2)/10; W(1, 2) is sin(1 + 5)/10.
    assertEquals(Math.sin(2) / 10, w.get(1, 0), 1e-15);
    assertEquals(Math.sin(6) / 10, w.get(0, 1), 1e-15);
  }

  @Test
  void publishedGradientEntriesWithoutRegularisation() {
    double[] g = grads(0);
    assertEquals(-0.0092782524, g[0], 1e-9);
    assertEquals(0.0088991196, g[1], 1e-9);
    assertEquals(-0.0083601076, g[2], 1e-9);
    assertEquals(0.3145449700, g[20], 1e-9);
  }

  @Test
  void publishedGradientEntriesWithLambdaThree() {
    double[] g = grads(3);
    assertEquals(-0.016767980, g[5], 1e-8);
    assertEquals(0.039433483, g[6], 1e-8);
    assertEquals(0.059335556, g[7], 1e-8);
  }

  @Test
  void analyticGradientsAgreeWithCentralDifferences() {
    for (double lambda : new double[] {0, 3}) {
      Network net = CourseFixtures.network();
      CostGradient cg = ReferenceBackprop.costAndGradients(net, CourseFixtures.x(), CourseFixtures.LABELS, lambda);
      List<Matrix> num = GradientCheck.numericalGradients(net, CourseFixtures.x(), CourseFixtures.LABELS, lambda, 1e-4);
      double diff = GradientCheck.relativeDifference(num, cg.gradients());
      assertTrue(diff < 1e-9, "relative difference " + diff + " at lambda " + lambda);
    }
  }

  @Test
  void deeperNetworkPassesTheGradientCheck() {
    int[] sizes = {4, 6, 5, 3};
    Network net = Network.initialise(sizes, 7);
    double[] x = new double[11 * 4];
    int[] y = new int[11];
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextDouble();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextInt(3);
    }
    CostGradient cg = ReferenceBackprop.costAndGradients(net, x, y, 0.7);
    double diff = GradientCheck.relativeDifference(
        GradientCheck.numericalGradients(net, x, y, 0.7, 1e-4), cg.gradients());
    assertTrue(diff < 1e-9, "relative difference " + diff);
  }

  @Test
  void regularisationAddsLambdaOverTwoMTimesSquaresOffTheBias() {
    Network net = CourseFixtures.network();
    double j0 = ReferenceBackprop.cost(net, CourseFixtures.x(), CourseFixtures.LABELS, 0);
    double j3 = ReferenceBackprop.cost(net, CourseFixtures.x(), CourseFixtures.LABELS, 3);
    double squares = 0;
    for (Matrix t : net.thetas()) {
      for (int r = 0; r < t.rows(); r++) {
        for (int c = 1; c < t.cols(); c++) {
          squares += t.get(r, c) * t.get(r, c);
        }
      }
    }
    assertEquals(3.0 / (2 * 5) * squares, j3 - j0, 1e-12);
  }

  @Test
  void rejectsLabelsOutsideTheOutputLayer() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReferenceBackprop.cost(CourseFixtures.network(), CourseFixtures.x(), new int[] {0, 1, 2, 3, 0}, 0));
    assertTrue(e.getMessage().contains("labels[3] = 3"), e.getMessage());
  }

  private static double[] grads(double lambda) {
    return ReferenceBackprop.costAndGradients(CourseFixtures.network(), CourseFixtures.x(), CourseFixtures.LABELS,
        lambda).unrolledColumnMajor();
  }
}
