package org.clprop;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.clprop.backend.Backend;
import org.clprop.backend.BackendKind;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.model.Checkpoint;
import org.clprop.model.ModelSpec;
import org.clprop.model.ModelSpec.Activation;
import org.clprop.model.ModelSpec.Output;
import org.clprop.model.ModelSpec.Scaling;
import org.clprop.optim.LearningRateSchedule;
import org.clprop.optim.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings of a {@link Trainer} and their checks, behind {@link Trainer.Builder}: every setter
 * checks its argument at once, {@link #build()} the combination (a setting the chosen optimiser or
 * backend would ignore is refused), then creates the backend and initialises the weights.
 *
 * @param <B> the builder type the setters return, {@link Trainer.Builder}
 */
public abstract class TrainerBuilder<B extends TrainerBuilder<B>> {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final TrainerConfig.Mutable c = new TrainerConfig.Mutable();

  TrainerBuilder() {}

  /** This builder, as the type its setters return. */
  abstract B self();

  /** Layer sizes s_1 (inputs) .. s_L (classes). Required unless {@link #initialWeights} gives them. */
  public B layers(int... sizes) {
    c.layerSizes = Network.checkSizes(sizes);
    return self();
  }

  /** The regularisation strength lambda >= 0 (default 0). */
  public B lambda(double lambda) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("lambda: " + lambda + ", must be finite and >= 0");
    }
    c.lambda = lambda;
    return self();
  }

  /**
   * The update rule with its settings (default {@code Optimizer.adam(0.003)}); replaces a
   * {@link #learningRate} given before.
   */
  public B optimizer(Optimizer optimizer) {
    c.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    c.learningRate = null;
    return self();
  }

  /** The update rule with clprop's default settings for it. */
  public B optimizer(Optimizer.Kind kind) {
    return optimizer(Optimizer.defaults(Objects.requireNonNull(kind, "optimizer")));
  }

  /** Overrides the optimiser's learning rate (minibatch optimisers only: L-BFGS chooses its own steps). */
  public B learningRate(double lr) {
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("learningRate: " + lr + ", must be finite and > 0");
    }
    c.learningRate = lr;
    return self();
  }

  /**
   * Examples per minibatch (default 128); the last batch of an epoch may be smaller. Minibatch
   * optimisers only: L-BFGS takes the whole training set.
   */
  public B batchSize(int batch) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batchSize: " + batch + ", must be > 0");
    }
    c.batchSize = batch;
    return self();
  }

  /** Passes over the training data (for L-BFGS, iterations); default 10. */
  public B epochs(int epochs) {
    if (epochs <= 0) {
      throw new IllegalArgumentException("epochs: " + epochs + ", must be > 0");
    }
    c.epochs = epochs;
    return self();
  }

  /** Seeds the initial weights and the per-epoch shuffles (default 1). */
  public B seed(long seed) {
    c.seed = seed;
    return self();
  }

  /** Whether to shuffle the examples each epoch (default true; minibatch optimisers only). */
  public B shuffle(boolean shuffle) {
    c.shuffle = shuffle;
    return self();
  }

  /**
   * How each epoch shuffles: {@link Shuffling#auto()} (default: blocks for a memory-mapped set, all
   * examples otherwise), {@link Shuffling#full()} or {@link Shuffling#blocks(int)}.
   */
  public B shuffling(Shuffling shuffling) {
    c.shuffling = Objects.requireNonNull(shuffling, "shuffling");
    return self();
  }

  /** AUTO (default), CPU or OPENCL. */
  public B backend(BackendKind kind) {
    c.backend = Objects.requireNonNull(kind, "backend");
    return self();
  }

  /**
   * An OpenCL device by index or by a substring of its name (also -Dclprop.device, CLPROP_DEVICE).
   * Not with the CPU backend.
   */
  public B device(String spec) {
    if (spec != null && spec.isBlank()) {
      throw new IllegalArgumentException("device: blank; give an index or part of a device name");
    }
    c.device = spec;
    return self();
  }

  /** Threads for the CPU backend (default: all available processors). Not with the OpenCL backend. */
  public B threads(int threads) {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads: " + threads + ", must be > 0");
    }
    c.threads = threads;
    return self();
  }

  /** Data to measure after each epoch; needed for early stopping. */
  public B validation(Dataset validation) {
    c.validation = Objects.requireNonNull(validation, "validation");
    return self();
  }

  /**
   * Stop after {@code patience} epochs without a better validation accuracy, keeping the best
   * weights: {@code earlyStopping(new EarlyStop(VAL_ACCURACY, patience, 0))}.
   */
  public B earlyStopping(int patience) {
    return earlyStopping(new EarlyStop(EarlyStop.Monitor.VAL_ACCURACY, patience, 0));
  }

  /**
   * Stop when the monitored validation figure has not improved by more than the rule's minimum in
   * {@code patience} epochs, keeping the weights of the last improving epoch (Keras'
   * {@code EarlyStopping(monitor, min_delta, patience, restore_best_weights=True)}). Needs
   * {@link #validation} data.
   */
  public B earlyStopping(EarlyStop rule) {
    c.earlyStop = Objects.requireNonNull(rule, "earlyStopping");
    return self();
  }

  /**
   * g of the hidden layers (default {@code SIGMOID}, the course's); it also picks the initialisation:
   * the course's for the sigmoid, Glorot's for tanh, He's for ReLU ({@link Activation#initialisation}).
   */
  public B activation(Activation activation) {
    c.activation = Objects.requireNonNull(activation, "activation");
    return self();
  }

  /**
   * The output layer's function (default {@code SIGMOID}, one logistic unit per class, the course's);
   * {@code SOFTMAX} gives probabilities that sum to 1, with the cost -sum y log h.
   */
  public B output(Output output) {
    c.output = Objects.requireNonNull(output, "output");
    return self();
  }

  /**
   * Scale the inputs, x' = (x - offset) .* scale, with statistics the first {@link Trainer#fit}
   * learns from its training data (not the validation data); {@code null} for none (the default).
   * Saved models carry the statistics, and evaluate and predict apply them.
   */
  public B scaling(Scaling.Kind kind) {
    c.scalingKind = kind;
    c.scaling = null;
    return self();
  }

  /** Scale the inputs with these statistics (a saved model's); a fit keeps them. */
  public B scaling(Scaling scaling) {
    c.scaling = Objects.requireNonNull(scaling, "scaling");
    c.scalingKind = scaling.kind();
    return self();
  }

  /** Activation, output and scaling as a model file records them ({@link ModelSpec}). */
  public B spec(ModelSpec spec) {
    Objects.requireNonNull(spec, "spec");
    activation(spec.activation());
    output(spec.output());
    return spec.scaling().isPresent() ? scaling(spec.scaling().get()) : scaling((Scaling.Kind) null);
  }

  /**
   * The learning rate of each epoch (default constant), from the optimiser's: step or cosine decay
   * ({@link LearningRateSchedule}). Minibatch optimisers only.
   */
  public B learningRateSchedule(LearningRateSchedule schedule) {
    c.schedule = Objects.requireNonNull(schedule, "learningRateSchedule");
    return self();
  }

  /** Adds epoch and batch hooks; see {@link Callback}'s factories for lambdas. */
  public B callback(Callback callback) {
    c.callbacks.add(Objects.requireNonNull(callback, "callback"));
    return self();
  }

  /**
   * Writes a checkpoint (weights, optimiser state, progress, history; atomically) to {@code file}
   * after every {@code everyEpochs} epochs (0: only when a stop is requested mid-fit).
   */
  public B checkpoint(java.nio.file.Path file, int everyEpochs) {
    if (everyEpochs < 0) {
      throw new IllegalArgumentException("checkpoint every: " + everyEpochs + " epochs, must be >= 0");
    }
    c.checkpointFile = Objects.requireNonNull(file, "checkpoint file");
    c.checkpointEvery = everyEpochs;
    return self();
  }

  /**
   * Continues from a checkpoint: its weights and optimiser state, and the shuffles and batches
   * where it stopped, so that with the same settings and data the first fit ends exactly where an
   * uninterrupted one would (bitwise on the CPU backend). {@link #epochs} counts all epochs.
   */
  public B resumeFrom(Checkpoint checkpoint) {
    c.resume = Objects.requireNonNull(checkpoint, "checkpoint");
    return self();
  }

  /** Names of the classes by label, recorded in saved models (default: none). */
  public B classNames(List<String> names) {
    c.classNames = List.copyOf(Objects.requireNonNull(names, "classNames"));
    return self();
  }

  /**
   * Starts from these weights instead of a seeded random initialisation; their layer sizes
   * become the trainer's when {@link #layers} is not called.
   */
  public B initialWeights(Network network) {
    c.initial = Objects.requireNonNull(network, "initialWeights");
    return self();
  }

  /** Checks the combination, creates the backend and initialises the weights. */
  public Trainer build() {
    TrainerConfig config = c.freeze();
    // The weights here; a batch's buffers where they are made, once the data's size is known.
    Network.checkFits(config.layerSizes(), 1, "use fewer or smaller hidden layers");
    Network start = config.initial() != null ? config.initial()
        : Network.initialise(config.layerSizes(), config.seed(), config.activation().initialisation());
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
