package org.clprop.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitWatchTest {
  private long compiled;
  private long now;
  private final JitWatch watch = new JitWatch(() -> compiled, () -> now);

  /** Steps of {@code nanos} each with the compile counter unchanged; whether the last was quiet. */
  private boolean steps(int n, long nanos) {
    boolean quiet = false;
    for (int i = 0; i < n; i++) {
      now += nanos;
      quiet = watch.quietAfterStep();
    }
    return quiet;
  }

  @Test
  void quietOnlyAfterEnoughStepsAndTimeWithoutAFinishedCompilation() {
    compiled = 120;
    assertFalse(steps(1, 5_000_000), "the first reading only starts the count");
    assertFalse(steps(JitWatch.QUIET_STEPS - 1, 5_000_000), "one step short");
    assertTrue(steps(1, 5_000_000), "ten steps, 50 ms, nothing compiled");
  }

  @Test
  void aFinishedCompilationStartsTheCountAgain() {
    compiled = 120;
    steps(8, 5_000_000);
    compiled = 150;
    assertFalse(steps(JitWatch.QUIET_STEPS, 5_000_000), "ten steps since the change, counting from it");
    assertTrue(steps(1, 5_000_000));
  }

  @Test
  void shortStepsMustAlsoSpanTheQuietTime() {
    compiled = 7;
    assertFalse(steps(100, 100_000), "99 steps of 0.1 ms since the first reading: 9.9 ms, under 20");
    assertFalse(steps(100, 100_000), "19.9 ms");
    assertTrue(steps(1, 100_000), "20 ms");
  }

  @Test
  void anUnknownCounterIsNeverQuiet() {
    compiled = -1;
    assertFalse(steps(1000, 5_000_000));
  }

  @Test
  void theRealJvmCounterSettlesWhenNothingCompiles() throws InterruptedException {
    JitWatch real = JitWatch.ofThisJvm();
    boolean quiet = false;
    // Idle steps of 5 ms: HotSpot's queue drains within seconds; the bean is looked up meanwhile.
    for (int i = 0; i < 2000 && !quiet; i++) {
      Thread.sleep(5);
      quiet = real.quietAfterStep();
    }
    assertTrue(quiet, "the JVM's total compilation time never stopped growing for 10 steps");
  }
}
