package org.clprop.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_QUEUE_PROFILING_ENABLE;
import static org.jocl.CL.CL_QUEUE_PROPERTIES;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_queue_properties;

/** Owns one OpenCL context and one in-order command queue on one device. */
public final class ClContext implements AutoCloseable {
  private final ClDevice device;
  private cl_context context;
  private cl_command_queue queue;
  private final KernelProfile profile;

  /** A context and queue on {@code device}, without profiling. */
  public ClContext(ClDevice device) {
    this(device, false);
  }

  /** With {@code profiling}, the queue records each launch's device time when {@link #profile()} is started. */
  public ClContext(ClDevice device, boolean profiling) {
    this.device = device;
    this.profile = profiling ? new KernelProfile() : null;
    try {
      cl_context_properties props = new cl_context_properties();
      props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
      context = CL.clCreateContext(props, 1, new cl_device_id[] {device.id()}, null, null, null);
      queue = newQueue(profiling ? CL_QUEUE_PROFILING_ENABLE : 0);
    } catch (CLException e) {
      close();
      throw OpenClException.of("creating a context and queue on " + device.name(), e);
    }
  }

  /** A further in-order queue on this context (for uploads that overlap compute); the caller releases it. */
  cl_command_queue newQueue() {
    return newQueue(0);
  }

  @SuppressWarnings("deprecation")
  private cl_command_queue newQueue(long properties) {
    try {
      cl_queue_properties props = new cl_queue_properties();
      if (properties != 0) {
        props.addProperty(CL_QUEUE_PROPERTIES, properties);
      }
      return openCl2OrLater(device.version())
          ? CL.clCreateCommandQueueWithProperties(context, device.id(), props, null)
          : CL.clCreateCommandQueue(context, device.id(), properties, null);
    } catch (CLException e) {
      throw OpenClException.of("creating a command queue on " + device.name(), e);
    }
  }

  /** "OpenCL 1.2 ..." is before 2.0; "OpenCL 3.0 ..." and "OpenCL 2.1 ..." are not. */
  static boolean openCl2OrLater(String version) {
    String[] words = version.split("\\s+");
    if (words.length < 2) {
      return false;
    }
    try {
      return Integer.parseInt(words[1].split("\\.")[0]) >= 2;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The device this context runs on. */
  public ClDevice device() {
    return device;
  }

  cl_context context() {
    return context;
  }

  /** The launch profile, or null when the context was made without profiling. */
  public KernelProfile profile() {
    return profile;
  }

  /** The context's main in-order queue, where kernels are launched. */
  public cl_command_queue queue() {
    return queue;
  }

  /** Allocates a read-write device buffer of {@code bytes}; {@code name} appears in error messages. */
  public ClBuffer buffer(String name, long bytes) {
    return new ClBuffer(this, name, bytes);
  }

  /** Waits for everything queued to finish. */
  public void finish() {
    try {
      CL.clFinish(queue);
    } catch (CLException e) {
      throw OpenClException.of("waiting for the queue on " + device.name(), e);
    }
  }

  @Override
  public void close() {
    if (queue != null) {
      CL.clReleaseCommandQueue(queue);
      queue = null;
    }
    if (context != null) {
      CL.clReleaseContext(context);
      context = null;
    }
  }
}
