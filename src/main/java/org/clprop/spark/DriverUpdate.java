package org.clprop.spark;

import org.clprop.optim.Optimizer;

/**
 * The minibatch optimisers of {@link Optimizer} applied on the driver, in float32 as the backends
 * apply them, to the gradient of a global batch of n examples summed over partitions:
 *
 * <pre>
 * D     = Delta / n + (lambda / n) Theta off the bias column
 * SGD:      Theta -= lr D
 * MOMENTUM: v = mu v - lr D;  Theta += v
 * ADAM:     m = b1 m + (1 - b1) D;  v = b2 v + (1 - b2) D^2;
 *           Theta -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 */
final class DriverUpdate {
  private final Optimizer optimizer;
  private final boolean[] bias;
  private final float[] first;
  private final float[] second;
  private long step;

  DriverUpdate(Optimizer optimizer, int[] sizes) {
    if (!optimizer.isMinibatch()) {
      throw new IllegalArgumentException("optimizer " + optimizer.kind() + " is not a minibatch rule");
    }
    this.optimizer = optimizer;
    this.bias = ThetaLayout.biasColumns(sizes);
    boolean moments = optimizer.kind() != Optimizer.Kind.SGD;
    this.first = moments ? new float[bias.length] : null;
    this.second = optimizer.kind() == Optimizer.Kind.ADAM ? new float[bias.length] : null;
  }

  /** One step of {@code theta} (updated in place) on Delta summed over n examples. */
  void step(float[] theta, double[] delta, long n, double lambda) {
    step++;
    float lr = (float) optimizer.learningRate();
    float mu = (float) optimizer.momentum();
    float b1 = (float) optimizer.beta1();
    float b2 = (float) optimizer.beta2();
    float eps = (float) optimizer.epsilon();
    float adamStep = (float) (optimizer.learningRate() / (1 - Math.pow(optimizer.beta1(), step)));
    float adamScale = (float) (1.0 / Math.sqrt(1 - Math.pow(optimizer.beta2(), step)));
    double reg = lambda / n;
    for (int p = 0; p < theta.length; p++) {
      float d = (float) (delta[p] / n + (bias[p] ? 0 : reg * theta[p]));
      switch (optimizer.kind()) {
        case SGD -> theta[p] -= lr * d;
        case MOMENTUM -> {
          first[p] = mu * first[p] - lr * d;
          theta[p] += first[p];
        }
        default -> {
          first[p] = b1 * first[p] + (1f - b1) * d;
          second[p] = b2 * second[p] + d * d * (1f - b2);
          theta[p] -= adamStep * first[p] / ((float) Math.sqrt(second[p]) * adamScale + eps);
        }
      }
    }
  }
}
