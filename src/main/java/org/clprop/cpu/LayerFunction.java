package org.clprop.cpu;

import org.clprop.model.ModelSpec.Activation;
import org.clprop.model.ModelSpec.Output;

/**
 * A layer's element-wise function a = f(z), applied in place to the product's block, and the
 * backward step d .* f'(z) written in terms of the stored a. CpuBackend picks one per layer when it
 * is built, so that the loops over elements have no branch on the kind of unit:
 *
 * <pre>
 * SIGMOID  a = 1 / (1 + e^-z)   f'(z) = a (1 - a)
 * TANH     a = tanh(z)          f'(z) = 1 - a^2
 * RELU     a = max(0, z)        f'(z) = [a > 0]   (a > 0 exactly where z > 0; 0 at the kink)
 * LINEAR   a = z                the softmax output layer's z, normalised by rows afterwards
 *                               (OutputDelta.softmax): a block of columns cannot see its whole row
 * </pre>
 */
enum LayerFunction {
  SIGMOID {
    @Override
    void apply(CpuKernels k, float[] v, int off, int n) {
      k.sigmoid(v, off, n);
    }

    @Override
    void timesGradient(CpuKernels k, float[] d, float[] a, int off, int n) {
      k.timesSigmoidGradient(d, a, off, n);
    }
  },
  TANH {
    @Override
    void apply(CpuKernels k, float[] v, int off, int n) {
      k.tanh(v, off, n);
    }

    @Override
    void timesGradient(CpuKernels k, float[] d, float[] a, int off, int n) {
      k.timesTanhGradient(d, a, off, n);
    }
  },
  RELU {
    @Override
    void apply(CpuKernels k, float[] v, int off, int n) {
      k.relu(v, off, n);
    }

    @Override
    void timesGradient(CpuKernels k, float[] d, float[] a, int off, int n) {
      k.timesReluGradient(d, a, off, n);
    }
  },
  LINEAR {
    @Override
    void apply(CpuKernels k, float[] v, int off, int n) {}

    @Override
    void timesGradient(CpuKernels k, float[] d, float[] a, int off, int n) {}
  };

  /** v[off .. off+n) = f(v). */
  abstract void apply(CpuKernels k, float[] v, int off, int n);

  /** d[off .. off+n) .*= f'(z), from a[off .. off+n) = f(z). */
  abstract void timesGradient(CpuKernels k, float[] d, float[] a, int off, int n);

  /** f of every layer of a network of {@code layers} layers: [0] (the input's) unused, hidden g, then the output's. */
  static LayerFunction[] of(int layers, Activation g, Output out) {
    LayerFunction[] f = new LayerFunction[layers];
    LayerFunction hidden = switch (g) {
      case SIGMOID -> SIGMOID;
      case TANH -> TANH;
      case RELU -> RELU;
    };
    for (int l = 0; l < layers - 1; l++) {
      f[l] = hidden;
    }
    f[layers - 1] = out == Output.SOFTMAX ? LINEAR : SIGMOID;
    return f;
  }
}
