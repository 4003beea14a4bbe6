package org.clprop.backend;

/**
 * Running totals over training steps: the summed cross-entropy data term (before each update),
 * the number of correctly classified examples and the number of examples seen; and the index
 * (0-based, among the steps these totals cover) of the first step whose cost was NaN or infinite,
 * or -1 when every step's cost was finite.
 *
 * @param costSum the summed cross-entropy data term, each step's measured before its update
 * @param correct examples whose argmax output unit is their label
 * @param examples examples seen
 * @param firstNonFiniteStep 0-based index of the first step with a NaN or infinite cost, or -1
 */
public record StepMetrics(double costSum, long correct, long examples, int firstNonFiniteStep) {
  /** No steps: zero totals, every cost finite. */
  public static final StepMetrics EMPTY = new StepMetrics(0, 0, 0, -1);

  /** Totals over steps whose costs were all finite. */
  public StepMetrics(double costSum, long correct, long examples) {
    this(costSum, correct, examples, -1);
  }

  /** Mean cross-entropy per example, NaN when empty. */
  public double meanCost() {
    return examples == 0 ? Double.NaN : costSum / examples;
  }

  /** The fraction of examples classified correctly, NaN when empty. */
  public double accuracy() {
    return examples == 0 ? Double.NaN : (double) correct / examples;
  }
}
