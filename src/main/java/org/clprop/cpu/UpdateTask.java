package org.clprop.cpu;

import org.clprop.optim.Optimizer;

/**
 * The optimiser's step on a block of Theta's rows: D = Delta / n + (lambda / n) Theta off the bias
 * column, then the rule (CpuKernels.update); then the copies of the rows changed
 * (ParameterLayout.refresh). The held input layer's rows are updated by InputGradientTask instead.
 */
final class UpdateTask implements WorkerPool.Task {
  private final int[] s;
  private final ParameterLayout params;
  private final CpuKernels k;
  final CpuKernels.UpdateRule rule = new CpuKernels.UpdateRule();
  /** lambda / n, the gradient's weight decay off the bias column. */
  float reg;

  UpdateTask(int[] s, ParameterLayout params, CpuKernels k) {
    this.s = s;
    this.params = params;
    this.k = k;
  }

  /** The rule's scalars for a batch of n rows at optimiser step {@code step} (counted from 1). */
  void prepare(Optimizer optimizer, long step, int n, double lambda) {
    if (optimizer.kind() == Optimizer.Kind.LBFGS) {
      throw new IllegalStateException("L-BFGS is full-batch: the trainer drives it, not trainStep");
    }
    reg = (float) (lambda / n);
    // Adam's bias corrections: theta -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
    rule.inv = 1f / n;
    rule.lr = (float) optimizer.learningRate();
    rule.mu = (float) optimizer.momentum();
    rule.b1 = (float) optimizer.beta1();
    rule.b2 = (float) optimizer.beta2();
    rule.eps = (float) optimizer.epsilon();
    rule.adamStep = (float) (optimizer.learningRate() / (1 - Math.pow(optimizer.beta1(), step)));
    rule.adamScale = (float) (1.0 / Math.sqrt(1 - Math.pow(optimizer.beta2(), step)));
  }

  @Override
  public void run(int part, int parts) {
    int updated = params.updatedRows();
    int r0 = WorkPartition.start(updated, part, parts, 1);
    int r1 = WorkPartition.start(updated, part + 1, parts, 1);
    int base = 0;
    for (int l = params.firstUpdated(); l + 1 < s.length; l++) {
      int rows = s[l + 1];
      int lo = Math.max(r0 - base, 0);
      int hi = Math.min(r1 - base, rows);
      int cols = s[l] + 1;
      for (int j = lo; j < hi; j++) {
        int row = params.offset(l) + j * cols;
        k.update(rule, params.theta, params.grad, params.m, params.v, row, 1, 0f);
        k.update(rule, params.theta, params.grad, params.m, params.v, row + 1, cols - 1, reg);
      }
      if (lo < hi) {
        params.refresh(k, l, lo, hi);
      }
      base += rows;
    }
  }
}
