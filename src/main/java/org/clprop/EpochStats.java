package org.clprop;

/**
 * What one epoch of {@link Trainer#fit} measured.
 *
 * @param epoch 1-based epoch number
 * @param cost training cost J: the cross-entropy of the epoch's minibatches, each measured before
 *     its update, plus the regularisation term at the epoch's final weights (for L-BFGS, the exact
 *     full-batch J)
 * @param accuracy training accuracy, measured the same way
 * @param validationCost J on the validation data at the epoch's end, NaN without validation data
 * @param validationAccuracy accuracy on the validation data, NaN without validation data
 * @param samplesPerSecond training examples processed per second, validation excluded
 * @param seconds wall time of the epoch, validation included
 */
public record EpochStats(int epoch, double cost, double accuracy, double validationCost,
    double validationAccuracy, double samplesPerSecond, double seconds) {

  /** Whether the epoch was measured on validation data, that is the validation fields are not NaN. */
  /** The record as a checkpoint's history row (see {@code Checkpoint.HISTORY_COLUMNS}). */
  double[] toRow() {
    return new double[] {epoch, cost, accuracy, validationCost, validationAccuracy, samplesPerSecond, seconds};
  }

  /** The record a checkpoint's history row holds. */
  static EpochStats fromRow(double[] r) {
    return new EpochStats((int) r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
  }

  public boolean hasValidation() {
    return !Double.isNaN(validationAccuracy);
  }
}
