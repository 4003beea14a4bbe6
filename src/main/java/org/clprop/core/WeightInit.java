package org.clprop.core;

/**
 * How {@link Network#initialise(int[], long, WeightInit)} draws Theta(l), s_{l+1} x (s_l + 1), from
 * a seeded generator; with fan_in = s_l and fan_out = s_{l+1}:
 *
 * <pre>
 *   COURSE   every entry, bias column included, uniform in [-e, e], e = sqrt(6) / sqrt(fan_in + fan_out)
 *   GLOROT   weights uniform in [-e, e], the same e; biases 0          (Glorot and Bengio 2010, for tanh)
 *   HE       weights uniform in [-e, e], e = sqrt(6 / fan_in); biases 0 (He et al. 2015, for ReLU)
 * </pre>
 *
 * The course's epsilon is Glorot's uniform bound: GLOROT differs from it only in starting the
 * biases at zero, as Keras' glorot_uniform kernels with zero biases do. He's bound is wider by
 * sqrt(1 + fan_out / fan_in): a ReLU passes half of its inputs' variance, which the factor 2 in
 * Var(w) = 2 / fan_in restores, so activations keep their scale through deep ReLU stacks.
 */
public enum WeightInit {
  /** The course's epsilon-init, bias included: the sigmoid network's (docs/algorithm.md). */
  COURSE,
  /** Glorot's uniform weights, zero biases: for tanh units. */
  GLOROT,
  /** He's uniform weights, zero biases: for ReLU units. */
  HE;

  /** The bound e of Theta(l)'s uniform draw for a layer of {@code fanIn} inputs and {@code fanOut} outputs. */
  public double bound(int fanIn, int fanOut) {
    return this == HE ? Math.sqrt(6.0 / fanIn) : Math.sqrt(6.0) / Math.sqrt(fanIn + fanOut);
  }

  /** Whether the bias column is drawn like the weights (else it starts at zero). */
  public boolean drawsBiases() {
    return this == COURSE;
  }
}
