package org.clprop.opencl;

import org.clprop.data.Dataset;

/**
 * The data sets a backend keeps on its device: the bound training set, and one more for whole
 * passes (the validation data evaluated every epoch is uploaded once). A set that does not fit
 * ({@link DeviceMemory#fitsResident}) is not kept; callers stream it instead.
 */
final class ResidentSets implements AutoCloseable {
  private final ClContext ctx;
  private ResidentData bound;
  private ResidentData evalCache;

  ResidentSets(ClContext ctx) {
    this.ctx = ctx;
  }

  /** The bound training set when it is resident, else null. */
  ResidentData bound() {
    return bound;
  }

  /**
   * Makes {@code data} the bound set: kept when it already is, taken from the pass cache when it is
   * there, uploaded when it fits; returns null (nothing bound) when it does not fit.
   */
  ResidentData bind(Dataset data) {
    if (bound != null && bound.data == data) {
      return bound;
    }
    unbind();
    if (evalCache != null && evalCache.data == data) {
      bound = evalCache;
      evalCache = null;
    } else if (DeviceMemory.fitsResident(ctx.device(), data)) {
      bound = new ResidentData(ctx, data);
    }
    return bound;
  }

  /** Releases the bound set. */
  void unbind() {
    if (bound != null) {
      bound.close();
      bound = null;
    }
  }

  /** {@code data} on the device for a whole pass: the bound set, the cached one, or a new upload; null when it does not fit. */
  ResidentData forPass(Dataset data) {
    if (bound != null && bound.data == data) {
      return bound;
    }
    if (evalCache != null && evalCache.data == data) {
      return evalCache;
    }
    if (!DeviceMemory.fitsResident(ctx.device(), data)) {
      return null;
    }
    if (evalCache != null) {
      evalCache.close();
    }
    evalCache = new ResidentData(ctx, data);
    return evalCache;
  }

  @Override
  public void close() {
    unbind();
    if (evalCache != null) {
      evalCache.close();
      evalCache = null;
    }
  }
}
