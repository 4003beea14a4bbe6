package org.clprop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The three initialisations: their bounds, their biases, their variance, their seeds. */
class WeightInitTest {
  private static final int[] SIZES = {300, 200, 10};

  @Test
  void theCoursesInitIsTheDefault() {
    assertArrayEquals(Network.initialise(SIZES, 4).toFlatFloats(),
        Network.initialise(SIZES, 4, WeightInit.COURSE).toFlatFloats());
  }

  @Test
  void everyEntryLiesWithinItsBoundAndReachesNearIt() {
    for (WeightInit init : WeightInit.values()) {
      Network n = Network.initialise(SIZES, 9, init);
      for (int l = 1; l < SIZES.length; l++) {
        double bound = init == WeightInit.HE ? Math.sqrt(6.0 / SIZES[l - 1])
            : Math.sqrt(6.0 / (SIZES[l - 1] + SIZES[l]));
        assertEquals(bound, init.bound(SIZES[l - 1], SIZES[l]), 1e-15);
        Matrix t = n.theta(l);
        double max = 0;
        double squares = 0;
        for (int r = 0; r < t.rows(); r++) {
          for (int c = 1; c < t.cols(); c++) {
            max = Math.max(max, Math.abs(t.get(r, c)));
            squares += t.get(r, c) * t.get(r, c);
          }
        }
        String what = init + " theta" + l;
        assertTrue(max <= bound && max > 0.98 * bound, what + ": largest |w| " + max + ", bound " + bound);
        // Uniform in [-e, e] has variance e^2 / 3: for He that is 2 / fan_in.
        double variance = squares / (t.rows() * (t.cols() - 1));
        assertEquals(bound * bound / 3, variance, 0.05 * bound * bound / 3, what + " variance");
      }
    }
  }

  @Test
  void onlyTheCoursesInitDrawsTheBiases() {
    for (WeightInit init : WeightInit.values()) {
      Network n = Network.initialise(SIZES, 2, init);
      int nonZero = 0;
      for (int l = 1; l < SIZES.length; l++) {
        for (int r = 0; r < SIZES[l]; r++) {
          nonZero += n.theta(l).get(r, 0) != 0 ? 1 : 0;
        }
      }
      assertEquals(init.drawsBiases() ? 210 : 0, nonZero, init.toString());
    }
  }

  @Test
  void theSeedDecidesTheWeights() {
    for (WeightInit init : WeightInit.values()) {
      assertArrayEquals(Network.initialise(SIZES, 3, init).toFlatFloats(),
          Network.initialise(SIZES, 3, init).toFlatFloats());
      assertNotEquals(Network.initialise(SIZES, 3, init).theta(1).get(0, 1),
          Network.initialise(SIZES, 4, init).theta(1).get(0, 1));
    }
  }
}
