package org.clprop;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clprop.backend.Backend;
import org.clprop.backend.BackendKind;
import org.clprop.cpu.CpuBackend;
import org.clprop.opencl.ClDevice;
import org.clprop.opencl.GpuHardware;
import org.clprop.opencl.OpenCl;
import org.clprop.opencl.OpenClBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link BackendKind} into a backend. AUTO takes the OpenCL GPU or accelerator with the
 * most compute units times clock (or the device the user named) and otherwise falls back to the
 * CPU backend; OPENCL fails with the reason instead. (On a machine whose only OpenCL device is a
 * CPU, the Java CPU backend is the faster choice anyway.)
 *
 * <p>The fall-back is said once per JVM: at INFO on a machine without a GPU, where the CPU
 * backend is the intended path; at WARN when a GPU is present but OpenCL cannot use it (a driver
 * is missing). A device the user named that is not there is a WARN each time.
 */
final class BackendSelector {
  private static final Logger LOG = LoggerFactory.getLogger(BackendSelector.class);
  private static final AtomicBoolean FALLBACK_SAID = new AtomicBoolean();

  private BackendSelector() {}

  static Backend create(TrainerConfig config) {
    String spec = config.device() != null ? config.device() : OpenCl.deviceFromEnvironment();
    return switch (config.backend()) {
      case CPU -> cpu(config);
      case OPENCL -> {
        Optional<ClDevice> d = OpenCl.choose(spec, false);
        if (d.isEmpty()) {
          throw new IllegalStateException("OpenCL backend unavailable: " + OpenCl.whyNone(spec, false));
        }
        yield openCl(config, d.get());
      }
      case AUTO -> {
        // A device named by the user may be of any type; the default rule wants a GPU or accelerator.
        boolean named = spec != null;
        Optional<ClDevice> d = OpenCl.choose(spec, !named);
        if (d.isPresent()) {
          yield openCl(config, d.get());
        }
        CpuBackend cpu = cpu(config);
        sayFallback(cpu, OpenCl.whyNone(spec, !named), named);
        yield cpu;
      }
    };
  }

  private static OpenClBackend openCl(TrainerConfig config, ClDevice device) {
    return new OpenClBackend(config.layerSizes(), config.activation(), config.output(), device);
  }

  private static CpuBackend cpu(TrainerConfig config) {
    return new CpuBackend(config.layerSizes(), config.activation(), config.output(), config.threads());
  }

  private static void sayFallback(CpuBackend cpu, String why, boolean named) {
    if (named) {
      LOG.warn("using the CPU backend, {}: {}", cpu.description(), why);
      return;
    }
    if (!FALLBACK_SAID.compareAndSet(false, true)) {
      LOG.debug("using the CPU backend, {}", cpu.description());
      return;
    }
    Optional<String> gpu = GpuHardware.present();
    if (gpu.isPresent()) {
      LOG.warn("using the CPU backend, {}: an {} GPU is present but OpenCL cannot use it: {}", cpu.description(),
          gpu.get(), why);
    } else {
      LOG.info("no OpenCL GPU here; using the CPU backend, {} ({})", cpu.description(), why);
    }
  }
}
