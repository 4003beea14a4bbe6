package org.clprop.opencl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The matrix product on the device, as CLBlast has a host class per routine: the kernels of each
 * tile shape the program was built with (one shape on CPU devices, three on GPUs), the choice of a
 * shape for a product's size, and the launch geometry of matmul.cl and matmul_cpu.cl.
 */
final class GemmRoutine {
  /** The three layouts compiled with one tile shape. */
  private record Variant(KernelParams params, ClKernel nt, ClKernel nn, ClKernel tn) {
    ClKernel of(ClKernels.Layout layout) {
      return switch (layout) {
        case NT -> nt;
        case NN -> nn;
        case TN -> tn;
      };
    }
  }

  private final ClDevice device;
  /** The block shape of matmul_cpu.cl on CPU devices, else null (the tiled form). */
  private final KernelParams.CpuBlock cpu;
  /** Largest tiles first. */
  private final List<Variant> variants = new ArrayList<>();

  GemmRoutine(ClDevice device, KernelParams.CpuBlock cpu) {
    this.device = device;
    this.cpu = cpu;
  }

  /** Adds the products compiled with {@code params} (the kernels gemm_nt, gemm_nn, gemm_tn). */
  void add(KernelParams params, ClKernel nt, ClKernel nn, ClKernel tn) {
    variants.add(new Variant(params, nt, nn, tn));
    variants.sort(Comparator.comparingInt((Variant v) -> v.params.tsM() * v.params.tsN()).reversed());
  }

  /** The tile shapes, largest first. */
  List<KernelParams> tileShapes() {
    return variants.stream().map(Variant::params).toList();
  }

  /**
   * The shape for an m x n product: the largest whose work-groups still number at least the
   * device's compute units, else the smallest (most work-groups).
   */
  KernelParams tilesFor(int m, int n) {
    return variantFor(m, n).params;
  }

  private Variant variantFor(int m, int n) {
    int units = device.computeUnits();
    for (Variant v : variants) {
      if (v.params.groups(m, n) >= units) {
        return v;
      }
    }
    return variants.get(variants.size() - 1);
  }

  /** Enqueues C = epilogue(op(A) op(B)) (see {@link ClKernels#gemm}). */
  void run(ClKernels.Layout layout, int m, int n, int k, ClBuffer a, int aoff, int lda, ClBuffer b, int boff, int ldb,
      ClBuffer c, int coff, int ldc, int mode, float beta, ClBuffer x, int xoff, int ldx, ClBuffer z, int zoff) {
    if (m == 0 || n == 0) {
      return;
    }
    Variant v = variantFor(m, n);
    ClKernel kern = v.of(layout);
    kern.args().arg(m).arg(n).arg(k).arg(a).arg(aoff).arg(lda).arg(b).arg(boff).arg(ldb).arg(c).arg(coff).arg(ldc)
        .arg(mode).arg(beta).arg(x).arg(xoff).arg(ldx).arg(z).arg(zoff);
    if (cpu != null) {
      // One work-item per register block of C; the driver groups them (matmul_cpu.cl).
      if (layout == ClKernels.Layout.NT) {
        kern.launch(ceilDiv(n, cpu.dotColumns()), ceilDiv(m, cpu.dotRows()), 0, 0);
      } else {
        // Rows first: neighbouring work-items share one panel of B while it is in cache.
        kern.launch(ceilDiv(m, cpu.rows()), ceilDiv(n, cpu.columns()), 0, 0);
      }
      return;
    }
    KernelParams tiles = v.params;
    int rtsN = tiles.tsN() / tiles.wptN();
    int rtsM = tiles.tsM() / tiles.wptM();
    kern.launch(ceilDiv(n, tiles.tsN()) * rtsN, ceilDiv(m, tiles.tsM()) * rtsM, rtsN, rtsM);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
