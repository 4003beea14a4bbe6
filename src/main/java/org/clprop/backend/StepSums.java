package org.clprop.backend;

/**
 * The cost, hits and examples summed over training steps since the metrics were last taken, and
 * the first step whose cost was not finite: the running form of {@link StepMetrics} that each
 * backend adds its steps to. Internal, public for the backends in other packages.
 */
public final class StepSums {
  private double costSum;
  private long correct;
  private long examples;
  private int steps;
  private int firstNonFinite = -1;

  /** Rows whose cost and hits were {@code cost} and {@code hits}, {@code n} of them (0: counted apart). */
  public void add(double cost, long hits, long n) {
    costSum += cost;
    correct += hits;
    examples += n;
  }

  /** After a training step whose batch cost was {@code cost}: notes the first step that was not finite. */
  public void stepDone(double cost) {
    if (!Double.isFinite(cost) && firstNonFinite < 0) {
      firstNonFinite = steps;
    }
    steps++;
  }

  /** The totals, which start again from zero. */
  public StepMetrics take() {
    StepMetrics m = new StepMetrics(costSum, correct, examples, firstNonFinite);
    costSum = 0;
    correct = 0;
    examples = 0;
    steps = 0;
    firstNonFinite = -1;
    return m;
  }

  /** Runs {@code pass} with the totals set aside; returns the totals of the pass alone. */
  public StepMetrics apart(Runnable pass) {
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
