package org.clprop.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.clprop.opencl.ClDevice;
import org.clprop.opencl.OpenCl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code clprop devices}: every OpenCL device, and which one AUTO would take. */
@Command(name = "devices", mixinStandardHelpOptions = true,
    description = "List OpenCL platforms and devices, and which one the AUTO backend would use.")
final class DevicesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    OpenCl.Discovery d = OpenCl.discover();
    if (!d.available()) {
      out.println("OpenCL unavailable: " + d.unavailableReason());
      out.println("AUTO uses the CPU backend.");
      return 0;
    }
    out.printf("%-3s %-12s %-40s %-11s %5s %6s %9s  %s%n", "#", "platform", "device", "type", "CUs", "MHz", "memory",
        "version");
    for (ClDevice x : d.devices()) {
      out.printf("%-3d %-12s %-40s %-11s %5d %6d %6d MiB  %s (driver %s)%n", x.index(), abbreviate(x.platformName(), 12),
          abbreviate(x.name(), 40), x.type(), x.computeUnits(), x.clockMhz(), x.globalMemBytes() >> 20, x.version(),
          x.driverVersion());
    }
    String named = OpenCl.deviceFromEnvironment();
    Optional<ClDevice> auto = OpenCl.choose(named, named == null);
    out.println(auto.map(x -> "AUTO uses device " + x.index() + ": " + x.name())
        .orElse("AUTO uses the CPU backend: " + OpenCl.whyNone(named, named == null)));
    return 0;
  }

  private static String abbreviate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "~";
  }
}
