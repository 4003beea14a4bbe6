package org.clprop.backend;

import static org.clprop.testutil.Tensors.assertClose;
import static org.clprop.testutil.Tensors.widen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.clprop.core.CostGradient;
import org.clprop.core.Network;
import org.clprop.cpu.CpuBackend;
import org.clprop.data.Dataset;
import org.clprop.data.Shuffle;
import org.clprop.opencl.OpenClBackend;
import org.clprop.opencl.OpenClTests;
import org.clprop.reference.ReferenceBackprop;
import org.clprop.testutil.Tensors;
import org.junit.jupiter.api.Test;

/**
 * The unnormalised sums of the backend contract (boundSums, batchSums): pieces of a shuffled order
 * add up to the whole, and the whole, normalised as ALGORITHM.md's step 3 says, is the reference's
 * J and D, on awkward networks and on both backends.
 */
class GradientSumsTest {
  private static final int[] AWKWARD = {1, 3, 17, 33, 129};

  @Test
  void cpuSumsAddUpToTheReferenceJAndD() {
    check(sizes -> new CpuBackend(sizes, 2), 8, 2500);
  }

  @Test
  void openClSumsAddUpToTheReferenceJAndD() {
    var device = OpenClTests.device();
    // Fewer and smaller cases: PoCL, the OpenCL device of CI, runs these shapes slowly.
    check(sizes -> new OpenClBackend(sizes, device), 4, 800);
  }

  @Test
  void cpuSumsRejectBadArguments() {
    try (CpuBackend b = new CpuBackend(new int[] {3, 2}, 1)) {
      assertThrows(IllegalStateException.class, () -> b.boundSums(new float[8]));
      b.bindTrainingSet(Tensors.randomData(5, 3, 2, 1), 2);
      assertThrows(IllegalStateException.class, () -> b.batchSums(0, 1, new float[8]));
      b.setOrder(new int[] {4, 3, 2, 1, 0});
      assertThrows(IllegalArgumentException.class, () -> b.batchSums(3, 3, new float[8]));
      assertThrows(IllegalArgumentException.class, () -> b.batchSums(0, 0, new float[8]));
      assertThrows(IllegalArgumentException.class, () -> b.boundSums(new float[7]));
    }
  }

  private static void check(Function<int[], Backend> make, int networks, int maxExamples) {
    Random r = new Random(2020);
    for (int net = 0; net < networks; net++) {
      int layers = 2 + net % 3;
      int[] sizes = new int[layers];
      for (int l = 0; l < layers; l++) {
        sizes[l] = AWKWARD[r.nextInt(AWKWARD.length)];
      }
      sizes[layers - 1] = Math.max(2, sizes[layers - 1] % 11);
      int m = 1 + r.nextInt(maxExamples);
      double lambda = net % 2 == 0 ? 0 : 3 * r.nextDouble();
      Network n = Network.initialise(sizes, net);
      Dataset data = Tensors.randomData(m, sizes[0], sizes[layers - 1], net + 7);
      String what = Arrays.toString(sizes) + " m=" + m + " lambda=" + lambda;
      try (Backend b = make.apply(sizes)) {
        b.setParameters(n.toFlatFloats());
        b.bindTrainingSet(data, Math.min(m, 1 + r.nextInt(300)));
        float[] whole = new float[n.parameterCount()];
        StepMetrics all = b.boundSums(whole);
        assertEquals(m, all.examples(), what);

        // Pieces of a shuffled order, of random lengths, add up to the whole.
        int[] order = Shuffle.permutation(m, new SplittableRandom(net));
        b.setOrder(order);
        double[] pieces = new double[whole.length];
        double cost = 0;
        long correct = 0;
        float[] part = new float[whole.length];
        for (int from = 0; from < m; ) {
          int count = Math.min(m - from, 1 + r.nextInt(Math.max(1, m / 3)));
          StepMetrics p = b.batchSums(from, count, part);
          assertEquals(count, p.examples(), what);
          cost += p.costSum();
          correct += p.correct();
          for (int i = 0; i < part.length; i++) {
            pieces[i] += part[i];
          }
          from += count;
        }
        assertEquals(all.costSum(), cost, 1e-5 * Math.max(1, Math.abs(all.costSum())), what + " cost sum");
        assertEquals(all.correct(), correct, what + " correct");
        assertClose(widen(whole), pieces, 1e-4, 1e-4, what + " Delta");

        // Normalised as ALGORITHM.md step 3: the reference's J and D.
        CostGradient want = ReferenceBackprop.costAndGradients(n, widen(data.x()), data.labels(), lambda);
        float[] theta = n.toFlatFloats();
        double j = all.costSum() / m + Regularization.term(sizes, theta, lambda, m);
        double[] d = normalise(sizes, whole, theta, lambda, m);
        assertEquals(want.cost(), j, 1e-5 * Math.max(1, want.cost()), what + " J");
        assertClose(want.gradients(), Network.fromFlatFloats(sizes, toFloats(d)).thetas(), 2e-5, 2e-4, what);
      }
    }
  }

  /** D = Delta / m + (lambda / m) Theta off the bias column. */
  static double[] normalise(int[] sizes, float[] delta, float[] theta, double lambda, long m) {
    double[] d = new double[delta.length];
    int off = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      int cols = sizes[l] + 1;
      for (int j = 0; j < sizes[l + 1]; j++) {
        for (int c = 0; c < cols; c++) {
          int i = off + j * cols + c;
          d[i] = delta[i] / (double) m + (c == 0 ? 0 : lambda / m * theta[i]);
        }
      }
      off += sizes[l + 1] * cols;
    }
    return d;
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
