package org.clprop;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.clprop.backend.Backend;
import org.clprop.backend.BackendKind;
import org.clprop.backend.Evaluation;
import org.clprop.core.CostGradient;
import org.clprop.core.Matrix;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.model.Checkpoint;
import org.clprop.model.ModelFile;
import org.clprop.optim.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library's front door: trains a fully connected sigmoid network by backpropagation on the
 * chosen backend, saves it, loads it back and predicts with it.
 *
 * <pre>{@code
 * try (Trainer t = Trainer.builder().layers(64, 32, 10).optimizer(Optimizer.adam(0.01)).build()) {
 *   History h = t.fit(train);
 *   double acc = t.evaluate(test).accuracy();
 *   t.save(Path.of("digits.npz"));
 * }
 * try (Trainer model = Trainer.load(Path.of("digits.npz"))) {
 *   int digit = model.predict(row);
 * }
 * }</pre>
 *
 * <p>A trainer holds native memory and threads until {@link #close()}; one that becomes
 * unreachable unclosed is released by a {@link Cleaner}, with a WARN.
 *
 * <p>Threading: a trainer is used by one thread at a time; a call made while another thread is
 * inside one of its methods fails with an {@link IllegalStateException}. Separate trainers are
 * independent and may run in parallel. {@link #requestStop()} may be called from any thread.
 */
public final class Trainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  private static final Cleaner CLEANER = Cleaner.create();

  private final TrainerConfig config;
  private final Backend backend;
  private final Release release;
  private final Cleaner.Cleanable cleanable;
  private final AtomicReference<Thread> user = new AtomicReference<>();
  private volatile FitSession session;
  private int fits;
  private boolean resumed;
  private History lastHistory;
  private boolean closed;

  private Trainer(TrainerConfig config, Backend backend) {
    this.config = config;
    this.backend = backend;
    this.release = new Release(backend);
    this.cleanable = CLEANER.register(this, release);
  }

  /** A builder for a new network; see {@link Builder} for the settings and their defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A trainer holding the model in {@code file} (written by {@link #save} or {@code clprop train
   * --out}), on the AUTO backend: ready to predict, evaluate, or train further.
   *
   * @throws org.clprop.data.DataFormatException when the file is missing or not a clprop model
   */
  public static Trainer load(Path file) {
    return load(file, BackendKind.AUTO);
  }

  /** As {@link #load(Path)}, on the given backend. */
  public static Trainer load(Path file, BackendKind backend) {
    ModelFile.Model m = ModelFile.load(Objects.requireNonNull(file, "file"));
    return builder().initialWeights(m.network()).classNames(m.classNames()).backend(backend).build();
  }

  /** The settings this trainer was built with. */
  public TrainerConfig config() {
    return config;
  }

  /** Which backend runs the arithmetic, for example "cpu (2 threads, SIMD)". */
  public String backendDescription() {
    return backend.description();
  }

  /** The class names given to the builder or read from a model file, by label; empty when unnamed. */
  public List<String> classNames() {
    return config.classNames();
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
      FitSession s = new FitSession(config, backend, ++fits);
      session = s;
      try {
        if (config.optimizer().isMinibatch()) {
          Checkpoint resume = resumed ? null : config.resume();
          resumed = true;
          lastHistory = new MinibatchFit(s).run(train, resume);
        } else {
          lastHistory = new LbfgsFit(s).run(train);
        }
        return lastHistory;
      } finally {
        session = null;
      }
    } finally {
      leave();
    }
  }

  /**
   * Asks a running {@link #fit} to stop after the current batch; safe from any thread. Outside a
   * fit it does nothing. Callbacks stop a fit through {@link FitControl#stop()}.
   */
  public void requestStop() {
    FitSession s = session;
    if (s != null) {
      s.stop();
    }
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

  /** The predicted class of one example: the index of its largest output, the first on ties. */
  public int predict(float[] row) {
    float[] p = predictProbabilities(row);
    return argmax(p, 0, p.length);
  }

  /** The predicted class of each row: the index of the largest output, the first on ties. */
  public int[] predict(float[][] x) {
    return classes(flatProbabilities(x), x.length);
  }

  /** The predicted class of each example of {@code data}. */
  public int[] predict(Dataset data) {
    return classes(flatProbabilities(data), data.size());
  }

  /** The output activations h = a(L) of one example: K values. */
  public float[] predictProbabilities(float[] row) {
    Objects.requireNonNull(row, "row");
    return flatProbabilities(new float[][] {row});
  }

  /** The output activations h = a(L), one row of K values per example. */
  public float[][] predictProbabilities(float[][] x) {
    return rows(flatProbabilities(x), x.length);
  }

  /** The output activations h = a(L) of each example of {@code data}, one row of K values each. */
  public float[][] predictProbabilities(Dataset data) {
    return rows(flatProbabilities(data), data.size());
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

  private float[] flatProbabilities(Dataset data) {
    enter();
    try {
      checkData("data", data);
      return backend.predictProbabilities(data.x(), data.size());
    } finally {
      leave();
    }
  }

  private float[] flatProbabilities(float[][] x) {
    Objects.requireNonNull(x, "x");
    enter();
    try {
      int n = config.layerSizes()[0];
      float[] flat = new float[Math.multiplyExact(x.length, n)];
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
      return x.length == 0 ? new float[0] : backend.predictProbabilities(flat, x.length);
    } finally {
      leave();
    }
  }

  private int[] classes(float[] p, int n) {
    int k = config.classes();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = argmax(p, i * k, k);
    }
    return out;
  }

  private float[][] rows(float[] p, int n) {
    int k = config.classes();
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = Arrays.copyOfRange(p, i * k, (i + 1) * k);
    }
    return out;
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

  /**
   * Writes the current network to {@code file} as a clprop model (.npz, atomically): the Theta
   * arrays and a meta.json with the settings, the class names and clprop's version.
   */
  public void save(Path file) throws IOException {
    save(file, Map.of());
  }

  /** As {@link #save(Path)}, with {@code extraMeta} (numbers, strings, booleans, lists) added to meta.json. */
  public void save(Path file, Map<String, ?> extraMeta) throws IOException {
    Objects.requireNonNull(file, "file");
    Map<String, Object> meta = new LinkedHashMap<>();
    Optimizer opt = config.optimizer();
    meta.put("lambda", config.lambda());
    meta.put("optimizer", opt.kind().name().toLowerCase());
    if (opt.isMinibatch()) {
      meta.put("learningRate", opt.learningRate());
      meta.put("batch", config.batchSize());
    }
    if (lastHistory != null) {
      meta.put("epochs", lastHistory.epochs().size());
    }
    meta.put("seed", config.seed());
    meta.put("backend", backend.description());
    if (!config.classNames().isEmpty()) {
      meta.put("classNames", config.classNames());
    }
    meta.putAll(extraMeta);
    ModelFile.save(file, network(), meta);
  }

  /** Releases the backend (device memory, threads); idempotent. */
  @Override
  public void close() {
    closed = true;
    release.closedExplicitly = true;
    cleanable.clean();
  }

  /** Closes the backend once: from {@link #close()}, or from the Cleaner when a trainer was dropped unclosed. */
  private static final class Release implements Runnable {
    private final Backend backend;
    volatile boolean closedExplicitly;

    Release(Backend backend) {
      this.backend = backend;
    }

    @Override
    public void run() {
      if (!closedExplicitly) {
        LOG.warn("a Trainer on {} became unreachable without close(); its backend is released now (use "
            + "try-with-resources)", backend.description());
      }
      backend.close();
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

    /** Layer sizes s_1 (inputs) .. s_L (classes). Required unless {@link #initialWeights} gives them. */
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

    /**
     * The update rule with its settings (default {@code Optimizer.adam(0.003)}); replaces a
     * {@link #learningRate} given before.
     */
    public Builder optimizer(Optimizer optimizer) {
      c.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      c.learningRate = null;
      return this;
    }

    /** The update rule with clprop's default settings for it. */
    public Builder optimizer(Optimizer.Kind kind) {
      return optimizer(Optimizer.defaults(Objects.requireNonNull(kind, "optimizer")));
    }

    /** Overrides the optimiser's learning rate (minibatch optimisers only: L-BFGS chooses its own steps). */
    public Builder learningRate(double lr) {
      if (!(lr > 0) || Double.isInfinite(lr)) {
        throw new IllegalArgumentException("learningRate: " + lr + ", must be finite and > 0");
      }
      c.learningRate = lr;
      return this;
    }

    /**
     * Examples per minibatch (default 128); the last batch of an epoch may be smaller. Minibatch
     * optimisers only: L-BFGS takes the whole training set.
     */
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

    /** Whether to shuffle the examples each epoch (default true; minibatch optimisers only). */
    public Builder shuffle(boolean shuffle) {
      c.shuffle = shuffle;
      return this;
    }

    /** AUTO (default), CPU or OPENCL. */
    public Builder backend(BackendKind kind) {
      c.backend = Objects.requireNonNull(kind, "backend");
      return this;
    }

    /**
     * An OpenCL device by index or by a substring of its name (also -Dclprop.device, CLPROP_DEVICE).
     * Not with the CPU backend.
     */
    public Builder device(String spec) {
      if (spec != null && spec.isBlank()) {
        throw new IllegalArgumentException("device: blank; give an index or part of a device name");
      }
      c.device = spec;
      return this;
    }

    /** Threads for the CPU backend (default: all available processors). Not with the OpenCL backend. */
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

    /** Adds epoch and batch hooks; see {@link Callback}'s factories for lambdas. */
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

    /** Names of the classes by label, recorded in saved models (default: none). */
    public Builder classNames(List<String> names) {
      c.classNames = List.copyOf(Objects.requireNonNull(names, "classNames"));
      return this;
    }

    /**
     * Starts from these weights instead of a seeded random initialisation; their layer sizes
     * become the trainer's when {@link #layers} is not called.
     */
    public Builder initialWeights(Network network) {
      c.initial = Objects.requireNonNull(network, "initialWeights");
      return this;
    }

    /** Checks the combination, creates the backend and initialises the weights. */
    public Trainer build() {
      TrainerConfig config = c.freeze();
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
