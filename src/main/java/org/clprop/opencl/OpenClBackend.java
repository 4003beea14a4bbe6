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
 *   forward    A(l+1) = g(A(l) Theta(l)' + bias)            gemm_nt, epilogue 1 (output: 2, keeps z)
 *   output     d(L) = A(L) - Y; per-row cost and hit; reduced into this step's metrics slot
 *   backward   Delta(l)[:, 1:] = d(l+1)' A(l)  gemm_tn;  Delta(l)[:, 0] = column sums of d(l+1)
 *              d(l) = (d(l+1) Theta(l)[:, 1:]) .* A(l) .* (1 - A(l))   gemm_nn, epilogue 3, l >= 2
 *   scale      D = Delta / n + (lambda / n) Theta off the bias column
 *   update     the optimiser's kernel over all parameters
 * </pre>
 *
 * Nothing is read back in a step: per-step cost and accuracy sums accumulate in a device buffer
 * that {@link #takeMetrics()} reads when asked. Parameters live in one flat buffer in the Theta
 * layout of {@link Backend}, so the optimiser updates them with one launch.
 *
 * <p>A training set that does not fit in half of the device's memory (or in one allocation) is
 * not made resident: a {@link BatchStreamer} uploads each minibatch, the next one while the
 * current one computes.
 */
public final class OpenClBackend implements Backend {
  private static final Logger LOG = LoggerFactory.getLogger(OpenClBackend.class);
  private static final int EVAL_CHUNK = 1024;
  private static final int METRIC_SLOTS = 4096;
  private static final double RESIDENT_FRACTION = 0.5;

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
  private final ClBuffer stepMetrics;
  private ClBuffer moment1;
  private ClBuffer moment2;
  private Optimizer optimizer = Optimizer.sgd(0.1);
  private long step;

  private int capacity;
  private ClBuffer[] act;
  private ClBuffer[] delta;
  private ClBuffer zOut;
  private ClBuffer labelsBatch;
  private ClBuffer rowCost;
  private ClBuffer rowHit;
  private ClBuffer evalMetrics;
  private int evalSlots;

  private Resident bound;
  private Resident evalCache;
  private Dataset streamed;
  private BatchStreamer streamer;
  private int[] hostOrder;
  private float[] stagingX;
  private int[] stagingY;

  private int slots;
  private int drainedSteps;
  private int firstNonFinite = -1;
  private double drainedCost;
  private long drainedHits;
  private long examples;
  private boolean closed;

  /** The training set or another dataset kept on the device, with an order to draw rows by. */
  private final class Resident implements AutoCloseable {
    final Dataset data;
    final ClBuffer x;
    final ClBuffer labels;
    final ClBuffer order;

    Resident(Dataset data) {
      this.data = data;
      int m = data.size();
      x = ctx.buffer("examples", (long) m * data.features() * 4);
      labels = ctx.buffer("labels", (long) m * 4);
      order = ctx.buffer("order", (long) m * 4);
      x.write(ctx.queue(), data.x(), 0, 0, m * data.features());
      labels.write(ctx.queue(), data.labels(), 0, 0, m);
      int[] identity = new int[m];
      for (int i = 0; i < m; i++) {
        identity[i] = i;
      }
      order.write(ctx.queue(), identity, 0, 0, m);
    }

    @Override
    public void close() {
      x.close();
      labels.close();
      order.close();
    }
  }

  /** A backend for {@code layerSizes} on {@code device}: creates the context, builds the program. */
  public OpenClBackend(int[] layerSizes, ClDevice device) {
    this(layerSizes, device, false);
  }

  /** As above; with {@code profiling}, {@link #context()}'s profile can time each kernel (benchmarks). */
  public OpenClBackend(int[] layerSizes, ClDevice device, boolean profiling) {
    s = Network.checkSizes(layerSizes);
    layers = s.length;
    thetaOff = new int[layers];
    for (int l = 0; l + 1 < layers; l++) {
      thetaOff[l + 1] = thetaOff[l] + s[l + 1] * (s[l] + 1);
    }
    paramCount = Network.parameterCount(s);
    ctx = new ClContext(device, profiling);
    ClKernels kernels = null;
    try {
      kernels = new ClKernels(ctx);
      params = own("parameters", (long) paramCount * 4);
      grad = own("gradients", (long) paramCount * 4);
      regSums = own("sums of squares", (long) layers * 4);
      stepMetrics = own("step metrics", 2L * METRIC_SLOTS * 4);
    } catch (RuntimeException e) {
      if (kernels != null) {
        kernels.close();
      }
      releaseOwned();
      ctx.close();
      throw e;
    }
    k = kernels;
    LOG.info("OpenCL backend on {}", device.describe());
    SignalChaining.warnOnceIfMissing();
  }

  private ClBuffer own(String name, long bytes) {
    long max = ctx.device().maxAllocBytes();
    if (bytes > max) {
      throw new OpenClException(name + " needs " + bytes + " bytes, more than the " + max
          + " bytes one allocation may have on " + ctx.device().name() + " (CL_DEVICE_MAX_MEM_ALLOC_SIZE)");
    }
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
    optimizer = opt;
    step = 0;
    boolean needs1 = opt.kind() == Optimizer.Kind.MOMENTUM || opt.kind() == Optimizer.Kind.ADAM;
    boolean needs2 = opt.kind() == Optimizer.Kind.ADAM;
    if (needs1 && moment1 == null) {
      moment1 = own("first moments", (long) paramCount * 4);
    }
    if (needs2 && moment2 == null) {
      moment2 = own("second moments", (long) paramCount * 4);
    }
    float[] zeros = new float[paramCount];
    if (needs1) {
      moment1.write(ctx.queue(), zeros, 0, 0, paramCount);
    }
    if (needs2) {
      moment2.write(ctx.queue(), zeros, 0, 0, paramCount);
    }
  }

  @Override
  public OptimizerState optimizerState() {
    boolean has1 = optimizer.kind() == Optimizer.Kind.MOMENTUM || optimizer.kind() == Optimizer.Kind.ADAM;
    boolean has2 = optimizer.kind() == Optimizer.Kind.ADAM;
    return new OptimizerState(step, has1 ? read(moment1) : null, has2 ? read(moment2) : null);
  }

  private float[] read(ClBuffer b) {
    float[] v = new float[paramCount];
    b.read(ctx.queue(), 0, v, 0, paramCount);
    return v;
  }

  @Override
  public void setOptimizerState(OptimizerState st) {
    boolean has1 = optimizer.kind() == Optimizer.Kind.MOMENTUM || optimizer.kind() == Optimizer.Kind.ADAM;
    boolean has2 = optimizer.kind() == Optimizer.Kind.ADAM;
    if ((st.first() != null) != has1 || (st.second() != null) != has2
        || (st.first() != null && st.first().length != paramCount)
        || (st.second() != null && st.second().length != paramCount)) {
      throw new IllegalArgumentException("optimizer state does not fit " + optimizer.kind());
    }
    step = st.step();
    if (has1) {
      moment1.write(ctx.queue(), st.first(), 0, 0, paramCount);
    }
    if (has2) {
      moment2.write(ctx.queue(), st.second(), 0, 0, paramCount);
    }
  }

  @Override
  public void bindTrainingSet(Dataset data, int maxBatch) {
    BackendChecks.data(s, data);
    ensureCapacity(maxBatch);
    if (bound != null && bound.data != data) {
      bound.close();
      bound = null;
    }
    closeStreamer();
    streamed = null;
    hostOrder = null;
    if (bound == null) {
      if (fitsResident(data)) {
        bound = evalCache != null && evalCache.data == data ? takeEvalCache() : new Resident(data);
      } else {
        streamed = data;
        closeStreamer();
        streamer = new BatchStreamer(ctx, capacity, s[0]);
        LOG.info("training set of {} bytes does not fit on {}: streaming minibatches",
            (long) data.size() * data.features() * 4, ctx.device().name());
      }
    }
  }

  private Resident takeEvalCache() {
    Resident r = evalCache;
    evalCache = null;
    return r;
  }

  private boolean fitsResident(Dataset data) {
    if (Boolean.getBoolean("clprop.opencl.stream")) {
      return false;
    }
    long bytes = (long) data.size() * data.features() * 4;
    ClDevice d = ctx.device();
    return bytes <= d.maxAllocBytes() && bytes + data.size() * 8L <= RESIDENT_FRACTION * d.globalMemBytes();
  }

  @Override
  public void setOrder(int[] order) {
    BackendChecks.order(bound != null ? bound.data : streamed, order);
    if (bound != null) {
      bound.order.write(ctx.queue(), order, 0, 0, order.length);
    }
    hostOrder = order;
  }

  @Override
  public void trainStep(int from, int count, double lambda) {
    BackendChecks.batch(hostOrder, from, count, capacity);
    if (optimizer.kind() == Optimizer.Kind.LBFGS) {
      throw new IllegalStateException("L-BFGS is full-batch: the trainer drives it, not trainStep");
    }
    if (streamer != null) {
      streamer.load(streamed, hostOrder, from, count, act[0], labelsBatch);
    } else {
      loadRows(bound, null, hostOrder, from, count);
    }
    forward(count);
    outputDelta(count, stepMetrics, slots);
    slots++;
    examples += count;
    if (slots == METRIC_SLOTS) {
      drainSlots();
    }
    backward(count, 0f);
    if (lambda == 0) {
      update(1f / count); // the update divides by m: no scaling launches
    } else {
      scale(count, lambda);
      update(1f);
    }
    if (streamer != null) {
      // Guess the trainer's next batch (the next rows of the order) and upload it during this step.
      int nextFrom = from + count;
      streamer.prefetch(streamed, hostOrder, nextFrom, Math.min(count, hostOrder.length - nextFrom));
    }
  }

  @Override
  public StepMetrics takeMetrics() {
    drainSlots();
    StepMetrics m = new StepMetrics(drainedCost, drainedHits, examples, firstNonFinite);
    drainedCost = 0;
    drainedHits = 0;
    examples = 0;
    drainedSteps = 0;
    firstNonFinite = -1;
    return m;
  }

  private void drainSlots() {
    if (slots == 0) {
      return;
    }
    float[] v = new float[2 * slots];
    stepMetrics.read(ctx.queue(), 0, v, 0, v.length);
    for (int i = 0; i < slots; i++) {
      if (!Float.isFinite(v[2 * i]) && firstNonFinite < 0) {
        firstNonFinite = drainedSteps + i;
      }
      drainedCost += v[2 * i];
      drainedHits += Math.round(v[2 * i + 1]);
    }
    drainedSteps += slots;
    slots = 0;
  }

  @Override
  public double boundGradient(double lambda, float[] gradOut) {
    Dataset data = bound != null ? bound.data : streamed;
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
    Dataset data = bound != null ? bound.data : streamed;
    if (data == null) {
      throw new IllegalStateException("boundSums before bindTrainingSet");
    }
    BackendChecks.parameterVector(deltaOut, paramCount);
    return sums(data, null, 0, data.size(), deltaOut);
  }

  @Override
  public StepMetrics batchSums(int from, int count, float[] deltaOut) {
    BackendChecks.rows(hostOrder, from, count);
    BackendChecks.parameterVector(deltaOut, paramCount);
    return sums(bound != null ? bound.data : streamed, hostOrder, from, count, deltaOut);
  }

  @Override
  public Evaluation evaluate(Dataset data, double lambda) {
    BackendChecks.data(s, data);
    return fullPass(data, lambda, null, false);
  }

  @Override
  public float[] predictProbabilities(float[] x, int n) {
    BackendChecks.rows(x, n, s[0]);
    ensureCapacity(Math.min(EVAL_CHUNK, Math.max(1, n)));
    int kOut = s[layers - 1];
    float[] out = new float[n * kOut];
    for (int from = 0; from < n; from += capacity) {
      int rows = Math.min(capacity, n - from);
      act[0].write(ctx.queue(), x, from * s[0], 0, rows * s[0]);
      forward(rows);
      act[layers - 1].read(ctx.queue(), 0, out, from * kOut, rows * kOut);
    }
    return out;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (bound != null) {
      bound.close();
    }
    if (evalCache != null) {
      evalCache.close();
    }
    closeStreamer();
    releaseOwned();
    releaseBatchBuffers();
    k.close();
    ctx.close();
  }

  /** Batches streamed since binding and how many were uploaded ahead; zeros when resident. */
  long[] streamingCounts() {
    return streamer == null ? new long[2] : streamer.loadsAndPrefetched();
  }

  private void closeStreamer() {
    if (streamer != null) {
      long[] c = streamer.loadsAndPrefetched();
      LOG.debug("streamed {} batches, {} of them uploaded during the previous step", c[0], c[1]);
      streamer.close();
      streamer = null;
    }
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
    ensureCapacity(Math.min(EVAL_CHUNK, data.size()));
    int m = data.size();
    StepMetrics totals = accumulate(residentFor(data), data, null, 0, m, wantGradient);
    if (wantGradient) {
      scale(m, lambda);
      if (gradOut != null) {
        grad.read(ctx.queue(), 0, gradOut, 0, paramCount);
      }
    }
    double j = totals.costSum() / m + (lambda == 0 ? 0 : lambda / (2.0 * m) * sumOfSquares());
    return new Evaluation(j, totals.accuracy(), m);
  }

  /** Sums over the bound set's rows order[from .. from+count) (from .. when order is null); Delta read back. */
  private StepMetrics sums(Dataset data, int[] order, int from, int count, float[] deltaOut) {
    ensureCapacity(Math.min(EVAL_CHUNK, count));
    StepMetrics totals = accumulate(bound, data, order, from, count, true);
    grad.read(ctx.queue(), 0, deltaOut, 0, paramCount);
    return totals;
  }

  /**
   * Cost and hit totals over rows order[from .. from+count) of {@code data} (from .. when order is
   * null), in chunks of the capacity; with {@code wantGradient}, Delta summed into the gradient
   * buffer. A resident set {@code r} gathers by its device order buffer, which holds the order of
   * the last setOrder (or the identity); otherwise rows are gathered on the host.
   */
  private StepMetrics accumulate(Resident r, Dataset data, int[] order, int from, int count, boolean wantGradient) {
    int chunks = (count + capacity - 1) / capacity;
    if (chunks > evalSlots) {
      if (evalMetrics != null) {
        evalMetrics.close();
      }
      evalMetrics = ctx.buffer("evaluation metrics", 2L * chunks * 4);
      evalSlots = chunks;
    }
    for (int c = 0; c < chunks; c++) {
      int at = from + c * capacity;
      int n = Math.min(capacity, from + count - at);
      loadRows(r, r == null ? data : null, order, at, n);
      forward(n);
      outputDelta(n, evalMetrics, c);
      if (wantGradient) {
        backward(n, c == 0 ? 0f : 1f);
      }
    }
    float[] v = new float[2 * chunks];
    evalMetrics.read(ctx.queue(), 0, v, 0, v.length);
    double cost = 0;
    long hits = 0;
    for (int c = 0; c < chunks; c++) {
      cost += v[2 * c];
      hits += Math.round(v[2 * c + 1]);
    }
    return new StepMetrics(cost, hits, count);
  }

  private Resident residentFor(Dataset data) {
    if (bound != null && bound.data == data) {
      return bound;
    }
    if (evalCache != null && evalCache.data == data) {
      return evalCache;
    }
    if (!fitsResident(data)) {
      return null;
    }
    if (evalCache != null) {
      evalCache.close();
    }
    evalCache = new Resident(data);
    return evalCache;
  }

  /**
   * Puts rows into A(1) and their labels into y: with a resident set by its order buffer (rows in
   * order when {@code order} is null, else by the uploaded epoch order); otherwise gathered on the
   * host from {@code data} and written.
   */
  private void loadRows(Resident r, Dataset data, int[] order, int from, int n) {
    if (r != null) {
      // For a whole pass (order == null) the resident order buffer of a bound set may hold an epoch's
      // permutation: every row is still visited once, which is all a sum over the data needs.
      k.gatherRows(r.x, r.order, from, n, s[0], act[0]);
      k.gatherLabels(r.labels, r.order, from, n, labelsBatch);
      return;
    }
    int f = s[0];
    float[] x = data.x();
    int[] y = data.labels();
    if (stagingX == null || stagingX.length < capacity * f) {
      stagingX = new float[capacity * f];
      stagingY = new int[capacity];
    }
    for (int i = 0; i < n; i++) {
      int row = order == null ? from + i : order[from + i];
      System.arraycopy(x, row * f, stagingX, i * f, f);
      stagingY[i] = y[row];
    }
    act[0].write(ctx.queue(), stagingX, 0, 0, n * f);
    labelsBatch.write(ctx.queue(), stagingY, 0, 0, n);
  }

  private void forward(int n) {
    for (int l = 0; l + 1 < layers; l++) {
      int in = s[l];
      int out = s[l + 1];
      boolean last = l + 1 == layers - 1;
      k.gemm(ClKernels.Layout.NT, n, out, in, act[l], 0, in, params, thetaOff[l] + 1, in + 1, act[l + 1], 0, out,
          last ? ClKernels.BIAS_SIGMOID_KEEP_Z : ClKernels.BIAS_SIGMOID, 0f, params, thetaOff[l], in + 1, zOut, 0);
    }
  }

  private void outputDelta(int n, ClBuffer metrics, int slot) {
    int kOut = s[layers - 1];
    k.outputDelta(n, kOut, act[layers - 1], zOut, labelsBatch, delta[layers - 1], rowCost, rowHit);
    k.reduceMetrics(n, rowCost, rowHit, metrics, slot);
  }

  /** Delta(l) (= when beta is 0, += when 1) for every layer, and the hidden deltas between. */
  private void backward(int n, float beta) {
    for (int l = layers - 2; l >= 0; l--) {
      int in = s[l];
      int out = s[l + 1];
      k.gemm(ClKernels.Layout.TN, out, in, n, delta[l + 1], 0, out, act[l], 0, in, grad, thetaOff[l] + 1, in + 1,
          ClKernels.STORE, beta, params, 0, 0, params, 0);
      k.columnSum(n, out, delta[l + 1], grad, thetaOff[l], in + 1, beta);
      if (l >= 1) {
        k.gemm(ClKernels.Layout.NN, n, in, out, delta[l + 1], 0, out, params, thetaOff[l] + 1, in + 1, delta[l], 0, in,
            ClKernels.TIMES_SIGMOID_GRADIENT, 0f, act[l], 0, in, params, 0);
      }
    }
  }

  /** D = Delta / m + (lambda / m) Theta off the bias column, layer by layer. */
  private void scale(int m, double lambda) {
    for (int l = 0; l + 1 < layers; l++) {
      k.scaleGradient(s[l + 1], s[l] + 1, thetaOff[l], grad, params, 1f / m, (float) (lambda / m));
    }
  }

  /** One optimiser step with the gradient gs times {@code grad}. */
  private void update(float gs) {
    step++;
    float lr = (float) optimizer.learningRate();
    switch (optimizer.kind()) {
      case SGD -> k.sgd(paramCount, params, grad, gs, lr);
      case MOMENTUM -> k.momentum(paramCount, params, grad, gs, moment1, lr, (float) optimizer.momentum());
      case ADAM -> k.adam(paramCount, params, grad, gs, moment1, moment2, (float) optimizer.beta1(),
          (float) optimizer.beta2(), (float) optimizer.epsilon(),
          (float) (optimizer.learningRate() / (1 - Math.pow(optimizer.beta1(), step))),
          (float) (1.0 / Math.sqrt(1 - Math.pow(optimizer.beta2(), step))));
      case LBFGS -> throw new IllegalStateException("L-BFGS has no device update");
    }
  }

  private double sumOfSquares() {
    for (int l = 0; l + 1 < layers; l++) {
      k.sumSquares(s[l + 1], s[l] + 1, thetaOff[l], params, regSums, l);
    }
    float[] v = new float[layers - 1];
    regSums.read(ctx.queue(), 0, v, 0, v.length);
    double sum = 0;
    for (float x : v) {
      sum += x;
    }
    return sum;
  }

  // ---- buffers ----------------------------------------------------------------------------------

  private void ensureCapacity(int rows) {
    if (rows <= capacity) {
      return;
    }
    long widest = 0;
    for (int w : s) {
      widest = Math.max(widest, w);
    }
    long max = ctx.device().maxAllocBytes();
    if (widest * rows * 4 > max) {
      throw new OpenClException("a batch of " + rows + " rows of " + widest + " floats needs " + widest * rows * 4
          + " bytes, more than the " + max + " bytes one allocation may have on " + ctx.device().name()
          + "; a batch of at most " + max / (widest * 4) + " rows fits");
    }
    // Everything the device holds for a fit: the per-row buffers (activations, deltas, output z,
    // labels, row costs and hits) and the fixed ones (parameters, gradients, moments, metrics).
    long perRow = 4L * (3 + s[layers - 1]);
    for (int l = 0; l < layers; l++) {
      perRow += 4L * s[l] * (l == 0 ? 1 : 2);
    }
    long fixed = 4L * paramCount * 4 + 2L * METRIC_SLOTS * 4;
    long budget = (long) (0.9 * ctx.device().globalMemBytes());
    if (fixed + perRow * rows > budget) {
      long fits = Math.max(0, (budget - fixed) / perRow);
      throw new OpenClException(String.format("a batch of %d rows needs %d MiB of device memory (%d bytes a row, "
          + "plus %d MiB of weights and optimiser state); %s has %d MiB; %s", rows, (fixed + perRow * rows) >> 20,
          perRow, fixed >> 20, ctx.device().name(), ctx.device().globalMemBytes() >> 20,
          fits > 0 ? "a batch of at most " + fits + " rows fits" : "the network's weights alone do not fit"));
    }
    releaseBatchBuffers();
    capacity = rows;
    act = new ClBuffer[layers];
    delta = new ClBuffer[layers];
    for (int l = 0; l < layers; l++) {
      act[l] = ctx.buffer("activations " + (l + 1), (long) rows * s[l] * 4);
      if (l >= 1) {
        delta[l] = ctx.buffer("deltas " + (l + 1), (long) rows * s[l] * 4);
      }
    }
    zOut = ctx.buffer("output z", (long) rows * s[layers - 1] * 4);
    labelsBatch = ctx.buffer("batch labels", (long) rows * 4);
    rowCost = ctx.buffer("row costs", (long) rows * 4);
    rowHit = ctx.buffer("row hits", (long) rows * 4);
  }

  private void releaseBatchBuffers() {
    if (act != null) {
      for (ClBuffer b : act) {
        b.close();
      }
      for (ClBuffer b : delta) {
        if (b != null) {
          b.close();
        }
      }
      zOut.close();
      labelsBatch.close();
      rowCost.close();
      rowHit.close();
    }
    if (evalMetrics != null && closed) {
      evalMetrics.close();
    }
  }

  private void releaseOwned() {
    for (ClBuffer b : owned) {
      b.close();
    }
    owned.clear();
  }


}
