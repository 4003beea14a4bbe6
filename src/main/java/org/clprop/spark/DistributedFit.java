package org.clprop.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.SparkException;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.clprop.backend.Regularization;
import org.clprop.core.Network;
import org.clprop.optim.Lbfgs;
import org.clprop.optim.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains on a DataFrame's partitions. The partitions bind their rows once (the first job); then
 * every evaluation is one job that returns the summed cost, hits and Delta, from which the driver
 * forms J and D and takes the optimiser's step:
 *
 * <pre>
 * J = sum cost / m + lambda/(2m) sum Theta^2 (off the bias columns);  D = sum Delta / m + (lambda/m) Theta
 * </pre>
 *
 * with m the examples summed over: all of them for full-batch L-BFGS (the course's fmincg setting,
 * and MLlib's), one global batch for synchronous Adam, SGD and momentum (see SumsRequest).
 */
final class DistributedFit {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedFit.class);

  /** What the estimator's params say, resolved. */
  record Settings(int[] layers, double lambda, Optimizer optimizer, int maxIter, int batchSize, long seed,
      BackendSpec backend, int aggregationDepth, String featuresCol, String labelCol) {}

  /** The fit's outcome: the final weights (flat Theta layout) and the summary. */
  record Result(float[] parameters, ClpropTrainingSummary summary) {}

  private final Settings settings;
  private final IterationListener listener;
  private final boolean[] bias;
  private final List<IterationListener.IterationEnd> iterations = new ArrayList<>();
  private long m;
  private long t0;

  private DistributedFit(Settings settings, IterationListener listener) {
    this.settings = settings;
    this.listener = listener;
    this.bias = ThetaLayout.biasColumns(settings.layers());
  }

  /**
   * Fits {@code frame}'s (features, label) rows. Bad values found by the executors come back as the
   * IllegalArgumentException they threw, not wrapped in Spark's job failure.
   */
  static Result run(org.apache.spark.sql.Dataset<?> frame, Settings settings, IterationListener listener) {
    RDD<Row> rows = frame.select(col(settings.featuresCol()), col(settings.labelCol()).cast(DataTypes.DoubleType))
        .rdd();
    SumsRequest.Binding binding = new SumsRequest.Binding(UUID.randomUUID().toString(), settings.backend(),
        settings.featuresCol(), settings.labelCol());
    try {
      return new DistributedFit(settings, listener).train(rows, binding);
    } catch (Exception e) { // also Spark's checked SparkException, which Scala code throws undeclared
      throw badInputOr(e);
    }
  }

  private Result train(RDD<Row> rows, SumsRequest.Binding binding) {
    try (ClusterSums sums = new ClusterSums(rows, binding, settings.aggregationDepth())) {
      long b0 = System.nanoTime();
      m = sums.bind();
      double bindSeconds = (System.nanoTime() - b0) / 1e9;
      if (m == 0) {
        throw new IllegalArgumentException("the training data has no rows");
      }
      LOG.info("fit {}: {} examples in {} partitions bound in {} s", binding.fitId(), m, sums.partitions(),
          String.format("%.2f", bindSeconds));
      float[] theta = Network.initialise(settings.layers(), settings.seed()).toFlatFloats();
      t0 = System.nanoTime();
      String reason = settings.optimizer().isMinibatch() ? minibatch(sums, theta) : lbfgs(sums, theta);
      return new Result(theta, new ClpropTrainingSummary(iterations, bindSeconds, m, reason));
    }
  }

  /** Full-batch L-BFGS on J; theta ends at the last accepted point. */
  private String lbfgs(ClusterSums sums, float[] theta) {
    double[] x0 = new double[theta.length];
    for (int i = 0; i < theta.length; i++) {
      x0[i] = theta[i];
    }
    double[] accuracy = {Double.NaN};
    // J and D at x: the weights rounded to float32, as the single machine's L-BFGS evaluates them.
    Lbfgs.Function f = (x, grad) -> {
      for (int i = 0; i < x.length; i++) {
        theta[i] = (float) x[i];
      }
      GradientSums g = sums.full(theta);
      accuracy[0] = (double) g.correct() / m;
      ThetaLayout.gradient(g.delta(), theta, bias, settings.lambda(), m, grad);
      return g.cost() / m + Regularization.term(settings.layers(), theta, settings.lambda(), m);
    };
    Lbfgs lbfgs = new Lbfgs(f, x0, settings.optimizer().history());
    String reason = "completed";
    for (int it = 1; it <= settings.maxIter(); it++) {
      boolean moved = lbfgs.iterate();
      double[] x = lbfgs.x();
      for (int i = 0; i < x.length; i++) {
        theta[i] = (float) x[i];
      }
      if (!moved) {
        reason = "converged";
        break;
      }
      // The line search's last evaluation was at the accepted point: its hits are the iteration's.
      finishIteration(it, lbfgs.value(), accuracy[0], theta);
    }
    return reason;
  }

  /** Synchronous minibatch epochs over global batches; theta ends at the last finite epoch's weights. */
  private String minibatch(ClusterSums sums, float[] theta) {
    int batches = (int) Math.max(1, (m + settings.batchSize() - 1) / settings.batchSize());
    DriverUpdate update = new DriverUpdate(settings.optimizer(), settings.layers());
    float[] lastGood = theta.clone();
    for (int epoch = 1; epoch <= settings.maxIter(); epoch++) {
      double cost = 0;
      long correct = 0;
      long seen = 0;
      for (int b = 0; b < batches; b++) {
        GradientSums g = sums.batch(theta, settings.seed(), epoch, b, batches);
        if (g.count() == 0) {
          continue;
        }
        cost += g.cost();
        correct += g.correct();
        seen += g.count();
        update.step(theta, g.delta(), g.count(), settings.lambda());
      }
      double j = cost / seen + Regularization.term(settings.layers(), theta, settings.lambda(), m);
      if (!Double.isFinite(j)) {
        System.arraycopy(lastGood, 0, theta, 0, theta.length);
        String reason = String.format("diverged in epoch %d: the cost became %s; %s kept; try a smaller learning rate"
            + " (now %s)", epoch, Double.isNaN(j) ? "NaN" : "infinite",
            epoch == 1 ? "the starting weights are" : "the weights of epoch " + (epoch - 1) + " are",
            settings.optimizer().learningRate());
        LOG.warn(reason);
        return reason;
      }
      System.arraycopy(theta, 0, lastGood, 0, theta.length);
      finishIteration(epoch, j, (double) correct / seen, theta);
    }
    return "completed";
  }

  private void finishIteration(int iteration, double cost, double accuracy, float[] theta) {
    IterationListener.IterationEnd end = new IterationListener.IterationEnd(iteration, cost, accuracy,
        (System.nanoTime() - t0) / 1e9, theta.clone());
    iterations.add(end);
    LOG.debug("iteration {}: cost {} training accuracy {} ({} s)", iteration, String.format("%.6f", cost),
        String.format("%.4f", accuracy), String.format("%.2f", end.seconds()));
    if (listener != null) {
      listener.onIteration(end);
    }
  }

  /**
   * The IllegalArgumentException an executor threw for bad input, when that is why a Spark job
   * failed; otherwise {@code e} itself, rethrown unchanged even when checked.
   */
  private static RuntimeException badInputOr(Exception e) {
    if (e instanceof SparkException || e.getCause() instanceof SparkException) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof IllegalArgumentException) {
          return new IllegalArgumentException(t.getMessage(), e);
        }
      }
    }
    return DistributedFit.<RuntimeException>unchecked(e);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E unchecked(Exception e) throws E {
    throw (E) e;
  }
}
