package org.clprop.spark.app;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.clprop.spark.ClpropClassificationModel;
import org.clprop.spark.ClpropClassifier;
import org.clprop.spark.ClpropTrainingSummary;

/**
 * Trains on a cluster: the application {@code tools/spark-cluster} submits, and the README's
 * spark-submit example. Reads a dataset clprop names on the executors, fits a
 * {@link ClpropClassifier}, prints a line per iteration and the test accuracy, and saves the model.
 */
public final class SparkTrain {
  static final String USAGE = """
      Usage: spark-submit --class org.clprop.spark.app.SparkTrain clprop-spark.jar [options]
        --data NAME          digits, fashion-mnist, or a path clprop reads (default fashion-mnist)
        --layers S1,..,SL    layer sizes (default 784,128,10; 64,32,10 for digits)
        --optimizer NAME     lbfgs, adam, sgd or momentum (default lbfgs)
        --max-iter N         L-BFGS iterations or epochs (default 100)
        --batch N            examples per synchronous minibatch step (default 1024)
        --lr X               learning rate of the minibatch optimizers
        --lambda X           L2 regularisation (default 0)
        --seed N             initial weights and shuffles (default 1)
        --backend NAME       auto, cpu or opencl (default auto)
        --partitions N       partitions of the training data (default: spark.default.parallelism)
        --out DIR            save the model there (DIR/data/model.npz is clprop's model file)
        --compare-with FILE  a clprop model file: print the largest weight difference from it""";

  private SparkTrain() {}

  /** Runs the application with {@code --name value} options; {@code --help} lists them. */
  public static void main(String[] args) throws Exception {
    Options o = new Options(args, USAGE, "data", "layers", "optimizer", "max-iter", "batch", "lr", "lambda", "seed",
        "backend", "partitions", "out", "compare-with");
    String data = o.string("data", "fashion-mnist");
    int[] layers = o.sizes("layers", data.equals("digits") ? "64,32,10" : "784,128,10");
    SparkSession spark = SparkSession.builder().appName("clprop " + data).getOrCreate();
    try {
      int partitions = o.integer("partitions", spark.sparkContext().defaultParallelism());
      ClpropClassifier c = new ClpropClassifier().setLayers(layers).setOptimizer(o.string("optimizer", "lbfgs"))
          .setMaxIter(o.integer("max-iter", 100)).setBatchSize(o.integer("batch", 1024))
          .setLambda(o.number("lambda", 0)).setSeed(o.integer("seed", 1)).setBackend(o.string("backend", "auto"));
      if (o.has("lr")) {
        c.setLearningRate(o.number("lr", 0));
      }
      System.out.printf("training %s on %s in %d partitions with %s, %d iterations%n", Arrays.toString(layers), data,
          partitions, c.getOptimizer(), c.getMaxIter());
      c.setIterationListener(e -> System.out.printf(Locale.ROOT, "iteration %3d  cost %.4f  train %.4f  (%.1f s)%n",
          e.iteration(), e.cost(), e.trainingAccuracy(), e.seconds()));
      ClpropClassificationModel model = c.fit(NamedFrames.train(spark, data, partitions));
      ClpropTrainingSummary s = model.summary();
      double seconds = s.totalIterations() == 0 ? 0 : s.secondsHistory()[s.totalIterations() - 1];
      System.out.printf(Locale.ROOT, "%d examples bound in %.1f s, trained in %.1f s (%s)%n", s.examples(),
          s.bindSeconds(), seconds, s.stopReason());
      org.apache.spark.sql.Dataset<Row> test = NamedFrames.test(spark, data, partitions);
      double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
          .evaluate(model.transform(test));
      System.out.printf(Locale.ROOT, "test accuracy: %.4f%n", accuracy);
      if (o.has("out")) {
        model.write().overwrite().save(o.string("out", null));
        System.out.println("model written to " + o.string("out", null) + " (clprop's model file: data/model.npz)");
      }
      if (o.has("compare-with")) {
        float[] other = ClpropClassificationModel.fromNpz(Path.of(o.string("compare-with", null))).network()
            .toFlatFloats();
        float[] mine = model.network().toFlatFloats();
        double worst = 0;
        for (int i = 0; i < mine.length; i++) {
          worst = Math.max(worst, Math.abs(mine[i] - other[i]));
        }
        System.out.printf(Locale.ROOT, "largest weight difference from %s: %.3g%n", o.string("compare-with", null),
            worst);
      }
    } finally {
      spark.stop();
    }
  }
}
