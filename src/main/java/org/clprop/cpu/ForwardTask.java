package org.clprop.cpu;

import java.util.Arrays;

/**
 * A(l+1) = f(A(l) W(l)' + b(l)) for a block of the output: A(l) is (n, s[l]), W(l) (s[l+1], s[l]),
 * A(l+1) (n, s[l+1]), f the layer's function (LayerFunction). The output layer keeps Z for the cost.
 * When split by rows, the input layer's parts first gather their rows of the batch into A(0), and
 * the output layer's parts, whose blocks are whole rows, normalise them (softmax outputs) and
 * compute d(L-1) for them (OutputDelta).
 */
final class ForwardTask extends StepTask {
  private final BatchRows batch;
  private final ZeroSkipping zeros;
  /** b(l) contiguous, copied out of Theta's column 0. */
  private final float[] biasCopy;
  /** f of each layer, [l+1] applied to A(l+1). */
  private final LayerFunction[] f;
  private final boolean softmax;
  private int l;
  private int n;
  private boolean gather;
  private boolean outputDelta;
  private float[] bias;

  ForwardTask(int[] s, StepBuffers buf, ParameterLayout params, BatchRows batch, ZeroSkipping zeros, CpuKernels k,
      int threads, LayerFunction[] f, boolean softmax) {
    super(s, buf, params, k, threads);
    this.f = f;
    this.softmax = softmax;
    this.batch = batch;
    this.zeros = zeros;
    biasCopy = new float[Arrays.stream(s).max().getAsInt()];
  }

  /** Layer l over n rows; with {@code gatherRows} each part gathers its rows, with {@code delta} computes their d(L-1). */
  void prepare(int layer, int rows, boolean gatherRows, boolean delta) {
    l = layer;
    n = rows;
    gather = gatherRows;
    outputDelta = delta;
    bias = params.bias(layer, biasCopy);
  }

  @Override
  public void run(int part, int parts) {
    int out = s[l + 1];
    WorkPartition.Block b = blocks[part].of(n, out, part, parts);
    if (gather) {
      batch.gather(part, b.r0, b.r1, buf.act[0], k, zeros);
    }
    float[] c = buf.act[l + 1];
    for (int i = b.r0; i < b.r1; i++) {
      System.arraycopy(bias, b.c0, c, i * out + b.c0, b.c1 - b.c0);
    }
    params.forwardProduct(l, buf.act[l], c, b.r0, b.r1, b.c0, b.c1, l == 0 ? zeros.strips() : null);
    boolean last = l + 1 == s.length - 1;
    LayerFunction g = f[l + 1];
    for (int i = b.r0; i < b.r1; i++) {
      int row = i * out;
      if (last) {
        System.arraycopy(c, row + b.c0, buf.zOut, row + b.c0, b.c1 - b.c0);
      }
      g.apply(k, c, row + b.c0, b.c1 - b.c0);
    }
    if (last && outputDelta) {
      if (softmax) {
        OutputDelta.softmax(c, out, b.r0, b.r1);
      }
      OutputDelta.rows(buf, batch, out, b.r0, b.r1, softmax);
    }
  }
}
