package org.clprop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in callback behind {@link Trainer.Builder#earlyStopping}: Keras'
 * {@code EarlyStopping(monitor="val_accuracy", patience, restore_best_weights=True)}. It keeps a
 * copy of the weights of the best validation epoch, ends the fit after {@code patience} epochs
 * without a better one, and puts the best weights back when the fit ends.
 */
final class EarlyStopping implements Callback {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final int patience;
  private final FitSession session;
  private double best = Double.NEGATIVE_INFINITY;
  private int bestEpoch;
  private int lastEpoch;
  private float[] bestParams;

  EarlyStopping(int patience, FitSession session) {
    this.patience = patience;
    this.session = session;
  }

  @Override
  public void onEpochEnd(EpochStats stats, FitControl fit) {
    lastEpoch = stats.epoch();
    if (!stats.hasValidation()) {
      return;
    }
    if (stats.validationAccuracy() > best) {
      best = stats.validationAccuracy();
      bestEpoch = stats.epoch();
      bestParams = session.backend.parameters();
    } else if (stats.epoch() - bestEpoch >= patience) {
      session.endEarly();
    }
  }

  @Override
  public void onFitEnd(FitControl fit) {
    if (bestParams != null && bestEpoch != lastEpoch) {
      session.backend.setParameters(bestParams);
      session.keepWeightsOf(bestEpoch);
      LOG.info("restored the weights of epoch {} (validation accuracy {})", bestEpoch, best);
    }
  }
}
