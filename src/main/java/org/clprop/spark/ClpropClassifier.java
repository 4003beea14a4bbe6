package org.clprop.spark;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.clprop.core.Network;
import org.clprop.optim.Optimizer;

/**
 * A Spark ML estimator that trains clprop's fully connected sigmoid networks (Andrew Ng's
 * formulation, docs/algorithm.md) on a DataFrame's partitions: each partition's rows stay bound to a
 * clprop backend on its executor (the GPU Spark assigned it, or the SIMD CPU backend) for the whole
 * fit, and each iteration adds the partitions' unnormalised sums with treeAggregate. Full-batch
 * L-BFGS, or synchronous Adam, SGD and momentum on global minibatches.
 *
 * <pre>{@code
 * ClpropClassifier c = new ClpropClassifier().setLayers(new int[] {784, 128, 10}).setMaxIter(100);
 * ClpropClassificationModel model = c.fit(train);     // columns "features" (Vector) and "label"
 * model.transform(test);                              // + rawPrediction, probability, prediction
 * }</pre>
 *
 * <p>Params mirror the {@code Trainer} builder: layers (required: s_1 .. s_L), lambda, optimizer
 * (lbfgs, adam, sgd, momentum), learningRate (default: the optimizer's), maxIter (L-BFGS
 * iterations or epochs), batchSize (examples per synchronous step over all partitions), seed,
 * backend (auto, cpu, opencl), device (an OpenCL device by index or name, for executors to which
 * Spark assigned no GPU), aggregationDepth (of treeAggregate).
 */
public final class ClpropClassifier
    extends ProbabilisticClassifier<Vector, ClpropClassifier, ClpropClassificationModel>
    implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final List<String> OPTIMIZERS = List.of("lbfgs", "adam", "sgd", "momentum");

  /**
   * The uid, set on the first call of {@link #uid()} from {@link PendingUid}: Spark's superclass
   * constructors ask for it before this class's constructor body could set it.
   */
  private String uid;
  /** The param {@link #layers()} returns. */
  private final IntArrayParam layers;
  /** The param {@link #lambda()} returns. */
  private final DoubleParam lambda;
  /** The param {@link #optimizer()} returns. */
  private final Param<String> optimizer;
  /** The param {@link #learningRate()} returns. */
  private final DoubleParam learningRate;
  /** The param {@link #maxIter()} returns. */
  private final IntParam maxIter;
  /** The param {@link #batchSize()} returns. */
  private final IntParam batchSize;
  /** The param {@link #seed()} returns. */
  private final LongParam seed;
  /** The param {@link #backend()} returns. */
  private final Param<String> backend;
  /** The param {@link #device()} returns. */
  private final Param<String> device;
  /** The param {@link #aggregationDepth()} returns. */
  private final IntParam aggregationDepth;
  private transient IterationListener listener;

  /** An estimator with a new random uid and the defaults; {@link #setLayers} must follow. */
  public ClpropClassifier() {
    this(PendingUid.of(null));
  }

  /**
   * An estimator with the given uid and the defaults, as Spark's {@link #read()} and {@code copy}
   * create one (by reflection).
   */
  public ClpropClassifier(String uid) {
    this(PendingUid.of(uid));
  }

  private ClpropClassifier(PendingUid token) {
    layers = new IntArrayParam(this, "layers", "layer sizes s_1 (features) .. s_L (classes), at least 2, each > 0",
        (scala.Function1<int[], Object> & java.io.Serializable) ClpropClassifier::validLayers);
    lambda = new DoubleParam(this, "lambda", "L2 regularisation strength (>= 0), bias columns excluded",
        ParamValidators.gtEq(0));
    optimizer = new Param<>(this, "optimizer", "lbfgs (full batch), adam, sgd or momentum (synchronous minibatch)",
        ParamValidators.inArray(OPTIMIZERS));
    learningRate = new DoubleParam(this, "learningRate", "step size of the minibatch optimizers (> 0); default: "
        + "clprop's for the optimizer", ParamValidators.gt(0));
    maxIter = new IntParam(this, "maxIter", "L-BFGS iterations, or epochs of a minibatch optimizer (> 0)",
        ParamValidators.gt(0));
    batchSize = new IntParam(this, "batchSize", "examples per synchronous minibatch step over all partitions (> 0)",
        ParamValidators.gt(0));
    seed = new LongParam(this, "seed", "seed of the initial weights and the minibatch shuffles");
    backend = new Param<>(this, "backend", "auto (the executor's GPU, else the SIMD CPU backend), cpu or opencl",
        ParamValidators.inArray(List.of("auto", "cpu", "opencl")));
    device = new Param<>(this, "device", "an OpenCL device by index or part of its name, for executors to which "
        + "Spark assigned no GPU");
    aggregationDepth = new IntParam(this, "aggregationDepth", "depth of treeAggregate (>= 2)",
        ParamValidators.gtEq(2));
    setDefault(lambda, 0.0);
    setDefault(optimizer, "lbfgs");
    setDefault(maxIter, 100);
    setDefault(batchSize, 1024);
    setDefault(seed, 1L);
    setDefault(backend, "auto");
    setDefault(aggregationDepth, 2);
  }

  private static boolean validLayers(int[] s) {
    return s.length >= 2 && Arrays.stream(s).allMatch(v -> v > 0);
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = PendingUid.take("clpropClassifier");
    }
    return uid;
  }

  /** Reads an estimator saved with {@code write().save(path)}. */
  public static MLReader<ClpropClassifier> read() {
    return new DefaultParamsReader<>();
  }

  /** {@code read().load(path)}: the params saved there; the iteration listener is never saved. */
  public static ClpropClassifier load(String path) {
    return read().load(path);
  }

  @Override
  public ClpropClassifier copy(ParamMap extra) {
    ClpropClassifier c = defaultCopy(extra);
    c.listener = listener;
    return c;
  }

  @Override
  public ClpropClassificationModel train(Dataset<?> dataset) {
    DistributedFit.Settings s = settings(dataset.schema());
    DistributedFit.Result r = DistributedFit.run(dataset, s, listener);
    return new ClpropClassificationModel(uid(), s.layers(), r.parameters()).withSummary(r.summary());
  }

  /** The params resolved, with the checks that need more than one of them or the schema. */
  private DistributedFit.Settings settings(StructType schema) {
    if (!isDefined(layers)) {
      throw new IllegalArgumentException("layers: not set; give the layer sizes, for example setLayers(new int[] "
          + "{784, 128, 10}): features, hidden units, classes");
    }
    int[] sizes = getLayers();
    int known = AttributeGroup.fromStructField(schema.apply(getFeaturesCol())).size();
    if (known >= 0 && known != sizes[0]) {
      throw new IllegalArgumentException(getFeaturesCol() + ": vectors of " + known + " features, but layers[0] is "
          + sizes[0]);
    }
    Optimizer.Kind kind = Optimizer.Kind.valueOf(getOptimizer().toUpperCase(Locale.ROOT));
    Optimizer opt = Optimizer.defaults(kind);
    if (isDefined(learningRate)) {
      opt = opt.withLearningRate(getLearningRate());
    }
    return new DistributedFit.Settings(sizes, getLambda(), opt, getMaxIter(), getBatchSize(), getSeed(),
        new BackendSpec(sizes, BackendSpec.kind(getBackend()), isDefined(device) ? getDevice() : null),
        getAggregationDepth(), getFeaturesCol(), getLabelCol());
  }

  /** Called on the driver after each iteration; not a param (neither saved nor compared). */
  public ClpropClassifier setIterationListener(IterationListener l) {
    listener = l;
    return this;
  }

  // ---- params -------------------------------------------------------------------------------

  /** Layer sizes s_1 (features) .. s_L (classes), at least two, each positive. Required: no default. */
  public IntArrayParam layers() {
    return layers;
  }

  /**
   * L2 strength: J gains (lambda / 2m) times the sum of the squared weights, bias columns excluded.
   * At least 0; default 0.
   */
  public DoubleParam lambda() {
    return lambda;
  }

  /** lbfgs (full-batch, the default), or adam, sgd or momentum (synchronous minibatch steps). */
  public Param<String> optimizer() {
    return optimizer;
  }

  /**
   * Step size of the minibatch optimizers, above 0; unset by default, which takes the optimizer's
   * own ({@link Optimizer#defaults}). L-BFGS ignores it.
   */
  public DoubleParam learningRate() {
    return learningRate;
  }

  /**
   * L-BFGS iterations, or epochs of a minibatch optimizer, above 0; default 100. A fit stops earlier
   * when L-BFGS can no longer move or a minibatch epoch's cost is not finite.
   */
  public IntParam maxIter() {
    return maxIter;
  }

  /**
   * Examples per synchronous minibatch step, drawn from all partitions together, above 0; default
   * 1024. Unused by L-BFGS, which is full-batch.
   */
  public IntParam batchSize() {
    return batchSize;
  }

  /** Seed of the initial weights and of the minibatch shuffles; default 1. */
  public LongParam seed() {
    return seed;
  }

  /**
   * Where executors compute: auto (the GPU Spark assigned to the task, else the largest OpenCL GPU,
   * else the SIMD CPU backend; the default), cpu or opencl.
   */
  public Param<String> backend() {
    return backend;
  }

  /**
   * An OpenCL device by index or part of its name, for executors to which Spark assigned no GPU.
   * Unset by default: then the executor's {@code -Dclprop.device} or {@code CLPROP_DEVICE}, if any.
   */
  public Param<String> device() {
    return device;
  }

  /**
   * Depth of the treeAggregate that adds the partitions' sums each iteration, at least 2; default
   * 2. A deeper tree relieves the driver when the partitions are many.
   */
  public IntParam aggregationDepth() {
    return aggregationDepth;
  }

  /** The layer sizes (a copy). Throws {@code NoSuchElementException} while unset. */
  public int[] getLayers() {
    return $(layers).clone();
  }

  /** Layer sizes s_1 (features) .. s_L (classes). */
  public ClpropClassifier setLayers(int[] value) {
    Network.checkSizes(value);
    return (ClpropClassifier) set(layers, value.clone());
  }

  /** The L2 strength lambda. */
  public double getLambda() {
    return (Double) $(lambda);
  }

  /** Sets the L2 strength lambda (at least 0). */
  public ClpropClassifier setLambda(double value) {
    return (ClpropClassifier) set(lambda, value);
  }

  /** The optimizer's name, in lower case. */
  public String getOptimizer() {
    return $(optimizer);
  }

  /** Sets the optimizer by name, in any case: lbfgs, adam, sgd or momentum. */
  public ClpropClassifier setOptimizer(String value) {
    return (ClpropClassifier) set(optimizer, value.toLowerCase(Locale.ROOT));
  }

  /**
   * The learning rate set. Throws {@code NoSuchElementException} while unset (the optimizer's
   * default then applies).
   */
  public double getLearningRate() {
    return (Double) $(learningRate);
  }

  /** Sets the minibatch optimizers' step size (above 0). */
  public ClpropClassifier setLearningRate(double value) {
    return (ClpropClassifier) set(learningRate, value);
  }

  /** L-BFGS iterations or minibatch epochs, at most. */
  public int getMaxIter() {
    return (Integer) $(maxIter);
  }

  /** Sets the most L-BFGS iterations or minibatch epochs (above 0). */
  public ClpropClassifier setMaxIter(int value) {
    return (ClpropClassifier) set(maxIter, value);
  }

  /** Examples per synchronous minibatch step. */
  public int getBatchSize() {
    return (Integer) $(batchSize);
  }

  /** Sets the examples per synchronous minibatch step (above 0). */
  public ClpropClassifier setBatchSize(int value) {
    return (ClpropClassifier) set(batchSize, value);
  }

  /** The seed of the initial weights and the shuffles. */
  public long getSeed() {
    return (Long) $(seed);
  }

  /** Sets the seed of the initial weights and the shuffles. */
  public ClpropClassifier setSeed(long value) {
    return (ClpropClassifier) set(seed, value);
  }

  /** The backend's name, in lower case: auto, cpu or opencl. */
  public String getBackend() {
    return $(backend);
  }

  /** Sets the executors' backend by name, in any case: auto, cpu or opencl. */
  public ClpropClassifier setBackend(String value) {
    return (ClpropClassifier) set(backend, value.toLowerCase(Locale.ROOT));
  }

  /** The OpenCL device named. Throws {@code NoSuchElementException} while unset. */
  public String getDevice() {
    return $(device);
  }

  /** Sets the OpenCL device, by index or part of its name, for executors to which Spark assigned no GPU. */
  public ClpropClassifier setDevice(String value) {
    return (ClpropClassifier) set(device, value);
  }

  /** The depth of treeAggregate. */
  public int getAggregationDepth() {
    return (Integer) $(aggregationDepth);
  }

  /** Sets the depth of treeAggregate (at least 2). */
  public ClpropClassifier setAggregationDepth(int value) {
    return (ClpropClassifier) set(aggregationDepth, value);
  }
}
