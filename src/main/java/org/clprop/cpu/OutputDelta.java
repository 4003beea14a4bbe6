package org.clprop.cpu;

/**
 * The output layer's delta d(L-1) = A(L-1) - Y (layers counted from 0) for rows of the batch, with
 * each row's cross-entropy and hit (argmax == label), summed later in row order so that the totals
 * are the same whichever threads computed the rows. Both output functions have the same delta
 * for their own cost (docs/algorithm.md); only the cost differs:
 *
 * <pre>
 * sigmoid outputs   C = sum_k -y log h - (1-y) log(1-h) = sum_k softplus(z) - y z
 * softmax outputs   C = -log h_label = logsumexp(z) - z_label
 * </pre>
 *
 * both from Z(L-1), stable for any z.
 */
final class OutputDelta {
  private OutputDelta() {}

  /**
   * Rows [i0, i1) of d(L-1), (n, k), from A(L-1) and Z(L-1), into buf with their costs and hits;
   * {@code softmax} selects the cost of softmax outputs.
   */
  static void rows(StepBuffers buf, BatchRows batch, int k, int i0, int i1, boolean softmax) {
    int last = buf.act.length - 1;
    float[] a = buf.act[last];
    float[] d = buf.delta[last];
    float[] z = buf.zOut;
    for (int i = i0; i < i1; i++) {
      int y = batch.label(i);
      int row = i * k;
      int best = 0;
      double cost = 0;
      for (int j = 0; j < k; j++) {
        float h = a[row + j];
        d[row + j] = j == y ? h - 1f : h;
        if (h > a[row + best]) {
          best = j;
        }
      }
      if (softmax) {
        cost = logSumExp(z, row, k) - z[row + y];
      } else {
        for (int j = 0; j < k; j++) {
          float zj = z[row + j];
          // -y log g(z) - (1-y) log(1 - g(z)) = softplus(z) - y z, stable for any z.
          double sp = Math.max(zj, 0f) + Math.log1p(Math.exp(-Math.abs(zj)));
          cost += j == y ? sp - zj : sp;
        }
      }
      buf.rowCost[i] = cost;
      buf.rowHit[i] = best == y ? 1 : 0;
    }
  }

  /**
   * Rows [i0, i1) of A(L-1), (n, k), holding Z(L-1), become softmax(Z): a_j = e^(z_j - max) / sum
   * e^(z_c - max), the shift keeping every exponent at most 0 (e^ by ScalarKernels.exp, whose
   * bits do not depend on the JIT).
   */
  static void softmax(float[] a, int k, int i0, int i1) {
    for (int i = i0; i < i1; i++) {
      int row = i * k;
      float max = a[row];
      for (int j = 1; j < k; j++) {
        max = Math.max(max, a[row + j]);
      }
      float sum = 0f;
      for (int j = 0; j < k; j++) {
        float e = ScalarKernels.exp(a[row + j] - max);
        a[row + j] = e;
        sum += e;
      }
      for (int j = 0; j < k; j++) {
        a[row + j] /= sum;
      }
    }
  }

  /** log sum_j e^(z_j) over z[row .. row+k), as max + log sum_j e^(z_j - max), in double. */
  private static double logSumExp(float[] z, int row, int k) {
    double max = z[row];
    for (int j = 1; j < k; j++) {
      max = Math.max(max, z[row + j]);
    }
    double sum = 0;
    for (int j = 0; j < k; j++) {
      sum += Math.exp(z[row + j] - max);
    }
    return max + Math.log(sum);
  }
}
