package org.clprop.cpu;

import static org.clprop.testutil.Tensors.assertClose;
import static org.clprop.testutil.Tensors.widen;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.clprop.backend.OptimizerState;
import org.clprop.backend.StepMetrics;
import org.clprop.core.CostGradient;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.optim.Optimizer;
import org.clprop.reference.ReferenceBackprop;
import org.clprop.testutil.Tensors;
import org.junit.jupiter.api.Test;

/** The float32 batch backend against the double per-example reference. */
class CpuBackendTest {
  /** Float32 rounding over sums of a few hundred terms. */
  private static final double ABS = 2e-5;
  private static final double REL = 2e-4;

  @Test
  void costAndGradientsMatchTheReferenceOnAwkwardNetworks() {
    Random r = new Random(2024);
    int[] awkward = {1, 3, 17, 129};
    for (int net = 0; net < 12; net++) {
      int layers = 2 + net % 4;
      int[] sizes = new int[layers];
      for (int l = 0; l < layers; l++) {
        sizes[l] = awkward[r.nextInt(awkward.length)];
      }
      sizes[layers - 1] = Math.max(2, sizes[layers - 1] % 11);
      int m = 1 + r.nextInt(70);
      double lambda = net % 2 == 0 ? 0 : 0.5 + r.nextDouble() * 3;
      compare(sizes, m, lambda, 100 + net, 1 + r.nextInt(2));
    }
  }

  @Test
  void chunkedGradientOverMoreRowsThanOneChunk() {
    compare(new int[] {17, 33, 5}, 1300, 1.5, 9, 2);
  }

  @Test
  void thePlainJavaFallbackMatchesTheReferenceToo() {
    compare(new int[] {129, 17, 3, 10}, 70, 0.5, 21, 2, new ScalarKernels());
    compare(new int[] {3, 1, 2}, 5, 0, 22, 1, new ScalarKernels());
  }

  private static void compare(int[] sizes, int m, double lambda, long seed, int threads) {
    compare(sizes, m, lambda, seed, threads, CpuKernels.best());
  }

  private static void compare(int[] sizes, int m, double lambda, long seed, int threads, CpuKernels kernels) {
    Network net = Network.initialise(sizes, seed);
    Dataset data = Tensors.randomData(m, sizes[0], sizes[sizes.length - 1], seed + 1);
    CostGradient want = ReferenceBackprop.costAndGradients(net, widen(data.x()), data.labels(), lambda);
    try (CpuBackend b = new CpuBackend(sizes, threads, parallel(kernels))) {
      b.setParameters(net.toFlatFloats());
      float[] g = new float[net.parameterCount()];
      double cost = b.costAndGradient(data, lambda, g);
      String what = Arrays.toString(sizes) + " m=" + m + " lambda=" + lambda;
      assertEquals(want.cost(), cost, 1e-5 * Math.max(1, Math.abs(want.cost())), what + " cost");
      assertClose(want.gradients(), Network.fromFlatFloats(sizes, g).thetas(), ABS, REL, what);
    }
  }

  @Test
  void oneSgdStepOnEachBatchSizeMovesTheWeightsByTheReferenceGradient() {
    oneSgdStep(new int[] {17, 3, 1});
    // A first layer wide enough to be held as b then W' inside the backend.
    oneSgdStep(new int[] {17, 40, 3});
  }

  /** Adam's first moment after one step is (1 - beta1) D, read back in Backend's layout. */
  @Test
  void optimizerStateComesOutInTheThetaLayout() {
    int[] sizes = {33, 48, 20, 4};
    Dataset data = Tensors.randomData(50, 33, 4, 6);
    Network net = Network.initialise(sizes, 12);
    try (CpuBackend b = new CpuBackend(sizes, 2, parallel(CpuKernels.best()))) {
      b.setParameters(net.toFlatFloats());
      b.setOptimizer(Optimizer.adam(0.01));
      b.bindTrainingSet(data, 50);
      int[] order = new int[50];
      Arrays.setAll(order, i -> i);
      b.setOrder(order);
      b.trainStep(0, 50, 0.7);
      double[] grad = flatten(ReferenceBackprop.costAndGradients(net, widen(data.x()), data.labels(), 0.7));
      double[] m = widen(b.optimizerState().first());
      double[] want = new double[grad.length];
      for (int i = 0; i < want.length; i++) {
        want[i] = 0.1 * grad[i];
      }
      assertClose(want, m, 1e-7, 1e-4, "first moment");
      // And back in: distinct values set are the values read, in place.
      float[] first = new float[grad.length];
      float[] second = new float[grad.length];
      for (int i = 0; i < first.length; i++) {
        first[i] = i;
        second[i] = -i;
      }
      b.setOptimizerState(new OptimizerState(3, first, second));
      assertArrayEquals(first, b.optimizerState().first());
      assertArrayEquals(second, b.optimizerState().second());
    }
  }

  private static void oneSgdStep(int[] sizes) {
    int out = sizes[sizes.length - 1];
    Dataset data = Tensors.randomData(37, 17, out, 5);
    for (int batch : new int[] {1, 5, 36, 37}) {
      Network net = Network.initialise(sizes, 11);
      int[] order = new int[37];
      for (int i = 0; i < order.length; i++) {
        order[i] = (i * 7) % 37;
      }
      try (CpuBackend b = new CpuBackend(sizes, 2, parallel(CpuKernels.best()))) {
        b.setParameters(net.toFlatFloats());
        b.setOptimizer(Optimizer.sgd(0.3));
        b.bindTrainingSet(data, batch);
        b.setOrder(order);
        // The last, partial batch of the epoch: rows order[from .. 37).
        int from = (36 / batch) * batch;
        int count = 37 - from;
        b.trainStep(from, count, 0.8);
        Dataset rows = data.subset(Arrays.copyOfRange(order, from, 37));
        CostGradient d = ReferenceBackprop.costAndGradients(net, widen(rows.x()), rows.labels(), 0.8);
        double[] before = widen(net.toFlatFloats());
        double[] want = new double[before.length];
        double[] grad = flatten(d);
        for (int i = 0; i < want.length; i++) {
          want[i] = before[i] - 0.3 * grad[i];
        }
        assertClose(want, widen(b.parameters()), 1e-6, 1e-5, "batch " + batch);
        assertEquals(count, b.takeMetrics().examples());
      }
    }
  }

  /**
   * Training steps with the plain-Java kernels against the SIMD ones: the input layer's update runs
   * inside its gradient product, told row by row (plain Java) or four rows at a time (SIMD).
   */
  @Test
  void plainJavaTrainingMatchesTheSimdKernels() {
    int[] sizes = {129, 48, 17, 10};
    Dataset data = Tensors.randomData(300, 129, 10, 4);
    Run simd = train(sizes, data, 2);
    Run plain = train(sizes, data, 2, new ScalarKernels());
    assertClose(widen(simd.parameters()), widen(plain.parameters()), 1e-6, 1e-5, "parameters");
    assertEquals(simd.metrics().correct(), plain.metrics().correct());
  }

  /**
   * A first layer wider than four times its inputs: its gradient product (and the update inside it)
   * is split between threads by columns, in pieces that are no multiple of the SIMD width.
   */
  @Test
  void aColumnSplitInputLayerTrainsBitwiseTheSameForAnyThreadCount() {
    // 64 x 17 x 400 multiply-adds: enough work for three parts (WorkPartition.PART_WORK).
    int[] sizes = {17, 400, 10};
    Dataset data = Tensors.randomData(300, 17, 10, 8);
    Run one = train(sizes, data, 1);
    assertArrayEquals(one.parameters(), train(sizes, data, 2).parameters());
    assertArrayEquals(one.parameters(), train(sizes, data, 3).parameters());
  }

  @Test
  void resultsAreBitwiseTheSameForAnyThreadCount() {
    int[] sizes = {129, 33, 17, 10};
    Dataset data = Tensors.randomData(300, 129, 10, 3);
    Run one = train(sizes, data, 1);
    Run two = train(sizes, data, 2);
    Run three = train(sizes, data, 3);
    assertArrayEquals(one.parameters(), two.parameters());
    assertArrayEquals(one.parameters(), three.parameters());
    // The cost and hit counts too: the rows' costs are summed in row order whichever thread made them.
    assertEquals(one.metrics(), two.metrics());
    assertEquals(one.metrics(), three.metrics());
  }

  /**
   * A dataset held as pixel bytes trains to exactly what its float features train to, on the
   * vector and on the plain-Java kernels, for any thread count; and the validation and cost
   * paths (which gather through the same code) agree too.
   */
  @Test
  void pixelDataTrainsBitwiseAsItsFloats() {
    int[] sizes = {129, 33, 10};
    Random r = new Random(12);
    byte[] px = new byte[300 * 129];
    r.nextBytes(px);
    int[] labels = new int[300];
    Arrays.setAll(labels, i -> r.nextInt(10));
    Dataset pixels = Dataset.ofPixels(px, labels, 129, 10);
    Dataset floats = Dataset.of(pixels.x().clone(), labels.clone(), 129, 10);
    for (int i = 0; i < px.length; i++) {
      assertEquals(Dataset.pixel(px[i]), floats.x()[i]);
    }
    Run want = train(sizes, floats, 2);
    assertArrayEquals(want.parameters(), train(sizes, pixels, 2).parameters());
    assertEquals(want.metrics(), train(sizes, pixels, 3).metrics());
    assertArrayEquals(train(sizes, floats, 1, new ScalarKernels()).parameters(),
        train(sizes, pixels, 1, new ScalarKernels()).parameters());
    Dataset held = Dataset.ofPixels(px.clone(), labels.clone(), 129, 10);
    try (CpuBackend a = new CpuBackend(sizes, 2); CpuBackend b = new CpuBackend(sizes, 2, parallel(CpuKernels.best()))) {
      a.setParameters(want.parameters());
      b.setParameters(want.parameters());
      float[] ga = new float[want.parameters().length];
      float[] gb = new float[ga.length];
      assertEquals(a.costAndGradient(floats, 0.3, ga), b.costAndGradient(held.slice(0, 300), 0.3, gb));
      assertArrayEquals(ga, gb);
      assertEquals(a.evaluate(floats.subset(new int[] {5, 7, 9}), 0),
          b.evaluate(held.subset(new int[] {5, 7, 9}), 0));
    }
    assertNotNull(held.slice(0, 10).pixels(), "a slice of pixels stays pixels");
    assertNotNull(held.subset(new int[] {3}).pixels(), "so does a subset");
  }

  /**
   * Images with black margins: the input layer's gradient product skips the blocks of eight pixels
   * that are black in an example, and (512 units or more) its forward product the pixels black in a
   * whole strip of eight examples; training ends with exactly the parameters, costs and hits of the
   * dense products, on 1 and 2 threads, as bytes and as floats, with 8- and 4-row tiles (inputs not a
   * multiple of 8 wide, so the last block is short; the last batch of 44 rows ends in half a strip).
   */
  @Test
  void skippingBlackBlocksOfPixelsChangesNoBit() {
    for (int[] sizes : new int[][] {{203, 40, 10}, {203, 512, 10}}) {
      for (CpuKernels kernels : new CpuKernels[] {CpuKernels.best(), new VectorKernels(4)}) {
        skippingChangesNoBit(sizes, kernels);
      }
    }
  }

  private static void skippingChangesNoBit(int[] sizes, CpuKernels kernels) {
    Random r = new Random(21);
    byte[] px = new byte[300 * 203];
    for (int i = 0; i < 300; i++) {
      int lo = r.nextInt(80);
      int hi = 120 + r.nextInt(83);
      for (int f = lo; f < hi; f++) {
        px[i * 203 + f] = (byte) (r.nextInt(4) == 0 ? 0 : r.nextInt(256));
      }
    }
    int[] labels = new int[300];
    Arrays.setAll(labels, i -> r.nextInt(10));
    Dataset pixels = Dataset.ofPixels(px, labels, 203, 10);
    Dataset floats = Dataset.of(pixels.x().clone(), labels.clone(), 203, 10);
    assertTrue(ZeroSkipping.zeroBlocks(pixels, 203) > 0.2, "the data has black blocks to skip");
    assertEquals(ZeroSkipping.zeroBlocks(pixels, 203), ZeroSkipping.zeroBlocks(floats, 203));
    assertEquals(0.0, ZeroSkipping.zeroBlocks(Tensors.randomData(300, 203, 10, 4), 203));
    Run dense = train(sizes, pixels, 1, kernels, false);
    for (int threads : new int[] {1, 2}) {
      String what = Arrays.toString(sizes) + ", " + threads + " threads, " + kernels;
      assertArrayEquals(dense.parameters(), train(sizes, pixels, threads, kernels, false).parameters(), what);
      for (Dataset d : new Dataset[] {pixels, floats}) {
        Run skipping = train(sizes, d, threads, kernels, true);
        assertArrayEquals(dense.parameters(), skipping.parameters(), what);
        assertEquals(dense.metrics(), skipping.metrics(), what);
      }
    }
  }

  /**
   * The weights of the input layer and of wide hidden layers are kept a second time in the panels
   * their forward and delta products read; after training steps (on 1 and 2 threads, the update splitting their
   * rows between them) they must be exactly the weights: predictions equal those of a backend given
   * the trained parameters afresh, and so do gradients.
   */
  @Test
  void theProductsPanelsFollowEveryUpdate() {
    int[] sizes = {129, 70, 40, 10};
    Dataset data = Tensors.randomData(300, 129, 10, 6);
    for (int threads : new int[] {1, 2}) {
      try (CpuBackend trained = new CpuBackend(sizes, threads, parallel(CpuKernels.best()));
          CpuBackend fresh = new CpuBackend(sizes, threads)) {
        trained.setParameters(Network.initialise(sizes, 4).toFlatFloats());
        trained.setOptimizer(Optimizer.adam(0.01));
        trained.bindTrainingSet(data, 64);
        int[] order = new int[300];
        Arrays.setAll(order, i -> i);
        trained.setOrder(order);
        float[] before = trained.predictProbabilities(data.x(), 300);
        for (int from = 0; from < 300; from += 64) {
          trained.trainStep(from, Math.min(64, 300 - from), 0.1);
        }
        fresh.setParameters(trained.parameters());
        float[] got = trained.predictProbabilities(data.x(), 300);
        assertArrayEquals(fresh.predictProbabilities(data.x(), 300), got, threads + " threads");
        assertFalse(Arrays.equals(before, got), "the steps changed the predictions");
        // The hidden deltas' products read W in panels too: the gradients must agree as well.
        float[] gt = new float[trained.parameters().length];
        float[] gf = new float[gt.length];
        assertEquals(fresh.costAndGradient(data, 0.1, gf), trained.costAndGradient(data, 0.1, gt));
        assertArrayEquals(gf, gt, threads + " threads: gradients");
      }
    }
  }

  /** The first steps on one thread (while the JIT compiles), then all: the same bits as all along. */
  @Test
  void theOneThreadStartChangesNoBit() {
    int[] sizes = {129, 66, 10};
    Dataset data = Tensors.randomData(300, 129, 10, 8);
    float[][] got = new float[2][];
    for (int run = 0; run < 2; run++) {
      CpuOptions options = run == 1 ? parallel(CpuKernels.best()) : CpuOptions.defaults();
      try (CpuBackend b = new CpuBackend(sizes, Runtime.getRuntime().availableProcessors() + 1, options)) {
        b.setParameters(Network.initialise(sizes, 2).toFlatFloats());
        b.setOptimizer(Optimizer.adam(0.01));
        b.bindTrainingSet(data, 32);
        int[] order = new int[300];
        Arrays.setAll(order, i -> (i * 7) % 300);
        b.setOrder(order);
        // 150 steps, past the one-thread start; 30 x 129 x 66 multiply-adds are enough to split.
        for (int epoch = 0; epoch < 15; epoch++) {
          for (int from = 0; from < 300; from += 30) {
            b.trainStep(from, 30, 0.1);
          }
        }
        got[run] = b.parameters();
      }
    }
    assertArrayEquals(got[1], got[0]);
  }

  private record Run(float[] parameters, StepMetrics metrics) {}

  /** The default options with {@code kernels}, splitting work from the first step (no one-thread start). */
  private static CpuOptions parallel(CpuKernels kernels) {
    return CpuOptions.defaults().with(kernels).without(CpuOptions.Optimisation.ONE_THREAD_START);
  }

  private static Run train(int[] sizes, Dataset data, int threads) {
    return train(sizes, data, threads, CpuKernels.best());
  }

  private static Run train(int[] sizes, Dataset data, int threads, CpuKernels kernels) {
    return train(sizes, data, threads, kernels, true);
  }

  private static Run train(int[] sizes, Dataset data, int threads, CpuKernels kernels, boolean skipZeros) {
    CpuOptions options = parallel(kernels);
    try (CpuBackend b = new CpuBackend(sizes, threads,
        skipZeros ? options : options.without(CpuOptions.Optimisation.SKIP_ZEROS))) {
      b.setParameters(Network.initialise(sizes, 1).toFlatFloats());
      b.setOptimizer(Optimizer.adam(0.01));
      b.bindTrainingSet(data, 64);
      int[] order = new int[data.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = order.length - 1 - i;
      }
      b.setOrder(order);
      for (int from = 0; from < order.length; from += 64) {
        b.trainStep(from, Math.min(64, order.length - from), 0.1);
      }
      return new Run(b.parameters(), b.takeMetrics());
    }
  }

  private static double[] flatten(CostGradient d) {
    int n = 0;
    for (var g : d.gradients()) {
      n += g.rows() * g.cols();
    }
    double[] out = new double[n];
    int off = 0;
    for (var g : d.gradients()) {
      double[] r = g.toRowMajor();
      System.arraycopy(r, 0, out, off, r.length);
      off += r.length;
    }
    return out;
  }

}
