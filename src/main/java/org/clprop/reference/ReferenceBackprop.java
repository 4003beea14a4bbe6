package org.clprop.reference;

import java.util.ArrayList;
import java.util.List;
import org.clprop.core.CostGradient;
import org.clprop.core.Matrix;
import org.clprop.core.MemoryBudget;
import org.clprop.core.Network;
import org.clprop.core.Sigmoid;
import org.clprop.model.ModelSpec.Activation;
import org.clprop.model.ModelSpec.Output;

/**
 * The algorithm of docs/algorithm.md exactly as the original text states it, in double precision, one
 * example at a time. Slow on purpose: it is the oracle every faster path is checked against.
 *
 * <pre>
 * for each example t:   a(1) = x(t);  a(l+1) = g(Theta(l) [1; a(l)])    hidden layers, g of the activation
 *                       h = a(L) = out(z(L))                           out: sigmoid per unit, or softmax
 *                       d(L) = a(L) - y(t)
 *                       d(l) = (Theta(l)' d(l+1))[1:] .* g'(z(l))     for l = L-1 .. 2
 *                       Delta(l) += d(l+1) [1; a(l)]'
 * D(l) = (1/m) Delta(l) + (lambda/m) Theta(l), the bias column 0 without the lambda term
 * J = (1/m) sum_t C(t) + lambda/(2m) sum_l sum_{j, c>=1} Theta(l)_jc^2, with
 *     C = sum_k [-y log h - (1-y) log(1-h)]    sigmoid outputs (the course's)
 *     C = -sum_k y log h = -log h_label        softmax outputs
 * </pre>
 *
 * Both costs have dJ/dz(L) = (h - y) / m for their own output function, which is why d(L) is the
 * same for both and the backward loop does not depend on the output.
 */
public final class ReferenceBackprop {
  private ReferenceBackprop() {}

  /**
   * Cost and gradients of the course's network (sigmoid units, sigmoid outputs) {@code net} on
   * examples {@code x} (row-major, m x s_1) with 0-based labels {@code y}.
   */
  public static CostGradient costAndGradients(Network net, double[] x, int[] y, double lambda) {
    return costAndGradients(net, Activation.SIGMOID, Output.SIGMOID, x, y, lambda);
  }

  /**
   * Cost and gradients of {@code net} with hidden units {@code act} and outputs {@code output} on
   * examples {@code x} (row-major, m x s_1) with 0-based labels {@code y}.
   */
  public static CostGradient costAndGradients(Network net, Activation act, Output output, double[] x, int[] y,
      double lambda) {
    int[] s = net.sizes();
    int L = s.length;
    int m = y.length;
    int k = s[L - 1];
    checkData(s[0], k, x, y, lambda);
    // Theta and its gradient as rows of doubles, and the result's matrices.
    MemoryBudget.require(24L * net.parameterCount() + 32L * Network.parameterRows(s), "the gradients of a network "
        + java.util.Arrays.toString(s) + " in double", "use a smaller model");

    double[][][] theta = new double[L - 1][][];
    double[][][] delta = new double[L - 1][][];
    for (int l = 0; l < L - 1; l++) {
      theta[l] = net.thetas().get(l).toArray();
      delta[l] = new double[s[l + 1]][s[l] + 1];
    }

    double[][] a = new double[L][];
    double[][] z = new double[L][];
    double[][] d = new double[L][];
    double cost = 0;
    for (int t = 0; t < m; t++) {
      // Forward: a(1) = x, z(l+1) = Theta(l) [1; a(l)], a(l+1) = g(z(l+1)); the output's function last.
      a[0] = new double[s[0]];
      System.arraycopy(x, t * s[0], a[0], 0, s[0]);
      for (int l = 0; l < L - 1; l++) {
        z[l + 1] = new double[s[l + 1]];
        a[l + 1] = new double[s[l + 1]];
        for (int j = 0; j < s[l + 1]; j++) {
          double sum = theta[l][j][0];
          for (int c = 0; c < s[l]; c++) {
            sum += theta[l][j][c + 1] * a[l][c];
          }
          z[l + 1][j] = sum;
          a[l + 1][j] = l + 2 < L ? act.g(sum) : output == Output.SIGMOID ? Sigmoid.g(sum) : 0;
        }
      }
      if (output == Output.SOFTMAX) {
        softmax(z[L - 1], a[L - 1]);
      }
      // Cost and output delta d(L) = a(L) - y(t).
      d[L - 1] = new double[k];
      for (int j = 0; j < k; j++) {
        double yj = y[t] == j ? 1.0 : 0.0;
        double h = a[L - 1][j];
        if (output == Output.SIGMOID) {
          cost += -yj * Math.log(h) - (1 - yj) * Math.log(1 - h);
        }
        d[L - 1][j] = h - yj;
      }
      if (output == Output.SOFTMAX) {
        cost += logSumExp(z[L - 1]) - z[L - 1][y[t]];   // -log h_label, without forming log(h)
      }
      // Hidden deltas d(l) = (Theta(l)' d(l+1)) .* g'(z(l)), the bias row dropped.
      for (int l = L - 2; l >= 1; l--) {
        d[l] = new double[s[l]];
        for (int c = 0; c < s[l]; c++) {
          double sum = 0;
          for (int j = 0; j < s[l + 1]; j++) {
            sum += theta[l][j][c + 1] * d[l + 1][j];
          }
          d[l][c] = sum * act.gradient(z[l][c]);
        }
      }
      // Delta(l) += d(l+1) [1; a(l)]'.
      for (int l = 0; l < L - 1; l++) {
        for (int j = 0; j < s[l + 1]; j++) {
          delta[l][j][0] += d[l + 1][j];
          for (int c = 0; c < s[l]; c++) {
            delta[l][j][c + 1] += d[l + 1][j] * a[l][c];
          }
        }
      }
    }

    double reg = 0;
    List<Matrix> grads = new ArrayList<>();
    for (int l = 0; l < L - 1; l++) {
      double[][] g = new double[s[l + 1]][s[l] + 1];
      for (int j = 0; j < s[l + 1]; j++) {
        g[j][0] = delta[l][j][0] / m;
        for (int c = 1; c <= s[l]; c++) {
          g[j][c] = delta[l][j][c] / m + lambda / m * theta[l][j][c];
          reg += theta[l][j][c] * theta[l][j][c];
        }
      }
      grads.add(Matrix.of(g));
    }
    return new CostGradient(cost / m + lambda / (2.0 * m) * reg, grads);
  }

  /** The cost J of the course's network alone (the same loop without the backward steps). */
  public static double cost(Network net, double[] x, int[] y, double lambda) {
    return costAndGradients(net, x, y, lambda).cost();
  }

  /** The cost J alone, for hidden units {@code act} and outputs {@code output}. */
  public static double cost(Network net, Activation act, Output output, double[] x, int[] y, double lambda) {
    return costAndGradients(net, act, output, x, y, lambda).cost();
  }

  /** h = softmax(z): h_k = e^(z_k - max z) / sum_j e^(z_j - max z), the shift keeping every exponent <= 0. */
  static void softmax(double[] z, double[] h) {
    double max = max(z);
    double sum = 0;
    for (int k = 0; k < z.length; k++) {
      h[k] = Math.exp(z[k] - max);
      sum += h[k];
    }
    for (int k = 0; k < z.length; k++) {
      h[k] /= sum;
    }
  }

  /** log sum_k e^(z_k), as max z + log sum_k e^(z_k - max z). */
  static double logSumExp(double[] z) {
    double max = max(z);
    double sum = 0;
    for (double v : z) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }

  private static double max(double[] z) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      m = Math.max(m, v);
    }
    return m;
  }

  private static void checkData(int n, int k, double[] x, int[] y, double lambda) {
    if (y.length == 0) {
      throw new IllegalArgumentException("data: empty, need at least one example");
    }
    if ((long) y.length * n != x.length) {
      throw new IllegalArgumentException(
          "x: " + x.length + " values is not " + y.length + " examples x " + n + " inputs");
    }
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("lambda: " + lambda + ", must be finite and >= 0");
    }
    for (int i = 0; i < y.length; i++) {
      if (y[i] < 0 || y[i] >= k) {
        throw new IllegalArgumentException("labels[" + i + "] = " + y[i] + ": outside 0.." + (k - 1));
      }
    }
  }
}
