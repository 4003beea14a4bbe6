package org.clprop.backend;

/**
 * Running totals over training steps: the summed cross-entropy data term (before each update),
 * the number of correctly classified examples and the number of examples seen.
 */
public record StepMetrics(double costSum, long correct, long examples) {
  public static final StepMetrics EMPTY = new StepMetrics(0, 0, 0);

  /** Mean cross-entropy per example, NaN when empty. */
  public double meanCost() {
    return examples == 0 ? Double.NaN : costSum / examples;
  }

  public double accuracy() {
    return examples == 0 ? Double.NaN : (double) correct / examples;
  }
}
