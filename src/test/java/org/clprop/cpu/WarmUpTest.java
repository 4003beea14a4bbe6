package org.clprop.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.clprop.Trainer;
import org.clprop.backend.BackendKind;
import org.clprop.data.Digits;
import org.clprop.data.Split;
import org.clprop.optim.Optimizer;
import org.junit.jupiter.api.Test;

/** The warm-up shares nothing with training and stops when asked. */
class WarmUpTest {
  private static final Split SPLIT = Split.of(Digits.load(), 0.2, 42);

  private static float[] train() {
    try (Trainer t = Trainer.builder().layers(64, 40, 10).backend(BackendKind.CPU).threads(2)
        .optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(3).seed(5).build()) {
      t.fit(SPLIT.first());
      return t.network().toFlatFloats();
    }
  }

  @Test
  void trainingGivesTheSameBitsWhileAWarmUpRuns() {
    float[] alone = train();
    float[] beside;
    try (WarmUp w = WarmUp.start(Integer.MAX_VALUE)) {
      beside = train();
    }
    assertArrayEquals(alone, beside);
  }

  @Test
  void closeEndsAnUnboundedWarmUp() {
    WarmUp w = WarmUp.start(Integer.MAX_VALUE);
    // A liveness check, not a timing: close returns after the round under way.
    assertTimeoutPreemptively(Duration.ofSeconds(30), w::close);
  }
}
