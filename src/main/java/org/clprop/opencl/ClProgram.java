package org.clprop.opencl;

import static org.jocl.CL.CL_PROGRAM_BINARIES;
import static org.jocl.CL.CL_PROGRAM_BINARY_SIZES;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;

import java.nio.charset.StandardCharsets;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_program;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one built {@code cl_program}: loaded from the binary cache when an entry for this device,
 * driver, options and source exists, else compiled from source (and then cached). A build failure
 * throws with the compiler's log and the options in the message.
 */
final class ClProgram implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClProgram.class);

  private cl_program program;
  private final boolean fromCache;
  private final double buildMillis;

  ClProgram(ClContext ctx, String source, String options, ProgramCache cache) {
    long t0 = System.nanoTime();
    ClDevice d = ctx.device();
    String key = ProgramCache.key(d, options, source);
    cl_program p = null;
    byte[] binary = cache.load(key);
    if (binary != null) {
      try {
        p = CL.clCreateProgramWithBinary(ctx.context(), 1, new cl_device_id[] {d.id()}, new long[] {binary.length},
            new byte[][] {binary}, null, null);
        CL.clBuildProgram(p, 1, new cl_device_id[] {d.id()}, options, null, null);
      } catch (CLException e) {
        LOG.warn("program cache entry {} is unusable ({}); rebuilding from source", cache.path(key),
            OpenClException.errorName(e.getStatus()));
        if (p != null) {
          CL.clReleaseProgram(p);
          p = null;
        }
        cache.delete(key);
      }
    }
    fromCache = p != null;
    if (p == null) {
      p = buildFromSource(ctx, source, options);
      if (cache.enabled()) {
        cache.store(key, binaryOf(p));
      }
    }
    program = p;
    buildMillis = (System.nanoTime() - t0) / 1e6;
    LOG.info("OpenCL program for {} {} in {} ms ({})", d.name(), fromCache ? "loaded from the cache" : "compiled",
        Math.round(buildMillis), options);
  }

  private static cl_program buildFromSource(ClContext ctx, String source, String options) {
    cl_device_id id = ctx.device().id();
    cl_program p;
    try {
      p = CL.clCreateProgramWithSource(ctx.context(), 1, new String[] {source}, null, null);
    } catch (CLException e) {
      throw OpenClException.of("creating the program", e);
    }
    try {
      CL.clBuildProgram(p, 1, new cl_device_id[] {id}, options, null, null);
      return p;
    } catch (CLException e) {
      String log = buildLog(p, id);
      CL.clReleaseProgram(p);
      throw new OpenClException("building the OpenCL program for " + ctx.device().name() + " failed: "
          + OpenClException.errorName(e.getStatus()) + "\noptions: " + options + "\nbuild log:\n" + log,
          e.getStatus(), e);
    }
  }

  static String buildLog(cl_program p, cl_device_id id) {
    try {
      long[] size = new long[1];
      CL.clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, 0, null, size);
      byte[] buf = new byte[(int) size[0]];
      CL.clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
      int n = buf.length;
      while (n > 0 && buf[n - 1] == 0) {
        n--;
      }
      return new String(buf, 0, n, StandardCharsets.UTF_8).strip();
    } catch (CLException e) {
      return "(no build log: " + OpenClException.errorName(e.getStatus()) + ")";
    }
  }

  private static byte[] binaryOf(cl_program p) {
    try {
      long[] size = new long[1];
      CL.clGetProgramInfo(p, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null);
      if (size[0] <= 0) {
        return null;
      }
      byte[] bin = new byte[(int) size[0]];
      CL.clGetProgramInfo(p, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(Pointer.to(bin)), null);
      return bin;
    } catch (CLException e) {
      LOG.debug("the driver gives no program binary ({}); nothing cached", OpenClException.errorName(e.getStatus()));
      return null;
    }
  }

  cl_program program() {
    return program;
  }

  boolean fromCache() {
    return fromCache;
  }

  double buildMillis() {
    return buildMillis;
  }

  @Override
  public void close() {
    if (program != null) {
      CL.clReleaseProgram(program);
      program = null;
    }
  }
}
