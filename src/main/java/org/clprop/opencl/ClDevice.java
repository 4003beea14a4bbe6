package org.clprop.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as discovery found it.
 *
 * @param index position in the list of all devices over all platforms (what a user names with --device 2)
 * @param platformName the platform's CL_PLATFORM_NAME
 * @param name CL_DEVICE_NAME
 * @param vendor CL_DEVICE_VENDOR
 * @param type "GPU", "CPU", "ACCELERATOR" or "OTHER"
 * @param computeUnits CL_DEVICE_MAX_COMPUTE_UNITS
 * @param clockMhz CL_DEVICE_MAX_CLOCK_FREQUENCY, in MHz
 * @param globalMemBytes CL_DEVICE_GLOBAL_MEM_SIZE
 * @param maxAllocBytes CL_DEVICE_MAX_MEM_ALLOC_SIZE, the largest single buffer
 * @param localMemBytes CL_DEVICE_LOCAL_MEM_SIZE, per work-group
 * @param version CL_DEVICE_VERSION, "OpenCL major.minor ..."
 * @param driverVersion CL_DRIVER_VERSION
 * @param platform JOCL's platform handle
 * @param id JOCL's device handle
 */
public record ClDevice(int index, String platformName, String name, String vendor, String type, int computeUnits,
    int clockMhz, long globalMemBytes, long maxAllocBytes, long localMemBytes, String version,
    String driverVersion, cl_platform_id platform, cl_device_id id) {

  /** Whether the device is a GPU or an accelerator, the kinds AUTO picks. */
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
