package org.clprop.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clprop.backend.OptimizerState;
import org.clprop.core.Network;
import org.clprop.io.DataFormatException;
import org.clprop.npy.NpyArray;
import org.clprop.npy.Npz;
import org.clprop.optim.Optimizer;

/**
 * Everything needed to continue a fit exactly where it stopped: the weights, the optimiser's state,
 * how far training got (whole epochs, and batches of the epoch under way) and the seed and fit
 * count that fix the shuffles, and the history so far. Stored as .npz (the Theta arrays as in a
 * model file, so a checkpoint also loads as a model), written atomically.
 *
 * @param network the layer sizes and the weights
 * @param optimizer the optimiser's step count and per-parameter vectors
 * @param epochsDone whole epochs completed
 * @param batchesDone batches completed of the epoch under way, 0 at an epoch's end
 * @param shuffleSeed the seed of the shuffles' generator, drawn from the trainer's seed and fit count
 * @param history the epochs completed, in order, one row of {@link #HISTORY_COLUMNS} numbers each
 *     (the fields of {@code org.clprop.EpochStats}, in its order)
 * @param spec what the network computes: its activation, output and input scaling (meta.json's
 *     fields, as in a model file)
 */
public record Checkpoint(Network network, OptimizerState optimizer, int epochsDone, int batchesDone,
    long shuffleSeed, List<double[]> history, ModelSpec spec) {

  /** A history row's columns: epoch, cost, accuracy, validation cost and accuracy, samples/s, seconds. */
  public static final int HISTORY_COLUMNS = 7;

  /**
   * The settings a checkpoint was made with, recorded in its meta.json for people (resuming checks
   * the state itself, see {@link #checkResumable}).
   *
   * @param optimizer the update rule and its learning rate
   * @param lambda the regularisation strength
   * @param batch examples per minibatch
   * @param seed the trainer's seed
   */
  public record Run(Optimizer optimizer, double lambda, int batch, long seed) {}

  /** Copies {@code history}, checking each row's width. */
  public Checkpoint {
    for (double[] row : history) {
      if (row.length != HISTORY_COLUMNS) {
        throw new IllegalArgumentException("history row of " + row.length + " numbers, expected " + HISTORY_COLUMNS);
      }
    }
    history = history.stream().map(double[]::clone).toList();
    java.util.Objects.requireNonNull(spec, "spec");
  }

  /** A checkpoint of the course's network (sigmoid units and outputs, no scaling). */
  public Checkpoint(Network network, OptimizerState optimizer, int epochsDone, int batchesDone, long shuffleSeed,
      List<double[]> history) {
    this(network, optimizer, epochsDone, batchesDone, shuffleSeed, history, ModelSpec.COURSE);
  }

  /**
   * Writes this checkpoint to {@code file} atomically, with a meta.json of the run's settings and
   * the progress, the layer sizes and clprop's version.
   */
  public void save(Path file, Run run) throws IOException {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("optimizer", run.optimizer().kind().name().toLowerCase(java.util.Locale.ROOT));
    meta.put("learningRate", run.optimizer().learningRate());
    meta.put("lambda", run.lambda());
    meta.put("batch", run.batch());
    meta.put("seed", run.seed());
    meta.put("epochsDone", epochsDone);
    meta.put("batchesDone", batchesDone);
    meta.putAll(spec.toMeta());
    save(file, meta);
  }

  /**
   * Writes this checkpoint to {@code file} atomically, with a meta.json made of {@code meta} (as
   * {@link ModelFile#save} takes it) plus the layer sizes and clprop's version.
   */
  public void save(Path file, Map<String, Object> meta) throws IOException {
    Map<String, NpyArray> arrays = ModelFile.thetaArrays(network);
    if (optimizer.first() != null) {
      arrays.put("optimizer_first", vector(optimizer.first()));
    }
    if (optimizer.second() != null) {
      arrays.put("optimizer_second", vector(optimizer.second()));
    }
    arrays.put("progress", new NpyArray("<i8", new int[] {4},
        new double[] {optimizer.step(), epochsDone, batchesDone, 0}));
    // The shuffle seed as two 32-bit halves: a double holds any of them exactly.
    arrays.put("shuffle_seed", new NpyArray("<i8", new int[] {2},
        new double[] {shuffleSeed >>> 32, shuffleSeed & 0xFFFFFFFFL}));
    double[] h = new double[history.size() * HISTORY_COLUMNS];
    for (int i = 0; i < history.size(); i++) {
      System.arraycopy(history.get(i), 0, h, i * HISTORY_COLUMNS, HISTORY_COLUMNS);
    }
    arrays.put("history", NpyArray.float64(new int[] {history.size(), HISTORY_COLUMNS}, h));
    Npz.write(file, arrays, Map.of("meta.json", ModelFile.metaJson("clprop checkpoint", network, meta)));
  }

  /**
   * Reads a checkpoint written by {@link #save}, once (a pipe or FIFO works), and checks that its
   * progress is whole and consistent.
   *
   * @throws DataFormatException when {@code file} is not a clprop checkpoint (a model file has no
   *     progress to resume) or its parts disagree
   */
  public static Checkpoint load(Path file) {
    Npz.Contents c = Npz.read(file);
    ModelFile.Model model = ModelFile.of(file, c);
    Map<String, NpyArray> a = c.arrays();
    NpyArray progress = a.get("progress");
    NpyArray seed = a.get("shuffle_seed");
    NpyArray history = a.get("history");
    if (progress == null || seed == null || history == null || progress.values().length != 4
        || seed.values().length != 2 || history.shape().length != 2 || history.cols() != HISTORY_COLUMNS) {
      throw new DataFormatException(file + ": not a clprop checkpoint (needs progress, shuffle_seed and history "
          + "arrays; a model file cannot be resumed)");
    }
    int params = model.network().parameterCount();
    float[] first = floats(file, a.get("optimizer_first"), params);
    float[] second = floats(file, a.get("optimizer_second"), params);
    if (first == null && second != null) {
      throw new DataFormatException(file + ": optimizer_second without optimizer_first");
    }
    double[] p = progress.values();
    long step = whole(file, "optimiser steps (progress[0])", p[0], 1L << 53);
    int epochsDone = (int) whole(file, "epochs done (progress[1])", p[1], Integer.MAX_VALUE);
    int batchesDone = (int) whole(file, "batches done (progress[2])", p[2], Integer.MAX_VALUE);
    long s = (whole(file, "shuffle_seed[0]", seed.values()[0], 0xFFFFFFFFL) << 32)
        | whole(file, "shuffle_seed[1]", seed.values()[1], 0xFFFFFFFFL);
    if (history.rows() != epochsDone) {
      throw new DataFormatException(file + ": a history of " + history.rows() + " epochs, but progress says "
          + epochsDone + " epochs are done");
    }
    List<double[]> h = new ArrayList<>();
    double[] hv = history.values();
    for (int i = 0; i < history.rows(); i++) {
      h.add(java.util.Arrays.copyOfRange(hv, i * HISTORY_COLUMNS, (i + 1) * HISTORY_COLUMNS));
    }
    return new Checkpoint(model.network(), new OptimizerState(step, first, second), epochsDone, batchesDone, s, h,
        model.spec());
  }

  /** The optimiser whose state this checkpoint holds: SGD none, momentum a velocity, Adam two moments. */
  public Optimizer.Kind optimizerKind() {
    return optimizer.first() == null ? Optimizer.Kind.SGD : optimizer.second() == null ? Optimizer.Kind.MOMENTUM
        : Optimizer.Kind.ADAM;
  }

  /**
   * Fails unless this checkpoint can continue a fit of {@code epochs} epochs in all, with
   * {@code kind}, over {@code examples} examples in batches of {@code batchSize}: the optimiser that
   * made it, no more epochs done than asked for, and as many optimiser steps as that many epochs
   * and batches take (other data or another batch size give another count). Checked before any
   * shuffle is replayed, so that a crafted progress cannot keep the replay busy.
   *
   * @throws IllegalArgumentException saying what does not fit and what to give instead
   */
  public void checkResumable(Optimizer.Kind kind, int epochs, int examples, int batchSize) {
    Optimizer.Kind made = optimizerKind();
    if (kind != made) {
      throw new IllegalArgumentException("the checkpoint holds the state of " + name(made) + " ("
          + (made == Optimizer.Kind.SGD ? "none" : made == Optimizer.Kind.MOMENTUM ? "a velocity" : "two moments")
          + "); resume it with optimizer " + name(made) + ", not " + name(kind));
    }
    if (epochsDone > epochs) {
      throw new IllegalArgumentException("the checkpoint has " + epochsDone + " epochs done, more than the " + epochs
          + " epochs asked for (the count includes those done)");
    }
    int batch = Math.min(batchSize, examples);
    long batches = (examples + (long) batch - 1) / batch;
    long steps = epochsDone * batches + batchesDone;
    if (batchesDone >= batches || optimizer.step() != steps) {
      throw new IllegalArgumentException("the checkpoint stopped after " + optimizer.step() + " steps (" + epochsDone
          + " epochs and " + batchesDone + " batches), which does not fit " + examples + " examples in batches of "
          + batch + " (" + batches + " an epoch); resume with the data and batch size it was made with");
    }
  }

  /**
   * Fails unless this checkpoint's network computes what {@code wanted} says: the same activation,
   * output and scaling (statistics learned from the same training data are equal to the bit).
   *
   * @throws IllegalArgumentException naming both
   */
  public void checkSpec(ModelSpec wanted) {
    if (!spec.equals(wanted)) {
      throw new IllegalArgumentException("the checkpoint's network has " + spec.describe() + ", this fit "
          + wanted.describe() + "; resume with the settings and data it was made with");
    }
  }

  private static String name(Optimizer.Kind k) {
    return k.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code v} as a whole number in 0..max, or a message naming the file and the field. */
  private static long whole(Path file, String what, double v, long max) {
    if (!(v >= 0 && v <= max && v == Math.rint(v))) {
      throw new DataFormatException(file + ": " + what + " is " + v + ", not a whole number in 0.." + max);
    }
    return (long) v;
  }

  private static NpyArray vector(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return new NpyArray("<f4", new int[] {v.length}, d);
  }

  private static float[] floats(Path file, NpyArray a, int params) {
    if (a == null) {
      return null;
    }
    if (a.values().length != params) {
      throw new DataFormatException(file + ": optimiser state of " + a.values().length + " values for " + params
          + " parameters");
    }
    float[] f = new float[params];
    for (int i = 0; i < params; i++) {
      f[i] = (float) a.values()[i];
    }
    return f;
  }
}
