package org.clprop;

import java.util.Optional;
import org.clprop.data.Dataset;
import org.clprop.model.FeatureScaling;
import org.clprop.model.ModelSpec;
import org.clprop.model.ModelSpec.Scaling;

/**
 * A trainer's input scaling: the statistics (given, or learned by the first fit from its training
 * data) and the point where data reaches the backend. Every {@link Trainer} method that hands rows to
 * the backend passes them through here, so the network always sees x' = (x - offset) .* scale; with
 * no scaling the data passes unchanged (no copy), as before scaling existed.
 */
final class ScaledInputs {
  private final Scaling.Kind kind;
  private Scaling scaling;

  ScaledInputs(TrainerConfig config) {
    this.kind = config.scalingKind();
    this.scaling = config.scaling();
  }

  /** Learns the statistics from {@code train} when the trainer scales and has none yet (its first fit). */
  void learnFrom(Dataset train) {
    if (kind != null && scaling == null) {
      scaling = FeatureScaling.learn(kind, train);
    }
  }

  /** {@code data} as the backend must see it: scaled (a copy), or itself without scaling. */
  Dataset of(Dataset data) {
    return kind == null ? data : FeatureScaling.apply(learned(), data);
  }

  /** {@code rows} examples in {@code x} (the caller's own copy), scaled in place without scaling none. */
  void inPlace(float[] x, int rows) {
    if (kind != null) {
      FeatureScaling.applyInPlace(learned(), x, rows);
    }
  }

  /** The statistics in use, or empty without scaling or before the first fit has learned them. */
  Optional<Scaling> scaling() {
    return Optional.ofNullable(scaling);
  }

  /** What the network computes, as a model file records it. */
  ModelSpec spec(TrainerConfig config) {
    return new ModelSpec(config.activation(), config.output(), scaling());
  }

  private Scaling learned() {
    if (scaling == null) {
      throw new IllegalStateException("scaling " + kind.jsonName() + ": its statistics are learned from the training "
          + "data by the first fit; call fit before evaluate, predict, cost or gradients");
    }
    return scaling;
  }
}
