package org.clprop.cpu;

/**
 * d(l) = (d(l+1) W(l)) .* g'(Z(l)) for a block of d(l): d(l+1) is (n, s[l+1]), W(l) (s[l+1], s[l]),
 * d(l) and A(l) (n, s[l]); g'(Z(l)) from the stored activations A(l) = g(Z(l)) (LayerFunction),
 * A(l) .* (1 - A(l)) for the sigmoid.
 */
final class DeltaTask extends StepTask {
  /** g of each layer. */
  private final LayerFunction[] f;
  private int l;
  private int n;

  DeltaTask(int[] s, StepBuffers buf, ParameterLayout params, CpuKernels k, int threads, LayerFunction[] f) {
    super(s, buf, params, k, threads);
    this.f = f;
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
    clearBlock(d, 0, in, b.r0, b.r1, b.c0, b.c1);
    params.deltaProduct(l, buf.delta[l + 1], d, b.r0, b.r1, b.c0, b.c1);
    LayerFunction g = f[l];
    for (int i = b.r0; i < b.r1; i++) {
      g.timesGradient(k, d, buf.act[l], i * in + b.c0, b.c1 - b.c0);
    }
  }
}
