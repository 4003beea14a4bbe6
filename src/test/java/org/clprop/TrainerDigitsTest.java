package org.clprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.clprop.backend.BackendKind;
import org.clprop.core.Matrix;
import org.clprop.data.Dataset;
import org.clprop.data.Digits;
import org.clprop.data.Split;
import org.clprop.optim.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** End-to-end training of 64-32-10 on the embedded optical digits, held-out fifth as the test set. */
class TrainerDigitsTest {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerDigitsTest.class);
  private static final Split SPLIT = Split.of(Digits.load(), 0.2, 42);

  static Trainer.Builder digits(Optimizer.Kind kind) {
    Trainer.Builder b = Trainer.builder().layers(64, 32, 10).optimizer(kind).backend(BackendKind.CPU).seed(7);
    return switch (kind) {
      case SGD, MOMENTUM -> b.batchSize(32).epochs(60);
      case ADAM -> b.batchSize(32).epochs(30).learningRate(0.01);
      case LBFGS -> b.epochs(150).lambda(1.0);
    };
  }

  @ParameterizedTest
  @EnumSource(Optimizer.Kind.class)
  void everyOptimiserReachesNinetyFivePercentOnHeldOutDigits(Optimizer.Kind kind) {
    try (Trainer t = digits(kind).build()) {
      History h = t.fit(SPLIT.first());
      double acc = t.evaluate(SPLIT.second()).accuracy();
      LOG.info("{}: test accuracy {} after {} epochs ({}), final cost {}", kind, acc, h.epochs().size(),
          h.stopReason(), h.last().cost());
      assertTrue(acc >= 0.95, kind + ": held-out accuracy " + acc);
      assertTrue(h.last().cost() < h.epochs().get(0).cost(), kind + ": the cost did not fall");
    }
  }

  @Test
  void twoFitsWithTheSameSeedGiveBitwiseIdenticalTheta() {
    List<float[]> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      try (Trainer t = digits(Optimizer.Kind.ADAM).epochs(3).threads(run + 1).build()) {
        t.fit(SPLIT.first());
        runs.add(t.network().toFlatFloats());
      }
    }
    assertArrayEquals(runs.get(0), runs.get(1));
    try (Trainer t = digits(Optimizer.Kind.ADAM).epochs(3).seed(8).build()) {
      t.fit(SPLIT.first());
      assertTrue(!java.util.Arrays.equals(runs.get(0), t.network().toFlatFloats()), "another seed, other weights");
    }
  }

  @Test
  void earlyStoppingKeepsTheBestValidationWeights() {
    Split inner = Split.of(SPLIT.first(), 0.25, 3);
    List<Double> val = new ArrayList<>();
    try (Trainer t = digits(Optimizer.Kind.ADAM).learningRate(0.05).epochs(60).validation(inner.second())
        .earlyStopping(3).callback(new Callback() {
          @Override
          public void onEpochEnd(EpochStats s, FitControl fit) {
            val.add(s.validationAccuracy());
          }
        }).build()) {
      History h = t.fit(inner.first());
      double best = val.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      assertEquals(best, h.epochs().get(h.bestEpoch() - 1).validationAccuracy());
      assertEquals(best, t.evaluate(inner.second()).accuracy(), 1e-12, "the held weights are the best epoch's");
      if ("early stopping".equals(h.stopReason())) {
        assertEquals(h.bestEpoch() + 3, h.epochs().size());
      }
    }
  }

  @Test
  void batchCallbacksAreRateLimitedAndCostIsOnlyReadWhenAsked() {
    List<BatchEnd> calls = new ArrayList<>();
    Callback every10 = new Callback() {
      @Override
      public void onBatchEnd(BatchEnd b, FitControl fit) {
        calls.add(b);
      }

      @Override
      public int batchInterval() {
        return 10;
      }
    };
    try (Trainer t = digits(Optimizer.Kind.SGD).epochs(1).batchSize(32).callback(every10).build()) {
      t.fit(SPLIT.first());
    }
    int batches = (SPLIT.first().size() + 31) / 32;
    assertEquals(batches / 10 + (batches % 10 == 0 ? 0 : 1), calls.size());
    assertTrue(Double.isNaN(calls.get(0).cost()));
  }

  @Test
  void predictionsAgreeWithEvaluateAndProbabilitiesAreSigmoidOutputs() {
    Dataset test = SPLIT.second();
    try (Trainer t = digits(Optimizer.Kind.ADAM).epochs(5).build()) {
      t.fit(SPLIT.first());
      float[][] rows = new float[test.size()][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = java.util.Arrays.copyOfRange(test.x(), i * 64, (i + 1) * 64);
      }
      int[] p = t.predict(rows);
      int hits = 0;
      for (int i = 0; i < p.length; i++) {
        hits += p[i] == test.label(i) ? 1 : 0;
      }
      assertEquals(t.evaluate(test).accuracy(), (double) hits / p.length, 1e-12);
      for (float v : t.predictProbabilities(rows)[0]) {
        assertTrue(v > 0 && v < 1);
      }
      List<Matrix> thetas = t.thetas();
      assertEquals(32, thetas.get(0).rows());
      assertEquals(65, thetas.get(0).cols());
    }
  }
}
