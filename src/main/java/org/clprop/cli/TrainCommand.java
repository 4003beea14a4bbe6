package org.clprop.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.clprop.EpochStats;
import org.clprop.Callback;
import org.clprop.History;
import org.clprop.Trainer;
import org.clprop.backend.BackendKind;
import org.clprop.data.Dataset;
import org.clprop.data.Digits;
import org.clprop.data.Split;
import org.clprop.optim.Optimizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code clprop train}: trains a network and reports its held-out test accuracy. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a network on a dataset (default: the embedded digits) and print its test accuracy.")
final class TrainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--data", defaultValue = "digits", description = "Dataset: digits (embedded). Default: ${DEFAULT-VALUE}.")
  String data;

  @Option(names = "--hidden", split = ",", defaultValue = "32",
      description = "Hidden layer sizes, comma-separated; input and output sizes come from the data. Default: ${DEFAULT-VALUE}.")
  int[] hidden;

  @Option(names = "--epochs", defaultValue = "30", description = "Passes over the data (L-BFGS: iterations). Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--batch", defaultValue = "32", description = "Minibatch size. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--optimizer", defaultValue = "adam",
      description = "sgd, momentum, adam or lbfgs. Default: ${DEFAULT-VALUE}.")
  String optimizer;

  @Option(names = "--lr", description = "Learning rate (default: 0.01 for adam here, the optimiser's default otherwise).")
  Double lr;

  @Option(names = "--lambda", defaultValue = "0", description = "L2 regularisation strength. Default: ${DEFAULT-VALUE}.")
  double lambda;

  @Option(names = "--seed", defaultValue = "1", description = "Seed for weights, shuffles and the test split. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--backend", defaultValue = "auto", description = "auto, cpu or opencl. Default: ${DEFAULT-VALUE}.")
  String backend;

  @Option(names = "--device", description = "OpenCL device by index or part of its name (see clprop devices).")
  String device;

  @Option(names = {"-v", "--verbose"}, description = "Log progress and show stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() {
    Optimizer.Kind kind = parseEnum(Optimizer.Kind.class, optimizer, "--optimizer");
    BackendKind bk = parseEnum(BackendKind.class, backend, "--backend");
    if (!data.equals("digits")) {
      throw new ParameterException(spec.commandLine(), "--data: unknown dataset '" + data + "'; known: digits");
    }
    Split split = Split.of(Digits.load(), 0.2, seed);
    Dataset train = split.first();
    Dataset test = split.second();
    int[] layers = new int[hidden.length + 2];
    layers[0] = train.features();
    System.arraycopy(hidden, 0, layers, 1, hidden.length);
    layers[layers.length - 1] = train.classes();
    PrintWriter out = spec.commandLine().getOut();
    Trainer.Builder b;
    try {
      b = Trainer.builder().layers(layers).optimizer(kind).epochs(epochs).batchSize(batch).lambda(lambda)
          .seed(seed).backend(bk).device(device);
      if (lr != null) {
        b.learningRate(lr);
      } else if (kind == Optimizer.Kind.ADAM) {
        b.learningRate(0.01);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try (Trainer t = b.callback(new Callback() {
      @Override
      public void onEpochEnd(EpochStats s) {
        out.printf("epoch %3d  cost %.4f  train %.4f  %,10.0f samples/s%n", s.epoch(), s.cost(), s.accuracy(),
            s.samplesPerSecond());
        out.flush();
      }
    }).build()) {
      out.printf("training %s on %s (%d examples) with %s, %s%n", Arrays.toString(layers), data, train.size(),
          kind.name().toLowerCase(), t.backendDescription());
      History h = t.fit(train);
      out.printf("stopped: %s after %d epochs%n", h.stopReason(), h.epochs().size());
      out.printf("test accuracy: %.4f%n", t.evaluate(test).accuracy());
    }
    return 0;
  }

  private <E extends Enum<E>> E parseEnum(Class<E> type, String value, String option) {
    try {
      return Enum.valueOf(type, value.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + ": unknown value '" + value + "'; expected one of "
          + Arrays.toString(type.getEnumConstants()).toLowerCase());
    }
  }
}
