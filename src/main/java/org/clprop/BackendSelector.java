package org.clprop;

import java.util.Optional;
import org.clprop.backend.Backend;
import org.clprop.backend.BackendKind;
import org.clprop.cpu.CpuBackend;
import org.clprop.opencl.ClDevice;
import org.clprop.opencl.OpenCl;
import org.clprop.opencl.OpenClBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link BackendKind} into a backend. AUTO takes the OpenCL GPU or accelerator with the
 * most compute units times clock (or the device the user named) and otherwise falls back to the
 * CPU backend with one WARN line saying why; OPENCL fails with that same reason instead. (On a
 * machine whose only OpenCL device is a CPU, the Java CPU backend is the faster choice anyway.)
 */
final class BackendSelector {
  private static final Logger LOG = LoggerFactory.getLogger(BackendSelector.class);

  private BackendSelector() {}

  static Backend create(TrainerConfig config) {
    String spec = config.device() != null ? config.device() : OpenCl.deviceFromEnvironment();
    return switch (config.backend()) {
      case CPU -> new CpuBackend(config.layerSizes(), config.threads());
      case OPENCL -> {
        Optional<ClDevice> d = OpenCl.choose(spec, false);
        if (d.isEmpty()) {
          throw new IllegalStateException("OpenCL backend unavailable: " + OpenCl.whyNone(spec, false));
        }
        yield new OpenClBackend(config.layerSizes(), d.get());
      }
      case AUTO -> {
        // A device named by the user may be of any type; the default rule wants a GPU or accelerator.
        boolean named = spec != null;
        Optional<ClDevice> d = OpenCl.choose(spec, !named);
        if (d.isEmpty()) {
          LOG.warn("using the CPU backend: {}", OpenCl.whyNone(spec, !named));
          yield new CpuBackend(config.layerSizes(), config.threads());
        }
        yield new OpenClBackend(config.layerSizes(), d.get());
      }
    };
  }
}
