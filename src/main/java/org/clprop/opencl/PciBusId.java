package org.clprop.opencl;

import static org.jocl.CL.CL_DEVICE_EXTENSIONS;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_device_id;

/**
 * A device's place on the PCI bus, domain:bus:device.function ({@code 0000:3b:00.0}): the name by
 * which a cluster scheduler (Spark's GPU discovery, nvidia-smi) and an OpenCL driver can agree on
 * a GPU, since their device indices need not follow the same order.
 *
 * <p>Drivers report it through {@code cl_khr_pci_bus_info} (Khronos, most current drivers),
 * {@code cl_nv_device_attribute_query} (NVIDIA: bus, slot and, since CUDA 10.2, domain) or
 * {@code cl_amd_device_attribute_query} (AMD's topology: bus, device, function, no domain). A CPU
 * device such as PoCL's has none.
 *
 * @param domain the PCI domain (segment), or -1 where the driver does not report it
 */
public record PciBusId(int domain, int bus, int device, int function) {
  private static final int CL_DEVICE_PCI_BUS_INFO_KHR = 0x410F;
  private static final int CL_DEVICE_PCI_BUS_ID_NV = 0x4008;
  private static final int CL_DEVICE_PCI_SLOT_ID_NV = 0x4009;
  private static final int CL_DEVICE_PCI_DOMAIN_ID_NV = 0x400A;
  private static final int CL_DEVICE_TOPOLOGY_AMD = 0x4037;
  private static final int CL_DEVICE_TOPOLOGY_TYPE_PCIE_AMD = 1;
  /** [domain:]bus:device[.function], hexadecimal; nvidia-smi writes an 8-digit domain. */
  private static final Pattern FORMAT =
      Pattern.compile("(?:([0-9a-fA-F]{1,8}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})(?:\\.([0-7]))?");

  /** Parses {@code 0000:3b:00.0}, {@code 00000000:3B:00.0} or {@code 3b:00.0}; empty for anything else. */
  public static Optional<PciBusId> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    int domain = m.group(1) == null ? -1 : (int) Long.parseLong(m.group(1), 16);
    int function = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
    return Optional.of(new PciBusId(domain, Integer.parseInt(m.group(2), 16), Integer.parseInt(m.group(3), 16),
        function));
  }

  /** Where {@code device} sits on the PCI bus, when its driver says. */
  public static Optional<PciBusId> of(ClDevice device) {
    String extensions;
    try {
      extensions = OpenCl.deviceString(device.id(), CL_DEVICE_EXTENSIONS);
    } catch (CLException e) {
      return Optional.empty();
    }
    try {
      if (extensions.contains("cl_khr_pci_bus_info")) {
        ByteBuffer b = query(device.id(), CL_DEVICE_PCI_BUS_INFO_KHR, 16);
        return Optional.of(new PciBusId(b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12)));
      }
      if (extensions.contains("cl_nv_device_attribute_query")) {
        int bus = query(device.id(), CL_DEVICE_PCI_BUS_ID_NV, 4).getInt(0);
        int slot = query(device.id(), CL_DEVICE_PCI_SLOT_ID_NV, 4).getInt(0);
        int domain;
        try {
          domain = query(device.id(), CL_DEVICE_PCI_DOMAIN_ID_NV, 4).getInt(0);
        } catch (CLException e) {
          domain = -1; // drivers before CUDA 10.2
        }
        // The slot holds device << 3 | function (undocumented; hwloc reads it so).
        return Optional.of(new PciBusId(domain, bus & 0xff, slot >> 3, slot & 7));
      }
      if (extensions.contains("cl_amd_device_attribute_query")) {
        // cl_device_topology_amd: a cl_uint type, then 17 unused bytes, then bus, device, function.
        ByteBuffer b = query(device.id(), CL_DEVICE_TOPOLOGY_AMD, 24);
        if (b.getInt(0) == CL_DEVICE_TOPOLOGY_TYPE_PCIE_AMD) {
          return Optional.of(new PciBusId(-1, b.get(21) & 0xff, b.get(22) & 0xff, b.get(23) & 0xff));
        }
      }
    } catch (CLException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The OpenCL device at this place on the bus, if any reports it. */
  public Optional<ClDevice> findDevice() {
    OpenCl.Discovery d = OpenCl.discover();
    if (!d.available()) {
      return Optional.empty();
    }
    return d.devices().stream().filter(x -> of(x).map(this::sameDevice).orElse(false)).findFirst();
  }

  /**
   * Whether two ids name one device: bus and device equal, domains equal where both are known.
   * The function is left out: a GPU is function 0 of its device, and NVIDIA's slot encoding of it
   * is undocumented.
   */
  public boolean sameDevice(PciBusId other) {
    boolean domains = domain < 0 || other.domain < 0 || domain == other.domain;
    return domains && bus == other.bus && device == other.device;
  }

  /** {@code 0000:3b:00.0}, lspci's form (domain 0000 where unknown). */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%04x:%02x:%02x.%x", Math.max(domain, 0), bus, device, function);
  }

  private static ByteBuffer query(cl_device_id id, int param, int bytes) {
    byte[] raw = new byte[bytes];
    CL.clGetDeviceInfo(id, param, bytes, Pointer.to(raw), null);
    return ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
  }
}
