package org.clprop.cpu;

import java.util.Arrays;

/**
 * d(l) = (d(l+1) W(l)) .* A(l) .* (1 - A(l)) for a block of d(l): d(l+1) is (n, s[l+1]), W(l)
 * (s[l+1], s[l]), d(l) and A(l) (n, s[l]); A(l) .* (1 - A(l)) is g'(Z(l)) from the stored activations.
 */
final class DeltaTask extends StepTask {
  private int l;
  private int n;

  DeltaTask(int[] s, StepBuffers buf, ParameterLayout params, CpuKernels k, int threads) {
    super(s, buf, params, k, threads);
  }

  void prepare(int layer, int rows) {
    l = layer;
    n = rows;
  }

  @Override
  public void run(int part, int parts) {
    int in = s[l];
    WorkPartition.Block b = blocks[part].of(n, in, part, parts);
    float[] d = buf.delta[l];
    for (int i = b.r0; i < b.r1; i++) {
      Arrays.fill(d, i * in + b.c0, i * in + b.c1, 0f);
    }
    params.deltaProduct(l, buf.delta[l + 1], d, b.r0, b.r1, b.c0, b.c1);
    for (int i = b.r0; i < b.r1; i++) {
      k.timesSigmoidGradient(d, buf.act[l], i * in + b.c0, b.c1 - b.c0);
    }
  }
}
