package org.clprop.opencl;

import org.clprop.config.Settings;
import org.clprop.data.Dataset;

/**
 * What the device can hold, checked before anything is allocated: one allocation against
 * CL_DEVICE_MAX_MEM_ALLOC_SIZE, a fit's buffers against nine tenths of the global memory, and
 * whether a data set is small enough to stay resident (half of it), with messages that say what
 * would fit.
 */
final class DeviceMemory {
  /** Share of global memory a resident data set may take. */
  private static final double RESIDENT_FRACTION = 0.5;
  /** Share of global memory a fit's buffers may take (drivers keep some for themselves). */
  private static final double FIT_FRACTION = 0.9;

  private DeviceMemory() {}

  /** Fails when one buffer of {@code bytes} exceeds the device's largest allocation. */
  static void checkAllocation(ClDevice d, String name, long bytes) {
    long max = d.maxAllocBytes();
    if (bytes > max) {
      throw new OpenClException(name + " needs " + bytes + " bytes, more than the " + max
          + " bytes one allocation may have on " + d.name() + " (CL_DEVICE_MAX_MEM_ALLOC_SIZE)");
    }
  }

  /**
   * Fails unless a batch of {@code rows} fits: its widest buffer in one allocation, and all of a
   * fit's buffers (per row: activations, deltas, output z, labels, row costs and hits; fixed:
   * parameters, gradients, two moments, {@code metricSlots} metric pairs) in the global memory.
   */
  static void checkBatch(ClDevice d, int[] s, long paramCount, int metricSlots, int rows) {
    long widest = 0;
    for (int w : s) {
      widest = Math.max(widest, w);
    }
    long max = d.maxAllocBytes();
    if (widest * rows * 4 > max) {
      throw new OpenClException("a batch of " + rows + " rows of " + widest + " floats needs " + widest * rows * 4
          + " bytes, more than the " + max + " bytes one allocation may have on " + d.name()
          + "; a batch of at most " + max / (widest * 4) + " rows fits");
    }
    int layers = s.length;
    long perRow = 4L * (3 + s[layers - 1]);
    for (int l = 0; l < layers; l++) {
      perRow += 4L * s[l] * (l == 0 ? 1 : 2);
    }
    long fixed = 4L * paramCount * 4 + 2L * metricSlots * 4;
    long budget = (long) (FIT_FRACTION * d.globalMemBytes());
    if (fixed + perRow * rows > budget) {
      long fits = Math.max(0, (budget - fixed) / perRow);
      throw new OpenClException(String.format("a batch of %d rows needs %d MiB of device memory (%d bytes a row, "
          + "plus %d MiB of weights and optimiser state); %s has %d MiB; %s", rows, (fixed + perRow * rows) >> 20,
          perRow, fixed >> 20, d.name(), d.globalMemBytes() >> 20,
          fits > 0 ? "a batch of at most " + fits + " rows fits" : "the network's weights alone do not fit"));
    }
  }

  /** Whether {@code data} may stay on the device (else it is streamed); -Dclprop.opencl.stream forces streaming. */
  static boolean fitsResident(ClDevice d, Dataset data) {
    if (Settings.isTrue(Settings.STREAM)) {
      return false;
    }
    long bytes = (long) data.size() * data.features() * 4;
    return bytes <= d.maxAllocBytes() && bytes + data.size() * 8L <= RESIDENT_FRACTION * d.globalMemBytes();
  }
}
