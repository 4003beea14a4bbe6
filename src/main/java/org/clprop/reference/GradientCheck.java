package org.clprop.reference;

import java.util.ArrayList;
import java.util.List;
import org.clprop.core.Matrix;
import org.clprop.core.Network;
import org.clprop.model.ModelSpec.Activation;
import org.clprop.model.ModelSpec.Output;

/**
 * Numerical gradients by central differences, (J(theta + e) - J(theta - e)) / 2e for every
 * parameter in turn, to check an analytic gradient. Costs two cost evaluations per parameter: for
 * small networks only.
 */
public final class GradientCheck {
  private GradientCheck() {}

  /** The numerical gradient of the course network's J at {@code net}, same shapes as the Theta matrices. */
  public static List<Matrix> numericalGradients(Network net, double[] x, int[] y, double lambda, double e) {
    return numericalGradients(net, Activation.SIGMOID, Output.SIGMOID, x, y, lambda, e);
  }

  /** The numerical gradient of J at {@code net} with hidden units {@code act} and outputs {@code output}. */
  public static List<Matrix> numericalGradients(Network net, Activation act, Output output, double[] x, int[] y,
      double lambda, double e) {
    int[] s = net.sizes();
    List<double[]> flat = new ArrayList<>();
    for (Matrix t : net.thetas()) {
      flat.add(t.toRowMajor());
    }
    List<Matrix> out = new ArrayList<>();
    for (int l = 0; l < flat.size(); l++) {
      double[] p = flat.get(l);
      double[] g = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        double keep = p[i];
        p[i] = keep + e;
        double plus = ReferenceBackprop.cost(build(s, flat), act, output, x, y, lambda);
        p[i] = keep - e;
        double minus = ReferenceBackprop.cost(build(s, flat), act, output, x, y, lambda);
        p[i] = keep;
        g[i] = (plus - minus) / (2 * e);
      }
      out.add(Matrix.of(s[l + 1], s[l] + 1, g));
    }
    return out;
  }

  /** norm(a - b) / norm(a + b) over all entries, the course's measure. */
  public static double relativeDifference(List<Matrix> a, List<Matrix> b) {
    double diff = 0;
    double sum = 0;
    for (int l = 0; l < a.size(); l++) {
      double[] x = a.get(l).toRowMajor();
      double[] z = b.get(l).toRowMajor();
      for (int i = 0; i < x.length; i++) {
        diff += (x[i] - z[i]) * (x[i] - z[i]);
        sum += (x[i] + z[i]) * (x[i] + z[i]);
      }
    }
    return Math.sqrt(diff) / Math.sqrt(sum);
  }

  private static Network build(int[] s, List<double[]> flat) {
    List<Matrix> t = new ArrayList<>();
    for (int l = 0; l < flat.size(); l++) {
      t.add(Matrix.of(s[l + 1], s[l] + 1, flat.get(l)));
    }
    return new Network(s, t);
  }
}
