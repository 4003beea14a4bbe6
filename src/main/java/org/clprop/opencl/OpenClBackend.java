package org.clprop.opencl;

import java.util.ArrayList;
import java.util.List;
import org.clprop.backend.Backend;
import org.clprop.backend.BackendChecks;
import org.clprop.backend.Evaluation;
import org.clprop.backend.OptimizerState;
import org.clprop.backend.StepMetrics;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.model.ModelSpec.Activation;
import org.clprop.model.ModelSpec.Output;
import org.clprop.optim.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenCL backend: the batch form of the algorithm as a sequence of kernel launches on one
 * in-order queue, with everything the step touches resident on the device.
 *
 * <pre>
 * step on rows order[from .. from+n):
 *   gather     A(1) = X[order[from..]], y = labels[order[from..]]          (training set resident)
 *   forward    A(l+1) = g(A(l) Theta(l)' + bias)            gemm_nt, epilogue 1 (output: 2, keeps z;
 *              softmax outputs: then softmax_rows)          g and the output compiled in (-D, common.cl)
 *   output     d(L) = A(L) - Y; per-row cost and hit; reduced into this step's metrics slot
 *   backward   Delta(l)[:, 1:] = d(l+1)' A(l)  gemm_tn;  Delta(l)[:, 0] = column sums of d(l+1)
 *              d(l) = (d(l+1) Theta(l)[:, 1:]) .* g'(Z(l))   gemm_nn, epilogue 3 (g' from A(l)), l >= 2
 *   scale      D = Delta / n + (lambda / n) Theta off the bias column
 *   update     the optimiser's kernel over all parameters
 * </pre>
 *
 * Nothing is read back in a step: per-step cost and accuracy sums accumulate in device slots
 * ({@link StepTotals}) read when asked. Parameters live in one flat buffer in the Theta layout of
 * {@link Backend}, so the optimiser ({@link DeviceOptimizer}) updates them with one launch.
 *
 * <p>The parts this class drives: {@link BatchBuffers} (a batch's activations and deltas),
 * {@link RowFeed} (rows into A(1): a resident training set, or one streamed batch by batch when it
 * does not fit in half of the device's memory), {@link GemmRoutine} (behind {@link ClKernels}),
 * and {@link DeviceMemory}, which checks every size against the device before allocating.
 */
public final class OpenClBackend implements Backend {
  private static final Logger LOG = LoggerFactory.getLogger(OpenClBackend.class);
  private static final int EVAL_CHUNK = 1024;
  private static final int METRIC_SLOTS = 4096;

  private final int[] s;
  private final int layers;
  private final int[] thetaOff;
  private final int paramCount;
  private final ClContext ctx;
  private final ClKernels k;
  private final List<ClBuffer> owned = new ArrayList<>();
  private final ClBuffer params;
  private final ClBuffer grad;
  private final ClBuffer regSums;
  private final DeviceOptimizer optimizer;

  private final BatchBuffers batch;
  /** The forward and backward passes as kernel launches over the batch's buffers. */
  private final LayerPasses passes;
  private final RowFeed feed;
  /** The training steps' sums until takeMetrics; one slot per chunk of a whole pass. */
  private final StepTotals stepTotals;
  private final MetricSlots passSlots;

  private boolean closed;

  /**
   * A backend for the course's network of {@code layerSizes} (sigmoid units and outputs) on
   * {@code device}: creates the context, builds the program.
   */
  public OpenClBackend(int[] layerSizes, ClDevice device) {
    this(layerSizes, device, false);
  }

  /** As above; with {@code profiling}, {@link #context()}'s profile can time each kernel (benchmarks). */
  public OpenClBackend(int[] layerSizes, ClDevice device, boolean profiling) {
    this(layerSizes, Activation.SIGMOID, Output.SIGMOID, device, profiling);
  }

  /** A backend for a network with hidden units {@code g} and outputs {@code out}. */
  public OpenClBackend(int[] layerSizes, Activation g, Output out, ClDevice device) {
    this(layerSizes, g, out, device, false);
  }

  /** As above; with {@code profiling}, {@link #context()}'s profile can time each kernel (benchmarks). */
  public OpenClBackend(int[] layerSizes, Activation g, Output out, ClDevice device, boolean profiling) {
    s = Network.checkSizes(layerSizes);
    layers = s.length;
    thetaOff = new int[layers];
    for (int l = 0; l + 1 < layers; l++) {
      thetaOff[l + 1] = thetaOff[l] + s[l + 1] * (s[l] + 1);
    }
    paramCount = Network.parameterCount(s);
    SignalChaining.warnOnceIfMissing();
    ctx = new ClContext(device, profiling);
    ClKernels kernels = null;
    StepTotals totals = null;
    try {
      kernels = new ClKernels(ctx, g, out);
      params = own("parameters", (long) paramCount * 4);
      grad = own("gradients", (long) paramCount * 4);
      regSums = own("sums of squares", (long) layers * 4);
      totals = new StepTotals(ctx, METRIC_SLOTS);
    } catch (RuntimeException e) {
      if (kernels != null) {
        kernels.close();
      }
      releaseOwned();
      ctx.close();
      throw e;
    }
    k = kernels;
    optimizer = new DeviceOptimizer(ctx, k, paramCount);
    stepTotals = totals;
    passSlots = new MetricSlots(ctx, "evaluation metrics", 0);
    batch = new BatchBuffers(ctx, s, paramCount, METRIC_SLOTS);
    passes = new LayerPasses(ctx, k, s, thetaOff, batch, params, grad, regSums, out == Output.SOFTMAX);
    feed = new RowFeed(ctx, k, s[0]);
    LOG.info("OpenCL backend on {}", device.describe());
  }

  private ClBuffer own(String name, long bytes) {
    DeviceMemory.checkAllocation(ctx.device(), name, bytes);
    ClBuffer b = ctx.buffer(name, bytes);
    owned.add(b);
    return b;
  }

  @Override
  public String description() {
    return "opencl: " + ctx.device().name();
  }

  @Override
  public int[] layerSizes() {
    return s.clone();
  }

  /** The context and queue, for benchmarks' profiles. */
  public ClContext context() {
    return ctx;
  }

  /** The kernels' launchers, for tests and benchmarks. */
  public ClKernels kernels() {
    return k;
  }

  @Override
  public void setParameters(float[] flat) {
    if (flat.length != paramCount) {
      throw new IllegalArgumentException("parameters: " + flat.length + " values, expected " + paramCount);
    }
    params.write(ctx.queue(), flat, 0, 0, paramCount);
  }

  @Override
  public float[] parameters() {
    float[] out = new float[paramCount];
    params.read(ctx.queue(), 0, out, 0, paramCount);
    return out;
  }

  @Override
  public void setOptimizer(Optimizer opt) {
    optimizer.set(opt);
  }

  @Override
  public OptimizerState optimizerState() {
    return optimizer.state();
  }

  @Override
  public void setOptimizerState(OptimizerState st) {
    optimizer.restore(st);
  }

  @Override
  public void bindTrainingSet(Dataset data, int maxBatch) {
    BackendChecks.data(s, data);
    batch.ensure(maxBatch);
    feed.bind(data, batch.capacity());
  }

  @Override
  public void setOrder(int[] order) {
    feed.setOrder(order);
  }

  @Override
  public void trainStep(int from, int count, double lambda) {
    BackendChecks.batch(feed.order(), from, count, batch.capacity());
    if (optimizer.optimizer().kind() == Optimizer.Kind.LBFGS) {
      throw new IllegalStateException("L-BFGS is full-batch: the trainer drives it, not trainStep");
    }
    feed.loadStep(from, count, batch);
    passes.forward(count);
    passes.outputDelta(count, stepTotals.buffer(), stepTotals.slotFor(count));
    stepTotals.drainIfFull();
    passes.backward(count, 0f);
    if (lambda == 0) {
      optimizer.update(params, grad, 1f / count); // the update divides by m: no scaling launches
    } else {
      passes.scale(count, lambda);
      optimizer.update(params, grad, 1f);
    }
    feed.prefetchAfter(from, count);
  }

  @Override
  public StepMetrics takeMetrics() {
    return stepTotals.take();
  }

  @Override
  public double boundGradient(double lambda, float[] gradOut) {
    Dataset data = feed.bound();
    if (data == null) {
      throw new IllegalStateException("boundGradient before bindTrainingSet");
    }
    return fullPass(data, lambda, gradOut, true).cost();
  }

  @Override
  public double costAndGradient(Dataset data, double lambda, float[] gradOut) {
    BackendChecks.data(s, data);
    return fullPass(data, lambda, gradOut, gradOut != null).cost();
  }

  @Override
  public StepMetrics boundSums(float[] deltaOut) {
    Dataset data = feed.bound();
    if (data == null) {
      throw new IllegalStateException("boundSums before bindTrainingSet");
    }
    BackendChecks.parameterVector(deltaOut, paramCount);
    return sums(data, null, 0, data.size(), deltaOut);
  }

  @Override
  public StepMetrics batchSums(int from, int count, float[] deltaOut) {
    BackendChecks.rows(feed.order(), from, count);
    BackendChecks.parameterVector(deltaOut, paramCount);
    return sums(feed.bound(), feed.order(), from, count, deltaOut);
  }

  @Override
  public Evaluation evaluate(Dataset data, double lambda) {
    BackendChecks.data(s, data);
    return fullPass(data, lambda, null, false);
  }

  @Override
  public float[] predictProbabilities(float[] x, int n) {
    BackendChecks.rows(x, n, s[0]);
    batch.ensure(Math.min(EVAL_CHUNK, Math.max(1, n)));
    int kOut = s[layers - 1];
    float[] out = new float[BackendChecks.outputLength(n, kOut)];
    for (int from = 0; from < n; from += batch.capacity()) {
      int rows = Math.min(batch.capacity(), n - from);
      batch.act[0].write(ctx.queue(), x, from * s[0], 0, rows * s[0]);
      passes.forward(rows);
      batch.act[layers - 1].read(ctx.queue(), 0, out, from * kOut, rows * kOut);
    }
    return out;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    feed.close();
    releaseOwned();
    optimizer.close();
    batch.close();
    stepTotals.close();
    passSlots.close();
    k.close();
    ctx.close();
  }

  /** Batches streamed since binding and how many were uploaded ahead; zeros when resident. */
  long[] streamingCounts() {
    return feed.streamingCounts();
  }

  // ---- passes -----------------------------------------------------------------------------------

  /**
   * J (and D when asked) over all of {@code data} at the current weights, in chunks; data that fits
   * stays resident for the next call (validation data evaluated every epoch is uploaded once).
   */
  private Evaluation fullPass(Dataset data, double lambda, float[] gradOut, boolean wantGradient) {
    if (gradOut != null && gradOut.length != paramCount) {
      throw new IllegalArgumentException("gradOut: " + gradOut.length + " values, expected " + paramCount);
    }
    batch.ensure(Math.min(EVAL_CHUNK, data.size()));
    int m = data.size();
    StepMetrics totals = accumulate(feed.forPass(data), data, null, 0, m, wantGradient);
    if (wantGradient) {
      passes.scale(m, lambda);
      if (gradOut != null) {
        grad.read(ctx.queue(), 0, gradOut, 0, paramCount);
      }
    }
    double j = totals.costSum() / m + (lambda == 0 ? 0 : lambda / (2.0 * m) * passes.sumOfSquares());
    return new Evaluation(j, totals.accuracy(), m);
  }

  /** Sums over the bound set's rows order[from .. from+count) (from .. when order is null); Delta read back. */
  private StepMetrics sums(Dataset data, int[] order, int from, int count, float[] deltaOut) {
    batch.ensure(Math.min(EVAL_CHUNK, count));
    StepMetrics totals = accumulate(feed.boundResident(), data, order, from, count, true);
    grad.read(ctx.queue(), 0, deltaOut, 0, paramCount);
    return totals;
  }

  /**
   * Cost and hit totals over rows order[from .. from+count) of {@code data} (from .. when order is
   * null), in chunks of the capacity; with {@code wantGradient}, Delta summed into the gradient
   * buffer. A resident set {@code r} gathers by its device order buffer, which holds the order of
   * the last setOrder (or the identity); otherwise rows are gathered on the host.
   */
  private StepMetrics accumulate(ResidentData r, Dataset data, int[] order, int from, int count,
      boolean wantGradient) {
    int capacity = batch.capacity();
    int chunks = (count + capacity - 1) / capacity;
    passSlots.ensure(chunks);
    for (int c = 0; c < chunks; c++) {
      int at = from + c * capacity;
      int n = Math.min(capacity, from + count - at);
      feed.load(r, r == null ? data : null, order, at, n, batch);
      passes.forward(n);
      passes.outputDelta(n, passSlots.buffer(), passSlots.next());
      if (wantGradient) {
        passes.backward(n, c == 0 ? 0f : 1f);
      }
    }
    float[] v = passSlots.drain();
    double cost = 0;
    long hits = 0;
    for (int c = 0; c < chunks; c++) {
      cost += v[2 * c];
      hits += Math.round(v[2 * c + 1]);
    }
    return new StepMetrics(cost, hits, count);
  }

  private void releaseOwned() {
    for (ClBuffer b : owned) {
      b.close();
    }
    owned.clear();
  }
}
