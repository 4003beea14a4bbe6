package org.clprop.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.clprop.backend.Backend;
import org.clprop.backend.BackendChecks;
import org.clprop.backend.Evaluation;
import org.clprop.backend.OptimizerState;
import org.clprop.backend.Regularization;
import org.clprop.backend.StepMetrics;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.optim.Optimizer;

/**
 * The float32 CPU backend: the algorithm in batch form, with minibatch rows as matrix rows.
 *
 * <pre>
 * forward   A(l+1) = g(A(l) W(l)' + b(l))            A(l) is (n, s_l), W(l) is (s_{l+1}, s_l)
 * output    dL = A(L) - Y;  cost += sum softplus(z) - y z   (= -y log h - (1-y) log(1-h))
 * gradient  Delta(l)[:, 1:] = d(l+1)' A(l);  Delta(l)[:, 0] = column sums of d(l+1)
 * hidden    d(l) = (d(l+1) W(l)) .* A(l) .* (1 - A(l))  for l = L-1 .. 2 (never for the input)
 * update    D = Delta / n + (lambda / n) Theta off the bias column, then the optimiser
 * </pre>
 *
 * Weights are kept in the Theta layout (bias as column 0) plus a transposed copy W' without the
 * bias, refreshed by the update, so that every product's inner loop runs over contiguous memory.
 * The input layer, which needs no delta product, is held as b then W' alone: its forward product
 * reads W', its gradient product computes Delta(1)' = A(1)' d(2) (the same sums, bitwise) and no
 * copy is refreshed. Parameters and optimiser state go in and out in the Theta layout. In a
 * training step its update runs inside that product, on each block of rows as it is finished
 * (nothing reads the layer later in the step), so the update's memory traffic overlaps arithmetic.
 * On images that product also skips, per block of 8 pixels, the examples in which the block is
 * black, and the layer's forward product (512 units or more) the pixels black in all 8 examples of a
 * strip, with training batches grouped by label so that strips share their black margins (marked
 * as the batch is gathered; see CpuKernels.ZeroBlocks): the same sums, fewer terms.
 * All buffers are allocated when a batch size is first seen; a training step allocates nothing.
 * The products are split across a {@link WorkerPool} by blocks of the output, which leaves the
 * order of every sum unchanged: results are bitwise the same for any number of threads.
 */
public final class CpuBackend implements Backend {
  /**
   * The least work, in multiply-adds, worth a part of its own: an operation runs as at most
   * work / this parts. Below it, handing a part to a worker costs more than the part saves; on a
   * 16-core machine, 16 parts of digits' 65,536-multiply-add product made whole epochs 15 times slower.
   */
  private static final long PART_WORK = 1 << 16;
  /** Outputs at least this wide use the row-vectorised product, narrower ones dot products. */
  private static final int WIDE = 16;
  /** Row blocks given to threads start at multiples of this (the SIMD product's rows per tile). */
  private static final int ROW_ALIGN = 8;
  /** Column blocks given to threads start at multiples of this (two 512-bit vectors of floats). */
  private static final int ALIGN = 32;
  /**
   * Training steps run on one thread first when the pool takes every processor, leaving one to
   * HotSpot's C2 while it compiles the kernels (the Vector API code is a hundred times slower until
   * then), until {@link JitWatch} sees the compilations end, and for at most this many steps:
   * whole 5-epoch runs on 2 cores took 7% less time (docs/performance.md). Results do not depend on
   * the thread count.
   */
  private static final int MAX_SOLO_STEPS = 100;
  /**
   * Below this share of zero blocks in the training data (see zeroBlocks) the input layer's
   * gradient product does not skip any: marking them costs a pass over each gathered row.
   */
  private static final double MIN_ZERO_BLOCKS = 0.05;
  /**
   * The input layer's forward product skips pixels black in a whole strip of 8 examples only when it
   * has at least this many units: finding and packing the live pixels costs the same per strip at any
   * width, and below it cost more than they saved (tools/bench-zeros, skipping against dense: 0.88 on
   * 784-512-256-10 against 0.96 with the gradient's skipping alone; 0.99 on 784-256-128-10 against
   * 0.94 without the forward's, 1.10 on 784-128-10 against 0.97 - 0.99; docs/performance.md).
   */
  private static final int MIN_SKIPPING_WIDTH = 512;
  /** Eight pixel bytes at once, for finding blocks of zeros. */
  private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  /** Rows per chunk when evaluating or predicting on data of any size. */
  private static final int EVAL_CHUNK = 512;

  private final int[] s;
  private final int layers;
  private final int[] thetaOff;
  /** Whether Theta(1) is held as b then W' (see the class comment); not for narrow first layers. */
  private final boolean inputHeldTransposed;
  /** Rows, and parameters, of the Theta matrices the update task covers (all but a held input layer's). */
  private final int updateRows;
  private final int updateParams;
  private final float[] theta;
  private final float[] grad;
  private final float[][] wt;
  /**
   * The held input layer's W' again, in the panels the forward product reads (CpuKernels.gemmPanels),
   * kept current by the update: packing it afresh took each thread 225 us of a 784-512-256-10 step.
   */
  private final float[] inputPanels;
  /** W of hidden layer l (l >= 1, at least WIDE inputs) in the panels its delta product reads, else null. */
  private final float[][] weightPanels;
  private final WorkerPool pool;
  private final CpuKernels k;
  /**
   * For one-off layout copies (setting and reading parameters): until C2 has compiled the SIMD
   * transpose it runs interpreted, a hundred times slower, which cost a cold start 80 - 140 ms.
   */
  private final CpuKernels plain = new ScalarKernels();
  /** Watches the JIT during the one-thread start; null when a processor is spare. */
  private final JitWatch jit;
  /** Whether training steps still run on one thread (see MAX_SOLO_STEPS). */
  private boolean soloStart;
  private int soloSteps;
  /** Whether the step under way runs on one thread (evaluations and predictions never do). */
  private boolean soloStep;

  private Optimizer optimizer = Optimizer.sgd(0.1);
  private float[] state1;
  private float[] state2;
  private long step;

  private int capacity;
  private float[][] act;
  private float[][] delta;
  private float[] zOut;
  /** Per-row cost and hit of the last output delta, and whether the forward tasks computed them. */
  private double[] rowCost;
  private int[] rowHit;
  private boolean deltaDone;

  private Dataset bound;
  /** Whether the input layer's gradient product skips the blocks of inputs that are zero (see zeroBlocks). */
  private boolean sparseInput;
  /**
   * Whether training batches are gathered grouped by label (see groupByLabel): where the forward
   * product skips black pixels, and there whether or not they are skipped, so that skipping never
   * changes a result.
   */
  private boolean groupLabels;
  /** For the batch gathered: which blocks of 8 inputs of each row are not all zero (when sparseInput). */
  private CpuKernels.ZeroBlocks zeroFlags;
  /** For the batch gathered: at which inputs each strip of 8 rows is not all zero (when stripsMarked). */
  private CpuKernels.ZeroBlocks stripFlags;
  /** Whether stripFlags describe A(0) of the forward pass under way. */
  private boolean stripsMarked;
  /** The batch's rows of the bound data, grouped by label (see groupByLabel), and a buffer for that. */
  private int[] batchRows;
  private int[] batchTmp;
  /** Per row of the bound data: how many of its blocks of 8 inputs are not all zero; -1 until needed. */
  private int[] liveBlocks;
  private int[] groupCounts;
  /** Off only for measurements of what skipping gains (see StepComparison). */
  private boolean skipZeros = true;
  /** The rows the next forward pass gathers into A(0) (see selectRows). */
  private Dataset gatherData;
  private int[] gatherIdx;
  private int gatherFrom;
  private int[] order;
  private double costSum;
  private long correct;
  private long examples;
  private int steps;
  private int firstNonFinite = -1;
  private boolean closed;

  private final ForwardTask forward;
  private final GradientTask gradient;
  /** Column sums of a delta (the gradient's bias column), one slot per unit of the widest layer. */
  private final float[] colSum;
  private final DeltaTask hidden = new DeltaTask();
  private final UpdateTask update = new UpdateTask();

  /** A backend for {@code layerSizes} using {@code threads} threads (the caller's included). */
  public CpuBackend(int[] layerSizes, int threads) {
    this(layerSizes, threads, CpuKernels.best());
  }

  /** With given kernels, so that tests can run the plain-Java fallback too. */
  CpuBackend(int[] layerSizes, int threads, CpuKernels kernels) {
    k = kernels;
    s = Network.checkSizes(layerSizes);
    layers = s.length;
    thetaOff = new int[layers];
    for (int l = 0; l + 1 < layers; l++) {
      thetaOff[l + 1] = thetaOff[l] + s[l + 1] * (s[l] + 1);
    }
    inputHeldTransposed = s[1] >= WIDE;
    updateRows = Network.parameterRows(s) - (inputHeldTransposed ? s[1] : 0);
    updateParams = Network.parameterCount(s) - (inputHeldTransposed ? thetaOff[1] : 0);
    theta = new float[Network.parameterCount(s)];
    grad = new float[theta.length];
    int w = k.panelWidth();
    wt = new float[layers - 1][];
    for (int l = inputHeldTransposed ? 1 : 0; l + 1 < layers; l++) {
      // Read by the forward product when it is wide, by the hidden delta's dot products when that is narrow.
      boolean read = s[l + 1] >= WIDE || l >= 1 && s[l] < WIDE;
      wt[l] = !read ? null : new float[inPanels(l) ? CpuKernels.panelsLength(s[l + 1], s[l], w) : s[l] * s[l + 1]];
    }
    inputPanels = inputHeldTransposed ? new float[CpuKernels.panelsLength(s[1], s[0], w)] : null;
    weightPanels = new float[layers - 1][];
    for (int l = 1; l + 1 < layers; l++) {
      weightPanels[l] = s[l] >= WIDE ? new float[CpuKernels.panelsLength(s[l], s[l + 1], w)] : null;
    }
    colSum = new float[Arrays.stream(s).max().getAsInt()];
    pool = new WorkerPool(threads);
    forward = new ForwardTask();
    gradient = new GradientTask();
    soloStart = threads > 1 && threads >= Runtime.getRuntime().availableProcessors();
    jit = soloStart ? JitWatch.ofThisJvm() : null;
  }

  /** Splits work from the first step on, skipping the one-thread start (for tests of the split). */
  void parallelFromTheStart() {
    soloStart = false;
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
    if (flat.length != theta.length) {
      throw new IllegalArgumentException("parameters: " + flat.length + " values, expected " + theta.length);
    }
    fromThetaLayout(flat, theta);
    for (int l = inputHeldTransposed ? 1 : 0; l + 1 < layers; l++) {
      refreshTranspose(plain, l, 0, s[l + 1]);
    }
    if (inputHeldTransposed) {
      CpuKernels.toPanels(theta, s[1], s[1], s[0], k.panelWidth(), 0, s[0], 0, s[1], inputPanels);
    }
    for (int l = 1; l + 1 < layers; l++) {
      refreshWeightPanels(l, 0, s[l + 1]);
    }
  }

  @Override
  public float[] parameters() {
    return toThetaLayout(theta);
  }

  /** Flat values in Backend's layout (Theta row-major per layer) into the layout held here. */
  private void fromThetaLayout(float[] flat, float[] held) {
    System.arraycopy(flat, 0, held, 0, flat.length);
    if (inputHeldTransposed) {
      int cols = s[0] + 1;
      for (int j = 0; j < s[1]; j++) {
        held[j] = flat[j * cols];
      }
      plain.transpose(flat, 1, cols, held, s[1], s[1], s[1], s[0]);
    }
  }

  /** The inverse of fromThetaLayout, into a new array. */
  private float[] toThetaLayout(float[] held) {
    float[] flat = held.clone();
    if (inputHeldTransposed) {
      int cols = s[0] + 1;
      for (int j = 0; j < s[1]; j++) {
        flat[j * cols] = held[j];
      }
      plain.transpose(held, s[1], s[1], flat, 1, cols, s[0], s[1]);
    }
    return flat;
  }

  @Override
  public void setOptimizer(Optimizer opt) {
    optimizer = opt;
    step = 0;
    state1 = opt.kind() == Optimizer.Kind.MOMENTUM || opt.kind() == Optimizer.Kind.ADAM
        ? new float[theta.length] : null;
    state2 = opt.kind() == Optimizer.Kind.ADAM ? new float[theta.length] : null;
  }

  @Override
  public OptimizerState optimizerState() {
    return new OptimizerState(step, state1 == null ? null : toThetaLayout(state1),
        state2 == null ? null : toThetaLayout(state2));
  }

  @Override
  public void setOptimizerState(OptimizerState st) {
    step = st.step();
    copyState(st.first(), state1, "first");
    copyState(st.second(), state2, "second");
  }

  private void copyState(float[] from, float[] to, String which) {
    if ((from == null) != (to == null) || (from != null && from.length != to.length)) {
      throw new IllegalArgumentException("optimizer state: the " + which + " vector does not fit this optimiser");
    }
    if (from != null) {
      fromThetaLayout(from, to);
    }
  }

  @Override
  public void bindTrainingSet(Dataset data, int maxBatch) {
    BackendChecks.data(s, data);
    bound = data;
    order = null;
    boolean imageLike = inputHeldTransposed && zeroBlocks(data, s[0]) >= MIN_ZERO_BLOCKS;
    sparseInput = skipZeros && imageLike;
    groupLabels = imageLike && s[1] >= MIN_SKIPPING_WIDTH;
    if (groupLabels) {
      liveBlocks = new int[data.size()];
      Arrays.fill(liveBlocks, -1);
      groupCounts = new int[Math.max(data.classes(), CpuKernels.ZeroBlocks.perRow(s[0]) + 1) + 1];
    } else {
      liveBlocks = null;
    }
    ensureCapacity(maxBatch);
  }

  /** Trains without skipping zero inputs, for comparisons. */
  void skipZeroInputs(boolean on) {
    skipZeros = on;
  }

  /**
   * The share of (example, block of 8 consecutive features) pairs that are zero throughout, over the
   * first rows of the data: the share of multiply-adds the input layer's gradient product can skip.
   * Fashion-MNIST: 0.28; random data: none.
   */
  static double zeroBlocks(Dataset data, int features) {
    int rows = Math.min(data.size(), 1024);
    int groups = CpuKernels.ZeroBlocks.perRow(features);
    if (rows == 0) {
      return 0;
    }
    byte[] flags = new byte[groups];
    long zero = 0;
    for (int r = 0; r < rows; r++) {
      markBlocks(data, r, features, flags, 0);
      for (byte f : flags) {
        zero += 1 - f;
      }
    }
    return (double) zero / ((long) rows * groups);
  }

  /**
   * flags[at + g] = 1 when some of features [8g, 8g + 8) of row r of data is not zero, else 0.
   * Pixel bytes are read eight at a time as a long.
   */
  static void markBlocks(Dataset data, int r, int features, byte[] flags, int at) {
    int block = CpuKernels.ZeroBlocks.ROWS;
    byte[] px = data.pixels();
    int base = r * features;
    int g = 0;
    if (px != null) {
      for (; (g + 1) * block <= features; g++) {
        flags[at + g] = (long) EIGHT_BYTES.get(px, base + g * block) != 0 ? (byte) 1 : 0;
      }
      for (; g * block < features; g++) {
        int any = 0;
        for (int f = g * block; f < Math.min(features, (g + 1) * block); f++) {
          any |= px[base + f];
        }
        flags[at + g] = any != 0 ? (byte) 1 : 0;
      }
      return;
    }
    float[] x = data.x();
    for (; g * block < features; g++) { // -0 is zero too
      flags[at + g] = ScalarKernels.live(x, base + g * block, 1, Math.min(block, features - g * block));
    }
  }

  @Override
  public void setOrder(int[] newOrder) {
    BackendChecks.order(bound, newOrder);
    order = newOrder;
  }

  @Override
  public void trainStep(int from, int count, double lambda) {
    BackendChecks.batch(order, from, count, capacity);
    soloStep = soloStart;
    try {
      if (groupLabels) {
        countLiveBlocks(from, count);
        groupByLabel(order, from, count, bound.labels(), liveBlocks, groupCounts, batchTmp, batchRows);
        selectRows(bound, batchRows, 0);
      } else {
        selectRows(bound, order, from);
      }
      forwardPass(count, true);
      if (!Double.isFinite(outputDelta(count)) && firstNonFinite < 0) {
        firstNonFinite = steps;
      }
      steps++;
      step++;
      update.prepare(count, lambda);
      backwardPass(count, true, inputHeldTransposed);
      if (updateParams > 0) {
        pool.run(update, threadsFor((long) updateParams * 8));
      }
      if (soloStart && (++soloSteps >= MAX_SOLO_STEPS || jit.quietAfterStep())) {
        soloStart = false;
      }
    } finally {
      soloStep = false;
    }
  }

  @Override
  public StepMetrics takeMetrics() {
    StepMetrics m = new StepMetrics(costSum, correct, examples, firstNonFinite);
    costSum = 0;
    correct = 0;
    examples = 0;
    steps = 0;
    firstNonFinite = -1;
    return m;
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
    BackendChecks.parameterVector(deltaOut, theta.length);
    StepMetrics m = accumulate(bound, null, 0, bound.size(), true);
    writeGradient(deltaOut, 1f, 0f);
    return m;
  }

  @Override
  public StepMetrics batchSums(int from, int count, float[] deltaOut) {
    BackendChecks.rows(order, from, count);
    BackendChecks.parameterVector(deltaOut, theta.length);
    StepMetrics m = accumulate(bound, order, from, count, true);
    writeGradient(deltaOut, 1f, 0f);
    return m;
  }

  @Override
  public Evaluation evaluate(Dataset data, double lambda) {
    BackendChecks.data(s, data);
    ensureCapacity(Math.min(EVAL_CHUNK, data.size()));
    int savedSteps = steps;
    StepMetrics saved = takeMetrics();
    for (int from = 0; from < data.size(); from += capacity) {
      int n = Math.min(capacity, data.size() - from);
      selectRows(data, null, from);
      forwardPass(n, true);
      outputDelta(n);
    }
    StepMetrics m = takeMetrics();
    restoreMetrics(saved, savedSteps);
    double cost = m.meanCost() + regularization(lambda, data.size());
    return new Evaluation(cost, m.accuracy(), data.size());
  }

  @Override
  public float[] predictProbabilities(float[] x, int n) {
    BackendChecks.rows(x, n, s[0]);
    ensureCapacity(Math.min(EVAL_CHUNK, Math.max(1, n)));
    int k = s[layers - 1];
    float[] out = new float[n * k];
    for (int from = 0; from < n; from += capacity) {
      int rows = Math.min(capacity, n - from);
      System.arraycopy(x, from * s[0], act[0], 0, rows * s[0]);
      forwardPass(rows, false);
      System.arraycopy(act[layers - 1], 0, out, from * k, rows * k);
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

  // ---- the passes ---------------------------------------------------------------------------

  private double fullGradient(Dataset data, double lambda, float[] gradOut) {
    if (gradOut != null && gradOut.length != theta.length) {
      throw new IllegalArgumentException("gradOut: " + gradOut.length + " values, expected " + theta.length);
    }
    StepMetrics m = accumulate(data, null, 0, data.size(), gradOut != null);
    int total = data.size();
    if (gradOut != null) {
      // D = Delta / m + (lambda / m) Theta, the bias column unregularised.
      writeGradient(gradOut, 1f / total, (float) (lambda / total));
    }
    return m.meanCost() + regularization(lambda, total);
  }

  /**
   * The cost and hit totals over the rows idx[from .. from+count) of {@code data} (rows from .. when
   * idx is null), in chunks, and with {@code wantGradient} Delta summed over them into the gradient
   * buffer. The training totals are set aside meanwhile.
   */
  private StepMetrics accumulate(Dataset data, int[] idx, int from, int count, boolean wantGradient) {
    ensureCapacity(Math.min(EVAL_CHUNK, count));
    int savedSteps = steps;
    StepMetrics saved = takeMetrics();
    for (int done = 0; done < count; done += capacity) {
      int n = Math.min(capacity, count - done);
      selectRows(data, idx, from + done);
      forwardPass(n, true);
      outputDelta(n);
      if (wantGradient) {
        backwardPass(n, done == 0, false);
      }
    }
    StepMetrics m = takeMetrics();
    restoreMetrics(saved, savedSteps);
    return m;
  }

  /** out = Delta * inv + reg * Theta off the bias column, in the Theta layout (inv 1, reg 0: Delta itself). */
  private void writeGradient(float[] out, float inv, float reg) {
    for (int l = 0; l + 1 < layers; l++) {
      boolean held = l == 0 && inputHeldTransposed;
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

  /**
   * The rows order[from .. from+count) into out[0 .. count), grouped by label and, within a label, by
   * {@code density} (per row of the data), ties in their order: two stable counting sorts, by density
   * into tmp, then by label ({@code at} has a slot per class and per density value, and one more).
   * Examples of one class share their black margins, and of those, examples with as many live blocks
   * share them most: a strip of 8 rows then has a pixel black in all 8 far more often (Fashion-MNIST
   * at batch 256: 30% of (strip, pixel) pairs, 25% by label alone, 13% in shuffled order), which the
   * input layer's forward product skips. A batch is a set: its rows' order changes only the order of
   * the sums over examples.
   */
  static void groupByLabel(int[] order, int from, int count, int[] labels, int[] density, int[] at, int[] tmp,
      int[] out) {
    Arrays.fill(at, 0);
    for (int i = from; i < from + count; i++) {
      at[density[order[i]] + 1]++;
    }
    for (int c = 1; c < at.length; c++) {
      at[c] += at[c - 1];
    }
    for (int i = from; i < from + count; i++) {
      int r = order[i];
      tmp[at[density[r]]++] = r;
    }
    Arrays.fill(at, 0);
    for (int i = 0; i < count; i++) {
      at[labels[tmp[i]] + 1]++;
    }
    for (int c = 1; c < at.length; c++) {
      at[c] += at[c - 1];
    }
    for (int i = 0; i < count; i++) {
      int r = tmp[i];
      out[at[labels[r]]++] = r;
    }
  }

  /** liveBlocks for the rows order[from .. from+count), counted the first time a row is in a batch. */
  private void countLiveBlocks(int from, int count) {
    byte[] flags = zeroFlags.flags(); // free until the batch is gathered
    int groups = CpuKernels.ZeroBlocks.perRow(s[0]);
    for (int i = from; i < from + count; i++) {
      int r = order[i];
      if (liveBlocks[r] < 0) {
        markBlocks(bound, r, s[0], flags, 0);
        int live = 0;
        for (int g = 0; g < groups; g++) {
          live += flags[g];
        }
        liveBlocks[r] = live;
      }
    }
  }

  /**
   * Names the rows of {@code data} that form the next batch: {@code idx[from ..]} or, when idx is
   * null, rows {@code from ..}. The first forward task copies them into A(0), each thread its own
   * rows: the copy gathers scattered rows from memory, and two threads wait on it half as long.
   */
  private void selectRows(Dataset data, int[] idx, int from) {
    gatherData = data;
    gatherIdx = idx;
    gatherFrom = from;
  }

  /** Copies batch rows [i0, i1) into A(0). */
  private void gatherInto(int i0, int i1) {
    int w = s[0];
    float[] in = act[0];
    byte[] px = gatherData.pixels();
    float[] x = px == null ? gatherData.x() : null;
    for (int i = i0; i < i1; i++) {
      int r = gatherIdx == null ? gatherFrom + i : gatherIdx[gatherFrom + i];
      if (px != null) {
        k.pixels(px, r * w, in, i * w, w); // image data: bytes widened as they are gathered
      } else {
        System.arraycopy(x, r * w, in, i * w, w);
      }
      if (sparseInput) {
        markBlocks(gatherData, r, w, zeroFlags.flags(), i * zeroFlags.stride());
      }
    }
    if (stripsMarked) {
      int block = CpuKernels.ZeroBlocks.ROWS;
      for (int i = i0; i < i1; i += block) { // i0 is a multiple of the block (ROW_ALIGN)
        k.markLive(in, i * w, w, Math.min(block, i1 - i), stripFlags.flags(), i / block, stripFlags.stride());
      }
    }
  }

  /** The forward pass over n rows: gathered first (see selectRows) with {@code gather}, else already in A(0). */
  private void forwardPass(int n, boolean gather) {
    stripsMarked = gather && skipZeros && groupLabels; // groupLabels: image-like and wide enough
    boolean inTask = gather && splitsRows(n, s[1]);
    if (gather && !inTask) {
      gatherInto(0, n);
    }
    // The output layer's task also computes d(L) for its rows when it splits by rows (see outputDelta).
    deltaDone = gather && splitsRows(n, s[layers - 1]);
    for (int l = 0; l + 1 < layers; l++) {
      forward.prepare(l, n, inTask && l == 0);
      pool.run(forward, threadsFor((long) n * s[l] * s[l + 1]));
    }
  }

  /**
   * d(L) = A(L) - Y for the gathered batch, adding its cross-entropy and its count of correct argmax
   * predictions to the metrics; returns the batch's cost. The rows' costs are summed in row order,
   * whichever threads computed them, so the figure is the same for any number of threads.
   */
  private double outputDelta(int n) {
    if (!deltaDone) {
      rowDeltas(0, n);
    }
    deltaDone = false;
    double cost = 0;
    long hits = 0;
    for (int i = 0; i < n; i++) {
      cost += rowCost[i];
      hits += rowHit[i];
    }
    costSum += cost;
    correct += hits;
    examples += n;
    return cost;
  }

  /** d(L) rows [i0, i1) of the gathered batch, with each row's cost and hit (argmax == label). */
  private void rowDeltas(int i0, int i1) {
    int k = s[layers - 1];
    float[] a = act[layers - 1];
    float[] d = delta[layers - 1];
    int[] labels = gatherData.labels();
    for (int i = i0; i < i1; i++) {
      int y = labels[gatherIdx == null ? gatherFrom + i : gatherIdx[gatherFrom + i]];
      int row = i * k;
      int best = 0;
      double cost = 0;
      for (int j = 0; j < k; j++) {
        float z = zOut[row + j];
        float h = a[row + j];
        // -y log g(z) - (1-y) log(1 - g(z)) = softplus(z) - y z, stable for any z.
        double sp = Math.max(z, 0f) + Math.log1p(Math.exp(-Math.abs(z)));
        cost += j == y ? sp - z : sp;
        d[row + j] = j == y ? h - 1f : h;
        if (h > a[row + best]) {
          best = j;
        }
      }
      rowCost[i] = cost;
      rowHit[i] = best == y ? 1 : 0;
    }
  }

  /**
   * Delta for every layer, overwriting the gradient buffer or adding to it, then the hidden deltas.
   * With {@code updateInput}, the held input layer's parameters get the prepared update as the
   * gradient product finishes their rows (nothing reads them later in the step).
   */
  private void backwardPass(int n, boolean overwrite, boolean updateInput) {
    for (int l = layers - 2; l >= 0; l--) {
      gradient.prepare(l, n, overwrite, updateInput && l == 0);
      pool.run(gradient, threadsFor((long) n * s[l] * s[l + 1]));
      if (l >= 1) {
        hidden.prepare(l, n);
        pool.run(hidden, threadsFor((long) n * s[l] * s[l + 1]));
      }
    }
  }

  /** How many parts an operation of this many multiply-adds runs as (see PART_WORK). */
  int threadsFor(long multiplyAdds) {
    return soloStep ? 1 : (int) Math.max(1, Math.min(pool.threads(), multiplyAdds / PART_WORK));
  }

  private void ensureCapacity(int rows) {
    if (rows <= capacity) {
      return;
    }
    capacity = rows;
    act = new float[layers][];
    delta = new float[layers][];
    for (int l = 0; l < layers; l++) {
      act[l] = new float[rows * s[l]];
      if (l >= 1) {
        delta[l] = new float[rows * s[l]];
      }
    }
    int groups = CpuKernels.ZeroBlocks.perRow(s[0]);
    zeroFlags = new CpuKernels.ZeroBlocks(new byte[rows * groups], groups);
    int strips = (rows + CpuKernels.ZeroBlocks.ROWS - 1) / CpuKernels.ZeroBlocks.ROWS;
    stripFlags = new CpuKernels.ZeroBlocks(new byte[s[0] * strips], strips);
    batchRows = new int[rows];
    batchTmp = new int[rows];
    zOut = new float[rows * s[layers - 1]];
    rowCost = new double[rows];
    rowHit = new int[rows];
  }



  /** The L2 term of J, summed over the parameters in Backend's layout and order. */
  private double regularization(double lambda, long m) {
    return lambda == 0 ? 0 : Regularization.term(s, parameters(), lambda, m);
  }

  /** Puts back the training totals that an evaluation set aside. */
  private void restoreMetrics(StepMetrics m, int savedSteps) {
    steps = savedSteps;
    costSum = m.costSum();
    correct = m.correct();
    examples = m.examples();
    firstNonFinite = m.firstNonFiniteStep();
  }

  /** W(l)'[c, j] = Theta(l)[j, c + 1] for rows j in [j0, j1), with the given kernels' transpose. */
  private void refreshTranspose(CpuKernels with, int l, int j0, int j1) {
    if (wt[l] == null) {
      return;
    }
    int cols = s[l] + 1;
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

  /** Rows [j0, j1) of W(l) (units of layer l + 1) into its delta product's panels, where it has them. */
  private void refreshWeightPanels(int l, int j0, int j1) {
    if (weightPanels[l] != null) {
      CpuKernels.toPanels(theta, thetaOff[l] + 1, s[l] + 1, s[l + 1], k.panelWidth(), j0, j1, 0, s[l], weightPanels[l]);
    }
  }

  /**
   * Whether W' of layer l is held in the panels of CpuKernels.gemmPanels: when only the forward
   * product reads it (no packing at every step); the narrow hidden delta's dot products read it by rows.
   */
  private boolean inPanels(int l) {
    return s[l + 1] >= WIDE && s[l] >= WIDE;
  }

  /** Splits [0, size) into {@code parts} blocks, each a multiple of {@code align} but the last. */
  static int blockStart(int size, int part, int parts, int align) {
    if (part >= parts) {
      return size;
    }
    // The even boundary rounded to the nearest multiple of align (rounding every chunk up gave the
    // gradient of 784 inputs a 416 / 368 split, 13% of waiting on the largest product).
    long even = (long) size * part / parts;
    return (int) Math.min(size, (even + align / 2) / align * align);
  }

  // ---- parallel tasks (fields set by prepare, so a step allocates nothing) -------------------

  /** Whether a forward product of n rows and out columns is split across threads by rows. */
  private static boolean splitsRows(int n, int out) {
    return n >= out / 4;
  }

  /** A(l+1) = g(A(l) W(l)' + b(l)); the output layer keeps z for the cost. */
  private final class ForwardTask implements WorkerPool.Task {
    private int l;
    private int n;
    private boolean gather;
    /** b(l) contiguous, copied out of Theta's column 0 (the held input layer's b is contiguous already). */
    private final float[] bias = new float[Arrays.stream(s).max().getAsInt()];

    /** With {@code gather}, each part first copies its rows of the batch into A(0). */
    void prepare(int layer, int rows, boolean gatherRows) {
      l = layer;
      n = rows;
      gather = gatherRows;
      if (!(layer == 0 && inputHeldTransposed)) {
        int cols = s[layer] + 1;
        for (int j = 0; j < s[layer + 1]; j++) {
          bias[j] = theta[thetaOff[layer] + j * cols];
        }
      }
    }

    @Override
    public void run(int part, int parts) {
      int in = s[l];
      int out = s[l + 1];
      boolean byRows = splitsRows(n, out);
      int i0 = byRows ? blockStart(n, part, parts, ROW_ALIGN) : 0;
      int i1 = byRows ? blockStart(n, part + 1, parts, ROW_ALIGN) : n;
      int j0 = byRows ? 0 : blockStart(out, part, parts, ALIGN);
      int j1 = byRows ? out : blockStart(out, part + 1, parts, ALIGN);
      if (gather) {
        gatherInto(i0, i1);
      }
      float[] c = act[l + 1];
      boolean held = l == 0 && inputHeldTransposed;
      int cols = in + 1;
      float[] b = held ? theta : bias; // b(l) starts at 0 in either
      for (int i = i0; i < i1; i++) {
        System.arraycopy(b, j0, c, i * out + j0, j1 - j0);
      }
      if (held) {
        k.gemmPanels(act[l], 0, in, inputPanels, c, 0, out, i0, i1, j0, j1, in, stripsMarked ? stripFlags : null);
      } else if (out >= WIDE) {
        if (inPanels(l)) {
          k.gemmPanels(act[l], 0, in, wt[l], c, 0, out, i0, i1, j0, j1, in, null);
        } else {
          k.gemm(act[l], 0, in, false, wt[l], 0, out, c, 0, out, i0, i1, j0, j1, in);
        }
      } else {
        k.gemmDot(act[l], 0, in, theta, thetaOff[l] + 1, cols, c, 0, out, i0, i1, j0, j1, in);
      }
      boolean last = l + 1 == layers - 1;
      for (int i = i0; i < i1; i++) {
        int row = i * out;
        if (last) {
          System.arraycopy(c, row + j0, zOut, row + j0, j1 - j0);
        }
        k.sigmoid(c, row + j0, j1 - j0);
      }
      if (last && deltaDone) {
        rowDeltas(i0, i1);
      }
    }
  }

  /**
   * Delta(l)[:, 1:] += d(l+1)' A(l); Delta(l)[:, 0] += column sums of d(l+1); with overwrite, =
   * instead of += (each thread clears its own block, in parallel and just before using it).
   */
  private final class GradientTask implements WorkerPool.Task {
    private int l;
    private int n;
    private boolean overwrite;
    private boolean updateAsDone;
    /** Per part: updates rows of the held input layer's W' as the product finishes them. */
    private final RowUpdate[] rowUpdates = new RowUpdate[pool.threads()];

    GradientTask() {
      Arrays.setAll(rowUpdates, i -> new RowUpdate());
    }

    void prepare(int layer, int rows, boolean clear, boolean update) {
      l = layer;
      n = rows;
      overwrite = clear;
      updateAsDone = update;
    }

    @Override
    public void run(int part, int parts) {
      if (l == 0 && inputHeldTransposed) {
        runHeld(part, parts);
        return;
      }
      int in = s[l];
      int out = s[l + 1];
      int cols = in + 1;
      boolean byRows = out >= in / 4;
      int j0 = byRows ? blockStart(out, part, parts, ROW_ALIGN) : 0;
      int j1 = byRows ? blockStart(out, part + 1, parts, ROW_ALIGN) : out;
      int c0 = byRows ? 0 : blockStart(in, part, parts, ALIGN);
      int c1 = byRows ? in : blockStart(in, part + 1, parts, ALIGN);
      float[] d = delta[l + 1];
      if (overwrite) {
        for (int j = j0; j < j1; j++) {
          int row = thetaOff[l] + j * cols + 1;
          Arrays.fill(grad, row + c0, row + c1, 0f);
        }
      }
      k.gemm(d, 0, out, true, act[l], 0, in, grad, thetaOff[l] + 1, cols, j0, j1, c0, c1, n);
      if (byRows || part == 0) {
        columnSums(d, out, j0, j1);
        for (int j = j0; j < j1; j++) {
          int at = thetaOff[l] + j * cols;
          grad[at] = overwrite ? colSum[j] : grad[at] + colSum[j];
        }
      }
    }

    /** The input layer held as b then W': Delta' = A(1)' d(2) into the W' part, sums into b. */
    private void runHeld(int part, int parts) {
      int in = s[0];
      int out = s[1];
      boolean byRows = in >= out / 4;
      int c0 = byRows ? blockStart(in, part, parts, ROW_ALIGN) : 0;
      int c1 = byRows ? blockStart(in, part + 1, parts, ROW_ALIGN) : in;
      int j0 = byRows ? 0 : blockStart(out, part, parts, ALIGN);
      int j1 = byRows ? out : blockStart(out, part + 1, parts, ALIGN);
      float[] d = delta[1];
      if (overwrite) {
        for (int c = c0; c < c1; c++) {
          Arrays.fill(grad, out + c * out + j0, out + c * out + j1, 0f);
        }
      }
      RowUpdate done = null;
      if (updateAsDone) {
        done = rowUpdates[part];
        done.j0 = j0;
        done.j1 = j1;
      }
      k.gemm(act[0], 0, in, true, d, 0, out, grad, out, out, c0, c1, j0, j1, n, done, sparseInput ? zeroFlags : null);
      if (!byRows || part == 0) {
        columnSums(d, out, j0, j1);
        for (int j = j0; j < j1; j++) {
          grad[j] = overwrite ? colSum[j] : grad[j] + colSum[j];
        }
        if (updateAsDone) {
          k.update(update.rule, theta, grad, state1, state2, j0, j1 - j0, 0f);
        }
      }
    }

    /**
     * colSum[j] = sum over the n rows of d (width wide) in row order, for j in [j0, j1): row by row,
     * so that the inner loop runs along memory (and vectorises); each sum's order is unchanged.
     */
    private void columnSums(float[] d, int width, int j0, int j1) {
      Arrays.fill(colSum, j0, j1, 0f);
      for (int i = 0; i < n; i++) {
        int row = i * width;
        for (int j = j0; j < j1; j++) {
          colSum[j] += d[row + j];
        }
      }
    }
  }

  /**
   * The update of rows [c0, c1) of the held input layer's W', columns [j0, j1): run while the rows'
   * gradient is still in cache, overlapping the update's memory traffic with the product's arithmetic.
   */
  private final class RowUpdate implements CpuKernels.RowsDone {
    private int j0;
    private int j1;

    @Override
    public void rows(int c0, int c1) {
      int out = s[1];
      if (j0 == 0 && j1 == out) {
        k.update(update.rule, theta, grad, state1, state2, out + c0 * out, (c1 - c0) * out, update.reg);
      } else {
        for (int c = c0; c < c1; c++) {
          k.update(update.rule, theta, grad, state1, state2, out + c * out + j0, j1 - j0, update.reg);
        }
      }
      // This part's columns only: another thread updates (and copies) the rest of these rows.
      CpuKernels.toPanels(theta, out, out, s[0], k.panelWidth(), c0, c1, j0, j1, inputPanels);
    }
  }

  /** d(l) = (d(l+1) W(l)) .* A(l) .* (1 - A(l)). */
  private final class DeltaTask implements WorkerPool.Task {
    private int l;
    private int n;

    void prepare(int layer, int rows) {
      l = layer;
      n = rows;
    }

    @Override
    public void run(int part, int parts) {
      int in = s[l];
      int out = s[l + 1];
      boolean byRows = n >= in / 4;
      int i0 = byRows ? blockStart(n, part, parts, ROW_ALIGN) : 0;
      int i1 = byRows ? blockStart(n, part + 1, parts, ROW_ALIGN) : n;
      int c0 = byRows ? 0 : blockStart(in, part, parts, ALIGN);
      int c1 = byRows ? in : blockStart(in, part + 1, parts, ALIGN);
      float[] d = delta[l];
      float[] a = act[l];
      for (int i = i0; i < i1; i++) {
        Arrays.fill(d, i * in + c0, i * in + c1, 0f);
      }
      if (in >= WIDE) {
        k.gemmPanels(delta[l + 1], 0, out, weightPanels[l], d, 0, in, i0, i1, c0, c1, out, null);
      } else {
        k.gemmDot(delta[l + 1], 0, out, wt[l], 0, out, d, 0, in, i0, i1, c0, c1, out);
      }
      for (int i = i0; i < i1; i++) {
        k.timesSigmoidGradient(d, a, i * in + c0, c1 - c0);
      }
    }
  }

  /** D = Delta / n + (lambda / n) Theta off the bias column, then the optimiser's rule. */
  private final class UpdateTask implements WorkerPool.Task {
    final CpuKernels.UpdateRule rule = new CpuKernels.UpdateRule();
    float reg;

    void prepare(int n, double lambda) {
      if (optimizer.kind() == Optimizer.Kind.LBFGS) {
        throw new IllegalStateException("L-BFGS is full-batch: the trainer drives it, not trainStep");
      }
      reg = (float) (lambda / n);
      // Adam's bias corrections: theta -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
      rule.inv = 1f / n;
      rule.lr = (float) optimizer.learningRate();
      rule.mu = (float) optimizer.momentum();
      rule.b1 = (float) optimizer.beta1();
      rule.b2 = (float) optimizer.beta2();
      rule.eps = (float) optimizer.epsilon();
      rule.adamStep = (float) (optimizer.learningRate() / (1 - Math.pow(optimizer.beta1(), step)));
      rule.adamScale = (float) (1.0 / Math.sqrt(1 - Math.pow(optimizer.beta2(), step)));
    }

    @Override
    public void run(int part, int parts) {
      int r0 = blockStart(updateRows, part, parts, 1);
      int r1 = blockStart(updateRows, part + 1, parts, 1);
      int base = 0;
      // The held input layer was updated by the gradient product (see RowUpdate).
      for (int l = inputHeldTransposed ? 1 : 0; l + 1 < layers; l++) {
        int rows = s[l + 1];
        int lo = Math.max(r0 - base, 0);
        int hi = Math.min(r1 - base, rows);
        int cols = s[l] + 1;
        for (int j = lo; j < hi; j++) {
          int row = thetaOff[l] + j * cols;
          k.update(rule, theta, grad, state1, state2, row, 1, 0f);
          k.update(rule, theta, grad, state1, state2, row + 1, cols - 1, reg);
        }
        if (lo < hi) {
          refreshTranspose(k, l, lo, hi);
          refreshWeightPanels(l, lo, hi);
        }
        base += rows;
      }
    }
  }
}
