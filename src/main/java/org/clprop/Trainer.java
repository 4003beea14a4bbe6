package org.clprop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.clprop.model.ModelSpec;
import org.clprop.onnx.OnnxExport;

/**
 * The library's front door: trains a fully connected network by backpropagation on the chosen
 * backend (the course's sigmoid network by default; tanh or ReLU hidden units, softmax outputs and
 * feature scaling on request), saves it, loads it back, predicts with it and exports it to ONNX.
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
 * unreachable unclosed is released by a {@link java.lang.ref.Cleaner}, with a WARN.
 *
 * <p>Threading: a trainer is used by one thread at a time; a call made while another thread is
 * inside one of its methods fails with an {@link IllegalStateException}. Separate trainers are
 * independent and may run in parallel. {@link #requestStop()} may be called from any thread.
 */
public final class Trainer implements AutoCloseable {
  private final TrainerConfig config;
  private final Backend backend;
  private final BackendRelease release;
  /** The input scaling, through which every row reaches the backend. */
  private final ScaledInputs inputs;
  private final AtomicReference<Thread> user = new AtomicReference<>();
  private volatile FitSession session;
  private int fits;
  private boolean resumed;
  private History lastHistory;
  private boolean closed;

  Trainer(TrainerConfig config, Backend backend) {
    this.config = config;
    this.backend = backend;
    this.release = BackendRelease.whenUnreachable(this, backend);
    this.inputs = new ScaledInputs(config);
  }

  /** A builder for a new network; see {@link Builder} for the settings and their defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A trainer holding the model in {@code file} (written by {@link #save} or {@code clprop train
   * --out}), on the AUTO backend: ready to predict, evaluate, or train further.
   *
   * @throws org.clprop.io.DataFormatException when the file is missing or not a clprop model
   */
  public static Trainer load(Path file) {
    return load(file, BackendKind.AUTO);
  }

  /** As {@link #load(Path)}, on the given backend. */
  public static Trainer load(Path file, BackendKind backend) {
    ModelFile.Model m = ModelFile.load(Objects.requireNonNull(file, "file"));
    return builder().initialWeights(m.network()).classNames(m.classNames()).spec(m.spec()).backend(backend).build();
  }

  /** The settings this trainer was built with. */
  public TrainerConfig config() {
    return config;
  }

  /** Which backend runs the arithmetic, for example "cpu (2 threads, SIMD)". */
  public String backendDescription() {
    return backend.description();
  }

  /**
   * What the network computes: its hidden activation, output function and input scaling (the
   * statistics once the first fit has learned them, or as a loaded model gave them).
   */
  public ModelSpec spec() {
    return inputs.spec(config);
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
      inputs.learnFrom(train);
      Dataset scaled = inputs.of(train);
      Dataset validation = config.validation() == null ? null : inputs.of(config.validation());
      FitSession s = new FitSession(config, backend, ++fits, validation, spec());
      session = s;
      try {
        if (config.optimizer().isMinibatch()) {
          Checkpoint resume = resumed ? null : config.resume();
          resumed = true;
          lastHistory = new MinibatchFit(s).run(scaled, resume);
        } else {
          lastHistory = new LbfgsFit(s).run(scaled);
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
      return backend.evaluate(inputs.of(data), config.lambda());
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
      double cost = backend.costAndGradient(inputs.of(data), config.lambda(), g);
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

  /** The output activations h = a(L) of one example: K values (softmax outputs sum to 1). */
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
      return Predictions.inPieces(data, (x, n) -> {
        inputs.inPlace(x, n);                                // the piece is a copy of its own
        return backend.predictProbabilities(x, n);
      }, config.classes());
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
      inputs.inPlace(flat, x.length);
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
    Map<String, Object> meta = modelMeta();
    meta.putAll(extraMeta);
    ModelFile.save(file, network(), meta);
  }

  /**
   * Writes the current network to {@code file} as ONNX (atomically): the model {@link #save} would
   * write, as {@link org.clprop.onnx.OnnxExport} lays it out. Needs protobuf-javalite on the class path.
   */
  public void exportOnnx(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    OnnxExport.write(new ModelFile.Model(network(), config.classNames(), modelMeta()), file);
  }

  /** The meta.json fields of a saved model ({@link ModelMeta}). */
  private Map<String, Object> modelMeta() {
    return ModelMeta.of(config, spec(), lastHistory, backend.description());
  }

  /** Releases the backend (device memory, threads); idempotent. */
  @Override
  public void close() {
    closed = true;
    release.now();
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

  /**
   * Builds a {@link Trainer}: {@code Trainer.builder().layers(64, 32, 10).epochs(30).build()}. The
   * settings and their checks are {@link TrainerBuilder}'s.
   */
  public static final class Builder extends TrainerBuilder<Builder> {
    private Builder() {}

    @Override
    Builder self() {
      return this;
    }
  }
}
