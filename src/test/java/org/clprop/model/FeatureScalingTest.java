package org.clprop.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.clprop.data.Dataset;
import org.clprop.model.ModelSpec.Scaling;
import org.clprop.testutil.Tensors;
import org.junit.jupiter.api.Test;

/** The statistics against their definitions, computed here another way, and the copies they scale. */
class FeatureScalingTest {

  @Test
  void standardIsTheMeanAndTheInversePopulationStd() {
    Dataset d = Tensors.tabularData(301, 1);
    Scaling s = FeatureScaling.learn(Scaling.Kind.STANDARD, d);
    for (int c = 0; c < 4; c++) {
      // Welford's running mean and variance: another route to the same numbers.
      double mean = 0;
      double m2 = 0;
      for (int i = 0; i < d.size(); i++) {
        double v = d.feature(i, c);
        double delta = v - mean;
        mean += delta / (i + 1);
        m2 += delta * (v - mean);
      }
      double std = Math.sqrt(m2 / d.size());
      assertEquals(mean, s.offset()[c], 1e-9 * Math.max(1, Math.abs(mean)), "mean of feature " + c);
      assertEquals(std > 0 ? 1 / std : 1, s.scale()[c], 1e-9 * s.scale()[c], "scale of feature " + c);
    }
    assertEquals(1.0, s.scale()[3], 0.0, "a constant feature keeps scale 1");
  }

  @Test
  void minmaxMapsTheTrainingRangeOntoZeroToOne() {
    Dataset d = Tensors.tabularData(200, 2);
    Scaling s = FeatureScaling.learn(Scaling.Kind.MINMAX, d);
    Dataset scaled = FeatureScaling.apply(s, d);
    for (int c = 0; c < 3; c++) {
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (int i = 0; i < d.size(); i++) {
        min = Math.min(min, scaled.feature(i, c));
        max = Math.max(max, scaled.feature(i, c));
      }
      assertEquals(0, min, 1e-6, "min of feature " + c);
      assertEquals(1, max, 1e-6, "max of feature " + c);
    }
    assertEquals(0, scaled.feature(5, 3), 0.0, "constant feature: x - min = 0");
  }

  @Test
  void aScaledCopyIsEachRowThroughTheFloatFormulaWithItsLabels() {
    Dataset d = Tensors.tabularData(50, 3);
    Scaling s = FeatureScaling.learn(Scaling.Kind.STANDARD, d);
    Dataset scaled = FeatureScaling.apply(s, d);
    assertArrayEquals(d.labels(), scaled.labels());
    assertEquals(d.classes(), scaled.classes());
    for (int i = 0; i < d.size(); i++) {
      for (int c = 0; c < 4; c++) {
        float want = (d.feature(i, c) - (float) s.offset()[c]) * (float) s.scale()[c];
        assertEquals(want, scaled.feature(i, c), 0.0f, "row " + i + " feature " + c);
      }
    }
    float[] rows = d.x().clone();
    FeatureScaling.applyInPlace(s, rows, d.size());
    assertArrayEquals(scaled.x(), rows);
  }
}
