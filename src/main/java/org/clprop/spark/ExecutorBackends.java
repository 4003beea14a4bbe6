package org.clprop.spark;

import java.util.List;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.clprop.backend.Backend;
import org.clprop.cpu.CpuBackend;
import org.clprop.opencl.ClDevice;
import org.clprop.opencl.OpenCl;
import org.clprop.opencl.OpenClBackend;
import org.clprop.opencl.PciBusId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend a task binds its partition to. With Spark's resource scheduling the task gets the GPU
 * Spark assigned to it ({@code spark.task.resource.gpu.amount}), found among the OpenCL devices by
 * its PCI bus id (what tools/spark-gpu-discovery reports) or, for an address that is not one, by
 * its index among the OpenCL GPUs and accelerators. Without an assigned GPU the single machine's
 * rule applies: AUTO takes the largest OpenCL GPU (or the device the spec names) and otherwise the
 * SIMD CPU backend. CPU threads: the task's CPUs ({@code spark.task.cpus}), since a pool larger
 * than that competes with the executor's other tasks.
 */
final class ExecutorBackends {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorBackends.class);

  private ExecutorBackends() {}

  /** The address of the GPU Spark assigned to the running task, or null. */
  static String assignedGpu(TaskContext task) {
    if (task == null) {
      return null;
    }
    ResourceInformation gpu = task.resourcesJMap().get("gpu");
    return gpu == null || gpu.addresses().length == 0 ? null : gpu.addresses()[0];
  }

  /** CPU threads for a task: the CPUs Spark gives each task (1 by default). */
  static int threads(TaskContext task) {
    return task == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, task.cpus());
  }

  static Backend create(BackendSpec spec, String gpu, int threads) {
    String device = spec.device() != null ? spec.device() : OpenCl.deviceFromEnvironment();
    switch (spec.kind()) {
      case CPU:
        return new CpuBackend(spec.layers(), threads);
      case OPENCL: {
        ClDevice d = gpu != null ? assignedDevice(gpu)
            : OpenCl.choose(device, false).orElseThrow(() -> new IllegalStateException(
                "OpenCL backend unavailable on this executor: " + OpenCl.whyNone(device, false)));
        return new OpenClBackend(spec.layers(), d);
      }
      default: {
        if (gpu != null) {
          return new OpenClBackend(spec.layers(), assignedDevice(gpu));
        }
        boolean named = device != null;
        Optional<ClDevice> d = OpenCl.choose(device, !named);
        if (d.isEmpty()) {
          LOG.debug("CPU backend on this executor: {}", OpenCl.whyNone(device, !named));
          return new CpuBackend(spec.layers(), threads);
        }
        return new OpenClBackend(spec.layers(), d.get());
      }
    }
  }

  /** The OpenCL device of a Spark GPU address: by PCI bus id, else by index among GPUs and accelerators. */
  static ClDevice assignedDevice(String address) {
    Optional<PciBusId> bus = PciBusId.parse(address);
    if (bus.isPresent()) {
      return bus.get().findDevice().orElseThrow(() -> new IllegalStateException("Spark assigned the GPU at PCI "
          + address + " but no OpenCL device reports that bus id; " + OpenCl.whyNone(null, true)));
    }
    if (!address.trim().chars().allMatch(Character::isDigit) || address.isBlank()) {
      throw new IllegalStateException("Spark assigned GPU '" + address + "': neither a PCI bus id nor an index");
    }
    int index = Integer.parseInt(address.trim());
    List<ClDevice> gpus = OpenCl.discover().devices().stream().filter(ClDevice::isGpuOrAccelerator).toList();
    if (index >= gpus.size()) {
      throw new IllegalStateException("Spark assigned GPU " + index + " but this executor has " + gpus.size()
          + " OpenCL GPUs; " + OpenCl.whyNone(null, true));
    }
    return gpus.get(index);
  }
}
