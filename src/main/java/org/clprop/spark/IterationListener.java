package org.clprop.spark;

/**
 * Called on the driver after each iteration of a fit (an L-BFGS iteration, or an epoch of a
 * minibatch optimiser). Not a Spark Param: it is neither saved nor compared, but
 * {@link ClpropClassifier#copy} keeps it.
 */
@FunctionalInterface
public interface IterationListener {

  /**
   * One iteration's end: J at the iteration's weights (for minibatch epochs, the mean of the batch
   * costs measured before each update, plus the L2 term), the training accuracy measured with it,
   * the seconds since training began (binding the partitions excluded), and the weights in the
   * flat Theta layout (a copy).
   */
  record IterationEnd(int iteration, double cost, double trainingAccuracy, double seconds, float[] parameters) {}

  /**
   * Receives one iteration's end, on the thread that called {@code fit}, before the next iteration
   * starts: its time counts in the later {@code seconds}, and an exception it throws ends the fit.
   */
  void onIteration(IterationEnd end);
}
