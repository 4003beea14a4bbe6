package org.clprop.core;

/** The logistic function g(z) = 1 / (1 + e^-z) and its derivative g'(z) = g(z)(1 - g(z)). */
public final class Sigmoid {
  private Sigmoid() {}

  /** g(z) = 1 / (1 + e^-z). */
  public static double g(double z) {
    return 1.0 / (1.0 + Math.exp(-z));
  }

  /** g(z) in float32, computed in double and rounded once. */
  public static float g(float z) {
    return (float) (1.0 / (1.0 + Math.exp(-z)));
  }

  /** g'(z) = g(z) (1 - g(z)). */
  public static double gradient(double z) {
    double a = g(z);
    return a * (1.0 - a);
  }
}
