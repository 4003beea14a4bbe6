package org.clprop.optim;

/**
 * How the weights move once the gradient D of a minibatch is known. Immutable settings; the state
 * (velocities, Adam's moments) lives in the backend, next to the weights.
 *
 * <ul>
 *   <li>SGD: theta -= lr * D
 *   <li>MOMENTUM: v = mu * v - lr * D; theta += v
 *   <li>ADAM (Kingma and Ba 2015): m = b1 m + (1 - b1) D; v = b2 v + (1 - b2) D^2;
 *       theta -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 *   <li>LBFGS: full-batch limited-memory BFGS on J (the course's fmincg minimises the same J); see
 *       {@link Lbfgs}.
 * </ul>
 *
 * @param kind the update rule
 * @param learningRate lr, finite and positive; for L-BFGS the first trial step of the line search
 * @param momentum mu, in [0, 1); used by MOMENTUM
 * @param beta1 Adam's b1, in [0, 1)
 * @param beta2 Adam's b2, in [0, 1)
 * @param epsilon Adam's eps, positive
 * @param history correction pairs L-BFGS keeps, at least 1
 */
public record Optimizer(Kind kind, double learningRate, double momentum, double beta1, double beta2,
    double epsilon, int history) {

  /** The update rules. */
  public enum Kind {
    /** Plain gradient descent: theta -= lr * D. */
    SGD,
    /** Classical momentum: v = mu * v - lr * D; theta += v. */
    MOMENTUM,
    /** Adam, with bias-corrected moments. */
    ADAM,
    /** Full-batch limited-memory BFGS with a backtracking line search. */
    LBFGS
  }

  /**
   * Checks every setting, whether or not the rule uses it.
   *
   * @throws IllegalArgumentException when a setting is outside the range given above
   */
  public Optimizer {
    if (kind == null) {
      throw new IllegalArgumentException("optimizer kind: null");
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate: " + learningRate + ", must be finite and > 0");
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum: " + momentum + ", must lie in [0, 1)");
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Adam betas: " + beta1 + ", " + beta2 + ", must lie in [0, 1)");
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("epsilon: " + epsilon + ", must be > 0");
    }
    if (history < 1) {
      throw new IllegalArgumentException("L-BFGS history: " + history + ", must be >= 1");
    }
  }

  /** Plain minibatch gradient descent. */
  public static Optimizer sgd(double learningRate) {
    return new Optimizer(Kind.SGD, learningRate, 0, 0.9, 0.999, 1e-8, 10);
  }

  /** Gradient descent with classical momentum {@code mu}. */
  public static Optimizer momentum(double learningRate, double mu) {
    return new Optimizer(Kind.MOMENTUM, learningRate, mu, 0.9, 0.999, 1e-8, 10);
  }

  /** Adam with the paper's defaults b1 = 0.9, b2 = 0.999, eps = 1e-8. */
  public static Optimizer adam(double learningRate) {
    return new Optimizer(Kind.ADAM, learningRate, 0, 0.9, 0.999, 1e-8, 10);
  }

  /** Full-batch L-BFGS keeping the last {@code history} correction pairs; lr is the first trial step. */
  public static Optimizer lbfgs(int history) {
    return new Optimizer(Kind.LBFGS, 1.0, 0, 0.9, 0.999, 1e-8, history);
  }

  /** The kind with clprop's default settings (learning rates chosen on digits and Fashion-MNIST). */
  public static Optimizer defaults(Kind kind) {
    return switch (kind) {
      case SGD -> sgd(0.5);
      case MOMENTUM -> momentum(0.1, 0.9);
      case ADAM -> adam(0.003);
      case LBFGS -> lbfgs(10);
    };
  }

  /** The same rule and settings with learning rate {@code lr}. */
  public Optimizer withLearningRate(double lr) {
    return new Optimizer(kind, lr, momentum, beta1, beta2, epsilon, history);
  }

  /** True when the optimiser works on minibatches (everything but L-BFGS). */
  public boolean isMinibatch() {
    return kind != Kind.LBFGS;
  }
}
