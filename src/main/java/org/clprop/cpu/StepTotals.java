package org.clprop.cpu;

import org.clprop.backend.StepMetrics;

/** The cost, hits and examples summed over training steps since the metrics were last taken. */
final class StepTotals {
  private double costSum;
  private long correct;
  private long examples;
  private int steps;
  private int firstNonFinite = -1;

  /** A batch of {@code n} rows whose cost and hits were {@code cost} and {@code hits}. */
  void add(double cost, long hits, int n) {
    costSum += cost;
    correct += hits;
    examples += n;
  }

  /** After a training step whose batch cost was {@code cost}: notes the first step that was not finite. */
  void stepDone(double cost) {
    if (!Double.isFinite(cost) && firstNonFinite < 0) {
      firstNonFinite = steps;
    }
    steps++;
  }

  /** The totals, which start again from zero. */
  StepMetrics take() {
    StepMetrics m = new StepMetrics(costSum, correct, examples, firstNonFinite);
    costSum = 0;
    correct = 0;
    examples = 0;
    steps = 0;
    firstNonFinite = -1;
    return m;
  }

  /** Runs {@code pass} with the totals set aside; returns the totals of the pass alone. */
  StepMetrics apart(Runnable pass) {
    int savedSteps = steps;
    StepMetrics saved = take();
    pass.run();
    StepMetrics m = take();
    steps = savedSteps;
    costSum = saved.costSum();
    correct = saved.correct();
    examples = saved.examples();
    firstNonFinite = saved.firstNonFiniteStep();
    return m;
  }
}
