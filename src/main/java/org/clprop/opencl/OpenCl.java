package org.clprop.opencl;

import org.clprop.config.Settings;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_CLOCK_FREQUENCY;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Whether OpenCL can be used here, which devices exist, and which one a request means.
 *
 * <p>JOCL loads its native library and {@code libOpenCL} when its {@code CL} class initialises;
 * a failure there is a {@link LinkageError} thrown once. {@link OpenClLibrary} looks for
 * {@code libOpenCL} first, so that JOCL is not even initialised without one. The answer is
 * remembered here, so every later question gets it without touching JOCL again.
 */
public final class OpenCl {
  /** What to install when OpenCL is missing, for messages. */
  public static final String INSTALL_HINT = "install an OpenCL driver and the ICD loader "
      + "(Debian: apt-get install ocl-icd-libopencl1 pocl-opencl-icd, or your GPU vendor's OpenCL driver)";

  private static final Object LOCK = new Object();
  private static volatile Discovery discovery;

  private OpenCl() {}

  /**
   * The result of looking for OpenCL once: the devices, or why there are none.
   *
   * @param devices every device of every platform, in {@link ClDevice#index()} order
   * @param unavailableReason why OpenCL cannot be used (with what to install), or null when it can
   */
  public record Discovery(List<ClDevice> devices, String unavailableReason) {
    /** Whether OpenCL works here, with at least one device. */
    public boolean available() {
      return unavailableReason == null;
    }
  }

  /** Discovers platforms and devices on first call; later calls return the same answer. */
  public static Discovery discover() {
    Discovery d = discovery;
    if (d == null) {
      synchronized (LOCK) {
        d = discovery;
        if (d == null) {
          d = probe();
          discovery = d;
        }
      }
    }
    return d;
  }

  private static Discovery probe() {
    String missing = OpenClLibrary.loadOrExplain();
    if (missing != null) {
      return new Discovery(List.of(), missing + "; " + INSTALL_HINT);
    }
    try {
      CL.setExceptionsEnabled(true);
    } catch (LinkageError e) {
      return new Discovery(List.of(), "the OpenCL library could not be loaded (" + e.getMessage() + "); "
          + INSTALL_HINT);
    }
    try {
      int[] count = new int[1];
      try {
        CL.clGetPlatformIDs(0, null, count);
      } catch (CLException e) {
        if (e.getStatus() == -1001) {
          return new Discovery(List.of(), "no OpenCL platform is installed (CL_PLATFORM_NOT_FOUND_KHR); "
              + INSTALL_HINT);
        }
        throw e;
      }
      if (count[0] == 0) {
        return new Discovery(List.of(), "no OpenCL platform is installed; " + INSTALL_HINT);
      }
      cl_platform_id[] platforms = new cl_platform_id[count[0]];
      CL.clGetPlatformIDs(platforms.length, platforms, null);
      List<ClDevice> devices = new ArrayList<>();
      for (cl_platform_id p : platforms) {
        String pname = platformString(p, CL_PLATFORM_NAME);
        int[] n = new int[1];
        try {
          CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
        } catch (CLException e) {
          continue; // CL_DEVICE_NOT_FOUND: a platform without devices
        }
        cl_device_id[] ids = new cl_device_id[n[0]];
        CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
        for (cl_device_id id : ids) {
          devices.add(new ClDevice(devices.size(), pname, deviceString(id, CL_DEVICE_NAME).trim(),
              deviceString(id, CL_DEVICE_VENDOR).trim(), typeName(deviceLong(id, CL_DEVICE_TYPE)),
              (int) deviceInt(id, CL_DEVICE_MAX_COMPUTE_UNITS), (int) deviceInt(id, CL_DEVICE_MAX_CLOCK_FREQUENCY),
              deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE), deviceLong(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
              deviceLong(id, CL_DEVICE_LOCAL_MEM_SIZE), deviceString(id, CL_DEVICE_VERSION).trim(),
              deviceString(id, CL_DRIVER_VERSION).trim(), p, id));
        }
      }
      if (devices.isEmpty()) {
        return new Discovery(List.of(), "OpenCL platforms exist but offer no device; " + INSTALL_HINT);
      }
      return new Discovery(List.copyOf(devices), null);
    } catch (CLException e) {
      return new Discovery(List.of(), "OpenCL discovery failed: " + OpenClException.errorName(e.getStatus()) + "; "
          + INSTALL_HINT);
    }
  }

  /**
   * The device a request names. {@code spec} is an index into {@link Discovery#devices()} or a
   * case-insensitive substring of a device's name; null means the default rule. With
   * {@code gpuOnly} (AUTO), the default rule takes the GPU or accelerator with the most compute
   * units times clock, and nothing if there is none; otherwise it falls back to any device.
   *
   * @return the device, or empty when none matches; {@link #whyNone} says why
   */
  public static Optional<ClDevice> choose(String spec, boolean gpuOnly) {
    Discovery d = discover();
    if (!d.available()) {
      return Optional.empty();
    }
    if (spec != null && !spec.isBlank()) {
      String s = spec.trim();
      if (s.chars().allMatch(Character::isDigit)) {
        int i = Integer.parseInt(s);
        return i < d.devices().size() ? Optional.of(d.devices().get(i)) : Optional.empty();
      }
      String lower = s.toLowerCase();
      return d.devices().stream().filter(x -> x.name().toLowerCase().contains(lower)).findFirst();
    }
    Optional<ClDevice> gpu = d.devices().stream().filter(ClDevice::isGpuOrAccelerator)
        .max(Comparator.comparingLong(ClDevice::score));
    if (gpu.isPresent() || gpuOnly) {
      return gpu;
    }
    return d.devices().stream().max(Comparator.comparingLong(ClDevice::score));
  }

  /** Why {@link #choose} found nothing, with what to do about it. */
  public static String whyNone(String spec, boolean gpuOnly) {
    Discovery d = discover();
    if (!d.available()) {
      return d.unavailableReason();
    }
    StringBuilder names = new StringBuilder();
    for (ClDevice x : d.devices()) {
      names.append(names.length() == 0 ? "" : ", ").append(x.index()).append(": ").append(x.name())
          .append(" (").append(x.type()).append(')');
    }
    if (spec != null && !spec.isBlank()) {
      return "no OpenCL device matches '" + spec + "' (by index or name); devices: " + names;
    }
    return "no OpenCL GPU or accelerator found (devices: " + names + "); install your GPU vendor's OpenCL driver, "
        + "or ask for one of these devices by name or index";
  }

  /** The device a user named in -Dclprop.device or CLPROP_DEVICE, or null. */
  public static String deviceFromEnvironment() {
    return Settings.get(Settings.DEVICE);
  }

  private static String typeName(long type) {
    if ((type & CL_DEVICE_TYPE_GPU) != 0) {
      return "GPU";
    }
    if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) {
      return "ACCELERATOR";
    }
    if ((type & CL_DEVICE_TYPE_CPU) != 0) {
      return "CPU";
    }
    return "OTHER";
  }

  static String deviceString(cl_device_id id, int param) {
    long[] size = new long[1];
    CL.clGetDeviceInfo(id, param, 0, null, size);
    byte[] buf = new byte[(int) size[0]];
    CL.clGetDeviceInfo(id, param, buf.length, Pointer.to(buf), null);
    return cString(buf);
  }

  private static String platformString(cl_platform_id id, int param) {
    long[] size = new long[1];
    CL.clGetPlatformInfo(id, param, 0, null, size);
    byte[] buf = new byte[(int) size[0]];
    CL.clGetPlatformInfo(id, param, buf.length, Pointer.to(buf), null);
    return cString(buf).trim();
  }

  static long deviceLong(cl_device_id id, int param) {
    long[] v = new long[1];
    CL.clGetDeviceInfo(id, param, Sizeof.cl_ulong, Pointer.to(v), null);
    return v[0];
  }

  static long deviceInt(cl_device_id id, int param) {
    int[] v = new int[1];
    CL.clGetDeviceInfo(id, param, Sizeof.cl_uint, Pointer.to(v), null);
    return v[0] & 0xFFFFFFFFL;
  }

  static long deviceSizeT(cl_device_id id, int param) {
    long[] v = new long[1];
    CL.clGetDeviceInfo(id, param, Sizeof.size_t, Pointer.to(v), null);
    return v[0];
  }

  private static String cString(byte[] buf) {
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, StandardCharsets.UTF_8);
  }
}
