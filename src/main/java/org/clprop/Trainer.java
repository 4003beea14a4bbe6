package org.clprop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.clprop.backend.Backend;
import org.clprop.backend.BackendKind;
import org.clprop.backend.Evaluation;
import org.clprop.backend.Regularization;
import org.clprop.backend.StepMetrics;
import org.clprop.core.CostGradient;
import org.clprop.core.Matrix;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.data.Shuffle;
import org.clprop.model.Checkpoint;
import org.clprop.optim.Lbfgs;
import org.clprop.optim.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library's front door: trains a fully connected sigmoid network by backpropagation on the
 * chosen backend and answers questions about it.
 *
 * <pre>{@code
 * try (Trainer t = Trainer.builder().layers(64, 32, 10).optimizer(Optimizer.adam(0.01)).build()) {
 *   History h = t.fit(train);
 *   double acc = t.evaluate(test).accuracy();
 * }
 * }</pre>
 *
 * <p>Threading: a trainer is used by one thread at a time; a call made while another thread is
 * inside one of its methods fails with an {@link IllegalStateException}. Separate trainers are
 * independent and may run in parallel. {@link #requestStop()} may be called from any thread.
 */
public final class Trainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  /** Rows per chunk when L-BFGS sweeps the whole training set. */
  private static final int FULL_BATCH_CHUNK = 1024;

  private final TrainerConfig config;
  private final Backend backend;
  private final AtomicReference<Thread> user = new AtomicReference<>();
  private volatile boolean stopRequested;
  private int fits;
  private boolean resumed;
  private boolean closed;

  private Trainer(TrainerConfig config, Backend backend) {
    this.config = config;
    this.backend = backend;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The settings this trainer was built with. */
  public TrainerConfig config() {
    return config;
  }

  /** Which backend runs the arithmetic, for example "cpu (2 threads)". */
  public String backendDescription() {
    return backend.description();
  }

  /** Trains on {@code x} (one row per example) with labels 0..K-1. */
  public History fit(float[][] x, int[] y) {
    return fit(toDataset(x, y));
  }

  /**
   * Trains from the current weights for the configured number of epochs and returns the per-epoch
   * history. With validation data and early stopping, the trainer ends holding the weights of the
   * best validation epoch.
   */
  public History fit(Dataset train) {
    enter();
    try {
      checkData("train", train);
      stopRequested = false;
      fits++;
      return config.optimizer().isMinibatch() ? fitMinibatch(train) : fitLbfgs(train);
    } finally {
      leave();
    }
  }

  /** Asks a running {@link #fit} to stop after the current batch; safe from any thread. */
  public void requestStop() {
    stopRequested = true;
  }

  /** Cost J (with this trainer's lambda) and accuracy on {@code data}. */
  public Evaluation evaluate(Dataset data) {
    enter();
    try {
      checkData("data", data);
      return backend.evaluate(data, config.lambda());
    } finally {
      leave();
    }
  }

  /** J on {@code data} at the current weights, with this trainer's lambda. */
  public double cost(Dataset data) {
    return evaluate(data).cost();
  }

  /** J and the gradients D(l) on {@code data} at the current weights (float32 backend arithmetic). */
  public CostGradient gradients(Dataset data) {
    enter();
    try {
      checkData("data", data);
      float[] g = new float[Network.parameterCount(config.layerSizes())];
      double cost = backend.costAndGradient(data, config.lambda(), g);
      return new CostGradient(cost, Network.fromFlatFloats(config.layerSizes(), g).thetas());
    } finally {
      leave();
    }
  }

  /** The predicted class of each row: the index of the largest output, the first on ties. */
  public int[] predict(float[][] x) {
    float[][] p = predictProbabilities(x);
    int[] out = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = argmax(p[i], 0, p[i].length);
    }
    return out;
  }

  /** The index (0..k-1) of the largest of p[off .. off+k), the first on ties: a predicted class. */
  public static int argmax(float[] p, int off, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (p[off + j] > p[off + best]) {
        best = j;
      }
    }
    return best;
  }

  /** The predicted class of each example of {@code data}. */
  public int[] predict(Dataset data) {
    enter();
    try {
      checkData("data", data);
      int k = config.layerSizes()[config.layerSizes().length - 1];
      float[] p = backend.predictProbabilities(data.x(), data.size());
      int[] out = new int[data.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = argmax(p, i * k, k);
      }
      return out;
    } finally {
      leave();
    }
  }

  /** The output activations h = a(L), one row of K values per example. */
  public float[][] predictProbabilities(float[][] x) {
    enter();
    try {
      int n = config.layerSizes()[0];
      float[] flat = new float[x.length * n];
      for (int i = 0; i < x.length; i++) {
        if (x[i].length != n) {
          throw new IllegalArgumentException("x[" + i + "]: " + x[i].length + " features, the input layer has " + n);
        }
        for (int c = 0; c < n; c++) {
          if (!Float.isFinite(x[i][c])) {
            throw new IllegalArgumentException("x[" + i + "][" + c + "] = " + x[i][c] + ": features must be finite");
          }
        }
        System.arraycopy(x[i], 0, flat, i * n, n);
      }
      int k = config.layerSizes()[config.layerSizes().length - 1];
      float[] p = x.length == 0 ? new float[0] : backend.predictProbabilities(flat, x.length);
      float[][] out = new float[x.length][];
      for (int i = 0; i < x.length; i++) {
        out[i] = Arrays.copyOfRange(p, i * k, (i + 1) * k);
      }
      return out;
    } finally {
      leave();
    }
  }

  /** The current network: layer sizes and the Theta matrices (read from the backend). */
  public Network network() {
    enter();
    try {
      return Network.fromFlatFloats(config.layerSizes(), backend.parameters());
    } finally {
      leave();
    }
  }

  /** Theta(1) .. Theta(L-1), bias as column 0. */
  public List<Matrix> thetas() {
    return network().thetas();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      backend.close();
    }
  }

  // ---- training loops -------------------------------------------------------------------------

  private History fitMinibatch(Dataset train) {
    int m = train.size();
    int batch = Math.min(config.batchSize(), m);
    int batches = (m + batch - 1) / batch;
    backend.bindTrainingSet(train, batch);
    backend.setOptimizer(config.optimizer());
    Checkpoint resume = resumed ? null : config.resume();
    resumed = true;
    long shuffleSeed = resume != null ? resume.shuffleSeed() : config.seed() * 0x9E3779B97F4A7C15L + fits;
    SplittableRandom rng = new SplittableRandom(shuffleSeed);
    int[] order = new int[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    List<EpochStats> epochs = new ArrayList<>();
    int startEpoch = 1;
    int startBatch = 0;
    if (resume != null) {
      resume.checkResumable(config.optimizer().kind(), config.epochs(), m, config.batchSize());
      backend.setOptimizerState(resume.optimizer());
      epochs.addAll(resume.history());
      startEpoch = resume.epochsDone() + 1;
      startBatch = resume.batchesDone();
      // Replay the shuffles of the epochs done (and of the one under way) to reach the same order.
      for (int e = 0; config.shuffle() && e < resume.epochsDone() + (startBatch > 0 ? 1 : 0); e++) {
        Shuffle.shuffle(order, rng);
      }
    }
    EarlyStopping early = new EarlyStopping();
    String reason = "completed";
    // The weights at the end of the last epoch whose cost was finite, to fall back on if training diverges.
    float[] lastGood = backend.parameters();
    for (int epoch = startEpoch; epoch <= config.epochs(); epoch++) {
      long t0 = System.nanoTime();
      int firstBatch = epoch == startEpoch ? startBatch : 0;
      if (config.shuffle() && firstBatch == 0) {
        Shuffle.shuffle(order, rng);
      }
      backend.setOrder(order);
      double costSum = 0;
      long correct = 0;
      long seen = 0;
      int windowStart = 0;
      int badBatch = -1;
      int b = firstBatch;
      for (; b < batches; b++) {
        int from = b * batch;
        int count = Math.min(batch, m - from);
        backend.trainStep(from, count, config.lambda());
        seen += count;
        if (!config.batchCallbacks().isEmpty() || stopRequested) {
          StepMetrics partial = batchCallbacks(epoch, b + 1, batches, seen);
          if (partial != StepMetrics.EMPTY) {
            costSum += partial.costSum();
            correct += partial.correct();
            if (badBatch < 0 && partial.firstNonFiniteStep() >= 0) {
              badBatch = windowStart + partial.firstNonFiniteStep() + 1;
            }
            windowStart = b + 1;
          }
        }
        if (stopRequested || badBatch > 0) {
          b++;
          break;
        }
      }
      StepMetrics rest = backend.takeMetrics();
      costSum += rest.costSum();
      correct += rest.correct();
      if (badBatch < 0 && rest.firstNonFiniteStep() >= 0) {
        badBatch = windowStart + rest.firstNonFiniteStep() + 1;
      }
      double trainSeconds = (System.nanoTime() - t0) / 1e9;
      if (badBatch > 0 || !Double.isFinite(costSum)) {
        backend.setParameters(lastGood);
        reason = String.format("diverged at epoch %d, batch %d: the cost became %s; %s kept; try a smaller "
            + "learning rate (now %s)", epoch, Math.max(badBatch, 1), Double.isNaN(costSum) ? "NaN" : "infinite",
            epoch == 1 ? "the starting weights are" : "the weights of epoch " + (epoch - 1) + " are",
            config.optimizer().learningRate());
        LOG.warn(reason);
        break;
      }
      float[] now = backend.parameters();
      if (stopRequested && b < batches) {
        // Stopped inside the epoch: checkpoint the exact point, record no partial epoch.
        reason = "stop requested at epoch " + epoch + ", batch " + b + " of " + batches;
        writeCheckpoint(now, epoch - 1, b, shuffleSeed, epochs);
        break;
      }
      double reg = config.lambda() == 0 ? 0 : Regularization.term(config.layerSizes(), now, config.lambda(), m);
      EpochStats stats = finishEpoch(epoch, costSum / Math.max(1, seen) + reg, (double) correct / Math.max(1, seen),
          seen, trainSeconds, t0);
      epochs.add(stats);
      lastGood = now;
      if (config.checkpointEvery() > 0 && epoch % config.checkpointEvery() == 0 || stopRequested) {
        writeCheckpoint(now, epoch, 0, shuffleSeed, epochs);
      }
      if (stopRequested) {
        reason = "stop requested at the end of epoch " + epoch;
        break;
      }
      if (early.update(stats)) {
        reason = "early stopping";
        break;
      }
    }
    return new History(epochs, early.restoreBest(epochs), reason);
  }

  private void writeCheckpoint(float[] params, int epochsDone, int batchesDone, long shuffleSeed,
      List<EpochStats> history) {
    if (config.checkpointFile() == null) {
      return;
    }
    Checkpoint c = new Checkpoint(Network.fromFlatFloats(config.layerSizes(), params), backend.optimizerState(),
        epochsDone, batchesDone, shuffleSeed, history);
    java.util.Map<String, Object> meta = new java.util.LinkedHashMap<>();
    meta.put("optimizer", config.optimizer().kind().name().toLowerCase());
    meta.put("learningRate", config.optimizer().learningRate());
    meta.put("lambda", config.lambda());
    meta.put("batch", config.batchSize());
    meta.put("seed", config.seed());
    meta.put("epochsDone", epochsDone);
    meta.put("batchesDone", batchesDone);
    try {
      c.save(config.checkpointFile(), meta);
      LOG.info("checkpoint written to {} (epoch {}, batch {})", config.checkpointFile(), epochsDone, batchesDone);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("writing checkpoint " + config.checkpointFile() + ": " + e.getMessage(),
          e);
    }
  }

  private History fitLbfgs(Dataset train) {
    int[] sizes = config.layerSizes();
    backend.bindTrainingSet(train, Math.min(train.size(), FULL_BATCH_CHUNK));
    float[] params = backend.parameters();
    float[] g = new float[params.length];
    double[] x0 = new double[params.length];
    for (int i = 0; i < params.length; i++) {
      x0[i] = params[i];
    }
    // J and D at x: the weights are rounded to float32 and uploaded, D computed over all of train.
    Lbfgs.Function f = (x, grad) -> {
      for (int i = 0; i < x.length; i++) {
        params[i] = (float) x[i];
      }
      backend.setParameters(params);
      double j = backend.boundGradient(config.lambda(), g);
      for (int i = 0; i < g.length; i++) {
        grad[i] = g[i];
      }
      return j;
    };
    Lbfgs lbfgs = new Lbfgs(f, x0, config.optimizer().history());
    List<EpochStats> epochs = new ArrayList<>();
    EarlyStopping early = new EarlyStopping();
    String reason = "completed";
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      long t0 = System.nanoTime();
      int before = lbfgs.evaluations();
      boolean moved = lbfgs.iterate();
      double[] x = lbfgs.x();
      for (int i = 0; i < x.length; i++) {
        params[i] = (float) x[i];
      }
      backend.setParameters(params);
      double trainSeconds = (System.nanoTime() - t0) / 1e9;
      long samples = (long) (lbfgs.evaluations() - before) * train.size();
      Evaluation onTrain = backend.evaluate(train, config.lambda());
      epochs.add(finishEpoch(epoch, lbfgs.value(), onTrain.accuracy(), samples, trainSeconds, t0));
      if (stopRequested) {
        reason = "stop requested";
        break;
      }
      if (!moved) {
        reason = "converged";
        break;
      }
      if (early.update(epochs.get(epochs.size() - 1))) {
        reason = "early stopping";
        break;
      }
    }
    return new History(epochs, early.restoreBest(epochs), reason);
  }

  private StepMetrics batchCallbacks(int epoch, int batch, int batches, long seen) {
    StepMetrics partial = StepMetrics.EMPTY;
    for (Callback c : config.batchCallbacks()) {
      int every = c.batchInterval();
      if (every > 0 && (batch % every == 0 || batch == batches)) {
        if (c.wantsBatchCost() && partial == StepMetrics.EMPTY) {
          partial = backend.takeMetrics();
        }
        c.onBatchEnd(new BatchEnd(epoch, batch, batches, seen, c.wantsBatchCost() ? partial.meanCost() : Double.NaN));
      }
    }
    return partial;
  }

  private EpochStats finishEpoch(int epoch, double cost, double accuracy, long samples, double trainSeconds,
      long t0) {
    double vCost = Double.NaN;
    double vAcc = Double.NaN;
    if (config.validation() != null) {
      Evaluation v = backend.evaluate(config.validation(), config.lambda());
      vCost = v.cost();
      vAcc = v.accuracy();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    EpochStats stats = new EpochStats(epoch, cost, accuracy, vCost, vAcc, samples / trainSeconds, seconds);
    LOG.debug("epoch {}: cost {} accuracy {} validation {} ({} samples/s)", epoch, cost, accuracy, vAcc,
        Math.round(stats.samplesPerSecond()));
    for (Callback c : config.callbacks()) {
      c.onEpochEnd(stats);
    }
    return stats;
  }

  /** Patience on validation accuracy; keeps a copy of the best weights. */
  private final class EarlyStopping {
    private double best = Double.NEGATIVE_INFINITY;
    private int bestEpoch;
    private float[] bestParams;

    /** Records an epoch; true when training should stop. */
    boolean update(EpochStats stats) {
      if (config.earlyStopPatience() <= 0 || !stats.hasValidation()) {
        bestEpoch = stats.epoch();
        return false;
      }
      if (stats.validationAccuracy() > best) {
        best = stats.validationAccuracy();
        bestEpoch = stats.epoch();
        bestParams = backend.parameters();
        return false;
      }
      return stats.epoch() - bestEpoch >= config.earlyStopPatience();
    }

    /** Puts the best weights back when they are not the current ones; returns their epoch. */
    int restoreBest(List<EpochStats> epochs) {
      int last = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch();
      if (bestParams != null && bestEpoch != last) {
        backend.setParameters(bestParams);
        LOG.info("restored the weights of epoch {} (validation accuracy {})", bestEpoch, best);
        return bestEpoch;
      }
      return last;
    }
  }

  // ---- checks -----------------------------------------------------------------------------------

  private void checkData(String name, Dataset data) {
    Objects.requireNonNull(data, name);
    int[] s = config.layerSizes();
    if (data.size() == 0) {
      throw new IllegalArgumentException(name + ": empty, need at least one example");
    }
    if (data.features() != s[0]) {
      throw new IllegalArgumentException(name + ": " + data.features() + " features per example, but layerSizes[0] = "
          + s[0]);
    }
    int k = s[s.length - 1];
    int[] y = data.labels();
    for (int i = 0; i < y.length; i++) {
      if (y[i] >= k) {
        throw new IllegalArgumentException(name + ": label " + y[i] + " at example " + i + " is outside 0.." + (k - 1)
            + " (the output layer has " + k + " units)");
      }
    }
  }

  private Dataset toDataset(float[][] x, int[] y) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    int[] s = config.layerSizes();
    int k = s[s.length - 1];
    for (int i = 0; i < y.length; i++) {
      if (y[i] < 0 || y[i] >= k) {
        throw new IllegalArgumentException("y[" + i + "] = " + y[i] + ": labels must lie in 0.." + (k - 1));
      }
    }
    return Dataset.of(x, y, k);
  }

  private void enter() {
    if (closed) {
      throw new IllegalStateException("this Trainer is closed");
    }
    Thread me = Thread.currentThread();
    if (!user.compareAndSet(null, me) && user.get() != me) {
      throw new IllegalStateException("this Trainer is in use by thread '" + user.get().getName()
          + "'; a Trainer serves one thread at a time (use one Trainer per thread)");
    }
  }

  private void leave() {
    user.compareAndSet(Thread.currentThread(), null);
  }

  /** Builds a {@link Trainer}; every setter checks its argument at once. */
  public static final class Builder {
    private final TrainerConfig.Mutable c = new TrainerConfig.Mutable();

    private Builder() {}

    /** Layer sizes s_1 (inputs) .. s_L (classes). Required. */
    public Builder layers(int... sizes) {
      c.layerSizes = Network.checkSizes(sizes);
      return this;
    }

    /** The regularisation strength lambda >= 0 (default 0). */
    public Builder lambda(double lambda) {
      if (!(lambda >= 0) || Double.isInfinite(lambda)) {
        throw new IllegalArgumentException("lambda: " + lambda + ", must be finite and >= 0");
      }
      c.lambda = lambda;
      return this;
    }

    /** The update rule with its settings (default {@code Optimizer.adam(0.003)}). */
    public Builder optimizer(Optimizer optimizer) {
      c.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      c.learningRate = Double.NaN;
      return this;
    }

    /** The update rule with clprop's default settings for it. */
    public Builder optimizer(Optimizer.Kind kind) {
      return optimizer(Optimizer.defaults(Objects.requireNonNull(kind, "optimizer")));
    }

    /** Overrides the optimiser's learning rate. */
    public Builder learningRate(double lr) {
      if (!(lr > 0) || Double.isInfinite(lr)) {
        throw new IllegalArgumentException("learningRate: " + lr + ", must be finite and > 0");
      }
      c.learningRate = lr;
      return this;
    }

    /** Examples per minibatch (default 128); the last batch of an epoch may be smaller. */
    public Builder batchSize(int batch) {
      if (batch <= 0) {
        throw new IllegalArgumentException("batchSize: " + batch + ", must be > 0");
      }
      c.batchSize = batch;
      return this;
    }

    /** Passes over the training data (for L-BFGS, iterations); default 10. */
    public Builder epochs(int epochs) {
      if (epochs <= 0) {
        throw new IllegalArgumentException("epochs: " + epochs + ", must be > 0");
      }
      c.epochs = epochs;
      return this;
    }

    /** Seeds the initial weights and the per-epoch shuffles (default 1). */
    public Builder seed(long seed) {
      c.seed = seed;
      return this;
    }

    /** Whether to shuffle the examples each epoch (default true). */
    public Builder shuffle(boolean shuffle) {
      c.shuffle = shuffle;
      return this;
    }

    /** AUTO (default), CPU or OPENCL. */
    public Builder backend(BackendKind kind) {
      c.backend = Objects.requireNonNull(kind, "backend");
      return this;
    }

    /** An OpenCL device by index or by a substring of its name (also -Dclprop.device, CLPROP_DEVICE). */
    public Builder device(String spec) {
      if (spec != null && spec.isBlank()) {
        throw new IllegalArgumentException("device: blank; give an index or part of a device name");
      }
      c.device = spec;
      return this;
    }

    /** Threads for the CPU backend (default: all available processors). */
    public Builder threads(int threads) {
      if (threads <= 0) {
        throw new IllegalArgumentException("threads: " + threads + ", must be > 0");
      }
      c.threads = threads;
      return this;
    }

    /** Data to measure after each epoch; needed for early stopping. */
    public Builder validation(Dataset validation) {
      c.validation = Objects.requireNonNull(validation, "validation");
      return this;
    }

    /** Stop after {@code patience} epochs without a better validation accuracy, keeping the best weights. */
    public Builder earlyStopping(int patience) {
      if (patience <= 0) {
        throw new IllegalArgumentException("earlyStopping patience: " + patience + ", must be > 0");
      }
      c.earlyStopPatience = patience;
      return this;
    }

    public Builder callback(Callback callback) {
      c.callbacks.add(Objects.requireNonNull(callback, "callback"));
      return this;
    }

    /**
     * Writes a checkpoint (weights, optimiser state, progress, history; atomically) to {@code file}
     * after every {@code everyEpochs} epochs (0: only when a stop is requested mid-fit).
     */
    public Builder checkpoint(java.nio.file.Path file, int everyEpochs) {
      if (everyEpochs < 0) {
        throw new IllegalArgumentException("checkpoint every: " + everyEpochs + " epochs, must be >= 0");
      }
      c.checkpointFile = Objects.requireNonNull(file, "checkpoint file");
      c.checkpointEvery = everyEpochs;
      return this;
    }

    /**
     * Continues from a checkpoint: its weights and optimiser state, and the shuffles and batches
     * where it stopped, so that with the same settings and data the first fit ends exactly where an
     * uninterrupted one would (bitwise on the CPU backend). {@link #epochs} counts all epochs.
     */
    public Builder resumeFrom(Checkpoint checkpoint) {
      c.resume = Objects.requireNonNull(checkpoint, "checkpoint");
      return this;
    }

    /** Starts from these weights instead of a seeded random initialisation. */
    public Builder initialWeights(Network network) {
      c.initial = Objects.requireNonNull(network, "initialWeights");
      return this;
    }

    /** Checks the combination, creates the backend and initialises the weights. */
    public Trainer build() {
      TrainerConfig config = c.freeze();
      // The weights here; a batch's buffers where they are made, once the data's size is known.
      Network.checkFits(config.layerSizes(), 1, "use fewer or smaller hidden layers");
      Network start = config.initial() != null ? config.initial()
          : Network.initialise(config.layerSizes(), config.seed());
      Backend backend = BackendSelector.create(config);
      try {
        backend.setParameters(start.toFlatFloats());
        LOG.debug("trainer for {} on {}", Arrays.toString(config.layerSizes()), backend.description());
        return new Trainer(config, backend);
      } catch (RuntimeException e) {
        backend.close();
        throw e;
      }
    }
  }
}
