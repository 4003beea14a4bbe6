package org.clprop.optim;

import java.util.Locale;

/**
 * The learning rate of each epoch of a minibatch fit, from the optimiser's rate lr (the base), for
 * epoch e = 1 .. E of E epochs:
 *
 * <pre>
 *   CONSTANT   lr                                                       (the default)
 *   STEP       lr * factor ^ floor((e - 1) / every)                      PyTorch's StepLR, Keras' step decay
 *   COSINE     min + (lr - min) (1 + cos(pi (e - 1) / E)) / 2            PyTorch's CosineAnnealingLR, T_max = E
 * </pre>
 *
 * The rate changes between epochs, not within one, so an epoch's rate depends only on its number and
 * a resumed fit continues the schedule where it stopped. Cosine starts at lr and ends one step short
 * of min, as PyTorch's does when stepped once per epoch.
 *
 * @param kind the rule
 * @param every STEP: epochs between two decays (at least 1); otherwise 0
 * @param factor STEP: the multiplier at each decay, in (0, 1]; otherwise 1
 * @param minimum COSINE: the rate it anneals to, >= 0 and below the base rate; otherwise 0
 */
public record LearningRateSchedule(Kind kind, int every, double factor, double minimum) {
  /** The base rate throughout. */
  public static final LearningRateSchedule CONSTANT = new LearningRateSchedule(Kind.CONSTANT, 0, 1, 0);

  /** The rules. */
  public enum Kind {
    /** No change. */
    CONSTANT,
    /** Multiplied by a factor every few epochs. */
    STEP,
    /** Half a cosine from the base rate down to a minimum over the fit's epochs. */
    COSINE
  }

  /**
   * Checks the settings of the rule.
   *
   * @throws IllegalArgumentException when a setting is outside the range given above
   */
  public LearningRateSchedule {
    if (kind == null) {
      throw new IllegalArgumentException("learning-rate schedule: null");
    }
    if (kind == Kind.STEP && every < 1) {
      throw new IllegalArgumentException("step schedule: every " + every + " epochs, must be >= 1");
    }
    if (kind == Kind.STEP && !(factor > 0 && factor <= 1)) {
      throw new IllegalArgumentException("step schedule: factor " + factor + ", must lie in (0, 1]");
    }
    if (kind == Kind.COSINE && !(minimum >= 0) || Double.isInfinite(minimum)) {
      throw new IllegalArgumentException("cosine schedule: minimum " + minimum + ", must be finite and >= 0");
    }
  }

  /** The rate times {@code factor} every {@code every} epochs. */
  public static LearningRateSchedule step(int every, double factor) {
    return new LearningRateSchedule(Kind.STEP, every, factor, 0);
  }

  /** Cosine annealing from the base rate towards {@code minimum} over the fit's epochs. */
  public static LearningRateSchedule cosine(double minimum) {
    return new LearningRateSchedule(Kind.COSINE, 0, 1, minimum);
  }

  /** The rate of epoch {@code epoch} (1-based) of {@code epochs}, from the base rate {@code lr}. */
  public double rate(double lr, int epoch, int epochs) {
    return switch (kind) {
      case CONSTANT -> lr;
      case STEP -> lr * Math.pow(factor, (epoch - 1) / every);
      case COSINE -> minimum + (lr - minimum) * (1 + Math.cos(Math.PI * (epoch - 1) / epochs)) / 2;
    };
  }

  /** Fails unless the rule fits a base rate {@code lr}: a cosine's minimum must lie below it. */
  public void checkBase(double lr) {
    if (kind == Kind.COSINE && minimum >= lr) {
      throw new IllegalArgumentException("cosine schedule: minimum " + minimum + " is not below the learning rate "
          + lr);
    }
  }

  /** "constant", "step:5:0.5", "cosine" or "cosine:1e-05": the form {@link #parse} reads. */
  public String describe() {
    return switch (kind) {
      case CONSTANT -> "constant";
      case STEP -> "step:" + every + ":" + factor;
      case COSINE -> minimum == 0 ? "cosine" : "cosine:" + minimum;
    };
  }

  /**
   * Reads {@code constant}, {@code step:EVERY:FACTOR} or {@code cosine[:MIN]}.
   *
   * @throws IllegalArgumentException for anything else, saying the forms
   */
  public static LearningRateSchedule parse(String text) {
    String[] p = text.trim().toLowerCase(Locale.ROOT).split(":", -1);
    try {
      if (p.length == 1 && p[0].equals("constant")) {
        return CONSTANT;
      }
      if (p.length == 3 && p[0].equals("step")) {
        return step(Integer.parseInt(p[1]), Double.parseDouble(p[2]));
      }
      if (p[0].equals("cosine") && p.length <= 2) {
        return cosine(p.length == 1 ? 0 : Double.parseDouble(p[1]));
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException("'" + text + "': expected constant, step:EVERY:FACTOR (e.g. step:10:0.5) or "
        + "cosine[:MIN] (e.g. cosine or cosine:1e-5)");
  }
}
