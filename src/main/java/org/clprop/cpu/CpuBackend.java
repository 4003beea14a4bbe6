package org.clprop.cpu;

import org.clprop.backend.Backend;
import org.clprop.backend.BackendChecks;
import org.clprop.backend.Evaluation;
import org.clprop.backend.OptimizerState;
import org.clprop.backend.Regularization;
import org.clprop.backend.StepMetrics;
import org.clprop.backend.StepSums;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.model.ModelSpec.Activation;
import org.clprop.model.ModelSpec.Output;
import org.clprop.optim.Optimizer;

/**
 * The float32 CPU backend: the algorithm of docs/algorithm.md in batch form, minibatch rows as
 * matrix rows. Layers are numbered from 0 here (the document's layer 1 is layer 0): s[l] units,
 * A(l) the (n, s[l]) activations, W(l) the (s[l+1], s[l]) weights and b(l) the biases of
 * Theta(l) = [b(l), W(l)].
 *
 * <pre>
 * forward   A(l+1) = g(A(l) W(l)' + b(l))                 for l = 0 .. L-3, g the hidden activation
 *           A(L-1) = out(A(L-2) W(L-2)' + b(L-2))          out: a sigmoid per unit, or softmax by rows
 * output    d(L-1) = A(L-1) - Y;  cost += sum softplus(z) - y z   (= -y log h - (1-y) log(1-h))
 *                                 or logsumexp(z) - z_label      (= -log h_label, softmax outputs)
 * backward  Delta(l) = d(l+1)' [1, A(l)]                    for l = L-2 .. 0
 *           d(l) = (d(l+1) W(l)) .* g'(Z(l))                 for l >= 1 (never for the input)
 * update    D = Delta / n + (lambda / n) Theta off the bias column, then the optimiser
 * </pre>
 *
 * g'(Z(l)) comes from the stored A(l): A (1 - A) for the sigmoid, 1 - A^2 for tanh, [A > 0] for
 * ReLU. Each layer's function is chosen once, when the backend is built (LayerFunction).
 *
 * Each step is a list of tasks (ForwardTask, GradientTask, DeltaTask, UpdateTask) over the
 * batch's buffers (StepBuffers) and the parameters (ParameterLayout), split across a
 * {@link WorkerPool} by blocks of the output, which leaves the order of every sum unchanged:
 * results are bitwise the same for any number of threads. The optimisations are parts of their
 * own, each with a switch (CpuOptions): the parameter layout and its panel copies, zero-input
 * skipping, grouping batches by label, the work partition, the one-thread start.
 */
public final class CpuBackend implements Backend {
  /** Rows per chunk when evaluating or predicting on data of any size. */
  private static final int EVAL_CHUNK = 512;

  private final int[] s;
  private final int layers;
  private final boolean softmax;
  private final CpuKernels k;
  private final WorkerPool pool;
  private final WorkPartition partition;
  private final OneThreadStart start;
  private final ParameterLayout params;
  private final StepBuffers buf;
  private final BatchRows batch;
  private final ZeroSkipping zeros;
  private final LabelGrouping grouping;
  private final StepSums totals = new StepSums();
  private final ForwardTask forward;
  private final GradientTask gradient;
  private final InputGradientTask inputGradient;
  private final DeltaTask hidden;
  private final UpdateTask update;

  private Optimizer optimizer = Optimizer.sgd(0.1);
  private long step;
  private Dataset bound;
  private int[] order;
  /** Whether the step under way runs on one thread (see OneThreadStart). */
  private boolean soloStep;
  private boolean closed;

  /**
   * A backend for the course's network (sigmoid hidden units, a sigmoid per output) of
   * {@code layerSizes} using {@code threads} threads (the caller's included).
   */
  public CpuBackend(int[] layerSizes, int threads) {
    this(layerSizes, Activation.SIGMOID, Output.SIGMOID, threads);
  }

  /** A backend for hidden units {@code g} and outputs {@code out}, using {@code threads} threads. */
  public CpuBackend(int[] layerSizes, Activation g, Output out, int threads) {
    this(layerSizes, g, out, threads, CpuOptions.defaults());
  }

  /** With given kernels, everything else as by default. */
  CpuBackend(int[] layerSizes, int threads, CpuKernels kernels) {
    this(layerSizes, threads, CpuOptions.defaults().with(kernels));
  }

  /** The course's network with given kernels and optimisations, so that tests can run every combination. */
  CpuBackend(int[] layerSizes, int threads, CpuOptions options) {
    this(layerSizes, Activation.SIGMOID, Output.SIGMOID, threads, options);
  }

  /** Hidden units {@code g}, outputs {@code out}, given kernels and optimisations. */
  CpuBackend(int[] layerSizes, Activation g, Output out, int threads, CpuOptions options) {
    s = Network.checkSizes(layerSizes);
    layers = s.length;
    softmax = out == Output.SOFTMAX;
    LayerFunction[] f = LayerFunction.of(layers, g, out);
    k = options.kernels();
    pool = new WorkerPool(threads);
    partition = new WorkPartition(options.has(CpuOptions.Optimisation.PARTITION), threads);
    start = new OneThreadStart(options.has(CpuOptions.Optimisation.ONE_THREAD_START), threads);
    params = new ParameterLayout(s, k, options.has(CpuOptions.Optimisation.LAYOUT));
    buf = new StepBuffers(s);
    batch = new BatchRows(s[0], threads);
    zeros = new ZeroSkipping(options.has(CpuOptions.Optimisation.SKIP_ZEROS), s[0]);
    grouping = new LabelGrouping(options.has(CpuOptions.Optimisation.GROUP_BATCHES), s[0], s[1]);
    forward = new ForwardTask(s, buf, params, batch, zeros, k, threads, f, softmax);
    gradient = new GradientTask(s, buf, params, k, threads);
    update = new UpdateTask(s, params, k);
    inputGradient = params.inputHeld() ? new InputGradientTask(s, buf, params, zeros, update, k, threads) : null;
    hidden = new DeltaTask(s, buf, params, k, threads, f);
  }

  @Override
  public String description() {
    return "cpu (" + pool.threads() + " threads, " + (k instanceof ScalarKernels ? "plain Java" : "SIMD") + ")";
  }

  @Override
  public int[] layerSizes() {
    return s.clone();
  }

  @Override
  public void setParameters(float[] flat) {
    if (flat.length != params.theta.length) {
      throw new IllegalArgumentException("parameters: " + flat.length + " values, expected " + params.theta.length);
    }
    params.set(flat);
  }

  @Override
  public float[] parameters() {
    return params.toTheta(params.theta);
  }

  @Override
  public void setOptimizer(Optimizer opt) {
    optimizer = opt;
    step = 0;
    int n = params.theta.length;
    params.m = opt.kind() == Optimizer.Kind.MOMENTUM || opt.kind() == Optimizer.Kind.ADAM ? new float[n] : null;
    params.v = opt.kind() == Optimizer.Kind.ADAM ? new float[n] : null;
  }

  @Override
  public OptimizerState optimizerState() {
    return new OptimizerState(step, params.m == null ? null : params.toTheta(params.m),
        params.v == null ? null : params.toTheta(params.v));
  }

  @Override
  public void setOptimizerState(OptimizerState st) {
    step = st.step();
    copyState(st.first(), params.m, "first");
    copyState(st.second(), params.v, "second");
  }

  private void copyState(float[] from, float[] to, String which) {
    if ((from == null) != (to == null) || (from != null && from.length != to.length)) {
      throw new IllegalArgumentException("optimizer state: the " + which + " vector does not fit this optimiser");
    }
    if (from != null) {
      params.fromTheta(from, to);
    }
  }

  @Override
  public void bindTrainingSet(Dataset data, int maxBatch) {
    BackendChecks.data(s, data);
    bound = data;
    order = null;
    double zeroShare = ZeroSkipping.zeroBlocks(data, s[0]);
    grouping.bind(data, zeroShare);
    zeros.bind(zeroShare, params.inputHeld(), grouping.active());
    ensureCapacity(maxBatch);
  }

  @Override
  public void setOrder(int[] newOrder) {
    BackendChecks.order(bound, newOrder);
    order = newOrder;
  }

  @Override
  public void trainStep(int from, int count, double lambda) {
    BackendChecks.batch(order, from, count, capacity());
    soloStep = start.active();
    try {
      if (grouping.active()) {
        batch.select(bound, grouping.group(bound, order, from, count), 0);
      } else {
        batch.select(bound, order, from);
      }
      forwardPass(count, true);
      totals.stepDone(outputDelta(count));
      step++;
      update.prepare(optimizer, step, count, lambda);
      backwardPass(count, true, params.inputHeld());
      // Theta -= the optimiser's step, layer by layer (the held input layer's was taken in its
      // gradient product).
      if (params.updatedParameters() > 0) {
        run(update, (long) params.updatedParameters() * 8);
      }
      start.stepDone();
    } finally {
      soloStep = false;
    }
  }

  @Override
  public StepMetrics takeMetrics() {
    return totals.take();
  }

  @Override
  public double boundGradient(double lambda, float[] gradOut) {
    if (bound == null) {
      throw new IllegalStateException("boundGradient before bindTrainingSet");
    }
    return fullGradient(bound, lambda, gradOut);
  }

  @Override
  public double costAndGradient(Dataset data, double lambda, float[] gradOut) {
    BackendChecks.data(s, data);
    return fullGradient(data, lambda, gradOut);
  }

  @Override
  public StepMetrics boundSums(float[] deltaOut) {
    if (bound == null) {
      throw new IllegalStateException("boundSums before bindTrainingSet");
    }
    BackendChecks.parameterVector(deltaOut, params.theta.length);
    StepMetrics m = accumulate(bound, null, 0, bound.size(), true);
    params.writeGradient(deltaOut, 1f, 0f);
    return m;
  }

  @Override
  public StepMetrics batchSums(int from, int count, float[] deltaOut) {
    BackendChecks.rows(order, from, count);
    BackendChecks.parameterVector(deltaOut, params.theta.length);
    StepMetrics m = accumulate(bound, order, from, count, true);
    params.writeGradient(deltaOut, 1f, 0f);
    return m;
  }

  @Override
  public Evaluation evaluate(Dataset data, double lambda) {
    BackendChecks.data(s, data);
    StepMetrics m = accumulate(data, null, 0, data.size(), false);
    double cost = m.meanCost() + regularization(lambda, data.size());
    return new Evaluation(cost, m.accuracy(), data.size());
  }

  @Override
  public float[] predictProbabilities(float[] x, int n) {
    BackendChecks.rows(x, n, s[0]);
    ensureCapacity(Math.min(EVAL_CHUNK, Math.max(1, n)));
    int outputs = s[layers - 1];
    float[] out = new float[BackendChecks.outputLength(n, outputs)];
    for (int from = 0; from < n; from += capacity()) {
      int rows = Math.min(capacity(), n - from);
      System.arraycopy(x, from * s[0], buf.act[0], 0, rows * s[0]);
      forwardPass(rows, false);
      System.arraycopy(buf.act[layers - 1], 0, out, from * outputs, rows * outputs);
    }
    return out;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      pool.close();
    }
  }

  // ---- the passes ------------------------------------------------------------------------------

  /**
   * The forward pass over n rows: with {@code gathered}, A(0) is first gathered from the batch's
   * rows (BatchRows), else it holds them already.
   */
  private void forwardPass(int n, boolean gathered) {
    zeros.startForward(gathered);
    // Split by rows, each part gathers its own rows of A(0), and the output layer's part computes
    // d(L-1) for its rows; else that is done here.
    boolean gatherInTask = gathered && WorkPartition.byRows(n, s[1]);
    if (gathered && !gatherInTask) {
      batch.gather(0, 0, n, buf.act[0], k, zeros);
    }
    boolean deltaInTask = gathered && WorkPartition.byRows(n, s[layers - 1]);
    for (int l = 0; l + 1 < layers; l++) {
      // A(l+1) = g(A(l) W(l)' + b(l)):  A(l) (n, s[l]), W(l) (s[l+1], s[l]), A(l+1) (n, s[l+1])
      forward.prepare(l, n, gatherInTask && l == 0, deltaInTask);
      run(forward, (long) n * s[l] * s[l + 1]);
    }
    boolean rowsDone = gathered && deltaInTask;
    if (softmax && !rowsDone) {
      OutputDelta.softmax(buf.act[layers - 1], s[layers - 1], 0, n);
    }
    if (gathered && !deltaInTask) {
      OutputDelta.rows(buf, batch, s[layers - 1], 0, n, softmax);
    }
  }

  /**
   * The gathered batch's d(L-1), computed by forwardPass: its cross-entropy and count of correct
   * argmax predictions, summed in row order (the same for any number of threads), go to the
   * totals; returns the batch's cost.
   */
  private double outputDelta(int n) {
    double cost = 0;
    long hits = 0;
    for (int i = 0; i < n; i++) {
      cost += buf.rowCost[i];
      hits += buf.rowHit[i];
    }
    totals.add(cost, hits, n);
    return cost;
  }

  /**
   * Delta for every layer, overwriting the gradient buffer or adding to it, and the hidden deltas.
   * With {@code updateInput}, the held input layer's parameters get the prepared update as its
   * gradient product finishes their rows.
   */
  private void backwardPass(int n, boolean overwrite, boolean updateInput) {
    for (int l = layers - 2; l >= 0; l--) {
      // Delta(l) = d(l+1)' [1, A(l)]:  d(l+1) (n, s[l+1]), A(l) (n, s[l]), Delta(l) (s[l+1], s[l] + 1)
      if (l == 0 && params.inputHeld()) {
        inputGradient.prepare(n, overwrite, updateInput);
        run(inputGradient, (long) n * s[0] * s[1]);
      } else {
        gradient.prepare(l, n, overwrite);
        run(gradient, (long) n * s[l] * s[l + 1]);
      }
      if (l >= 1) {
        // d(l) = (d(l+1) W(l)) .* g'(Z(l)):  W(l) (s[l+1], s[l]), d(l) (n, s[l])
        hidden.prepare(l, n);
        run(hidden, (long) n * s[l] * s[l + 1]);
      }
    }
  }

  /**
   * The totals over the rows idx[from .. from+count) of {@code data} (rows from .. when idx is
   * null), in chunks, and with {@code wantGradient} Delta summed over them into the gradient
   * buffer. The training totals are set aside meanwhile.
   */
  private StepMetrics accumulate(Dataset data, int[] idx, int from, int count, boolean wantGradient) {
    ensureCapacity(Math.min(EVAL_CHUNK, count));
    return totals.apart(() -> {
      for (int done = 0; done < count; done += capacity()) {
        int n = Math.min(capacity(), count - done);
        batch.select(data, idx, from + done);
        forwardPass(n, true);
        outputDelta(n);
        if (wantGradient) {
          backwardPass(n, done == 0, false);
        }
      }
    });
  }

  private double fullGradient(Dataset data, double lambda, float[] gradOut) {
    if (gradOut != null && gradOut.length != params.theta.length) {
      throw new IllegalArgumentException("gradOut: " + gradOut.length + " values, expected " + params.theta.length);
    }
    StepMetrics m = accumulate(data, null, 0, data.size(), gradOut != null);
    int total = data.size();
    if (gradOut != null) {
      // D = Delta / m + (lambda / m) Theta, the bias column unregularised.
      params.writeGradient(gradOut, 1f / total, (float) (lambda / total));
    }
    return m.meanCost() + regularization(lambda, total);
  }

  /** The L2 term of J, summed over the parameters in Backend's layout and order. */
  private double regularization(double lambda, long m) {
    return lambda == 0 ? 0 : Regularization.term(s, parameters(), lambda, m);
  }

  /** Runs {@code task} as as many parts as its work is worth (one during the one-thread start). */
  private void run(WorkerPool.Task task, long multiplyAdds) {
    pool.run(task, soloStep ? 1 : partition.parts(multiplyAdds));
  }

  private int capacity() {
    return buf.capacity();
  }

  private void ensureCapacity(int rows) {
    if (buf.ensure(rows)) {
      zeros.ensure(rows);
      grouping.ensure(rows);
    }
  }
}
