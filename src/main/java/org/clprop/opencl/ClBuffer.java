package org.clprop.opencl;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_mem;

/** Owns one device buffer ({@code cl_mem}); {@link #close()} releases it once. */
public final class ClBuffer implements AutoCloseable {
  private final String name;
  private final long bytes;
  private cl_mem mem;
  private Pointer pointer;

  ClBuffer(ClContext ctx, String name, long bytes) {
    this.name = name;
    this.bytes = Math.max(bytes, 4);
    try {
      mem = CL.clCreateBuffer(ctx.context(), CL.CL_MEM_READ_WRITE, this.bytes, null, null);
      pointer = Pointer.to(mem);
    } catch (CLException e) {
      throw OpenClException.of("allocating " + name + " (" + this.bytes + " bytes) on " + ctx.device().name(), e);
    }
  }

  cl_mem mem() {
    if (mem == null) {
      throw new IllegalStateException("buffer " + name + " is released");
    }
    return mem;
  }

  /** A pointer to the handle, for kernel arguments (made once). */
  Pointer pointer() {
    mem();
    return pointer;
  }

  /** The buffer's size in bytes (at least 4: OpenCL refuses an empty buffer). */
  public long bytes() {
    return bytes;
  }

  /** Copies {@code n} floats from {@code src[srcOff..]} to element {@code dstOff}; blocking. */
  public void write(cl_command_queue q, float[] src, int srcOff, long dstOff, int n) {
    transfer(q, true, Pointer.to(src).withByteOffset((long) srcOff * Sizeof.cl_float), dstOff * Sizeof.cl_float,
        (long) n * Sizeof.cl_float, "writing");
  }

  /** Copies {@code n} ints from {@code src[srcOff..]} to element {@code dstOff}; blocking. */
  public void write(cl_command_queue q, int[] src, int srcOff, long dstOff, int n) {
    transfer(q, true, Pointer.to(src).withByteOffset((long) srcOff * Sizeof.cl_int), dstOff * Sizeof.cl_int,
        (long) n * Sizeof.cl_int, "writing");
  }

  /** Copies {@code n} floats from element {@code srcOff} into {@code dst[dstOff..]}; waits for the queue. */
  public void read(cl_command_queue q, long srcOff, float[] dst, int dstOff, int n) {
    transfer(q, false, Pointer.to(dst).withByteOffset((long) dstOff * Sizeof.cl_float), srcOff * Sizeof.cl_float,
        (long) n * Sizeof.cl_float, "reading");
  }

  private void transfer(cl_command_queue q, boolean write, Pointer host, long offset, long size, String what) {
    if (size == 0) {
      return;
    }
    if (offset < 0 || offset + size > bytes) {
      throw new IllegalArgumentException(what + " " + size + " bytes at " + offset + " of buffer " + name + " ("
          + bytes + " bytes)");
    }
    try {
      if (write) {
        CL.clEnqueueWriteBuffer(q, mem(), true, offset, size, host, 0, null, null);
      } else {
        CL.clEnqueueReadBuffer(q, mem(), true, offset, size, host, 0, null, null);
      }
    } catch (CLException e) {
      throw OpenClException.of(what + " buffer " + name, e);
    }
  }

  @Override
  public void close() {
    if (mem != null) {
      CL.clReleaseMemObject(mem);
      mem = null;
    }
  }
}
