package org.clprop.opencl;

/**
 * The algorithm's passes over one batch as kernel launches on the device, for {@link OpenClBackend}:
 *
 * <pre>
 *   forward        A(l+1) = g(A(l) Theta(l)' + bias), the output layer keeping Z; softmax rows after it
 *   outputDelta    d(L) = A(L) - Y, each row's cost and hit, reduced into a metrics slot
 *   backward       Delta(l) = d(l+1)' [1, A(l)]; d(l) = (d(l+1) Theta(l)[:, 1:]) .* g'(Z(l)), l >= 1
 *   scale          D = Delta / m + (lambda / m) Theta off the bias column
 * </pre>
 *
 * Nothing here waits for the device except {@link #sumOfSquares}. The buffers are the backend's;
 * Theta(l) lies in {@code params} at element {@code thetaOff[l]}, (s[l+1], s[l]+1) row-major.
 */
final class LayerPasses {
  private final ClContext ctx;
  private final ClKernels k;
  private final int[] s;
  private final int layers;
  private final int[] thetaOff;
  private final BatchBuffers batch;
  private final ClBuffer params;
  private final ClBuffer grad;
  private final ClBuffer regSums;
  private final boolean softmax;

  LayerPasses(ClContext ctx, ClKernels k, int[] s, int[] thetaOff, BatchBuffers batch, ClBuffer params,
      ClBuffer grad, ClBuffer regSums, boolean softmax) {
    this.ctx = ctx;
    this.k = k;
    this.s = s;
    this.layers = s.length;
    this.thetaOff = thetaOff;
    this.batch = batch;
    this.params = params;
    this.grad = grad;
    this.regSums = regSums;
    this.softmax = softmax;
  }

  void forward(int n) {
    ClBuffer[] act = batch.act;
    for (int l = 0; l + 1 < layers; l++) {
      int in = s[l];
      int out = s[l + 1];
      boolean last = l + 1 == layers - 1;
      k.gemm(ClKernels.Layout.NT, n, out, in, act[l], 0, in, params, thetaOff[l] + 1, in + 1, act[l + 1], 0, out,
          last ? ClKernels.BIAS_OUTPUT_KEEP_Z : ClKernels.BIAS_ACTIVATION, 0f, params, thetaOff[l], in + 1, batch.zOut,
          0);
    }
    if (softmax) {
      k.softmaxRows(n, s[layers - 1], batch.zOut, act[layers - 1]);
    }
  }

  void outputDelta(int n, ClBuffer metrics, int slot) {
    int kOut = s[layers - 1];
    BatchBuffers b = batch;
    k.outputDelta(n, kOut, b.act[layers - 1], b.zOut, b.labels, b.delta[layers - 1], b.rowCost, b.rowHit);
    k.reduceMetrics(n, b.rowCost, b.rowHit, metrics, slot);
  }

  /** Delta(l) (= when beta is 0, += when 1) for every layer, and the hidden deltas between. */
  void backward(int n, float beta) {
    ClBuffer[] act = batch.act;
    ClBuffer[] delta = batch.delta;
    for (int l = layers - 2; l >= 0; l--) {
      int in = s[l];
      int out = s[l + 1];
      k.gemm(ClKernels.Layout.TN, out, in, n, delta[l + 1], 0, out, act[l], 0, in, grad, thetaOff[l] + 1, in + 1,
          ClKernels.STORE, beta, params, 0, 0, params, 0);
      k.columnSum(n, out, delta[l + 1], grad, thetaOff[l], in + 1, beta);
      if (l >= 1) {
        k.gemm(ClKernels.Layout.NN, n, in, out, delta[l + 1], 0, out, params, thetaOff[l] + 1, in + 1, delta[l], 0, in,
            ClKernels.TIMES_ACTIVATION_GRADIENT, 0f, act[l], 0, in, params, 0);
      }
    }
  }

  /** D = Delta / m + (lambda / m) Theta off the bias column, layer by layer. */
  void scale(int m, double lambda) {
    for (int l = 0; l + 1 < layers; l++) {
      k.scaleGradient(s[l + 1], s[l] + 1, thetaOff[l], grad, params, 1f / m, (float) (lambda / m));
    }
  }

  double sumOfSquares() {
    for (int l = 0; l + 1 < layers; l++) {
      k.sumSquares(s[l + 1], s[l] + 1, thetaOff[l], params, regSums, l);
    }
    float[] v = new float[layers - 1];
    regSums.read(ctx.queue(), 0, v, 0, v.length);
    double sum = 0;
    for (float x : v) {
      sum += x;
    }
    return sum;
  }
}
