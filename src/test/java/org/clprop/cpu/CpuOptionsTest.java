package org.clprop.cpu;

import static org.clprop.testutil.Tensors.assertClose;
import static org.clprop.testutil.Tensors.widen;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.clprop.backend.StepMetrics;
import org.clprop.core.CostGradient;
import org.clprop.core.Matrix;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.optim.Optimizer;
import org.clprop.reference.ReferenceBackprop;
import org.junit.jupiter.api.Test;

/**
 * Every combination of the backend's optimisations (CpuOptions), on the SIMD kernels with both
 * register tiles and on the plain-Java ones, against the double reference and against the plain
 * path (plain-Java kernels, every optimisation off). The network and data take every path: images
 * with black margins (zero skipping, grouping: a first layer of 512), wide and narrow layers (the
 * panel copies, the dot products, the narrow hidden delta), and more threads than processors (the
 * one-thread start and the partition). Optimisations said to change no bit must change none.
 */
class CpuOptionsTest {
  private static final int[] SIZES = {203, 512, 20, 12, 10};
  private static final int ROWS = 300;
  private static final int BATCH = 64;
  private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors() + 1);

  /** What one backend gives: a gradient, and the parameters and totals after some training steps. */
  private record Outcome(double cost, float[] gradient, float[] trained, StepMetrics metrics, float[] sgdStep) {}

  @Test
  void everyCombinationMatchesTheReferenceAndThePlainPath() {
    Dataset data = images();
    Network net = Network.initialise(SIZES, 3);
    CostGradient want = ReferenceBackprop.costAndGradients(net, widen(data.x()), data.labels(), 0.4);
    int[] batch = Arrays.copyOfRange(order(), 0, BATCH);
    Dataset first = data.subset(batch);
    double[] wantStep = sgdStep(net, ReferenceBackprop.costAndGradients(net, widen(first.x()), first.labels(), 0.4));
    Outcome plain = run(data, new CpuOptions(new ScalarKernels(), EnumSet.noneOf(CpuOptions.Optimisation.class)));
    Map<String, Outcome> firstOfGroup = new HashMap<>();
    int combinations = 0;
    for (CpuKernels kernels : new CpuKernels[] {new ScalarKernels(), new VectorKernels(4), new VectorKernels(8)}) {
      for (EnumSet<CpuOptions.Optimisation> on : subsets()) {
        String what = kernels + ", on: " + on;
        Outcome got = run(data, new CpuOptions(kernels, on));
        // The reference: cost and gradient over the data, one SGD step on the first batch.
        assertEquals(want.cost(), got.cost(), 1e-5 * Math.abs(want.cost()), what + ": cost");
        assertClose(flatten(want.gradients()), widen(got.gradient()), 2e-5, 2e-4, what + ": gradient");
        assertClose(wantStep, widen(got.sgdStep()), 1e-6, 1e-5, what + ": an SGD step");
        // The plain path: ten steps with momentum.
        assertClose(widen(plain.trained()), widen(got.trained()), 1e-5, 1e-3, what + ": trained parameters");
        assertEquals(plain.metrics().examples(), got.metrics().examples(), what);
        // Zero skipping, the partition and the one-thread start change no bit.
        EnumSet<CpuOptions.Optimisation> key = EnumSet.noneOf(CpuOptions.Optimisation.class);
        for (CpuOptions.Optimisation o : on) {
          if (o == CpuOptions.Optimisation.LAYOUT || o == CpuOptions.Optimisation.GROUP_BATCHES) {
            key.add(o);
          }
        }
        Outcome same = firstOfGroup.putIfAbsent(kernels + " " + key, got);
        if (same != null) {
          assertArrayEquals(same.gradient(), got.gradient(), what + ": gradient bits");
          assertArrayEquals(same.trained(), got.trained(), what + ": trained bits");
          assertEquals(same.metrics(), got.metrics(), what + ": totals");
        }
        combinations++;
      }
    }
    assertEquals(3 * 32, combinations);
    assertEquals(3 * 4, firstOfGroup.size());
  }

  /** The data is what the test needs: zero blocks to skip, past the grouping's threshold. */
  @Test
  void theDataTakesTheSkippingPaths() {
    assertTrue(ZeroSkipping.zeroBlocks(images(), SIZES[0]) > 0.2);
    assertTrue(SIZES[1] >= ZeroSkipping.MIN_SKIPPING_WIDTH);
  }

  private static Outcome run(Dataset data, CpuOptions options) {
    Network net = Network.initialise(SIZES, 3);
    try (CpuBackend b = new CpuBackend(SIZES, THREADS, options)) {
      b.setParameters(net.toFlatFloats());
      b.bindTrainingSet(data, BATCH);
      b.setOrder(order());
      float[] gradient = new float[net.parameterCount()];
      double cost = b.costAndGradient(data, 0.4, gradient);
      b.setOptimizer(Optimizer.sgd(0.3));
      b.trainStep(0, BATCH, 0.4);
      float[] sgdStep = b.parameters();
      b.takeMetrics();
      b.setParameters(net.toFlatFloats());
      b.setOptimizer(Optimizer.momentum(0.1, 0.9));
      for (int step = 0; step < 10; step++) {
        int from = step * BATCH % ROWS;
        b.trainStep(from, Math.min(BATCH, ROWS - from), 0.1);
      }
      return new Outcome(cost, gradient, b.parameters(), b.takeMetrics(), sgdStep);
    }
  }

  private static double[] sgdStep(Network net, CostGradient d) {
    double[] theta = widen(net.toFlatFloats());
    double[] grad = flatten(d.gradients());
    for (int i = 0; i < theta.length; i++) {
      theta[i] -= 0.3 * grad[i];
    }
    return theta;
  }

  private static double[] flatten(List<Matrix> ms) {
    List<Double> all = new ArrayList<>();
    for (Matrix m : ms) {
      for (double v : m.toRowMajor()) {
        all.add(v);
      }
    }
    return all.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static List<EnumSet<CpuOptions.Optimisation>> subsets() {
    CpuOptions.Optimisation[] all = CpuOptions.Optimisation.values();
    List<EnumSet<CpuOptions.Optimisation>> out = new ArrayList<>();
    for (int mask = 0; mask < 1 << all.length; mask++) {
      EnumSet<CpuOptions.Optimisation> on = EnumSet.noneOf(CpuOptions.Optimisation.class);
      for (int i = 0; i < all.length; i++) {
        if ((mask >> i & 1) != 0) {
          on.add(all[i]);
        }
      }
      out.add(on);
    }
    return out;
  }

  /** A fixed shuffle of the rows. */
  private static int[] order() {
    int[] order = new int[ROWS];
    Arrays.setAll(order, i -> i * 7 % ROWS);
    return order;
  }

  /** Images of 203 pixels, a run of grey ones between black margins of random widths; 10 labels. */
  private static Dataset images() {
    Random r = new Random(21);
    byte[] px = new byte[ROWS * SIZES[0]];
    for (int i = 0; i < ROWS; i++) {
      int lo = r.nextInt(80);
      int hi = 120 + r.nextInt(83);
      for (int f = lo; f < hi; f++) {
        px[i * SIZES[0] + f] = (byte) (r.nextInt(4) == 0 ? 0 : r.nextInt(256));
      }
    }
    int[] labels = new int[ROWS];
    Arrays.setAll(labels, i -> r.nextInt(10));
    return Dataset.ofPixels(px, labels, SIZES[0], 10);
  }
}
