package org.clprop;

import java.util.Locale;

/**
 * When {@link Trainer#fit} stops early, as Keras' {@code EarlyStopping(monitor, min_delta, patience,
 * restore_best_weights=True)}: after each epoch the monitored validation figure counts as an
 * improvement when it beats the best so far by more than {@code minDelta} (accuracy: above
 * best + minDelta; cost: below best - minDelta); the fit ends after {@code patience} epochs in a row
 * without one, and the trainer keeps the weights of the last improving epoch.
 *
 * @param monitor the validation figure watched
 * @param patience epochs without an improvement before the fit stops, at least 1
 * @param minDelta the least change that counts as an improvement, >= 0
 */
public record EarlyStop(Monitor monitor, int patience, double minDelta) {
  /** The validation figures early stopping can watch. */
  public enum Monitor {
    /** Accuracy on the validation data: higher is better. */
    VAL_ACCURACY,
    /** The cost J on the validation data: lower is better. */
    VAL_COST;

    /** The name on the command line and in model files: "val_accuracy", "val_cost". */
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException when patience is below 1 or minDelta negative or not finite
   */
  public EarlyStop {
    if (monitor == null) {
      throw new IllegalArgumentException("early stopping monitor: null");
    }
    if (patience <= 0) {
      throw new IllegalArgumentException("earlyStopping patience: " + patience + ", must be > 0");
    }
    if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
      throw new IllegalArgumentException("earlyStopping minDelta: " + minDelta + ", must be finite and >= 0");
    }
  }

  /** The monitored figure of an epoch. */
  double value(EpochStats s) {
    return monitor == Monitor.VAL_ACCURACY ? s.validationAccuracy() : s.validationCost();
  }

  /** Whether {@code current} improves on {@code best} by more than minDelta (Keras' test). */
  boolean improves(double current, double best) {
    return monitor == Monitor.VAL_ACCURACY ? current - minDelta > best : current + minDelta < best;
  }

  /** The figure's starting best: any first value improves on it. */
  double worst() {
    return monitor == Monitor.VAL_ACCURACY ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }
}
