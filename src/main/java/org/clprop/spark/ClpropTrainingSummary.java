package org.clprop.spark;

import java.util.List;

/**
 * How a fit went, per iteration: J (the objective history), training accuracy and the seconds
 * since training began; how long binding the partitions took; and why it stopped. Kept by the model
 * that the fit returned, not saved with it (as MLlib's training summaries).
 */
public final class ClpropTrainingSummary {
  private final double[] objective;
  private final double[] accuracy;
  private final double[] seconds;
  private final double bindSeconds;
  private final long examples;
  private final String stopReason;

  ClpropTrainingSummary(List<IterationListener.IterationEnd> iterations, double bindSeconds, long examples,
      String stopReason) {
    this.objective = iterations.stream().mapToDouble(IterationListener.IterationEnd::cost).toArray();
    this.accuracy = iterations.stream().mapToDouble(IterationListener.IterationEnd::trainingAccuracy).toArray();
    this.seconds = iterations.stream().mapToDouble(IterationListener.IterationEnd::seconds).toArray();
    this.bindSeconds = bindSeconds;
    this.examples = examples;
    this.stopReason = stopReason;
  }

  /** J after each iteration. */
  public double[] objectiveHistory() {
    return objective.clone();
  }

  /** Training accuracy after each iteration. */
  public double[] accuracyHistory() {
    return accuracy.clone();
  }

  /** Seconds from the start of training to the end of each iteration. */
  public double[] secondsHistory() {
    return seconds.clone();
  }

  /**
   * The iterations recorded: the length of each history. An L-BFGS step that could not move, or
   * a minibatch epoch whose cost was not finite, ends the fit unrecorded.
   */
  public int totalIterations() {
    return objective.length;
  }

  /** Seconds the first job took to read the rows and bind them to backends. */
  public double bindSeconds() {
    return bindSeconds;
  }

  /** Training examples over all partitions. */
  public long examples() {
    return examples;
  }

  /** "completed", "converged" or why training diverged. */
  public String stopReason() {
    return stopReason;
  }
}
