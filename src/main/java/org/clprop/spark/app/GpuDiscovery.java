package org.clprop.spark.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clprop.opencl.ClDevice;
import org.clprop.opencl.OpenCl;
import org.clprop.opencl.PciBusId;

/**
 * Spark's GPU discovery for a worker, run by tools/spark-gpu-discovery: prints
 * {@code {"name": "gpu", "addresses": [...]}} with one address per OpenCL GPU or accelerator, its
 * PCI bus id where the driver reports one (what a task then finds its device by), else its index
 * among them. Loads no Spark class.
 */
public final class GpuDiscovery {
  private GpuDiscovery() {}

  /** Prints the JSON line on stdout; ignores {@code args}. No OpenCL GPU: an empty address list. */
  public static void main(String[] args) {
    List<String> addresses = new ArrayList<>();
    int index = 0;
    for (ClDevice d : OpenCl.discover().devices()) {
      if (d.isGpuOrAccelerator()) {
        Optional<PciBusId> bus = PciBusId.of(d);
        addresses.add(bus.map(PciBusId::toString).orElse(String.valueOf(index)));
        index++;
      }
    }
    StringBuilder json = new StringBuilder("{\"name\": \"gpu\", \"addresses\": [");
    for (int i = 0; i < addresses.size(); i++) {
      json.append(i == 0 ? "" : ", ").append('"').append(addresses.get(i)).append('"');
    }
    System.out.println(json.append("]}"));
  }
}
