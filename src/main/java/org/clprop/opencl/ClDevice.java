package org.clprop.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as discovery found it.
 *
 * @param index position in the list of all devices over all platforms (what a user names with --device 2)
 * @param type "GPU", "CPU", "ACCELERATOR" or "OTHER"
 */
public record ClDevice(int index, String platformName, String name, String vendor, String type, int computeUnits,
    int clockMhz, long globalMemBytes, long maxAllocBytes, long localMemBytes, String version,
    String driverVersion, cl_platform_id platform, cl_device_id id) {

  public boolean isGpuOrAccelerator() {
    return type.equals("GPU") || type.equals("ACCELERATOR");
  }

  /** The AUTO rule's measure of a device's size: compute units times clock. */
  public long score() {
    return (long) computeUnits * Math.max(1, clockMhz);
  }

  /** A one-line description for logs and reports. */
  public String describe() {
    return String.format("%s (%s, %s, %d compute units, %d MHz, %d MiB, %s, driver %s)", name, platformName, type,
        computeUnits, clockMhz, globalMemBytes >> 20, version, driverVersion);
  }
}
