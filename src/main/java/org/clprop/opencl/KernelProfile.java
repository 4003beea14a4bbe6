package org.clprop.opencl;

import static org.jocl.CL.CL_PROFILING_COMMAND_END;
import static org.jocl.CL.CL_PROFILING_COMMAND_START;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/**
 * Device time per kernel, from OpenCL profiling events, while recording is on: what tells a
 * launch-bound step (device idle between short kernels) from a compute-bound one. Only a context
 * made with profiling records ({@link ClContext#ClContext(ClDevice, boolean)}).
 */
public final class KernelProfile {
  /**
   * Device time and launches of one kernel.
   *
   * @param kernel the kernel's name
   * @param launches launches recorded
   * @param deviceMillis their device time together, in milliseconds
   */
  public record Entry(String kernel, long launches, double deviceMillis) {}

  private final List<String> names = new ArrayList<>();
  private final List<cl_event> events = new ArrayList<>();
  private boolean recording;

  KernelProfile() {}

  /** Starts recording every launch (until {@link #drain}). */
  public void start() {
    recording = true;
  }

  boolean recording() {
    return recording;
  }

  void record(String kernel, cl_event event) {
    names.add(kernel);
    events.add(event);
  }

  /**
   * Waits for {@code ctx}'s queue, stops recording and returns each kernel's summed device time
   * (end minus start of its launches), in order of first launch.
   */
  public List<Entry> drain(ClContext ctx) {
    ctx.finish();
    recording = false;
    Map<String, long[]> sums = new LinkedHashMap<>();
    long[] t = new long[1];
    Pointer p = Pointer.to(t);
    for (int i = 0; i < events.size(); i++) {
      cl_event e = events.get(i);
      CL.clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, p, null);
      long start = t[0];
      CL.clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, p, null);
      long[] s = sums.computeIfAbsent(names.get(i), k -> new long[2]);
      s[0]++;
      s[1] += t[0] - start;
      CL.clReleaseEvent(e);
    }
    names.clear();
    events.clear();
    List<Entry> out = new ArrayList<>();
    sums.forEach((k, v) -> out.add(new Entry(k, v[0], v[1] / 1e6)));
    return out;
  }
}
