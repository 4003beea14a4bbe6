package org.clprop.opencl;

import java.util.ArrayList;
import java.util.List;
import org.clprop.model.ModelSpec.Activation;
import org.clprop.model.ModelSpec.Output;

/**
 * Launchers for every kernel of {@code kernels/*.cl}: each sets the arguments in the kernel's order,
 * sizes the launch and enqueues it; none waits. The backend's training loop calls only these.
 */
public final class ClKernels implements AutoCloseable {
  /** GEMM epilogues, as in matmul.cl. */
  public static final int STORE = 0;
  /** Epilogue C = g(acc + bias(j)): a hidden layer's forward step, g the program's activation. */
  public static final int BIAS_ACTIVATION = 1;
  /**
   * Epilogue Z = acc + bias(j), C = out(Z): the output layer's forward step, keeping z for J; out is
   * the sigmoid, or for softmax outputs the identity, {@link #softmaxRows} then normalising.
   */
  public static final int BIAS_OUTPUT_KEEP_Z = 2;
  /** Epilogue C = acc .* g'(z), with X = a = g(z): a hidden delta, (d Theta) .* g'(z). */
  public static final int TIMES_ACTIVATION_GRADIENT = 3;

  /** How a product's operands are stored (matmul.cl): n as is, t transposed; one kernel each. */
  public enum Layout {
    /** A as is, B transposed: the forward product Z = A(l) Theta(l)'. */
    NT,
    /** Both as is: the delta product d(l+1) Theta(l). */
    NN,
    /** A transposed, B as is: the gradient product d(l+1)' A(l). */
    TN
  }

  private static final int GROUP_1D = 64;

  private final ClContext ctx;
  private final ClProgram program;
  private final KernelParams params;
  private final List<ClKernel> all = new ArrayList<>();
  private final List<ClProgram> variantPrograms = new ArrayList<>();
  /** The products of every tile shape the programs were built with. */
  private final GemmRoutine gemm;
  private final ClKernel gatherRows;
  private final ClKernel gatherLabels;
  private final ClKernel outputDelta;
  private final ClKernel softmaxRows;
  private final ClKernel columnSum;
  private final ClKernel scaleGradient;
  private final ClKernel reduceMetrics;
  private final ClKernel sumSquares;
  private final ClKernel sgd;
  private final ClKernel momentum;
  private final ClKernel adam;

  /**
   * Builds (or loads from the cache) the program for {@code ctx}'s device with tile sizes for it,
   * and on GPUs the products with further tile shapes ({@link KernelParams#gpuVariants}), for the
   * course's network: sigmoid hidden units and outputs.
   */
  public ClKernels(ClContext ctx) {
    this(ctx, Activation.SIGMOID, Output.SIGMOID);
  }

  /** As {@link #ClKernels(ClContext)}, with hidden units {@code g} and outputs {@code out} compiled in. */
  public ClKernels(ClContext ctx, Activation g, Output out) {
    this(ctx, KernelParams.forDevice(ctx.device()), ProgramCache.fromEnvironment(), functionOptions(g, out));
  }

  ClKernels(ClContext ctx, KernelParams params, ProgramCache cache) {
    this(ctx, params, cache, "");
  }

  private ClKernels(ClContext ctx, KernelParams params, ProgramCache cache, String functions) {
    this(ctx, params, KernelParams.gpuVariants(ctx.device(), params), cache, functions);
  }

  ClKernels(ClContext ctx, KernelParams params, List<KernelParams> variants, ProgramCache cache) {
    this(ctx, params, variants, cache, "");
  }

  ClKernels(ClContext ctx, KernelParams params, List<KernelParams> variants, ProgramCache cache, String functions) {
    this.ctx = ctx;
    this.params = params;
    this.program = new ClProgram(ctx, KernelSource.load(), params.buildOptions() + functions, cache);
    this.gemm = new GemmRoutine(ctx.device(), params.cpu());
    try {
      addProducts(program, params);
      String products = variants.isEmpty() ? null : KernelSource.products();
      for (KernelParams v : variants) {
        // Only the products: the element-wise kernels come from the main program.
        ClProgram p = new ClProgram(ctx, products, v.buildOptions() + functions, cache);
        variantPrograms.add(p);
        addProducts(p, v);
      }
      gatherRows = kernel("gather_rows");
      gatherLabels = kernel("gather_labels");
      outputDelta = kernel("output_delta");
      softmaxRows = kernel("softmax_rows");
      columnSum = kernel("column_sum");
      scaleGradient = kernel("scale_gradient");
      reduceMetrics = kernel("reduce_metrics");
      sumSquares = kernel("sum_squares");
      sgd = kernel("sgd_update");
      momentum = kernel("momentum_update");
      adam = kernel("adam_update");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * The -D options that compile g and the output function into the program (common.cl): none for
   * the course's sigmoid and sigmoid, so that its programs and their cache entries are unchanged.
   */
  static String functionOptions(Activation g, Output out) {
    String o = switch (g) {
      case SIGMOID -> "";
      case TANH -> " -D ACTIVATION=1";
      case RELU -> " -D ACTIVATION=2";
    };
    return out == Output.SOFTMAX ? o + " -D OUTPUT_SOFTMAX" : o;
  }

  private ClKernel kernel(String name) {
    return kernel(program, name);
  }

  private ClKernel kernel(ClProgram from, String name) {
    ClKernel k = new ClKernel(ctx, from, name);
    all.add(k);
    return k;
  }

  private void addProducts(ClProgram from, KernelParams p) {
    gemm.add(p, kernel(from, "gemm_nt"), kernel(from, "gemm_nn"), kernel(from, "gemm_tn"));
  }

  /** The tile shapes the products are compiled with, largest first (one on CPU devices). */
  public List<KernelParams> tileShapes() {
    return gemm.tileShapes();
  }

  /** The tile shape {@link #gemm} uses for an m x n product (see {@link GemmRoutine#tilesFor}). */
  KernelParams tilesFor(int m, int n) {
    return gemm.tilesFor(m, n);
  }

  /** The tile and work-group sizes the main program was built with. */
  public KernelParams params() {
    return params;
  }

  /** Whether the program came from the on-disk binary cache rather than the compiler. */
  public boolean programFromCache() {
    return program.fromCache();
  }

  /** Wall time to build or load the main program, in milliseconds. */
  public double programMillis() {
    return program.buildMillis();
  }

  /**
   * C(i, j) = epilogue(sum_p A(i, p) B(p, j)) for {@code i < m, j < n, p < k}; the layout says how A and B
   * are stored, as matmul.cl describes. X and Z serve the epilogue and may
   * be any buffer when it does not read them.
   */
  public void gemm(Layout layout, int m, int n, int k, ClBuffer a, int aoff, int lda, ClBuffer b, int boff, int ldb,
      ClBuffer c, int coff, int ldc, int mode, float beta, ClBuffer x, int xoff, int ldx, ClBuffer z, int zoff) {
    gemm.run(layout, m, n, k, a, aoff, lda, b, boff, ldb, c, coff, ldc, mode, beta, x, xoff, ldx, z, zoff);
  }

  /** X(n, f) = Xall[order[from + i], :]. */
  public void gatherRows(ClBuffer xAll, ClBuffer order, int from, int n, int f, ClBuffer x) {
    gatherRows.args().arg(xAll).arg(order).arg(from).arg(n).arg(f).arg(x);
    gatherRows.launch(ClKernel.roundUp(f, 16), ClKernel.roundUp(n, 4), 16, 4);
  }

  /** y[i] = labels[order[from + i]]. */
  public void gatherLabels(ClBuffer labels, ClBuffer order, int from, int n, ClBuffer y) {
    gatherLabels.args().arg(labels).arg(order).arg(from).arg(n).arg(y);
    gatherLabels.launch1d(n, GROUP_1D);
  }

  /** D = A - Y, per-row cross-entropy into cost, per-row hit (argmax == label) into hit. */
  public void outputDelta(int n, int k, ClBuffer a, ClBuffer z, ClBuffer y, ClBuffer d, ClBuffer cost, ClBuffer hit) {
    outputDelta.args().arg(n).arg(k).arg(a).arg(z).arg(y).arg(d).arg(cost).arg(hit);
    outputDelta.launch1d(n, GROUP_1D);
  }

  /** A(i, :) = softmax(Z(i, :)) for the n rows of Z and A, (n, k). */
  public void softmaxRows(int n, int k, ClBuffer z, ClBuffer a) {
    softmaxRows.args().arg(n).arg(k).arg(z).arg(a);
    softmaxRows.launch1d(n, GROUP_1D);
  }

  /** G[goff + j*ldg] = beta G[..] + sum_i D(i, j), D (n, out). */
  public void columnSum(int n, int out, ClBuffer d, ClBuffer g, int goff, int ldg, float beta) {
    columnSum.args().arg(n).arg(out).arg(d).arg(g).arg(goff).arg(ldg).arg(beta);
    columnSum.launch1d(out, GROUP_1D);
  }

  /** G = G inv_m + reg T off column 0, over one (rows, cols) matrix at off. */
  public void scaleGradient(int rows, int cols, int off, ClBuffer g, ClBuffer t, float invM, float reg) {
    scaleGradient.args().arg(rows).arg(cols).arg(off).arg(g).arg(t).arg(invM).arg(reg);
    scaleGradient.launch1d((long) rows * cols, GROUP_1D);
  }

  /** out[2 slot] = sum cost[0..n), out[2 slot + 1] = sum hit[0..n). */
  public void reduceMetrics(int n, ClBuffer cost, ClBuffer hit, ClBuffer out, int slot) {
    reduceMetrics.args().arg(n).arg(cost).arg(hit).arg(out).arg(slot);
    reduceMetrics.launch(params.reductionGroup(), 1, params.reductionGroup(), 1);
  }

  /** out[slot] = sum over c >= 1 of T(j, c)^2 for the (rows, cols) matrix at off. */
  public void sumSquares(int rows, int cols, int off, ClBuffer t, ClBuffer out, int slot) {
    sumSquares.args().arg(rows).arg(cols).arg(off).arg(t).arg(out).arg(slot);
    sumSquares.launch(params.reductionGroup(), 1, params.reductionGroup(), 1);
  }

  /** The updates take the gradient as gs D (optimizers.cl). */
  public void sgd(int p, ClBuffer t, ClBuffer d, float gs, float lr) {
    sgd.args().arg(p).arg(t).arg(d).arg(gs).arg(lr);
    sgd.launch1d(p, GROUP_1D);
  }

  /** Momentum on the first {@code p} parameters: v = mu v - lr gs D, then T += v. */
  public void momentum(int p, ClBuffer t, ClBuffer d, float gs, ClBuffer v, float lr, float mu) {
    momentum.args().arg(p).arg(t).arg(d).arg(gs).arg(v).arg(lr).arg(mu);
    momentum.launch1d(p, GROUP_1D);
  }

  /**
   * Adam on the first {@code p} parameters, with g = gs D: m = b1 m + (1 - b1) g,
   * v = b2 v + (1 - b2) g^2, then T -= step m / (sqrt(v) scale + eps), where the caller folds the
   * bias corrections into {@code step} = lr / (1 - b1^t) and {@code scale} = 1 / sqrt(1 - b2^t).
   */
  public void adam(int p, ClBuffer t, ClBuffer d, float gs, ClBuffer m, ClBuffer v, float b1, float b2, float eps,
      float step, float scale) {
    adam.args().arg(p).arg(t).arg(d).arg(gs).arg(m).arg(v).arg(b1).arg(b2).arg(eps).arg(step).arg(scale);
    adam.launch1d(p, GROUP_1D);
  }

  @Override
  public void close() {
    for (ClKernel k : all) {
      k.close();
    }
    all.clear();
    for (ClProgram p : variantPrograms) {
      p.close();
    }
    variantPrograms.clear();
    program.close();
  }
}
