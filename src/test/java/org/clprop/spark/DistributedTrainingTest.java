package org.clprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.clprop.Trainer;
import org.clprop.backend.BackendKind;
import org.clprop.core.Network;
import org.clprop.cpu.CpuBackend;
import org.clprop.data.Dataset;
import org.clprop.data.Digits;
import org.clprop.data.Shuffle;
import org.clprop.data.Split;
import org.clprop.optim.Optimizer;
import org.clprop.testutil.Tensors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits on 4 partitions of the digits in local Spark against the single machine doing the same
 * arithmetic: full-batch L-BFGS against the Trainer's, synchronous Adam against one backend
 * stepping through the same global batches.
 */
class DistributedTrainingTest {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainingTest.class);
  private static final int[] SIZES = {64, 25, 10};
  private static final Dataset TRAIN = Split.of(Digits.load(), 0.2, 42).first();

  @Test
  void lbfgsGivesTheSingleMachineWeights() {
    int iterations = 25;
    double lambda = 1.0;
    ClpropClassificationModel model = new ClpropClassifier().setLayers(SIZES).setLambda(lambda).setMaxIter(iterations)
        .setSeed(3).setBackend("cpu").fit(LocalSpark.frame(TRAIN, LocalSpark.PARTITIONS));
    assertEquals(iterations, model.summary().totalIterations());
    double[] objective = model.summary().objectiveHistory();
    assertTrue(objective[iterations - 1] < 0.5 * objective[0], "J fell from " + objective[0] + " to "
        + objective[iterations - 1]);

    try (Trainer one = Trainer.builder().layers(SIZES).lambda(lambda).optimizer(Optimizer.lbfgs(10))
        .epochs(iterations).seed(3).backend(BackendKind.CPU).build()) {
      one.fit(TRAIN);
      float[] want = one.network().toFlatFloats();
      float[] got = model.network().toFlatFloats();
      double worst = maxDifference(want, got);
      LOG.info("L-BFGS, {} iterations: largest weight difference from one machine {} (largest weight {})",
          iterations, worst, maxAbs(want));
      // The partitions' float sums are added in another order: L-BFGS amplifies rounding a little.
      Tensors.assertClose(Tensors.widen(want), Tensors.widen(got), 2e-4, 1e-4, "weights after L-BFGS");
    }
  }

  @Test
  void adamOnGlobalBatchesGivesTheSingleMachineSteps() {
    long seed = 5;
    int epochs = 2;
    int batch = 100;
    double lambda = 0.5;
    org.apache.spark.sql.Dataset<Row> frame = LocalSpark.frame(TRAIN, LocalSpark.PARTITIONS);
    ClpropClassificationModel model = new ClpropClassifier().setLayers(SIZES).setOptimizer("adam")
        .setLearningRate(0.01).setBatchSize(batch).setLambda(lambda).setMaxIter(epochs).setSeed(seed)
        .setBackend("cpu").fit(frame);

    // The same batches on one backend: partition p's share of batch b is positions
    // [b n_p / B, (b+1) n_p / B) of its epoch order (SumsRequest), rows offset_p + that order.
    int[] counts = partitionSizes(frame);
    int batches = (TRAIN.size() + batch - 1) / batch;
    try (CpuBackend one = new CpuBackend(SIZES, 2)) {
      one.setParameters(Network.initialise(SIZES, seed).toFlatFloats());
      one.setOptimizer(Optimizer.adam(0.01));
      one.bindTrainingSet(TRAIN, TRAIN.size());
      for (int e = 1; e <= epochs; e++) {
        int[][] orders = new int[counts.length][];
        for (int p = 0; p < counts.length; p++) {
          orders[p] = Shuffle.permutation(counts[p], new SplittableRandom(BoundPartition.orderSeed(seed, e, p)));
        }
        List<Integer> order = new ArrayList<>();
        List<int[]> steps = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
          int from = order.size();
          int offset = 0;
          for (int p = 0; p < counts.length; p++) {
            for (long i = (long) b * counts[p] / batches; i < (long) (b + 1) * counts[p] / batches; i++) {
              order.add(offset + orders[p][(int) i]);
            }
            offset += counts[p];
          }
          steps.add(new int[] {from, order.size() - from});
        }
        one.setOrder(order.stream().mapToInt(Integer::intValue).toArray());
        for (int[] s : steps) {
          one.trainStep(s[0], s[1], lambda);
        }
      }
      float[] want = one.parameters();
      float[] got = model.network().toFlatFloats();
      LOG.info("Adam, {} epochs of {} global batches: largest weight difference from one machine {}", epochs,
          batches, maxDifference(want, got));
      Tensors.assertClose(Tensors.widen(want), Tensors.widen(got), 1e-6, 1e-5, "weights after Adam");
    }
  }

  @Test
  void aFitSurvivesLosingItsBoundPartitionsAndReleasesThemAtTheEnd() {
    org.apache.spark.sql.Dataset<Row> frame = LocalSpark.frame(TRAIN, LocalSpark.PARTITIONS);
    ClpropClassifier c = new ClpropClassifier().setLayers(SIZES).setMaxIter(8).setBackend("cpu");
    float[] undisturbed = c.fit(frame).network().toFlatFloats();
    int[] lost = {0};
    // As if the executors died after iteration 3: every binding is gone, the next job reads the rows again.
    c.setIterationListener(end -> {
      if (end.iteration() == 3) {
        lost[0] = BoundPartitions.releaseAll();
      }
    });
    float[] disturbed = c.fit(frame).network().toFlatFloats();
    assertEquals(LocalSpark.PARTITIONS, lost[0]);
    assertArrayEquals(undisturbed, disturbed, "the same sums from re-read rows: the same weights, bit for bit");
    assertEquals(0, BoundPartitions.size(), "bindings left after the fits");
  }

  /** Rows per partition of {@code frame}, in partition order. */
  static int[] partitionSizes(org.apache.spark.sql.Dataset<Row> frame) {
    MapPartitionsFunction<Row, Integer> count = rows -> {
      int n = 0;
      for (; rows.hasNext(); rows.next()) {
        n++;
      }
      return List.of(n).iterator();
    };
    return frame.mapPartitions(count, Encoders.INT()).collectAsList().stream().mapToInt(Integer::intValue).toArray();
  }

  private static double maxDifference(float[] a, float[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }

  private static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
