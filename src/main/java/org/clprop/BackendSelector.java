package org.clprop;

import org.clprop.backend.Backend;
import org.clprop.backend.BackendKind;
import org.clprop.cpu.CpuBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a {@link BackendKind} into a backend. */
final class BackendSelector {
  private static final Logger LOG = LoggerFactory.getLogger(BackendSelector.class);

  private BackendSelector() {}

  static Backend create(TrainerConfig config) {
    if (config.backend() == BackendKind.OPENCL) {
      throw new IllegalStateException("the OpenCL backend is not part of this build yet; use BackendKind.CPU or AUTO");
    }
    Backend b = new CpuBackend(config.layerSizes(), config.threads());
    LOG.debug("using {}", b.description());
    return b;
  }
}
