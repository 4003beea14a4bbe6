package org.clprop.cpu;

/**
 * The output layer's delta d(L-1) = A(L-1) - Y (layers counted from 0) for rows of the batch, with
 * each row's cross-entropy and hit (argmax == label), summed later in row order so that the totals
 * are the same whichever threads computed the rows.
 */
final class OutputDelta {
  private OutputDelta() {}

  /** Rows [i0, i1) of d(L-1), (n, k), from A(L-1) and Z(L-1), into buf with their costs and hits. */
  static void rows(StepBuffers buf, BatchRows batch, int k, int i0, int i1) {
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
        float zj = z[row + j];
        float h = a[row + j];
        // -y log g(z) - (1-y) log(1 - g(z)) = softplus(z) - y z, stable for any z.
        double sp = Math.max(zj, 0f) + Math.log1p(Math.exp(-Math.abs(zj)));
        cost += j == y ? sp - zj : sp;
        d[row + j] = j == y ? h - 1f : h;
        if (h > a[row + best]) {
          best = j;
        }
      }
      buf.rowCost[i] = cost;
      buf.rowHit[i] = best == y ? 1 : 0;
    }
  }
}
