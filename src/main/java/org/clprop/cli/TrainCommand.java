package org.clprop.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import org.clprop.BatchEnd;
import org.clprop.Callback;
import org.clprop.EpochStats;
import org.clprop.FitControl;
import org.clprop.History;
import org.clprop.Shuffling;
import org.clprop.Trainer;
import org.clprop.TrainerConfig;
import org.clprop.core.Network;
import org.clprop.data.DataSource;
import org.clprop.data.Dataset;
import org.clprop.data.Split;
import org.clprop.io.DataFormatException;
import org.clprop.model.Checkpoint;
import org.clprop.model.ModelSpec;
import org.clprop.optim.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code clprop train}: trains a network, reports each epoch and the test accuracy, saves the model. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a network (default: on the embedded digits) and print its test accuracy.")
final class TrainCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

  /** Below this many training examples the default batch is 32, else 128. */
  private static final int SMALL_DATA = 10_000;

  @Spec
  CommandSpec spec;

  @Mixin
  DataOptions dataOptions;

  @Option(names = "--data", defaultValue = "digits", description = "digits (embedded), fashion-mnist, mnist, a folder "
      + "of IDX files, a .csv[.gz], a .npz with x and y, a folder of x.npy and y.npy, or a .npy table whose last "
      + "column is the label. Default: ${DEFAULT-VALUE}.")
  String data;

  @ArgGroup(exclusive = true)
  Shape shape = new Shape();

  static final class Shape {
    @Option(names = "--layers", split = ",", description = "All layer sizes, e.g. 784,128,10.")
    int[] layers;

    @Option(names = "--hidden", split = ",", description = "Hidden layer sizes, e.g. 128,64; input and output sizes "
        + "come from the data. Default: 32.")
    int[] hidden;
  }

  @Option(names = "--epochs", defaultValue = "50", description = "Passes over the data (L-BFGS: iterations). Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--batch", description = "Minibatch size. Default: 128, or 32 for data of fewer than "
      + SMALL_DATA + " examples (more steps per epoch where an epoch is short).")
  Integer batch;

  @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, momentum, adam or lbfgs. Default: ${DEFAULT-VALUE}.")
  String optimizer;

  @Option(names = "--lr", description = "Learning rate (default: sgd 0.5, momentum 0.1, adam 0.003).")
  Double lr;

  @Option(names = "--lambda", defaultValue = "0", description = "L2 regularisation strength. Default: ${DEFAULT-VALUE}.")
  double lambda;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the weights, shuffles and validation split. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--shuffle", defaultValue = "auto", description = "auto, full or blocks: all examples shuffled "
      + "each epoch, or blocks of them and examples within windows of blocks (auto: blocks for a memory-mapped "
      + ".npy, full otherwise). Default: ${DEFAULT-VALUE}.")
  String shuffle;

  @Option(names = "--shuffle-window", defaultValue = "" + Shuffling.DEFAULT_WINDOW, description = "Blocks per "
      + "window of block shuffling. Default: ${DEFAULT-VALUE}.")
  int shuffleWindow;

  @Mixin
  BackendOptions backendOptions;

  @Option(names = "--validation", defaultValue = "0", description = "Fraction of the training data held out for "
      + "validation each epoch, e.g. 0.1. Default: none.")
  double validation;

  @Mixin
  NetworkOptions network;

  @Mixin
  StoppingOptions stopping;

  @Option(names = "--out", description = "Write the trained model here (.npz).")
  Path out;

  @Option(names = "--plot", description = "Write a PNG learning curve here.")
  Path plot;

  @Option(names = "--checkpoint", description = "Checkpoint file (default: the --out file with .checkpoint.npz, "
      + "else clprop-checkpoint.npz).")
  Path checkpoint;

  @Option(names = "--checkpoint-every", defaultValue = "0", description = "Write a checkpoint every N epochs "
      + "(Ctrl-C always writes one). Default: only on Ctrl-C.")
  int checkpointEvery;

  @Option(names = "--resume", description = "Continue from this checkpoint (give the same data and settings; "
      + "--epochs counts all epochs).")
  Path resume;

  @Mixin
  VerboseOption verbose;

  @Override
  public Integer call() throws Exception {
    Optimizer.Kind kind = Cli.parseEnum(spec, Optimizer.Kind.class, optimizer, "--optimizer");
    Shuffling.Kind shuffling = Cli.parseEnum(spec, Shuffling.Kind.class, shuffle, "--shuffle");
    backendOptions.kind(spec);
    if (checkpointEvery < 0) {
      throw new ParameterException(spec.commandLine(), "--checkpoint-every: " + checkpointEvery + ", must be >= 0");
    }
    Path ckpt = checkpoint != null ? checkpoint : out != null
        ? out.resolveSibling(out.getFileName().toString().replaceAll("\\.npz$", "") + ".checkpoint.npz")
        : Path.of("clprop-checkpoint.npz");
    files(ckpt).check();
    stopping.check(spec, validation != 0);
    long t0 = System.nanoTime();
    DataSource.Loaded loaded = dataOptions.load(data);
    LOG.info("loaded {} in {} ms, {} ms after the JVM started", loaded.name(), (System.nanoTime() - t0) / 1_000_000,
        sinceJvmStart());
    Dataset train = loaded.train();
    Dataset val = null;
    if (validation != 0) {
      if (!(validation > 0 && validation < 1)) {
        throw new ParameterException(spec.commandLine(), "--validation: " + validation + ", must lie between 0 and 1");
      }
      Split s = Split.of(train, validation, seed);
      train = s.first();
      val = s.second();
    }
    boolean minibatch = Optimizer.defaults(kind).isMinibatch();
    if (!minibatch && shuffling != Shuffling.Kind.AUTO) {
      throw new ParameterException(spec.commandLine(), "--shuffle has no effect with L-BFGS, which takes the whole "
          + "training set each iteration");
    }
    int batchSize = batch != null ? batch : train.size() < SMALL_DATA ? 32 : 128;
    if (!minibatch && (resume != null || checkpoint != null || checkpointEvery != 0)) {
      throw new ParameterException(spec.commandLine(), "--resume, --checkpoint and --checkpoint-every are for the "
          + "minibatch optimisers; an L-BFGS run is not resumable");
    }
    Checkpoint from = resume == null ? null : Checkpoint.load(resume);
    int[] layers = from != null ? from.network().sizes() : layerSizes(train);
    PrintWriter o = spec.commandLine().getOut();
    Trainer.Builder b;
    try {
      b = backendOptions.apply(spec, Trainer.builder().layers(layers).optimizer(kind).epochs(epochs).lambda(lambda)
          .seed(seed));
      network.apply(spec, b, train, from, resume);
      Optimizer opt = Optimizer.defaults(kind);
      stopping.apply(spec, b, lr == null ? opt : opt.withLearningRate(lr));
      if (minibatch || batch != null) {
        b.batchSize(batchSize);
      }
      if (minibatch) {
        b.shuffling(new Shuffling(shuffling, shuffleWindow));
      }
      if (lr != null) {
        b.learningRate(lr);
      }
      if (val != null) {
        b.validation(val);
      }
      if (minibatch) {
        b.checkpoint(ckpt, checkpointEvery);
      }
      if (from != null) {
        b.resumeFrom(from);
      }
      if (loaded.classNames().size() == layers[layers.length - 1]) {
        b.classNames(loaded.classNames());
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (from != null) {
      checkResumable(from, kind, train.size(), batchSize);
    }
    Network.checkFits(layers, Math.min(batchSize, train.size()), "the input layer has the data's " + train.features()
        + " features and the output layer a unit per class (its labels are 0.." + (train.classes() - 1) + "); give "
        + "--hidden or --layers fewer or smaller hidden layers, or a smaller --batch");
    b.callback(new Report(o, System.console() != null));
    b.callback(new FirstBatchTimer());
    try (Trainer t = b.build()) {
      o.printf("training %s%s on %s (%d examples%s) with %s, %s%n", Arrays.toString(layers), describe(t),
          loaded.name(), train.size(), val == null ? "" : ", " + val.size() + " for validation",
          kind.name().toLowerCase(), t.backendDescription());
      o.flush();
      if (from != null) {
        o.printf("resuming from %s after epoch %d%s%n", resume, from.epochsDone(),
            from.batchesDone() > 0 ? ", batch " + from.batchesDone() : "");
      }
      History h;
      LOG.info("backend ready {} ms after the JVM started", sinceJvmStart());
      try (Interrupts ignored = Interrupts.stopOnCtrlC(t)) {
        h = t.fit(train);
      }
      if (h.stopReason().startsWith("stop requested")) {
        spec.commandLine().getErr().printf("clprop: interrupted: %s%n", minibatch
            ? String.format("%s; checkpoint written to %s; continue with: clprop train %s --resume %s",
                h.stopReason().replace("stop requested ", "stopped "), ckpt, resumeArgs(), ckpt)
            : "stopped after iteration " + h.epochs().size() + "; an L-BFGS run is not resumable, no model written");
        return 130;
      }
      if (h.diverged()) {
        spec.commandLine().getErr().println("clprop: training " + h.stopReason() + (out == null ? ""
            : "; no model written to " + out));
        return 1;
      }
      o.printf("stopped: %s after %d epochs%s%n", h.stopReason(), h.epochs().size(),
          h.bestEpoch() != h.last().epoch() ? " (kept the weights of epoch " + h.bestEpoch() + ")" : "");
      if (loaded.test() != null) {
        o.printf("test accuracy: %.4f%n", t.evaluate(loaded.test()).accuracy());
      }
      if (out != null) {
        t.save(out, Map.of("data", loaded.name()));
        o.println("model written to " + out);
      }
      if (plot != null) {
        try {
          LearningCurve.write(plot, h.epochs(), Arrays.toString(layers) + " on " + loaded.name());
        } catch (LinkageError | java.awt.AWTError e) {
          throw new IllegalStateException("--plot: this Java runtime cannot draw (" + e.getMessage() + "); it needs "
              + "the java.desktop module and the system's font libraries (Debian: libfreetype6, libharfbuzz0b, "
              + "fontconfig)" + (out == null ? "" : "; the model was written to " + out), e);
        }
        o.println("learning curve written to " + plot);
      }
    }
    return 0;
  }

  /**
   * Every file this run reads and writes: no output may be an input or another output. The
   * checkpoint's folder is probed only when one is asked for, not when it is written on Ctrl-C
   * alone; and it may be the file resumed, which it continues.
   */
  private FileOptions files(Path ckpt) {
    String ckptOption = checkpoint != null ? "--checkpoint" : "--checkpoint (by default " + ckpt + ")";
    return new FileOptions(spec).reads("--data", DataSource.inputFiles(data, dataOptions.dataDir))
        .reads("--resume", resume).writes("--out", out, true).writes("--plot", plot, true)
        .writes(ckptOption, ckpt, checkpoint != null || checkpointEvery > 0).mayReplace(ckptOption, "--resume");
  }

  /** Fails, naming the file, unless {@code c} continues this run's optimiser, epochs, data and batch size. */
  private void checkResumable(Checkpoint c, Optimizer.Kind kind, int examples, int batchSize) {
    try {
      c.checkResumable(kind, epochs, examples, batchSize);
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(resume + ": " + e.getMessage());
    }
  }

  /** The options this run was given, less any --resume, for the message that says how to continue. */
  private String resumeArgs() {
    java.util.List<String> args = new java.util.ArrayList<>(spec.commandLine().getParseResult().originalArgs());
    if (!args.isEmpty() && args.get(0).equals("train")) {
      args.remove(0);
    }
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--resume") && i + 1 < args.size()) {
        args.remove(i + 1);
        args.remove(i--);
      } else if (args.get(i).startsWith("--resume=")) {
        args.remove(i--);
      }
    }
    return String.join(" ", args);
  }

  /** " (relu hidden units, softmax outputs, standard scaling)", or nothing for the course's network. */
  private static String describe(Trainer t) {
    TrainerConfig c = t.config();
    if (c.activation() == ModelSpec.Activation.SIGMOID && c.output() == ModelSpec.Output.SIGMOID
        && c.scalingKind() == null) {
      return "";
    }
    return " (" + c.activation().jsonName() + " hidden units, " + c.output().jsonName() + " outputs, "
        + (c.scalingKind() == null ? "no" : c.scalingKind().jsonName()) + " scaling)";
  }

  private int[] layerSizes(Dataset train) {
    if (shape.layers != null) {
      if (shape.layers.length < 2) {
        throw new ParameterException(spec.commandLine(), "--layers: need at least input and output sizes");
      }
      if (shape.layers[0] != train.features()) {
        throw new ParameterException(spec.commandLine(), "--layers: the input layer has " + shape.layers[0]
            + " units but the data has " + train.features() + " features");
      }
      if (shape.layers[shape.layers.length - 1] < train.classes()) {
        throw new ParameterException(spec.commandLine(), "--layers: the output layer has "
            + shape.layers[shape.layers.length - 1] + " units but the data has " + train.classes() + " classes");
      }
      return shape.layers;
    }
    int[] hidden = shape.hidden != null ? shape.hidden : new int[] {32};
    int[] l = new int[hidden.length + 2];
    l[0] = train.features();
    System.arraycopy(hidden, 0, l, 1, hidden.length);
    l[l.length - 1] = train.classes();
    return l;
  }

  private static long sinceJvmStart() {
    return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  /** Logs, once, how long after the JVM started the first batch finished (start-up cost, with --verbose). */
  private static final class FirstBatchTimer implements Callback {
    private boolean done;

    @Override
    public int batchInterval() {
      return done ? 0 : 1;
    }

    @Override
    public void onBatchEnd(BatchEnd b, FitControl fit) {
      if (!done) {
        done = true;
        LOG.info("first batch done {} ms after the JVM started", sinceJvmStart());
      }
    }
  }

  /** One line per epoch; on a terminal, a progress bar within the epoch (no device sync: no cost asked). */
  private static final class Report implements Callback {
    private final PrintWriter out;
    private final boolean terminal;

    Report(PrintWriter out, boolean terminal) {
      this.out = out;
      this.terminal = terminal;
    }

    @Override
    public int batchInterval() {
      return terminal ? 8 : 0;
    }

    @Override
    public void onBatchEnd(BatchEnd b, FitControl fit) {
      int width = 30;
      int done = (int) ((long) b.batch() * width / b.batches());
      out.printf("\repoch %3d [%s%s] %3d%%", b.epoch(), "=".repeat(done), " ".repeat(width - done),
          b.batch() * 100 / b.batches());
      out.flush();
    }

    @Override
    public void onEpochEnd(EpochStats s, FitControl fit) {
      if (terminal) {
        out.print("\r" + " ".repeat(50) + "\r");
      }
      out.printf("epoch %3d  cost %.4f  train %.4f  %s  %,10.0f samples/s%n", s.epoch(), s.cost(), s.accuracy(),
          s.hasValidation() ? String.format("val %.4f", s.validationAccuracy()) : "val   -   ", s.samplesPerSecond());
      out.flush();
    }
  }
}
