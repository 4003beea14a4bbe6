package org.clprop.opencl;

import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;

/**
 * Tile sizes for the matrix-multiply kernel and the reduction work-group size, picked per device
 * and passed to the compiler as -D options (the kernels' defaults apply to anything not given).
 *
 * @param tsM rows of C per work-group tile
 * @param tsN columns of C per work-group tile
 * @param tsK depth of the staged tiles
 * @param wptM rows of C per work-item
 * @param wptN columns of C per work-item
 * @param reductionGroup work-group size of the reductions (a power of two)
 */
public record KernelParams(int tsM, int tsN, int tsK, int wptM, int wptN, int reductionGroup) {

  public KernelParams {
    if (tsM % wptM != 0 || tsN % wptN != 0) {
      throw new IllegalArgumentException("tile " + tsM + "x" + tsN + " is not a multiple of the work per item "
          + wptM + "x" + wptN);
    }
    if (Integer.bitCount(reductionGroup) != 1) {
      throw new IllegalArgumentException("reduction group " + reductionGroup + " is not a power of two");
    }
  }

  /** Work-items per GEMM work-group. */
  public int groupSize() {
    return (tsM / wptM) * (tsN / wptN);
  }

  /**
   * GPUs and accelerators get 64x64 tiles, 16x16 work-items of 4x4 results each; CPU devices (PoCL
   * maps a work-group onto one thread and vectorises across work-items) get 32x32 tiles of 8x8
   * work-items. Both shrink when the device's work-group limit is lower.
   */
  public static KernelParams forDevice(ClDevice d) {
    KernelParams chosen = override();
    if (chosen != null) {
      return chosen;
    }
    long maxGroup = OpenCl.deviceSizeT(d.id(), CL_DEVICE_MAX_WORK_GROUP_SIZE);
    if (maxGroup <= 0) {
      maxGroup = 256; // the query failed (seen under -Xcheck:jni); 256 is what OpenCL GPUs and PoCL allow
    }
    KernelParams p = d.isGpuOrAccelerator() ? new KernelParams(64, 64, 16, 4, 4, 256)
        : new KernelParams(32, 32, 16, 4, 4, 64);
    while (p.groupSize() > maxGroup && p.tsM > p.wptM) {
      p = new KernelParams(p.tsM / 2, p.tsN / 2, p.tsK, p.wptM, p.wptN, p.reductionGroup);
    }
    int red = p.reductionGroup;
    while (red > maxGroup) {
      red /= 2;
    }
    return new KernelParams(p.tsM, p.tsN, p.tsK, p.wptM, p.wptN, red);
  }

  /**
   * Tile sizes a user asks for, to tune or to work around a device: {@code -Dclprop.opencl.tiles}
   * or {@code CLPROP_TILES} as "TS_M,TS_N,TS_K,WPT_M,WPT_N", or null when neither is set.
   */
  static KernelParams override() {
    String v = System.getProperty("clprop.opencl.tiles");
    if (v == null || v.isBlank()) {
      v = System.getenv("CLPROP_TILES");
    }
    if (v == null || v.isBlank()) {
      return null;
    }
    String[] f = v.split(",");
    try {
      if (f.length != 5) {
        throw new NumberFormatException();
      }
      int[] n = new int[5];
      for (int i = 0; i < 5; i++) {
        n[i] = Integer.parseInt(f[i].strip());
        if (n[i] <= 0) {
          throw new NumberFormatException();
        }
      }
      return new KernelParams(n[0], n[1], n[2], n[3], n[4], 64);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("clprop.opencl.tiles / CLPROP_TILES: '" + v
          + "', expected five positive integers TS_M,TS_N,TS_K,WPT_M,WPT_N");
    }
  }

  /** The -D options for clBuildProgram. */
  public String buildOptions() {
    return "-D TS_M=" + tsM + " -D TS_N=" + tsN + " -D TS_K=" + tsK + " -D WPT_M=" + wptM + " -D WPT_N=" + wptN
        + " -D RED_WG=" + reductionGroup;
  }
}
