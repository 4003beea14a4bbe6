package org.clprop.opencl;

import org.clprop.config.Settings;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;

import java.util.ArrayList;
import java.util.List;

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
 * @param cpu the CPU form of the products (matmul_cpu.cl) and its block, or null for the tiled form
 */
public record KernelParams(int tsM, int tsN, int tsK, int wptM, int wptN, int reductionGroup, CpuBlock cpu) {

  /**
   * The block of C one work-item of the CPU form keeps in registers: {@code rows} rows of
   * {@code vectors} float16 vectors (nn, tn), or {@code dotRows} x {@code dotColumns} dot products (nt).
   *
   * @param rows rows of C per work-item in the nn and tn forms
   * @param vectors float16 vectors per row in the nn and tn forms
   * @param dotRows rows of C per work-item in the nt form
   * @param dotColumns columns of C per work-item in the nt form
   */
  public record CpuBlock(int rows, int vectors, int dotRows, int dotColumns) {
    /**
     * Checks that every size is positive.
     *
     * @throws IllegalArgumentException otherwise
     */
    public CpuBlock {
      if (rows <= 0 || vectors <= 0 || dotRows <= 0 || dotColumns <= 0) {
        throw new IllegalArgumentException("CPU block " + rows + "," + vectors + "," + dotRows + "," + dotColumns
            + ": every size must be positive");
      }
    }

    /** Columns of C per work-item in the nn and tn forms. */
    public int columns() {
      return vectors * 16;
    }
  }

  /**
   * 8 rows of one float16 vector for nn and tn, 4 x 4 dot products for nt: measured best on PoCL
   * (the transposed gradient product 43 - 92 GFLOP/s with 4 x 2 vectors, 131 - 160 with 8 x 1).
   */
  public static final CpuBlock DEFAULT_CPU_BLOCK = new CpuBlock(8, 1, 4, 4);

  /** The tiled form. */
  public KernelParams(int tsM, int tsN, int tsK, int wptM, int wptN, int reductionGroup) {
    this(tsM, tsN, tsK, wptM, wptN, reductionGroup, null);
  }

  /**
   * Checks that each tile is a whole number of work-items' blocks and that the reduction group is a
   * power of two.
   *
   * @throws IllegalArgumentException otherwise
   */
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
   * GPUs and accelerators get 64x64 tiles, 16x16 work-items of 4x4 results each, shrunk when the
   * device's work-group limit is lower. CPU devices get the CPU form (matmul_cpu.cl), whose
   * work-items are register-blocked micro-kernels: {@link #DEFAULT_CPU_BLOCK}.
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
        : new KernelParams(32, 32, 16, 4, 4, 64, cpuBlockOverride());
    while (p.groupSize() > maxGroup && p.tsM > p.wptM) {
      p = new KernelParams(p.tsM / 2, p.tsN / 2, p.tsK, p.wptM, p.wptN, p.reductionGroup, p.cpu);
    }
    int red = p.reductionGroup;
    while (red > maxGroup) {
      red /= 2;
    }
    return new KernelParams(p.tsM, p.tsN, p.tsK, p.wptM, p.wptN, red, p.cpu);
  }

  /**
   * Further tile shapes a GPU gets beside {@code main} (its {@link #forDevice} tiles), each compiled
   * as its own program, so that every product can use the largest tile that still gives every
   * compute unit a work-group ({@link ClKernels}). Wide: 128 x 256 tiles of 8 x 8 results, 512
   * work-items (on an H200 37.5 TFLOP/s on square 4096, 56% of its FP32 peak, against 28 for
   * 64 x 64; docs/gpu-runs.md), or 128 x 128 tiles where the device allows only 256 work-items per
   * group. Narrow: 32 x 32 tiles of 2 x 2, four times the work-groups of 64 x 64 for batch 128's
   * small products. None for CPU devices, whose form has no tiles, nor when the user chose the
   * tiles; {@code CLPROP_WIDE_TILES} (or {@code -Dclprop.opencl.wideTiles}) replaces the wide
   * shape, to tune it.
   */
  public static List<KernelParams> gpuVariants(ClDevice d, KernelParams main) {
    if (main.cpu != null || override() != null || !d.isGpuOrAccelerator()) {
      return List.of();
    }
    long maxGroup = OpenCl.deviceSizeT(d.id(), CL_DEVICE_MAX_WORK_GROUP_SIZE);
    if (maxGroup <= 0) {
      maxGroup = 256; // as in forDevice
    }
    int[] w = Settings.positiveInts(Settings.WIDE_TILES, 5, "TS_M,TS_N,TS_K,WPT_M,WPT_N");
    List<KernelParams> wide = w != null ? List.of(new KernelParams(w[0], w[1], w[2], w[3], w[4], main.reductionGroup))
        : List.of(new KernelParams(128, 256, 16, 8, 8, main.reductionGroup),
            new KernelParams(128, 128, 16, 8, 8, main.reductionGroup));
    long max = maxGroup;
    List<KernelParams> out = new ArrayList<>();
    for (KernelParams p : wide) {
      if (p.groupSize() <= maxGroup) {
        out.add(p);
        break;
      }
    }
    out.add(new KernelParams(32, 32, 16, 2, 2, main.reductionGroup));
    out.removeIf(p -> p.groupSize() > max || p.sameTiles(main));
    return out;
  }

  /** Whether both have the same tile shape (and so compile to the same products). */
  public boolean sameTiles(KernelParams o) {
    return tsM == o.tsM && tsN == o.tsN && tsK == o.tsK && wptM == o.wptM && wptN == o.wptN && cpu == null
        && o.cpu == null;
  }

  /** Work-groups this tile shape launches for an m x n product. */
  public long groups(int m, int n) {
    return ((long) (m + tsM - 1) / tsM) * ((n + tsN - 1) / tsN);
  }

  /**
   * Tile sizes a user asks for, to tune or to work around a device: {@code -Dclprop.opencl.tiles}
   * or {@code CLPROP_TILES} as "TS_M,TS_N,TS_K,WPT_M,WPT_N", or null when neither is set. They
   * select the tiled form on any device, CPUs included.
   */
  static KernelParams override() {
    int[] n = Settings.positiveInts(Settings.TILES, 5, "TS_M,TS_N,TS_K,WPT_M,WPT_N");
    return n == null ? null : new KernelParams(n[0], n[1], n[2], n[3], n[4], 64);
  }

  /**
   * The CPU form's block a user asks for, {@code -Dclprop.opencl.cpuBlock} or {@code CLPROP_CPU_BLOCK}
   * as "ROWS,VECTORS,DOT_ROWS,DOT_COLUMNS", or the default.
   */
  static CpuBlock cpuBlockOverride() {
    int[] n = Settings.positiveInts(Settings.CPU_BLOCK, 4, "ROWS,VECTORS,DOT_ROWS,DOT_COLUMNS");
    return n == null ? DEFAULT_CPU_BLOCK : new CpuBlock(n[0], n[1], n[2], n[3]);
  }

  /** The -D options for clBuildProgram. */
  public String buildOptions() {
    String o = "-D TS_M=" + tsM + " -D TS_N=" + tsN + " -D TS_K=" + tsK + " -D WPT_M=" + wptM + " -D WPT_N=" + wptN
        + " -D RED_WG=" + reductionGroup;
    return cpu == null ? o : o + " -D GEMM_CPU -D CPU_RM=" + cpu.rows + " -D CPU_VN=" + cpu.vectors
        + " -D CPU_DM=" + cpu.dotRows + " -D CPU_RN=" + cpu.dotColumns;
  }
}
