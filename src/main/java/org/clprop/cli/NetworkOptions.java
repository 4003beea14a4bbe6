package org.clprop.cli;

import java.util.Locale;
import org.clprop.Trainer;
import org.clprop.model.ModelSpec.Activation;
import org.clprop.model.ModelSpec.Output;
import org.clprop.model.ModelSpec.Scaling;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** What {@code train}'s network computes: --activation, --output, --scale. */
final class NetworkOptions {
  @Option(names = "--activation", defaultValue = "sigmoid", description = "Hidden units: sigmoid (the course's), "
      + "tanh or relu, each with the initialisation that suits it (the course's, Glorot's, He's). "
      + "Default: ${DEFAULT-VALUE}.")
  String activation;

  @Option(names = "--output", defaultValue = "sigmoid", description = "Output layer: sigmoid (one logistic unit per "
      + "class, the course's) or softmax (probabilities that sum to 1; cost -sum y log h). Default: ${DEFAULT-VALUE}.")
  String output;

  @Option(names = "--scale", defaultValue = "auto", description = "Feature scaling learned from the training part "
      + "(not the validation or test data) and saved with the model, which evaluate, predict and export apply: "
      + "none, standard (mean 0, variance 1) or minmax (into [0, 1]). Default: none for image data (digits, "
      + "fashion-mnist, mnist, IDX folders: pixels already lie in [0, 1]); standard for .csv and .npz files, whose "
      + "features come in their own units (raw values such as 1001 saturate sigmoid units).")
  String scale;

  /** The hidden activation asked for; an unknown name is a usage error. */
  Activation activation(CommandSpec spec) {
    return Cli.parseEnum(spec, Activation.class, activation, "--activation");
  }

  /** The output function asked for; an unknown name is a usage error. */
  Output output(CommandSpec spec) {
    return Cli.parseEnum(spec, Output.class, output, "--output");
  }

  /**
   * The scaling for data {@code data} (the --data value): null for none, else the kind; auto picks
   * none for image data and standard for files of tabular data.
   */
  Scaling.Kind scaling(CommandSpec spec, String data) {
    String s = scale.toLowerCase(Locale.ROOT);
    return switch (s) {
      case "auto" -> tabular(data) ? Scaling.Kind.STANDARD : null;
      case "none" -> null;
      case "standard" -> Scaling.Kind.STANDARD;
      case "minmax" -> Scaling.Kind.MINMAX;
      default -> throw new ParameterException(spec.commandLine(), "--scale: unknown value '" + scale + "'; expected "
          + "one of [none, standard, minmax, auto]");
    };
  }

  /** Sets activation, output and scaling on {@code b}. */
  Trainer.Builder apply(CommandSpec spec, Trainer.Builder b, String data) {
    return b.activation(activation(spec)).output(output(spec)).scaling(scaling(spec, data));
  }

  /** Whether {@code data} names a file of tabular data (CSV or .npz) rather than an image data set. */
  static boolean tabular(String data) {
    String d = data.toLowerCase(Locale.ROOT);
    return d.endsWith(".csv") || d.endsWith(".csv.gz") || d.endsWith(".npz");
  }
}
