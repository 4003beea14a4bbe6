package org.clprop;

import java.util.List;
import org.clprop.backend.Backend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Patience on validation accuracy; keeps a copy of the best weights to restore at the end. */
final class EarlyStopping {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final int patience;
  private final Backend backend;
  private double best = Double.NEGATIVE_INFINITY;
  private int bestEpoch;
  private float[] bestParams;

  EarlyStopping(int patience, Backend backend) {
    this.patience = patience;
    this.backend = backend;
  }

  /** Records an epoch; true when training should stop. */
  boolean update(EpochStats stats) {
    if (patience <= 0 || !stats.hasValidation()) {
      bestEpoch = stats.epoch();
      return false;
    }
    if (stats.validationAccuracy() > best) {
      best = stats.validationAccuracy();
      bestEpoch = stats.epoch();
      bestParams = backend.parameters();
      return false;
    }
    return stats.epoch() - bestEpoch >= patience;
  }

  /** Puts the best weights back when they are not the current ones; returns their epoch. */
  int restoreBest(List<EpochStats> epochs) {
    int last = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch();
    if (bestParams != null && bestEpoch != last) {
      backend.setParameters(bestParams);
      LOG.info("restored the weights of epoch {} (validation accuracy {})", bestEpoch, best);
      return bestEpoch;
    }
    return last;
  }
}
