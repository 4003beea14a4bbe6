package org.clprop.cpu;

import java.util.Arrays;
import org.clprop.core.MemoryBudget;
import org.clprop.core.Network;

/**
 * The activations and deltas of a batch of up to {@link #capacity()} rows, allocated when a batch
 * size is first seen, so that a training step allocates nothing:
 *
 * <pre>
 * act[l]    A(l), (n, s[l]); act[0] the batch's inputs
 * delta[l]  d(l), (n, s[l]) for l >= 1 (the input layer has none)
 * zOut      Z(L-1), (n, s[L-1]): the output layer's pre-activations, for the cost
 * rowCost   each row's cross-entropy; rowHit, 1 where its argmax is its label
 * </pre>
 */
final class StepBuffers {
  private final int[] s;
  private int capacity;
  float[][] act;
  float[][] delta;
  float[] zOut;
  double[] rowCost;
  int[] rowHit;

  StepBuffers(int[] sizes) {
    s = sizes;
  }

  int capacity() {
    return capacity;
  }

  /** Room for {@code rows} rows; returns whether the buffers were reallocated. */
  boolean ensure(int rows) {
    if (rows <= capacity) {
      return false;
    }
    String what = "a batch of " + rows + " rows for " + Arrays.toString(s);
    MemoryBudget.arrayLength((long) rows * Arrays.stream(s).max().getAsInt(), 4, what, "use a smaller batch");
    MemoryBudget.require(Network.batchBytes(s, rows), what, "use a smaller batch");
    capacity = rows;
    int layers = s.length;
    act = new float[layers][];
    delta = new float[layers][];
    for (int l = 0; l < layers; l++) {
      act[l] = new float[rows * s[l]];
      if (l >= 1) {
        delta[l] = new float[rows * s[l]];
      }
    }
    zOut = new float[rows * s[layers - 1]];
    rowCost = new double[rows];
    rowHit = new int[rows];
    return true;
  }
}
