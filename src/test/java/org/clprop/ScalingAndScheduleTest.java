package org.clprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.clprop.backend.BackendKind;
import org.clprop.data.Dataset;
import org.clprop.data.Digits;
import org.clprop.model.FeatureScaling;
import org.clprop.model.ModelFile;
import org.clprop.model.ModelSpec.Scaling;
import org.clprop.optim.LearningRateSchedule;
import org.clprop.optim.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer that scales its inputs is, bit for bit, a trainer without scaling fed the scaled data,
 * at every entry point; its statistics come from the training data alone and travel with the model.
 * A schedule's rates are those of separate fits at each rate, with the optimiser's state carried on.
 */
class ScalingAndScheduleTest {
  @TempDir
  Path dir;

  private static Trainer.Builder net() {
    return Trainer.builder().layers(4, 6, 2).backend(BackendKind.CPU).threads(2).epochs(3).batchSize(16).seed(3);
  }

  @Test
  void scalingIsAppliedWhereverDataReachesTheBackend() throws IOException {
    Dataset train = org.clprop.testutil.Tensors.tabularData(300, 8);
    // Validation rows drawn elsewhere: feature 0 shifted beyond the training range, feature 2 wider.
    Dataset drawn = org.clprop.testutil.Tensors.tabularData(100, 9);
    float[] vx = drawn.x().clone();
    for (int i = 0; i < drawn.size(); i++) {
      vx[i * 4] += 2000;
      vx[i * 4 + 2] *= 3;
    }
    Dataset val = Dataset.of(vx, drawn.labels().clone(), 4, 2);
    Dataset all = Dataset.of(concat(train.x(), vx), concat(train.labels(), drawn.labels()), 4, 2);
    for (Scaling.Kind kind : Scaling.Kind.values()) {
      try (Trainer scaled = net().scaling(kind).validation(val).build()) {
        History h = scaled.fit(train);
        Scaling s = scaled.spec().scaling().orElseThrow();
        assertEquals(FeatureScaling.learn(kind, train), s, "statistics of the training part");
        assertNotEquals(FeatureScaling.learn(kind, all), s, "not of the training and validation data together");
        Dataset trainX = FeatureScaling.apply(s, train);
        Dataset valX = FeatureScaling.apply(s, val);
        try (Trainer plain = net().validation(valX).build()) {
          History hp = plain.fit(trainX);
          String what = kind.jsonName();
          assertArrayEquals(plain.network().toFlatFloats(), scaled.network().toFlatFloats(), what + " weights");
          assertEquals(hp.last().validationCost(), h.last().validationCost(), 0.0, what + " validation cost");
          assertEquals(plain.evaluate(valX), scaled.evaluate(val), what + " evaluate");
          assertEquals(plain.gradients(valX).cost(), scaled.gradients(val).cost(), 0.0, what + " gradients");
          assertArrayEquals(plain.predict(valX), scaled.predict(val), what + " predict(Dataset)");
          float[][] raw = new float[val.size()][];
          float[][] rows = new float[val.size()][];
          for (int i = 0; i < raw.length; i++) {
            raw[i] = val.row(i);
            rows[i] = valX.row(i);
          }
          assertArrayEquals(plain.predictProbabilities(rows), scaled.predictProbabilities(raw), what + " rows");
          assertEquals(plain.predict(rows[3]), scaled.predict(raw[3]), what + " one row");

          Path file = dir.resolve(what + ".npz");
          scaled.save(file);
          assertEquals(scaled.spec(), ModelFile.load(file).spec(), what + " saved spec");
          try (Trainer loaded = Trainer.load(file, BackendKind.CPU)) {
            assertArrayEquals(scaled.predictProbabilities(raw), loaded.predictProbabilities(raw), what + " loaded");
            assertEquals(scaled.spec(), loaded.spec());
          }
        }
        scaled.fit(val);
        assertEquals(s, scaled.spec().scaling().orElseThrow(), "a second fit keeps the statistics");
      }
    }
  }

  @Test
  void withoutScalingTheSameDataReachesTheBackend() {
    Dataset d = org.clprop.testutil.Tensors.tabularData(64, 2);
    try (Trainer a = net().build(); Trainer b = net().scaling((Scaling.Kind) null).build()) {
      a.fit(d);
      b.fit(d);
      assertArrayEquals(a.network().toFlatFloats(), b.network().toFlatFloats());
      assertTrue(a.spec().scaling().isEmpty());
    }
  }

  private static float[] concat(float[] a, float[] b) {
    float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** SGD, no shuffles: two epochs at lr then lr/2 are two one-epoch fits at those rates. */
  @Test
  void aStepScheduleSetsEachEpochsRate() {
    Dataset digits = Digits.load().slice(0, 600);
    Trainer.Builder b = Trainer.builder().layers(64, 16, 10).backend(BackendKind.CPU).threads(2).batchSize(32)
        .shuffle(false).optimizer(Optimizer.sgd(0.4));
    float[] scheduled;
    try (Trainer t = b.epochs(2).learningRateSchedule(LearningRateSchedule.step(1, 0.5)).build()) {
      t.fit(digits);
      scheduled = t.network().toFlatFloats();
    }
    float[] manual;
    try (Trainer first = Trainer.builder().layers(64, 16, 10).backend(BackendKind.CPU).threads(2).batchSize(32)
        .shuffle(false).optimizer(Optimizer.sgd(0.4)).epochs(1).build()) {
      first.fit(digits);
      try (Trainer second = Trainer.builder().initialWeights(first.network()).backend(BackendKind.CPU).threads(2)
          .batchSize(32).shuffle(false).optimizer(Optimizer.sgd(0.2)).epochs(1).build()) {
        second.fit(digits);
        manual = second.network().toFlatFloats();
      }
    }
    assertArrayEquals(manual, scheduled);
  }

  /** A schedule that keeps the rate changes nothing: Adam's moments and step count carry across epochs. */
  @Test
  void changingTheRateKeepsTheOptimisersState() {
    Dataset digits = Digits.load().slice(0, 500);
    float[][] w = new float[2][];
    for (int run = 0; run < 2; run++) {
      Trainer.Builder b = Trainer.builder().layers(64, 16, 10).backend(BackendKind.CPU).threads(2).batchSize(32)
          .epochs(3).optimizer(Optimizer.adam(0.01));
      if (run == 1) {
        b.learningRateSchedule(LearningRateSchedule.step(1, 1.0));
      }
      try (Trainer t = b.build()) {
        t.fit(digits);
        w[run] = t.network().toFlatFloats();
      }
    }
    assertArrayEquals(w[0], w[1]);
  }
}
