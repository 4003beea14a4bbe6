package org.clprop.opencl;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;
import org.jocl.cl_kernel;

/**
 * Owns one {@code cl_kernel}. Arguments are set by a running index (JOCL's idiom) through reused
 * scratch arrays, then {@link #launch} enqueues it without waiting.
 */
final class ClKernel implements AutoCloseable {
  private final String name;
  private final ClContext ctx;
  private cl_kernel kernel;
  private int next;
  private final int[] intArg = new int[1];
  private final float[] floatArg = new float[1];
  private final Pointer intPtr = Pointer.to(intArg);
  private final Pointer floatPtr = Pointer.to(floatArg);
  private final long[] global = new long[2];
  private final long[] local = new long[2];

  ClKernel(ClContext ctx, ClProgram program, String name) {
    this.ctx = ctx;
    this.name = name;
    try {
      kernel = CL.clCreateKernel(program.program(), name, null);
    } catch (CLException e) {
      throw OpenClException.of("creating kernel " + name, e);
    }
  }

  String name() {
    return name;
  }

  /** Starts a new argument list. */
  ClKernel args() {
    next = 0;
    return this;
  }

  ClKernel arg(ClBuffer b) {
    CL.clSetKernelArg(kernel, next++, Sizeof.cl_mem, b.pointer());
    return this;
  }

  ClKernel arg(int v) {
    intArg[0] = v;
    CL.clSetKernelArg(kernel, next++, Sizeof.cl_int, intPtr);
    return this;
  }

  ClKernel arg(float v) {
    floatArg[0] = v;
    CL.clSetKernelArg(kernel, next++, Sizeof.cl_float, floatPtr);
    return this;
  }

  /** Enqueues over {@code g0 x g1} work-items in groups of {@code l0 x l1} (0 lets the driver choose). */
  void launch(long g0, long g1, long l0, long l1) {
    global[0] = g0;
    global[1] = g1;
    local[0] = l0;
    local[1] = l1;
    KernelProfile profile = ctx.profile();
    cl_event event = profile != null && profile.recording() ? new cl_event() : null;
    try {
      CL.clEnqueueNDRangeKernel(ctx.queue(), kernel, 2, null, global, l0 == 0 ? null : local, 0, null, event);
      if (event != null) {
        profile.record(name, event);
      }
    } catch (CLException e) {
      throw OpenClException.of("running kernel " + name + " (" + g0 + "x" + g1 + " work-items) on "
          + ctx.device().name(), e);
    }
  }

  /** A 1-D launch of {@code n} work-items rounded up to whole groups of {@code group}. */
  void launch1d(long n, int group) {
    launch(roundUp(n, group), 1, group, 1);
  }

  static long roundUp(long n, long m) {
    return (Math.max(n, 1) + m - 1) / m * m;
  }

  @Override
  public void close() {
    if (kernel != null) {
      CL.clReleaseKernel(kernel);
      kernel = null;
    }
  }
}
