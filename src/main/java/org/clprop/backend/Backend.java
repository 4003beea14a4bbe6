package org.clprop.backend;

import org.clprop.data.Dataset;
import org.clprop.optim.Optimizer;

/**
 * What a compute backend does for the {@link org.clprop.Trainer}. The contract keeps state where
 * the arithmetic happens: weights, gradients, optimiser state and (when it fits) the training set
 * stay resident in the backend between steps; the trainer hands it minibatches by position in an
 * epoch's order and reads results only when it asks for them, so a GPU backend never round-trips
 * to the host per layer or per step.
 *
 * <p>Parameters cross the boundary as one float32 vector: Theta(1) row-major (bias as column 0,
 * ALGORITHM.md), then Theta(2), and so on. Internal layouts are the backend's own.
 *
 * <p>The regularisation of a minibatch step uses the batch's own m, D = (1/m) Delta +
 * (lambda/m) Theta off the bias column, as scikit-learn's MLP does.
 *
 * <p>Not thread-safe: one thread drives a backend at a time.
 */
public interface Backend extends AutoCloseable {

  /** A short description for logs and reports: the kind and the device. */
  String description();

  /** The layer sizes s_1..s_L this backend was built for. */
  int[] layerSizes();

  /** Replaces the weights (uploads them). Does not touch the optimiser state. */
  void setParameters(float[] flat);

  /** Reads the weights back (a sync point). */
  float[] parameters();

  /** Sets the update rule and zeroes its state (velocities, moments, step count). */
  void setOptimizer(Optimizer optimizer);

  /** Reads the optimiser's state (a sync point), for a checkpoint. */
  OptimizerState optimizerState();

  /** Restores a state read by {@link #optimizerState()} under the same optimiser, after setOptimizer. */
  void setOptimizerState(OptimizerState state);

  /**
   * Makes {@code data} the training set for the following steps: it is uploaded once and kept
   * resident when it fits, and minibatches of up to {@code maxBatch} rows are drawn from it.
   */
  void bindTrainingSet(Dataset data, int maxBatch);

  /** The example order for the coming epoch: a permutation of 0..m-1 of the bound training set. */
  void setOrder(int[] order);

  /**
   * One optimisation step on the examples {@code order[from .. from+count)}: forward, backward, D,
   * update. The data term of the batch's cost and its count of correct predictions are added to
   * running totals read by {@link #takeMetrics()}; nothing is read back here.
   */
  void trainStep(int from, int count, double lambda);

  /** Reads and resets the running totals of {@link #trainStep} (a sync point). */
  StepMetrics takeMetrics();

  /**
   * J and D over the whole bound training set, without updating anything; {@code gradOut}
   * (parameter layout) receives D. Used by full-batch L-BFGS.
   */
  double boundGradient(double lambda, float[] gradOut);

  /**
   * The unnormalised sums behind J and D over the whole bound training set at the current weights,
   * nothing updated: {@code deltaOut} (parameter layout) receives Delta(l) = sum over the examples
   * of d(l+1) [1; a(l)]', and the result holds the summed data term of the cost, the count of correct
   * predictions and the number of examples. Sums over disjoint parts of a data set add up to those
   * of the whole, from which J = costSum / m + lambda/(2m) sum Theta^2 (bias columns excluded) and
   * D = Delta / m + (lambda/m) Theta off the bias column: data-parallel training adds them across
   * machines.
   */
  StepMetrics boundSums(float[] deltaOut);

  /**
   * As {@link #boundSums}, over the examples {@code order[from .. from+count)} of the bound set
   * (the order of {@link #setOrder}); {@code count} may exceed the bound batch size.
   */
  StepMetrics batchSums(int from, int count, float[] deltaOut);

  /** J and, when {@code gradOut} is not null, D over {@code data} at the current weights. */
  double costAndGradient(Dataset data, double lambda, float[] gradOut);

  /** Cost J and accuracy of the current weights on {@code data}. */
  Evaluation evaluate(Dataset data, double lambda);

  /** Output activations h = a(L), row-major n x K, for the n rows of {@code x} (row-major). */
  float[] predictProbabilities(float[] x, int n);

  /** Releases everything the backend holds; idempotent. */
  @Override
  void close();
}
