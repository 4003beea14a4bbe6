package org.clprop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clprop.backend.BackendKind;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.model.Checkpoint;
import org.clprop.model.ModelSpec.Activation;
import org.clprop.model.ModelSpec.Output;
import org.clprop.model.ModelSpec.Scaling;
import org.clprop.optim.LearningRateSchedule;
import org.clprop.optim.Optimizer;

/**
 * The settings of a {@link Trainer}, checked and frozen by {@link Trainer.Builder#build()}.
 *
 * @param layerSizes s_1 .. s_L
 * @param lambda L2 regularisation strength
 * @param optimizer update rule, learning rate included
 * @param batchSize examples per minibatch (not used by L-BFGS, which takes the whole set)
 * @param epochs passes over the data (L-BFGS: iterations)
 * @param seed seeds initial weights and shuffles
 * @param shuffle whether each epoch visits the examples in a new seeded order
 * @param shuffling how, when {@code shuffle}: all examples, or blocks and windows of them
 * @param backend which backend to use
 * @param device OpenCL device choice, null for the default rule
 * @param threads CPU threads
 * @param validation data measured after each epoch, or null
 * @param earlyStop when to stop for lack of validation progress, or null for never
 * @param callbacks epoch and batch hooks
 * @param initial starting weights, or null for a seeded initialisation
 * @param checkpointFile where checkpoints go, or null for none
 * @param checkpointEvery write a checkpoint after every this many epochs (and when a stop is
 *     requested); 0 only on a stop request
 * @param resume a checkpoint the first fit continues from, or null
 * @param classNames names of the classes, by label, for model files; empty when unnamed
 * @param activation g of the hidden layers
 * @param output the output layer's function
 * @param scalingKind the feature scaling the model applies, or null for none
 * @param scaling its statistics when given (a loaded model's), or null when the first fit learns them
 *     from its training data (or there is no scaling)
 * @param schedule the learning rate of each epoch (minibatch optimisers)
 */
public record TrainerConfig(int[] layerSizes, double lambda, Optimizer optimizer, int batchSize, int epochs,
    long seed, boolean shuffle, Shuffling shuffling, BackendKind backend, String device, int threads,
    Dataset validation, EarlyStop earlyStop, List<Callback> callbacks, Network initial, Path checkpointFile,
    int checkpointEvery, Checkpoint resume, List<String> classNames, Activation activation, Output output,
    Scaling.Kind scalingKind, Scaling scaling, LearningRateSchedule schedule) {

  /** Copies the layer sizes and the lists, so that a config cannot change once built. */
  public TrainerConfig {
    layerSizes = layerSizes.clone();
    callbacks = List.copyOf(callbacks);
    classNames = List.copyOf(classNames);
  }

  /** The layer sizes s_1 .. s_L, a copy. */
  @Override
  public int[] layerSizes() {
    return layerSizes.clone();
  }

  /** The number of classes K: units of the output layer. */
  public int classes() {
    return layerSizes[layerSizes.length - 1];
  }

  /** The callbacks that asked for batch-end calls. */
  List<Callback> batchCallbacks() {
    return callbacks.stream().filter(c -> c.batchInterval() > 0).toList();
  }

  /** The builder's working copy; settings left null were not given and take their defaults. */
  static final class Mutable {
    static final int DEFAULT_BATCH = 128;

    int[] layerSizes;
    double lambda;
    Optimizer optimizer = Optimizer.defaults(Optimizer.Kind.ADAM);
    Double learningRate;
    Integer batchSize;
    int epochs = 10;
    long seed = 1;
    Boolean shuffle;
    Shuffling shuffling;
    BackendKind backend = BackendKind.AUTO;
    String device;
    Integer threads;
    Dataset validation;
    EarlyStop earlyStop;
    Activation activation = Activation.SIGMOID;
    Output output = Output.SIGMOID;
    Scaling.Kind scalingKind;
    Scaling scaling;
    LearningRateSchedule schedule;
    final List<Callback> callbacks = new ArrayList<>();
    Network initial;
    Path checkpointFile;
    int checkpointEvery;
    Checkpoint resume;
    List<String> classNames = List.of();

    TrainerConfig freeze() {
      if (layerSizes == null && initial != null) {
        layerSizes = initial.sizes();
      }
      if (layerSizes == null && resume != null) {
        layerSizes = resume.network().sizes();
      }
      if (layerSizes == null) {
        throw new IllegalArgumentException("layerSizes: not set; call layers(inputs, hidden..., classes)");
      }
      checkApplies();
      if (earlyStop != null && validation == null) {
        throw new IllegalArgumentException("earlyStopping(" + earlyStop.patience() + ") needs validation data");
      }
      if (scaling != null && scaling.features() != layerSizes[0]) {
        throw new IllegalArgumentException("scaling: statistics for " + scaling.features() + " features, but "
            + "layerSizes[0] = " + layerSizes[0]);
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
      if (!classNames.isEmpty() && classNames.size() != k) {
        throw new IllegalArgumentException("classNames: " + classNames.size() + " names, but the output layer has " + k
            + " units");
      }
      if (initial != null && !Arrays.equals(initial.sizes(), layerSizes)) {
        throw new IllegalArgumentException("initialWeights: layer sizes " + Arrays.toString(initial.sizes())
            + " differ from layerSizes " + Arrays.toString(layerSizes));
      }
      if (resume != null && !Arrays.equals(resume.network().sizes(), layerSizes)) {
        throw new IllegalArgumentException("resumeFrom: the checkpoint's layer sizes "
            + Arrays.toString(resume.network().sizes()) + " differ from layerSizes " + Arrays.toString(layerSizes));
      }
      Optimizer opt = learningRate == null ? optimizer : optimizer.withLearningRate(learningRate);
      LearningRateSchedule lrs = schedule != null ? schedule : LearningRateSchedule.CONSTANT;
      lrs.checkBase(opt.learningRate());
      int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
      return new TrainerConfig(layerSizes, lambda, opt, batchSize != null ? batchSize : DEFAULT_BATCH, epochs, seed,
          shuffle == null || shuffle, shuffling != null ? shuffling : Shuffling.auto(), backend, device, t, validation,
          earlyStop, callbacks, resume != null ? resume.network() : initial, checkpointFile, checkpointEvery, resume,
          classNames, activation, output, scaling != null ? scaling.kind() : scalingKind, scaling, lrs);
    }

    /** A setting given explicitly that the chosen optimiser or backend would ignore is an error, not a no-op. */
    private void checkApplies() {
      if (!optimizer.isMinibatch()) {
        String lbfgs = " has no effect with L-BFGS, which takes the whole training set each iteration";
        rejectIf(batchSize != null, "batchSize(" + batchSize + ")" + lbfgs);
        rejectIf(learningRate != null, "learningRate(" + learningRate + ")" + lbfgs + " and chooses its own step");
        rejectIf(shuffle != null, "shuffle(" + shuffle + ")" + lbfgs);
        rejectIf(shuffling != null, "shuffling(" + shuffling + ")" + lbfgs);
        rejectIf(checkpointFile != null, "checkpoint(...) is for minibatch optimisers; an L-BFGS fit is not resumable");
        rejectIf(resume != null, "resumeFrom(...) is for minibatch optimisers; an L-BFGS fit is not resumable");
        rejectIf(schedule != null, "learningRateSchedule(" + (schedule == null ? "" : schedule.describe()) + ")"
            + lbfgs + " and chooses its own step");
      }
      rejectIf(backend == BackendKind.CPU && device != null, "device(\"" + device + "\") has no effect with the CPU "
          + "backend; it names an OpenCL device (use backend AUTO or OPENCL)");
      rejectIf(backend == BackendKind.OPENCL && threads != null, "threads(" + threads + ") has no effect with the "
          + "OpenCL backend; it sizes the CPU backend (use backend AUTO or CPU)");
    }

    private static void rejectIf(boolean condition, String message) {
      if (condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
