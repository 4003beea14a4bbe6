package org.clprop.optim;

/**
 * Limited-memory BFGS (Nocedal and Wright, Numerical Optimization, 2nd ed., algorithms 7.4 and
 * 7.5) with a backtracking line search on the Armijo condition. Works on a flat double vector; the
 * function supplies J and its gradient (for clprop, the full-batch D of docs/algorithm.md).
 */
public final class Lbfgs {
  /** J(x) and its gradient, written into {@code grad}. */
  public interface Function {
    /** J(x); fills {@code grad} (of x's length) with dJ/dx. */
    double valueAndGradient(double[] x, double[] grad);
  }

  private static final double ARMIJO_C1 = 1e-4;
  private static final int MAX_BACKTRACKS = 30;

  private final Function f;
  private final int m;
  private final double[][] s;
  private final double[][] y;
  private final double[] rho;
  private final double[] alpha;
  private int stored;
  private int newest = -1;
  private final double[] x;
  private final double[] g;
  private final double[] direction;
  private final double[] xTrial;
  private final double[] gTrial;
  private double value;
  private boolean converged;
  private int evaluations;

  /** Starts at {@code x0} (copied), evaluating J there once. */
  public Lbfgs(Function f, double[] x0, int history) {
    if (history < 1) {
      throw new IllegalArgumentException("history: " + history + ", must be >= 1");
    }
    this.f = f;
    this.m = history;
    int n = x0.length;
    s = new double[m][n];
    y = new double[m][n];
    rho = new double[m];
    alpha = new double[m];
    x = x0.clone();
    g = new double[n];
    direction = new double[n];
    xTrial = new double[n];
    gTrial = new double[n];
    value = f.valueAndGradient(x, g);
    evaluations = 1;
  }

  /**
   * One iteration: two-loop recursion for the direction, then a backtracking line search.
   * Returns false once no step decreases J (converged, or the gradient vanished).
   */
  public boolean iterate() {
    if (converged) {
      return false;
    }
    int n = x.length;
    // Two-loop recursion: direction = -H g.
    System.arraycopy(g, 0, direction, 0, n);
    for (int k = 0, i = newest; k < stored; k++, i = (i - 1 + m) % m) {
      alpha[i] = rho[i] * dot(s[i], direction);
      axpy(-alpha[i], y[i], direction);
    }
    double gamma = 1.0;
    if (stored > 0) {
      gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
    }
    scale(gamma, direction);
    for (int k = 0, i = (newest - stored + 1 + m) % m; k < stored; k++, i = (i + 1) % m) {
      double beta = rho[i] * dot(y[i], direction);
      axpy(alpha[i] - beta, s[i], direction);
    }
    scale(-1.0, direction);

    double slope = dot(g, direction);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      stored = 0;
      for (int i = 0; i < n; i++) {
        direction[i] = -g[i];
      }
      slope = dot(g, direction);
      if (!(slope < 0)) {
        converged = true;
        return false;
      }
    }
    // On the first iteration scale the trial step so that it moves by at most 1 in norm.
    double step = stored == 0 ? Math.min(1.0, 1.0 / Math.sqrt(dot(direction, direction))) : 1.0;
    double trial = Double.NaN;
    for (int b = 0; b < MAX_BACKTRACKS; b++) {
      for (int i = 0; i < n; i++) {
        xTrial[i] = x[i] + step * direction[i];
      }
      trial = f.valueAndGradient(xTrial, gTrial);
      evaluations++;
      if (Double.isFinite(trial) && trial <= value + ARMIJO_C1 * step * slope) {
        break;
      }
      step *= 0.5;
      trial = Double.NaN;
    }
    if (Double.isNaN(trial)) {
      converged = true;
      return false;
    }
    // Store the correction pair s = x_new - x, y = g_new - g when it keeps H positive definite.
    int next = (newest + 1) % m;
    double sy = 0;
    for (int i = 0; i < n; i++) {
      s[next][i] = xTrial[i] - x[i];
      y[next][i] = gTrial[i] - g[i];
      sy += s[next][i] * y[next][i];
    }
    if (sy > 1e-12) {
      rho[next] = 1.0 / sy;
      newest = next;
      stored = Math.min(stored + 1, m);
    }
    System.arraycopy(xTrial, 0, x, 0, n);
    System.arraycopy(gTrial, 0, g, 0, n);
    value = trial;
    return true;
  }

  /** The current point; a copy. */
  public double[] x() {
    return x.clone();
  }

  /** J at the current point. */
  public double value() {
    return value;
  }

  /** How many times J and its gradient were evaluated, the first at x0 included. */
  public int evaluations() {
    return evaluations;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static void scale(double a, double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= a;
    }
  }
}
