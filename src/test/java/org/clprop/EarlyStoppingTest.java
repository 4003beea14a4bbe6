package org.clprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.clprop.EarlyStop.Monitor;
import org.clprop.backend.BackendKind;
import org.clprop.cpu.CpuBackend;
import org.clprop.model.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * The early-stopping rule, epoch by epoch, on sequences of validation figures whose outcome Keras'
 * EarlyStopping(monitor, min_delta, patience, restore_best_weights=True) gives: when the fit stops
 * and which epoch's weights it keeps. Each epoch's weights are set to a value naming the epoch, so
 * that the weights put back show which epoch they came from.
 */
class EarlyStoppingTest {

  /**
   * Runs the rule over {@code figures} (one per epoch) and returns {stop epoch (0: never), epoch
   * whose weights are kept at the end}.
   */
  private static int[] run(EarlyStop rule, double... figures) {
    try (CpuBackend backend = new CpuBackend(new int[] {1, 1}, 1);
        Trainer trainer = Trainer.builder().layers(1, 1).backend(BackendKind.CPU).build()) {
      TrainerConfig config = trainer.config();
      FitSession session = new FitSession(config, backend, 1, null, ModelSpec.COURSE);
      EarlyStopping stopping = new EarlyStopping(rule, session);
      int stop = 0;
      for (int e = 1; e <= figures.length && stop == 0; e++) {
        backend.setParameters(new float[] {e, e});
        boolean accuracy = rule.monitor() == Monitor.VAL_ACCURACY;
        stopping.onEpochEnd(new EpochStats(e, 1, 0.5, accuracy ? 0.3 : figures[e - 1],
            accuracy ? figures[e - 1] : 0.9, 1000, 1), session);
        if (session.endedEarly()) {
          stop = e;
        }
      }
      stopping.onFitEnd(session);
      return new int[] {stop, (int) backend.parameters()[0]};
    }
  }

  @Test
  void costMustFallByMoreThanMinDeltaToCountAsBetter() {
    EarlyStop rule = new EarlyStop(Monitor.VAL_COST, 2, 0.01);
    // 0.495 is not 0.01 below 0.5; 0.489 is; then two epochs without: stop at 5, keep epoch 3.
    assertArrayEquals(new int[] {5, 3}, run(rule, 0.5, 0.495, 0.489, 0.485, 0.484, 0.3));
    // Without min delta every fall counts: epochs 2 .. 5 all improve.
    assertArrayEquals(new int[] {0, 5}, run(new EarlyStop(Monitor.VAL_COST, 2, 0), 0.5, 0.495, 0.489, 0.485, 0.484));
  }

  @Test
  void theBestIsTheLastImprovementNotTheLowestValue() {
    // Keras keeps the value that improved by min delta: 0.495 at epoch 2 is lower than 0.5 but not
    // an improvement, so epoch 1 stays best and the fit stops after epochs 2 and 3.
    assertArrayEquals(new int[] {3, 1}, run(new EarlyStop(Monitor.VAL_COST, 2, 0.01), 0.5, 0.495, 0.492, 0.1));
  }

  @Test
  void accuracyMustRiseByMoreThanMinDelta() {
    EarlyStop rule = new EarlyStop(Monitor.VAL_ACCURACY, 3, 0.005);
    assertArrayEquals(new int[] {6, 3}, run(rule, 0.80, 0.804, 0.81, 0.812, 0.814, 0.813, 0.9));
    // Patience counts epochs in a row: an improvement resets the count.
    assertArrayEquals(new int[] {0, 4}, run(new EarlyStop(Monitor.VAL_ACCURACY, 2, 0), 0.8, 0.8, 0.81, 0.82, 0.81));
  }

  @Test
  void aNotANumberCostIsNeverAnImprovement() {
    assertArrayEquals(new int[] {3, 1}, run(new EarlyStop(Monitor.VAL_COST, 2, 0), 0.5, Double.NaN, Double.NaN));
  }

  @Test
  void theBuilderShortcutIsValidationAccuracyWithoutMinDelta() {
    try (Trainer t = Trainer.builder().layers(1, 1).backend(BackendKind.CPU).validation(
        org.clprop.data.Dataset.of(new float[] {1}, new int[] {0}, 1, 1)).earlyStopping(4).build()) {
      assertEquals(new EarlyStop(Monitor.VAL_ACCURACY, 4, 0), t.config().earlyStop());
      assertEquals(List.of(), t.config().callbacks());
    }
  }
}
