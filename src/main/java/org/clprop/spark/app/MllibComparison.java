package org.clprop.spark.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.clprop.backend.Evaluation;
import org.clprop.cpu.CpuBackend;
import org.clprop.data.Dataset;
import org.clprop.spark.ClpropClassificationModel;
import org.clprop.spark.ClpropClassifier;

/**
 * The benchmark of docs/spark.md: on one cluster and the same data and layer sizes, Spark MLlib's
 * MultilayerPerceptronClassifier (L-BFGS, its default) fits first; then clprop fits, measuring its
 * test accuracy after every iteration on the driver (time not counted) and noting when it first
 * reaches MLlib's; then a fresh clprop fit with exactly that many iterations is timed whole. Prints
 * both times and their ratio. Not a test: timing belongs here.
 */
public final class MllibComparison {
  static final String USAGE = """
      Usage: spark-submit --class org.clprop.spark.app.MllibComparison clprop-spark.jar [options]
        --data NAME          (default fashion-mnist)
        --layers S1,..,SL    (default 784,128,10)
        --mllib-iter N       MLlib's maxIter (default 100)
        --block-size N       MLlib's blockSize (default 128)
        --optimizer NAME     clprop's optimizer (default adam)
        --lr X               clprop's learning rate (default: the optimizer's)
        --batch N            clprop's global batch (default 1024)
        --max-iter N         clprop's most iterations in search of MLlib's accuracy (default 50)
        --partitions N       (default: spark.default.parallelism)
        --seed N             (default 1)
        --target ACC         skip MLlib and search for this test accuracy (a figure of an earlier run)""";

  private MllibComparison() {}

  /** Runs the benchmark with {@code --name value} options; {@code --help} lists them. */
  public static void main(String[] args) {
    Options o = new Options(args, USAGE, "data", "layers", "mllib-iter", "block-size", "optimizer", "lr", "batch",
        "max-iter", "partitions", "seed", "target");
    String data = o.string("data", "fashion-mnist");
    int[] layers = o.sizes("layers", "784,128,10");
    int seed = o.integer("seed", 1);
    SparkSession spark = SparkSession.builder().appName("clprop against MLlib").getOrCreate();
    try {
      int partitions = o.integer("partitions", spark.sparkContext().defaultParallelism());
      org.apache.spark.sql.Dataset<Row> train = NamedFrames.train(spark, data, partitions);
      org.apache.spark.sql.Dataset<Row> test = NamedFrames.test(spark, data, partitions).cache();
      MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
      System.out.printf("cluster: %s, %d executors, %d partitions; MLlib's BLAS on an executor: %s%n",
          spark.sparkContext().master(), spark.sparkContext().getExecutorMemoryStatus().size() - 1, partitions,
          executorBlas(spark));
      test.count();

      double target = o.number("target", Double.NaN);
      double mllibSeconds = Double.NaN;
      if (Double.isNaN(target)) {
        int mllibIter = o.integer("mllib-iter", 100);
        long t0 = System.nanoTime();
        MultilayerPerceptronClassificationModel mllib = new MultilayerPerceptronClassifier().setLayers(layers)
            .setMaxIter(mllibIter).setBlockSize(o.integer("block-size", 128)).setSeed(seed).fit(train);
        mllibSeconds = (System.nanoTime() - t0) / 1e9;
        target = accuracy.evaluate(mllib.transform(test));
        System.out.printf(Locale.ROOT, "MLlib MultilayerPerceptronClassifier, %d iterations: fit %.1f s, test "
            + "accuracy %.4f%n", mllibIter, mllibSeconds, target);
      }

      ClpropClassifier clprop = new ClpropClassifier().setLayers(layers).setOptimizer(o.string("optimizer", "adam"))
          .setBatchSize(o.integer("batch", 1024)).setMaxIter(o.integer("max-iter", 50)).setSeed(seed);
      if (o.has("lr")) {
        clprop.setLearningRate(o.number("lr", 0));
      }
      Search search = new Search(NamedFrames.local(data, true), layers, target);
      long c0 = System.nanoTime();
      clprop.copy(new org.apache.spark.ml.param.ParamMap()).setIterationListener(e -> search.check(e, c0)).fit(train);
      if (search.reachedAt < 0) {
        System.out.printf(Locale.ROOT, "clprop (%s) did not reach %.4f in %d iterations (best %.4f)%n",
            clprop.getOptimizer(), target, clprop.getMaxIter(), search.best);
        return;
      }
      System.out.printf(Locale.ROOT, "clprop (%s, batch %d): test accuracy %.4f >= %.4f at iteration %d, %.1f s into "
          + "the fit (accuracy per iteration: %s)%n", clprop.getOptimizer(), clprop.getBatchSize(),
          search.history.get(search.reachedAt - 1), target, search.reachedAt, search.reachedSeconds, search.history);

      long f0 = System.nanoTime();
      ClpropClassificationModel model = clprop.setMaxIter(search.reachedAt).fit(train);
      double clpropSeconds = (System.nanoTime() - f0) / 1e9;
      double reached = accuracy.evaluate(model.transform(test));
      System.out.printf(Locale.ROOT, "clprop, a fresh fit of %d iterations: fit %.1f s, test accuracy %.4f%n",
          search.reachedAt, clpropSeconds, reached);
      if (!Double.isNaN(mllibSeconds)) {
        System.out.printf(Locale.ROOT, "time to MLlib's test accuracy: MLlib %.1f s, clprop %.1f s: %.2fx%n",
            mllibSeconds, clpropSeconds, mllibSeconds / clpropSeconds);
      }
    } finally {
      spark.stop();
    }
  }

  /** Which BLAS implementation MLlib's gradient code gets on an executor (netlib's choice). */
  private static String executorBlas(SparkSession spark) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return sc.parallelize(List.of(0), 1).map(i -> dev.ludovic.netlib.blas.BLAS.getInstance().getClass()
        .getSimpleName() + " (" + System.getProperty("dev.ludovic.netlib.blas.nativeLibPath", "libblas.so.3") + ")")
        .first();
  }

  /** Test accuracy after each iteration, on the driver, with the time it takes left out of the fit's. */
  private static final class Search {
    private final Dataset test;
    private final int[] layers;
    private final double target;
    private final List<Double> history = new ArrayList<>();
    private double best;
    private long measuringNanos;
    private int reachedAt = -1;
    private double reachedSeconds;

    Search(Dataset test, int[] layers, double target) {
      this.test = test;
      this.layers = layers;
      this.target = target;
    }

    void check(org.clprop.spark.IterationListener.IterationEnd e, long fitStart) {
      long m0 = System.nanoTime();
      try (CpuBackend b = new CpuBackend(layers, 1)) {
        b.setParameters(e.parameters());
        Evaluation ev = b.evaluate(test, 0);
        history.add(Math.round(ev.accuracy() * 1e4) / 1e4);
        best = Math.max(best, ev.accuracy());
        if (reachedAt < 0 && ev.accuracy() >= target) {
          reachedAt = e.iteration();
          reachedSeconds = (m0 - fitStart - measuringNanos) / 1e9;
        }
      }
      measuringNanos += System.nanoTime() - m0;
    }
  }
}
