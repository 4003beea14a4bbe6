package org.clprop.backend;

import org.clprop.data.Dataset;

/** The argument checks every {@link Backend} makes, in one place so that they fail alike. */
public final class BackendChecks {
  private BackendChecks() {}

  /** Data must be non-empty, with s_1 features and at most s_L classes. */
  public static void data(int[] sizes, Dataset data) {
    if (data.features() != sizes[0]) {
      throw new IllegalArgumentException("data: " + data.features() + " features, the network's input layer has "
          + sizes[0] + " units");
    }
    if (data.classes() > sizes[sizes.length - 1]) {
      throw new IllegalArgumentException("data: " + data.classes() + " classes, the network's output layer has "
          + sizes[sizes.length - 1] + " units");
    }
    if (data.size() == 0) {
      throw new IllegalArgumentException("data: empty, need at least one example");
    }
  }

  /** An epoch's order must have one entry per example of the bound set. */
  public static void order(Dataset bound, int[] order) {
    if (bound == null) {
      throw new IllegalStateException("setOrder before bindTrainingSet");
    }
    if (order.length != bound.size()) {
      throw new IllegalArgumentException("order: " + order.length + " entries for " + bound.size() + " examples");
    }
  }

  /** A step's rows order[from .. from+count) must lie in the order and fit the bound batch size. */
  public static void batch(int[] order, int from, int count, int capacity) {
    if (order == null) {
      throw new IllegalStateException("trainStep before setOrder");
    }
    if (count < 1 || count > capacity || from < 0 || from + count > order.length) {
      throw new IllegalArgumentException("batch [" + from + ", " + (from + count) + ") outside the order of "
          + order.length + " or above the bound batch size " + capacity);
    }
  }

  /** Rows order[from .. from+count) for sums must lie in the order; any count from 1 up. */
  public static void rows(int[] order, int from, int count) {
    if (order == null) {
      throw new IllegalStateException("batchSums before setOrder");
    }
    if (count < 1 || from < 0 || from > order.length - count) {
      throw new IllegalArgumentException("rows [" + from + ", " + ((long) from + count) + ") outside the order of "
          + order.length);
    }
  }

  /** A gradient or Delta output must hold one value per parameter. */
  public static void parameterVector(float[] out, int parameters) {
    if (out.length != parameters) {
      throw new IllegalArgumentException("output: " + out.length + " values, expected " + parameters + " parameters");
    }
  }

  /** {@code x} must hold n rows of {@code inputs} values. */
  public static void rows(float[] x, int n, int inputs) {
    if ((long) n * inputs != x.length) {
      throw new IllegalArgumentException("x: " + x.length + " values is not " + n + " rows x " + inputs + " inputs");
    }
  }
}
