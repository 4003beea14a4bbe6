package org.clprop.opencl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the machine has a GPU from a vendor that ships an OpenCL driver, seen without OpenCL:
 * Linux lists display controllers (PCI class 0x03) in sysfs with their vendor id. When OpenCL
 * offers no GPU although one is here, the user is missing a driver, which deserves a warning;
 * on a machine without one (CI, most laptops' CPUs only) the CPU backend is simply the right choice.
 */
public final class GpuHardware {
  private static final Map<String, String> VENDORS = Map.of("0x10de", "NVIDIA", "0x1002", "AMD", "0x8086", "Intel");

  private GpuHardware() {}

  /** The vendor of the first GPU found, for example "NVIDIA", or empty (also on other systems than Linux). */
  public static Optional<String> present() {
    return present(Path.of("/sys/bus/pci/devices"));
  }

  /** As {@link #present()}, with {@code pciDevices} standing for /sys/bus/pci/devices. */
  static Optional<String> present(Path pciDevices) {
    if (!Files.isDirectory(pciDevices)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> devices = Files.newDirectoryStream(pciDevices)) {
      for (Path d : devices) {
        String cls = read(d.resolve("class"));
        String vendor = VENDORS.get(read(d.resolve("vendor")));
        if (cls.startsWith("0x03") && vendor != null) {
          return Optional.of(vendor);
        }
      }
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.US_ASCII).strip().toLowerCase();
    } catch (IOException | SecurityException e) {
      return "";
    }
  }
}
