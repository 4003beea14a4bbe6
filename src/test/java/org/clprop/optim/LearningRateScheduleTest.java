package org.clprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each schedule's rate per epoch, against its definition written out here, and its text form. */
class LearningRateScheduleTest {

  @Test
  void constantKeepsTheBaseRate() {
    for (int e = 1; e <= 7; e++) {
      assertEquals(0.003, LearningRateSchedule.CONSTANT.rate(0.003, e, 7), 0.0);
    }
  }

  @Test
  void stepMultipliesByTheFactorEveryFewEpochs() {
    LearningRateSchedule s = LearningRateSchedule.step(3, 0.5);
    double[] want = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025};
    for (int e = 1; e <= want.length; e++) {
      assertEquals(want[e - 1], s.rate(0.1, e, want.length), 1e-15, "epoch " + e);
    }
  }

  /** PyTorch's CosineAnnealingLR(T_max = E, eta_min) as stepped once per epoch: eta_t for t = e - 1. */
  @Test
  void cosineFollowsHalfACosineFromTheBaseToTheMinimum() {
    int epochs = 10;
    LearningRateSchedule s = LearningRateSchedule.cosine(1e-4);
    assertEquals(0.002, s.rate(0.002, 1, epochs), 0.0);
    for (int e = 1; e <= epochs; e++) {
      double t = e - 1;
      double want = 1e-4 + 0.5 * (0.002 - 1e-4) * (1 + Math.cos(t / epochs * Math.PI));
      assertEquals(want, s.rate(0.002, e, epochs), 1e-16, "epoch " + e);
      if (e > 1) {
        assertEquals(true, s.rate(0.002, e, epochs) < s.rate(0.002, e - 1, epochs), "decreasing at epoch " + e);
      }
    }
    // Halfway through, the rate is halfway between the ends.
    assertEquals((0.002 + 1e-4) / 2, s.rate(0.002, 6, epochs), 1e-16);
  }

  @Test
  void theTextFormReadsBackAsTheSameSchedule() {
    for (LearningRateSchedule s : new LearningRateSchedule[] {LearningRateSchedule.CONSTANT,
        LearningRateSchedule.step(10, 0.5), LearningRateSchedule.cosine(0), LearningRateSchedule.cosine(1e-5)}) {
      assertEquals(s, LearningRateSchedule.parse(s.describe()), s.describe());
    }
    assertEquals(LearningRateSchedule.cosine(0), LearningRateSchedule.parse(" Cosine "));
  }
}
