package org.clprop.cli;

import org.clprop.EarlyStop;
import org.clprop.Trainer;
import org.clprop.optim.LearningRateSchedule;
import org.clprop.optim.Optimizer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code train}'s learning-rate schedule and early stopping: --lr-schedule, --early-stop, --monitor, --min-delta. */
final class StoppingOptions {
  @Option(names = "--lr-schedule", description = "The learning rate of each epoch, from --lr: constant (default), "
      + "step:EVERY:FACTOR (times FACTOR every EVERY epochs, e.g. step:10:0.5) or cosine[:MIN] (half a cosine from "
      + "--lr down to MIN, default 0, over --epochs). Minibatch optimisers.")
  String schedule;

  @Option(names = "--early-stop", description = "Stop after this many epochs in a row without a better validation "
      + "figure (--monitor) and keep the weights of the best epoch (needs --validation).")
  Integer patience;

  @Option(names = "--monitor", defaultValue = "val_accuracy", description = "What --early-stop watches: val_accuracy "
      + "or val_cost (J on the validation data). Default: ${DEFAULT-VALUE}.")
  String monitor;

  @Option(names = "--min-delta", description = "The least change of the monitored figure that counts as better, "
      + "as Keras' min_delta (with --early-stop). Default: 0.")
  Double minDelta;

  /** Fails, naming the option, where one is given without what it needs. */
  void check(CommandSpec spec, boolean validation) {
    if (patience != null && !validation) {
      throw new ParameterException(spec.commandLine(), "--early-stop needs --validation FRACTION");
    }
    if (patience == null && (minDelta != null || !monitor.equals("val_accuracy"))) {
      throw new ParameterException(spec.commandLine(), (minDelta != null ? "--min-delta" : "--monitor")
          + " has no effect without --early-stop PATIENCE");
    }
  }

  /**
   * Sets the schedule and the early stopping on {@code b}, for optimiser {@code opt} (its learning
   * rate the one given or its default); a value that is bad or has no effect is a usage error.
   */
  Trainer.Builder apply(CommandSpec spec, Trainer.Builder b, Optimizer opt) {
    if (schedule != null) {
      if (!opt.isMinibatch()) {
        throw new ParameterException(spec.commandLine(), "--lr-schedule has no effect with L-BFGS, which chooses "
            + "its own steps");
      }
      try {
        LearningRateSchedule s = LearningRateSchedule.parse(schedule);
        s.checkBase(opt.learningRate());
        b.learningRateSchedule(s);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--lr-schedule: " + e.getMessage());
      }
    }
    if (patience != null) {
      EarlyStop.Monitor m = Cli.parseEnum(spec, EarlyStop.Monitor.class, monitor, "--monitor");
      b.earlyStopping(new EarlyStop(m, patience, minDelta == null ? 0 : minDelta));
    }
    return b;
  }
}
