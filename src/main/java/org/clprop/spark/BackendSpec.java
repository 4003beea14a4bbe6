package org.clprop.spark;

import java.io.Serializable;
import java.util.Locale;
import org.clprop.backend.BackendKind;
import org.clprop.core.Network;

/**
 * What an executor needs to bind a partition: the layer sizes, the backend kind (AUTO, CPU,
 * OPENCL) and an OpenCL device by index or name for executors to which Spark assigned no GPU
 * (null: the default rule). Shipped with every task; small.
 */
record BackendSpec(int[] layers, BackendKind kind, String device) implements Serializable {
  private static final long serialVersionUID = 1L;

  BackendSpec {
    layers = Network.checkSizes(layers);
  }

  /** The kind a backend param names: auto, cpu or opencl, any case. */
  static BackendKind kind(String name) {
    try {
      return BackendKind.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("backend: '" + name + "', expected auto, cpu or opencl");
    }
  }

  int features() {
    return layers[0];
  }

  int classes() {
    return layers[layers.length - 1];
  }
}
