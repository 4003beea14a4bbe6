package org.clprop.cpu;

import org.clprop.core.Network;

/**
 * Where the parameters live, and which product reads which copy. Backend's layout is Theta(l),
 * (s[l+1], s[l] + 1) row-major per layer, bias as column 0; parameters and optimiser state go in
 * and out in it. Held here (when on), so that every product's inner loop runs along memory:
 *
 * <pre>
 * input layer   b(0) then W(0)' (s[0], s[1]), when s[1] >= WIDE; again in the forward product's panels
 * other layers  Theta(l) as it is; W(l)' again, in the forward product's panels when wide
 *               (or row-major for the narrow hidden delta's dot products); W(l) again in the
 *               hidden delta product's panels (s[l] >= WIDE)
 * </pre>
 *
 * The gradient and the optimiser state have theta's layout. The update refreshes the copies of the
 * rows it changes: nothing is packed at every step. Off, only Theta is kept: the forward products
 * are dot products with Theta's rows, the delta products read Theta's rows in place.
 */
final class ParameterLayout {
  /** Outputs at least this wide use the row-vectorised product, narrower ones dot products. */
  static final int WIDE = 16;

  private final int[] s;
  private final int layers;
  private final boolean on;
  private final CpuKernels k;
  /** For one-off copies (setting and reading parameters): SIMD code runs a hundred times slower until C2 compiles it. */
  private final CpuKernels plain = new ScalarKernels();
  private final int[] thetaOff;
  /** Whether Theta(0) is held as b then W'. */
  private final boolean inputHeld;
  private final int updatedRows;
  private final int updatedParameters;
  final float[] theta;
  final float[] grad;
  /** Optimiser state (momentum or Adam's first moment; Adam's second), or null. */
  float[] m;
  float[] v;
  /** W(l)', in the panels of CpuKernels.gemmPanels where inPanels(l); null where no product reads it. */
  private final float[][] wt;
  /** The held input layer's W' in the forward product's panels. */
  private final float[] inputPanels;
  /** W(l) (l >= 1, s[l] >= WIDE) in the panels the hidden delta product reads, else null. */
  private final float[][] weightPanels;

  ParameterLayout(int[] sizes, CpuKernels kernels, boolean on) {
    s = sizes;
    layers = s.length;
    this.on = on;
    k = kernels;
    thetaOff = new int[layers];
    for (int l = 0; l + 1 < layers; l++) {
      thetaOff[l + 1] = thetaOff[l] + s[l + 1] * (s[l] + 1);
    }
    inputHeld = on && s[1] >= WIDE;
    theta = new float[Network.parameterCount(s)];
    updatedRows = Network.parameterRows(s) - (inputHeld ? s[1] : 0);
    updatedParameters = theta.length - (inputHeld ? thetaOff[1] : 0);
    grad = new float[theta.length];
    int w = k.panelWidth();
    wt = new float[layers - 1][];
    weightPanels = new float[layers - 1][];
    for (int l = inputHeld ? 1 : 0; on && l + 1 < layers; l++) {
      // Read by the forward product when it is wide, by the hidden delta's dot products when that is narrow.
      boolean read = s[l + 1] >= WIDE || l >= 1 && s[l] < WIDE;
      wt[l] = !read ? null : new float[inPanels(l) ? CpuKernels.panelsLength(s[l + 1], s[l], w) : s[l] * s[l + 1]];
      weightPanels[l] = l >= 1 && s[l] >= WIDE ? new float[CpuKernels.panelsLength(s[l], s[l + 1], w)] : null;
    }
    inputPanels = inputHeld ? new float[CpuKernels.panelsLength(s[1], s[0], w)] : null;
  }

  boolean inputHeld() {
    return inputHeld;
  }

  /** Where Theta(l) starts in theta (for a held input layer: b, then W'). */
  int offset(int l) {
    return thetaOff[l];
  }

  /** The first layer the update task covers: the held input layer is updated inside its gradient product. */
  int firstUpdated() {
    return inputHeld ? 1 : 0;
  }

  /** Rows of Theta, and parameters, the update task covers. */
  int updatedRows() {
    return updatedRows;
  }

  int updatedParameters() {
    return updatedParameters;
  }

  /** Parameters in Backend's layout, with every copy refreshed. */
  void set(float[] flat) {
    fromTheta(flat, theta);
    for (int l = firstUpdated(); l + 1 < layers; l++) {
      refresh(plain, l, 0, s[l + 1]);
    }
    if (inputHeld) {
      CpuKernels.toPanels(theta, s[1], s[1], s[0], k.panelWidth(), 0, s[0], 0, s[1], inputPanels);
    }
  }

  /** Flat values in Backend's layout into the layout held here. */
  void fromTheta(float[] flat, float[] held) {
    System.arraycopy(flat, 0, held, 0, flat.length);
    if (inputHeld) {
      int cols = s[0] + 1;
      for (int j = 0; j < s[1]; j++) {
        held[j] = flat[j * cols];
      }
      plain.transpose(flat, 1, cols, held, s[1], s[1], s[1], s[0]);
    }
  }

  /** The inverse of fromTheta, into a new array. */
  float[] toTheta(float[] held) {
    float[] flat = held.clone();
    if (inputHeld) {
      int cols = s[0] + 1;
      for (int j = 0; j < s[1]; j++) {
        flat[j * cols] = held[j];
      }
      plain.transpose(held, s[1], s[1], flat, 1, cols, s[0], s[1]);
    }
    return flat;
  }

  /** out = grad * inv + reg * theta off the bias column, in Backend's layout (inv 1, reg 0: Delta itself). */
  void writeGradient(float[] out, float inv, float reg) {
    for (int l = 0; l + 1 < layers; l++) {
      boolean held = l == 0 && inputHeld;
      int cols = s[l] + 1;
      for (int j = 0; j < s[l + 1]; j++) {
        int row = thetaOff[l] + j * cols;
        // Where Theta(l)[j, c] is held: b[j] and W'[c-1, j] for the held input layer.
        int bias = held ? j : row;
        out[row] = grad[bias] * inv;
        for (int c = 1; c < cols; c++) {
          int at = held ? s[1] + (c - 1) * s[1] + j : row + c;
          out[row + c] = grad[at] * inv + reg * theta[at];
        }
      }
    }
  }

  /** b(l), from index 0 of the array returned: theta itself for the held input layer, else copied into {@code into}. */
  float[] bias(int l, float[] into) {
    if (l == 0 && inputHeld) {
      return theta;
    }
    int cols = s[l] + 1;
    for (int j = 0; j < s[l + 1]; j++) {
      into[j] = theta[thetaOff[l] + j * cols];
    }
    return into;
  }

  /**
   * C[i, j] += sum_p A[i, p] W(l)[j, p] for rows [i0, i1) and units [j0, j1): the forward product,
   * A (n, s[l]), C (n, s[l+1]); {@code strips} (or null) marks zero inputs for the held input layer.
   */
  void forwardProduct(int l, float[] a, float[] c, int i0, int i1, int j0, int j1, CpuKernels.ZeroBlocks strips) {
    int in = s[l];
    int out = s[l + 1];
    if (l == 0 && inputHeld) {
      k.gemmPanels(a, 0, in, inputPanels, c, 0, out, i0, i1, j0, j1, in, strips);
    } else if (!on || out < WIDE) {
      k.gemmDot(a, 0, in, theta, thetaOff[l] + 1, in + 1, c, 0, out, i0, i1, j0, j1, in);
    } else if (inPanels(l)) {
      k.gemmPanels(a, 0, in, wt[l], c, 0, out, i0, i1, j0, j1, in, null);
    } else {
      k.gemm(a, 0, in, false, wt[l], 0, out, c, 0, out, i0, i1, j0, j1, in);
    }
  }

  /**
   * D[i, c] += sum_j d[i, j] W(l)[j, c] for rows [i0, i1) and inputs [c0, c1): the hidden delta's
   * product, d (n, s[l+1]), D (n, s[l]).
   */
  void deltaProduct(int l, float[] d, float[] dl, int i0, int i1, int c0, int c1) {
    int in = s[l];
    int out = s[l + 1];
    if (!on) {
      k.gemm(d, 0, out, false, theta, thetaOff[l] + 1, in + 1, dl, 0, in, i0, i1, c0, c1, out);
    } else if (in >= WIDE) {
      k.gemmPanels(d, 0, out, weightPanels[l], dl, 0, in, i0, i1, c0, c1, out, null);
    } else {
      k.gemmDot(d, 0, out, wt[l], 0, out, dl, 0, in, i0, i1, c0, c1, out);
    }
  }

  /** The copies of rows [j0, j1) of W(l) (units of layer l+1), after they changed, with the given kernels' transpose. */
  void refresh(CpuKernels with, int l, int j0, int j1) {
    int cols = s[l] + 1;
    if (weightPanels[l] != null) {
      CpuKernels.toPanels(theta, thetaOff[l] + 1, cols, s[l + 1], k.panelWidth(), j0, j1, 0, s[l], weightPanels[l]);
    }
    if (wt[l] == null) {
      return;
    }
    if (!inPanels(l)) {
      with.transpose(theta, thetaOff[l] + j0 * cols + 1, cols, wt[l], j0, s[l + 1], j1 - j0, s[l]);
      return;
    }
    // Panel q holds W' for units [q w, q w + w): the transpose of those rows of W, w wide.
    int w = k.panelWidth();
    for (int j = j0; j < j1; ) {
      int end = Math.min(j1, (j / w + 1) * w);
      with.transpose(theta, thetaOff[l] + j * cols + 1, cols, wt[l], CpuKernels.panelIndex(0, j, s[l], w), w, end - j, s[l]);
      j = end;
    }
  }

  /** The held input layer's panels for rows [c0, c1) of W' (inputs), units [j0, j1), after they changed. */
  void refreshInput(int c0, int c1, int j0, int j1) {
    CpuKernels.toPanels(theta, s[1], s[1], s[0], k.panelWidth(), c0, c1, j0, j1, inputPanels);
  }

  /** Whether W(l)' is held in panels: when only the forward product reads it (the narrow delta's dot products read rows). */
  private boolean inPanels(int l) {
    return s[l + 1] >= WIDE && s[l] >= WIDE;
  }
}
