package org.clprop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in callback behind {@link Trainer.Builder#earlyStopping}: Keras'
 * {@code EarlyStopping(monitor, min_delta, patience, restore_best_weights=True)} as {@link EarlyStop}
 * states it. It keeps a copy of the weights of the last improving epoch, ends the fit after
 * {@code patience} epochs in a row without an improvement, and puts those weights back when the fit
 * ends.
 */
final class EarlyStopping implements Callback {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final EarlyStop rule;
  private final FitSession session;
  private double best;
  private int bestEpoch;
  private int lastEpoch;
  /** Epochs since the last improvement (Keras' wait). */
  private int wait;
  private float[] bestParams;

  EarlyStopping(EarlyStop rule, FitSession session) {
    this.rule = rule;
    this.session = session;
    this.best = rule.worst();
  }

  @Override
  public void onEpochEnd(EpochStats stats, FitControl fit) {
    lastEpoch = stats.epoch();
    if (!stats.hasValidation()) {
      return;
    }
    double v = rule.value(stats);
    if (rule.improves(v, best)) {
      best = v;
      bestEpoch = stats.epoch();
      bestParams = session.backend.parameters();
      wait = 0;
    } else if (++wait >= rule.patience()) {
      session.endEarly();
    }
  }

  @Override
  public void onFitEnd(FitControl fit) {
    if (bestParams != null && bestEpoch != lastEpoch) {
      session.backend.setParameters(bestParams);
      session.keepWeightsOf(bestEpoch);
      LOG.info("restored the weights of epoch {} ({} {})", bestEpoch, rule.monitor().jsonName(), best);
    }
  }
}
