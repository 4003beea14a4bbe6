package org.clprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.clprop.backend.BackendKind;
import org.clprop.backend.Regularization;
import org.clprop.core.CostGradient;
import org.clprop.core.Matrix;
import org.clprop.core.Network;
import org.clprop.cpu.CpuBackend;
import org.clprop.data.Dataset;
import org.clprop.data.Digits;
import org.clprop.reference.ReferenceBackprop;
import org.clprop.testutil.Tensors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** J and D summed over 4 partitions by treeAggregate against one machine's full batch. */
class GradientAggregationTest {
  private static final Logger LOG = LoggerFactory.getLogger(GradientAggregationTest.class);

  @Test
  void aggregatedJAndDEqualTheSingleMachineFullBatch() {
    Dataset digits = Digits.load();
    int[] sizes = {64, 25, 10};
    double lambda = 1.5;
    Network net = Network.initialise(sizes, 11);
    float[] theta = net.toFlatFloats();
    RDD<Row> rows = LocalSpark.frame(digits, LocalSpark.PARTITIONS).rdd();
    SumsRequest.Binding binding = new SumsRequest.Binding(UUID.randomUUID().toString(),
        new BackendSpec(sizes, BackendKind.CPU, null), "features", "label");
    double j;
    double[] d = new double[theta.length];
    try (ClusterSums sums = new ClusterSums(rows, binding, 2)) {
      assertEquals(digits.size(), sums.bind());
      GradientSums g = sums.full(theta);
      assertEquals(digits.size(), g.count());
      long m = g.count();
      j = g.cost() / m + Regularization.term(sizes, theta, lambda, m);
      ThetaLayout.gradient(g.delta(), theta, ThetaLayout.biasColumns(sizes), lambda, m, d);
    }

    CostGradient ref = ReferenceBackprop.costAndGradients(net, Tensors.widen(digits.x()), digits.labels(), lambda);
    double[] want = concat(ref);
    double jError = Math.abs(j - ref.cost()) / Math.abs(ref.cost());
    double dError = norm(minus(d, want)) / norm(want);
    LOG.info("aggregated over {} partitions against the double reference: J relative error {}, D {}",
        LocalSpark.PARTITIONS, jError, dError);
    assertTrue(jError <= 1e-6, "J relative error " + jError);
    assertTrue(dError <= 1e-6, "D relative error (2-norm) " + dError);

    try (CpuBackend one = new CpuBackend(sizes, 2)) {
      one.setParameters(theta);
      float[] single = new float[theta.length];
      double jSingle = one.costAndGradient(digits, lambda, single);
      assertEquals(jSingle, j, 1e-6 * jSingle, "J against one machine");
      Tensors.assertClose(Tensors.widen(single), d, 1e-7, 1e-4, "D against one machine");
    }
  }

  /** D(1), D(2), ... row-major, one vector: the flat parameter layout. */
  private static double[] concat(CostGradient g) {
    int n = 0;
    for (Matrix t : g.gradients()) {
      n += t.rows() * t.cols();
    }
    double[] out = new double[n];
    int off = 0;
    for (Matrix t : g.gradients()) {
      double[] r = t.toRowMajor();
      System.arraycopy(r, 0, out, off, r.length);
      off += r.length;
    }
    return out;
  }

  private static double[] minus(double[] a, double[] b) {
    double[] c = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i] - b[i];
    }
    return c;
  }

  private static double norm(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v * v;
    }
    return Math.sqrt(s);
  }
}
