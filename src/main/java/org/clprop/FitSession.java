package org.clprop;

import java.util.ArrayList;
import java.util.List;
import org.clprop.backend.Backend;
import org.clprop.backend.Evaluation;
import org.clprop.backend.StepMetrics;
import org.clprop.data.Dataset;
import org.clprop.model.ModelSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Trainer#fit} in progress, as both training loops see it: the stop flag callbacks and
 * other threads set, and the end-of-epoch and end-of-batch work the loops share.
 */
final class FitSession implements FitControl {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  final TrainerConfig config;
  final Backend backend;
  /** The validation data as the backend sees it (scaled like the training data), or null. */
  private final Dataset validation;
  /** What the network computes, for checkpoints. */
  final ModelSpec spec;
  /** Counts the trainer's fits, so that a second fit shuffles differently from the first. */
  final int fitNumber;
  private final List<Callback> batchCallbacks;
  /** The user's callbacks, then the built-in ones. */
  private final List<Callback> callbacks = new ArrayList<>();
  private volatile boolean stop;
  private boolean endedEarly;
  /** The epoch whose weights the trainer holds at the end, when not the last one. */
  private int keptEpoch = -1;

  FitSession(TrainerConfig config, Backend backend, int fitNumber, Dataset validation, ModelSpec spec) {
    this.config = config;
    this.backend = backend;
    this.validation = validation;
    this.spec = spec;
    this.fitNumber = fitNumber;
    this.batchCallbacks = config.batchCallbacks();
    callbacks.addAll(config.callbacks());
    if (config.earlyStop() != null) {
      callbacks.add(new EarlyStopping(config.earlyStop(), this));
    }
  }

  @Override
  public void stop() {
    stop = true;
  }

  @Override
  public boolean stopRequested() {
    return stop;
  }

  /** Ends the fit after this epoch for lack of progress (early stopping), not on request. */
  void endEarly() {
    endedEarly = true;
  }

  boolean endedEarly() {
    return endedEarly;
  }

  /** Records that the trainer now holds the weights of {@code epoch} (a callback put them back). */
  void keepWeightsOf(int epoch) {
    keptEpoch = epoch;
  }

  /**
   * Calls the callbacks' onFitEnd and returns the fit's history: its epochs, the epoch whose
   * weights the trainer holds, and why it ended.
   */
  History end(List<EpochStats> epochs, String reason) {
    for (Callback c : callbacks) {
      c.onFitEnd(this);
    }
    int last = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch();
    return new History(epochs, keptEpoch >= 0 ? keptEpoch : last, reason);
  }

  boolean hasBatchCallbacks() {
    return !batchCallbacks.isEmpty();
  }

  /**
   * Calls the batch callbacks due after batch {@code batch} (1-based) of {@code batches}; returns
   * the metrics it had to read for them, or {@link StepMetrics#EMPTY}.
   */
  StepMetrics batchEnd(int epoch, int batch, int batches, long seen) {
    StepMetrics partial = StepMetrics.EMPTY;
    for (Callback c : batchCallbacks) {
      int every = c.batchInterval();
      if (every > 0 && (batch % every == 0 || batch == batches)) {
        if (c.wantsBatchCost() && partial == StepMetrics.EMPTY) {
          partial = backend.takeMetrics();
        }
        c.onBatchEnd(new BatchEnd(epoch, batch, batches, seen, c.wantsBatchCost() ? partial.meanCost() : Double.NaN),
            this);
      }
    }
    return partial;
  }

  /** Measures the validation data, builds the epoch's record and calls the epoch callbacks. */
  EpochStats epochEnd(int epoch, double cost, double accuracy, long samples, double trainSeconds, long t0) {
    double vCost = Double.NaN;
    double vAcc = Double.NaN;
    if (validation != null) {
      Evaluation v = backend.evaluate(validation, config.lambda());
      vCost = v.cost();
      vAcc = v.accuracy();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    EpochStats stats = new EpochStats(epoch, cost, accuracy, vCost, vAcc, samples / trainSeconds, seconds);
    LOG.debug("epoch {}: cost {} accuracy {} validation {} ({} samples/s)", epoch, cost, accuracy, vAcc,
        Math.round(stats.samplesPerSecond()));
    for (Callback c : callbacks) {
      c.onEpochEnd(stats, this);
    }
    return stats;
  }
}
