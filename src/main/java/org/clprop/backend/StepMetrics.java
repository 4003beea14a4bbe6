package org.clprop.backend;

/**
 * Running totals over training steps: the summed cross-entropy data term (before each update),
 * the number of correctly classified examples and the number of examples seen; and the index
 * (0-based, among the steps these totals cover) of the first step whose cost was NaN or infinite,
 * or -1 when every step's cost was finite.
 */
public record StepMetrics(double costSum, long correct, long examples, int firstNonFiniteStep) {
  public static final StepMetrics EMPTY = new StepMetrics(0, 0, 0, -1);

  public StepMetrics(double costSum, long correct, long examples) {
    this(costSum, correct, examples, -1);
  }

  /** Mean cross-entropy per example, NaN when empty. */
  public double meanCost() {
    return examples == 0 ? Double.NaN : costSum / examples;
  }

  public double accuracy() {
    return examples == 0 ? Double.NaN : (double) correct / examples;
  }
}
