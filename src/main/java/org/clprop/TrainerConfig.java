package org.clprop;

import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import org.clprop.backend.BackendKind;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.model.Checkpoint;
import org.clprop.optim.Optimizer;

/**
 * The settings of a {@link Trainer}, checked and frozen by {@link Trainer.Builder#build()}.
 *
 * @param layerSizes s_1 .. s_L
 * @param lambda L2 regularisation strength
 * @param optimizer update rule, learning rate included
 * @param batchSize examples per minibatch
 * @param epochs passes over the data (L-BFGS: iterations)
 * @param seed seeds initial weights and shuffles
 * @param shuffle whether each epoch visits the examples in a new seeded order
 * @param backend which backend to use
 * @param device OpenCL device choice, null for the default rule
 * @param threads CPU threads
 * @param validation data measured after each epoch, or null
 * @param earlyStopPatience epochs without validation improvement before stopping; 0 for never
 * @param callbacks epoch and batch hooks
 * @param initial starting weights, or null for a seeded initialisation
 * @param checkpointFile where checkpoints go, or null for none
 * @param checkpointEvery write a checkpoint after every this many epochs (and when a stop is
 *     requested); 0 only on a stop request
 * @param resume a checkpoint the first fit continues from, or null
 */
public record TrainerConfig(int[] layerSizes, double lambda, Optimizer optimizer, int batchSize, int epochs,
    long seed, boolean shuffle, BackendKind backend, String device, int threads, Dataset validation,
    int earlyStopPatience, List<Callback> callbacks, Network initial, Path checkpointFile, int checkpointEvery,
    Checkpoint resume) {

  public TrainerConfig {
    layerSizes = layerSizes.clone();
    callbacks = List.copyOf(callbacks);
  }

  @Override
  public int[] layerSizes() {
    return layerSizes.clone();
  }

  /** The callbacks that asked for batch-end calls. */
  List<Callback> batchCallbacks() {
    return callbacks.stream().filter(c -> c.batchInterval() > 0).toList();
  }

  /** The builder's working copy. */
  static final class Mutable {
    int[] layerSizes;
    double lambda;
    Optimizer optimizer = Optimizer.defaults(Optimizer.Kind.ADAM);
    double learningRate = Double.NaN;
    int batchSize = 128;
    int epochs = 10;
    long seed = 1;
    boolean shuffle = true;
    BackendKind backend = BackendKind.AUTO;
    String device;
    int threads = Runtime.getRuntime().availableProcessors();
    Dataset validation;
    int earlyStopPatience;
    final List<Callback> callbacks = new ArrayList<>();
    Network initial;
    Path checkpointFile;
    int checkpointEvery;
    Checkpoint resume;

    TrainerConfig freeze() {
      if (layerSizes == null) {
        throw new IllegalArgumentException("layerSizes: not set; call layers(inputs, hidden..., classes)");
      }
      if (earlyStopPatience > 0 && validation == null) {
        throw new IllegalArgumentException("earlyStopping(" + earlyStopPatience + ") needs validation data");
      }
      if (validation != null && validation.features() != layerSizes[0]) {
        throw new IllegalArgumentException("validation: " + validation.features() + " features, but layerSizes[0] = "
            + layerSizes[0]);
      }
      int k = layerSizes[layerSizes.length - 1];
      if (validation != null && validation.classes() > k) {
        throw new IllegalArgumentException("validation: " + validation.classes() + " classes, but the output layer has "
            + k + " units");
      }
      if (initial != null && !java.util.Arrays.equals(initial.sizes(), layerSizes)) {
        throw new IllegalArgumentException("initialWeights: layer sizes " + java.util.Arrays.toString(initial.sizes())
            + " differ from layerSizes " + java.util.Arrays.toString(layerSizes));
      }
      if (resume != null && !java.util.Arrays.equals(resume.network().sizes(), layerSizes)) {
        throw new IllegalArgumentException("resumeFrom: the checkpoint's layer sizes "
            + java.util.Arrays.toString(resume.network().sizes()) + " differ from layerSizes "
            + java.util.Arrays.toString(layerSizes));
      }
      Optimizer opt = Double.isNaN(learningRate) ? optimizer : optimizer.withLearningRate(learningRate);
      return new TrainerConfig(layerSizes, lambda, opt, batchSize, epochs, seed, shuffle, backend, device, threads,
          validation, earlyStopPatience, callbacks, resume != null ? resume.network() : initial, checkpointFile,
          checkpointEvery, resume);
    }
  }
}
