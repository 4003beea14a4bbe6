package org.clprop;

/**
 * The handle a {@link Callback} gets on the {@link Trainer#fit} that calls it, to end it early.
 * Keras' {@code model.stop_training = True}, as a method.
 */
public interface FitControl {

  /**
   * Ends the fit after the current batch (from {@link Callback#onBatchEnd}) or epoch (from
   * {@link Callback#onEpochEnd}); a trainer with a checkpoint file writes one there.
   */
  void stop();

  /** Whether {@link #stop()} or {@link Trainer#requestStop()} was called during this fit. */
  boolean stopRequested();
}
