package org.clprop.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.clprop.Trainer;
import org.clprop.data.Dataset;
import org.clprop.data.RowCursor;
import org.clprop.io.DataFormatException;
import org.clprop.model.Checkpoint;
import org.clprop.model.ModelSpec;
import org.clprop.model.ModelSpec.Activation;
import org.clprop.model.ModelSpec.Output;
import org.clprop.model.ModelSpec.Scaling;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What {@code train}'s network computes: --activation, --output, --scale. Left out, they take their
 * defaults, or with --resume the checkpoint's (given, they must agree with it).
 */
final class NetworkOptions {
  @Option(names = "--activation", description = "Hidden units: sigmoid (the course's), tanh or relu, each with the "
      + "initialisation that suits it (the course's, Glorot's, He's). Default: sigmoid.")
  String activation;

  @Option(names = "--output", description = "Output layer: sigmoid (one logistic unit per class, the course's) or "
      + "softmax (probabilities that sum to 1; cost -sum y log h). Default: sigmoid.")
  String output;

  @Option(names = "--scale", description = "Feature scaling learned from the training part (not the validation or "
      + "test data) and saved with the model, which evaluate, predict and export apply: none, standard (mean 0, "
      + "variance 1) or minmax (into [0, 1]). Default: none when every feature of the training part already lies "
      + "in [0, 1] (images such as digits, fashion-mnist, mnist, pixel arrays, or data scaled beforehand); standard "
      + "otherwise, for features in their own units (raw values such as 1001 saturate sigmoid units).")
  String scale;

  /**
   * Sets activation, output and scaling on {@code b} for the training part {@code train}; when
   * resuming {@code from} a checkpoint, its own, which any option given must agree with.
   */
  Trainer.Builder apply(CommandSpec spec, Trainer.Builder b, Dataset train, Checkpoint from, Path resume) {
    Activation a = activation == null ? null : Cli.parseEnum(spec, Activation.class, activation, "--activation");
    Output o = output == null ? null : Cli.parseEnum(spec, Output.class, output, "--output");
    Optional<Scaling.Kind> k = scale == null ? null : Optional.ofNullable(kind(spec));
    if (from == null) {
      return b.activation(a == null ? Activation.SIGMOID : a).output(o == null ? Output.SIGMOID : o)
          .scaling(k != null ? k.orElse(null) : outsideUnitRange(train) ? Scaling.Kind.STANDARD : null);
    }
    ModelSpec c = from.spec();
    agree(resume, "--activation", a, c.activation(), a == null || a == c.activation());
    agree(resume, "--output", o, c.output(), o == null || o == c.output());
    Optional<Scaling.Kind> made = c.scaling().map(Scaling::kind);
    agree(resume, "--scale", k == null ? null : k.map(Scaling.Kind::jsonName).orElse("none"),
        made.map(Scaling.Kind::jsonName).orElse("none"), k == null || k.equals(made));
    return b.spec(c);
  }

  private static void agree(Path resume, String option, Object given, Object made, boolean agrees) {
    if (!agrees) {
      throw new DataFormatException(resume + ": the checkpoint's network was trained with " + option + " "
          + String.valueOf(made).toLowerCase(Locale.ROOT) + ", not " + String.valueOf(given).toLowerCase(Locale.ROOT)
          + "; leave " + option + " out to continue it");
    }
  }

  /** --scale's kind: null for none. */
  private Scaling.Kind kind(CommandSpec spec) {
    return switch (scale.toLowerCase(Locale.ROOT)) {
      case "none" -> null;
      case "standard" -> Scaling.Kind.STANDARD;
      case "minmax" -> Scaling.Kind.MINMAX;
      default -> throw new ParameterException(spec.commandLine(), "--scale: unknown value '" + scale + "'; expected "
          + "one of [none, standard, minmax]");
    };
  }

  /**
   * Whether some feature of {@code train} lies outside [0, 1], which makes standard scaling the
   * default. Pixel data never does; the scan stops at the first such value.
   */
  static boolean outsideUnitRange(Dataset train) {
    if (train.isPixels()) {
      return false;
    }
    RowCursor c = train.cursor();
    int w = train.features();
    for (int i = 0; i < train.size(); i++) {
      c.seek(i);
      float[] f = c.floats();
      for (int j = c.offset(), end = j + w; j < end; j++) {
        if (!(f[j] >= 0 && f[j] <= 1)) {
          return true;
        }
      }
    }
    return false;
  }
}
