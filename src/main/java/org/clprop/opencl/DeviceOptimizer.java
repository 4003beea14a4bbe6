package org.clprop.opencl;

import org.clprop.backend.OptimizerState;
import org.clprop.optim.Optimizer;

/**
 * The update rule on the device and its state: the first and second moments (momentum's
 * velocity, Adam's m and v) as buffers of one float per parameter, and the step count. One launch
 * updates every parameter (optimizers.cl).
 */
final class DeviceOptimizer implements AutoCloseable {
  private final ClContext ctx;
  private final ClKernels k;
  private final int paramCount;
  private Optimizer optimizer = Optimizer.sgd(0.1);
  private ClBuffer moment1;
  private ClBuffer moment2;
  private long step;

  DeviceOptimizer(ClContext ctx, ClKernels k, int paramCount) {
    this.ctx = ctx;
    this.k = k;
    this.paramCount = paramCount;
  }

  Optimizer optimizer() {
    return optimizer;
  }

  /** Takes {@code opt} and zeroes its state, allocating the moments it needs. */
  void set(Optimizer opt) {
    optimizer = opt;
    step = 0;
    if (hasFirst() && moment1 == null) {
      moment1 = buffer("first moments");
    }
    if (hasSecond() && moment2 == null) {
      moment2 = buffer("second moments");
    }
    float[] zeros = new float[paramCount];
    if (hasFirst()) {
      moment1.write(ctx.queue(), zeros, 0, 0, paramCount);
    }
    if (hasSecond()) {
      moment2.write(ctx.queue(), zeros, 0, 0, paramCount);
    }
  }

  private ClBuffer buffer(String name) {
    DeviceMemory.checkAllocation(ctx.device(), name, (long) paramCount * 4);
    return ctx.buffer(name, (long) paramCount * 4);
  }

  private boolean hasFirst() {
    return optimizer.kind() == Optimizer.Kind.MOMENTUM || optimizer.kind() == Optimizer.Kind.ADAM;
  }

  private boolean hasSecond() {
    return optimizer.kind() == Optimizer.Kind.ADAM;
  }

  /** The step count and moments, read back (a sync point). */
  OptimizerState state() {
    return new OptimizerState(step, hasFirst() ? read(moment1) : null, hasSecond() ? read(moment2) : null);
  }

  private float[] read(ClBuffer b) {
    float[] v = new float[paramCount];
    b.read(ctx.queue(), 0, v, 0, paramCount);
    return v;
  }

  /** Restores a state read by {@link #state()} under the same rule. */
  void restore(OptimizerState st) {
    if ((st.first() != null) != hasFirst() || (st.second() != null) != hasSecond()
        || (st.first() != null && st.first().length != paramCount)
        || (st.second() != null && st.second().length != paramCount)) {
      throw new IllegalArgumentException("optimizer state does not fit " + optimizer.kind());
    }
    step = st.step();
    if (hasFirst()) {
      moment1.write(ctx.queue(), st.first(), 0, 0, paramCount);
    }
    if (hasSecond()) {
      moment2.write(ctx.queue(), st.second(), 0, 0, paramCount);
    }
  }

  /** One step on {@code params} with the gradient {@code gs * grad}. */
  void update(ClBuffer params, ClBuffer grad, float gs) {
    step++;
    float lr = (float) optimizer.learningRate();
    switch (optimizer.kind()) {
      case SGD -> k.sgd(paramCount, params, grad, gs, lr);
      case MOMENTUM -> k.momentum(paramCount, params, grad, gs, moment1, lr, (float) optimizer.momentum());
      // Adam's bias corrections: lr / (1 - b1^t) and 1 / sqrt(1 - b2^t).
      case ADAM -> k.adam(paramCount, params, grad, gs, moment1, moment2, (float) optimizer.beta1(),
          (float) optimizer.beta2(), (float) optimizer.epsilon(),
          (float) (optimizer.learningRate() / (1 - Math.pow(optimizer.beta1(), step))),
          (float) (1.0 / Math.sqrt(1 - Math.pow(optimizer.beta2(), step))));
      case LBFGS -> throw new IllegalStateException("L-BFGS has no device update");
    }
  }

  @Override
  public void close() {
    if (moment1 != null) {
      moment1.close();
      moment1 = null;
    }
    if (moment2 != null) {
      moment2.close();
      moment2 = null;
    }
  }
}
