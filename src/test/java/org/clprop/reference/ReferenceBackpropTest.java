package org.clprop.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.clprop.core.CostGradient;
import org.clprop.core.Matrix;
import org.clprop.core.Network;
import org.clprop.core.Sigmoid;
import org.clprop.model.ModelSpec.Activation;
import org.clprop.model.ModelSpec.Output;
import org.junit.jupiter.api.Test;

/** The double-precision reference against the course's published numbers (docs/algorithm.md). */
class ReferenceBackpropTest {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReferenceBackpropTest.class);

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

  /**
   * Every hidden activation with every output function: the analytic D agrees with central
   * differences of J to 1e-7 (the bound; they agree to about 1e-10), on networks of one to
   * three hidden layers, with and without regularisation. The weights are the course's init, whose
   * biases are random: He's zero biases put a ReLU unit fed only by dead units exactly at its kink,
   * z = 0, where J has no derivative for central differences to approximate.
   */
  @Test
  void everyActivationAndOutputPassesTheGradientCheck() {
    java.util.Random r = new java.util.Random(11);
    int[][] shapes = {{4, 6, 3}, {5, 7, 6, 4}, {3, 5, 4, 6, 2}};
    for (Activation g : Activation.values()) {
      for (Output out : Output.values()) {
        for (int i = 0; i < shapes.length; i++) {
          int[] sizes = shapes[i];
          double lambda = i == 1 ? 0 : 0.7;
          Network net = Network.initialise(sizes, 31 + i);
          int m = 9 + i;
          double[] x = new double[m * sizes[0]];
          int[] y = new int[m];
          for (int j = 0; j < x.length; j++) {
            x[j] = 2 * r.nextDouble() - 1;
          }
          for (int j = 0; j < m; j++) {
            y[j] = r.nextInt(sizes[sizes.length - 1]);
          }
          CostGradient cg = ReferenceBackprop.costAndGradients(net, g, out, x, y, lambda);
          double diff = GradientCheck.relativeDifference(
              GradientCheck.numericalGradients(net, g, out, x, y, lambda, 1e-5), cg.gradients());
          String what = g + " hidden, " + out + " outputs, " + java.util.Arrays.toString(sizes);
          LOG.info("gradient check {}: relative difference {}", what, diff);
          assertTrue(diff < 1e-7, what + ": relative difference " + diff);
        }
      }
    }
  }

  /** The course's network through the general entry point is the course's network, bit for bit. */
  @Test
  void sigmoidSigmoidIsTheCoursesNetwork() {
    for (double lambda : new double[] {0, 3}) {
      CostGradient a = ReferenceBackprop.costAndGradients(CourseFixtures.network(), CourseFixtures.x(),
          CourseFixtures.LABELS, lambda);
      CostGradient b = ReferenceBackprop.costAndGradients(CourseFixtures.network(), Activation.SIGMOID,
          Output.SIGMOID, CourseFixtures.x(), CourseFixtures.LABELS, lambda);
      assertEquals(a.cost(), b.cost(), 0.0);
      org.junit.jupiter.api.Assertions.assertArrayEquals(a.unrolledColumnMajor(), b.unrolledColumnMajor(), 0.0);
    }
  }

  /**
   * Without hidden layers the softmax network's J is the mean of -log softmax(z)_label, with z
   * computed here from the Thetas and the probabilities formed directly; and softmax(z) sums to 1.
   */
  @Test
  void softmaxCostIsTheMeanNegativeLogProbabilityOfTheLabel() {
    Network net = Network.initialise(new int[] {3, 4}, 5);
    double[] x = {0.5, -1, 2, 1.5, 0.25, -0.75};
    int[] y = {2, 0};
    double want = 0;
    for (int t = 0; t < 2; t++) {
      double[] e = new double[4];
      double sum = 0;
      for (int k = 0; k < 4; k++) {
        double z = net.theta(1).get(k, 0);
        for (int c = 0; c < 3; c++) {
          z += net.theta(1).get(k, c + 1) * x[t * 3 + c];
        }
        e[k] = Math.exp(z);
        sum += e[k];
      }
      double total = 0;
      for (double v : e) {
        total += v / sum;
      }
      assertEquals(1.0, total, 1e-15);
      want -= Math.log(e[y[t]] / sum) / 2;
    }
    for (Activation g : Activation.values()) {
      assertEquals(want, ReferenceBackprop.cost(net, g, Output.SOFTMAX, x, y, 0), 1e-14, g.toString());
    }
  }

  /** g' of each activation is the derivative of its g: central differences away from ReLU's kink. */
  @Test
  void eachActivationsGradientIsTheDerivativeOfItsFunction() {
    for (Activation g : Activation.values()) {
      for (double z = -3.05; z < 3; z += 0.5) {
        double numeric = (g.g(z + 1e-6) - g.g(z - 1e-6)) / 2e-6;
        assertEquals(numeric, g.gradient(z), 1e-8, g + " at " + z);
      }
    }
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
