package org.clprop.opencl;

import static org.clprop.testutil.Tensors.assertClose;
import static org.clprop.testutil.Tensors.widen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.clprop.backend.Backend;
import org.clprop.backend.Evaluation;
import org.clprop.backend.StepMetrics;
import org.clprop.core.CostGradient;
import org.clprop.core.Network;
import org.clprop.cpu.CpuBackend;
import org.clprop.data.Dataset;
import org.clprop.model.ModelSpec.Activation;
import org.clprop.model.ModelSpec.Output;
import org.clprop.optim.Optimizer;
import org.clprop.reference.CourseFixtures;
import org.clprop.reference.ReferenceBackprop;
import org.clprop.testutil.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenCL backend against the double reference and against the CPU backend, step by step. */
class OpenClBackendTest {
  private static ClDevice device;

  @BeforeAll
  static void device() {
    device = OpenClTests.device();
  }

  @Test
  void costAndGradientsMatchTheReferenceOnAwkwardNetworks() {
    compareWithReference(Activation.SIGMOID, Output.SIGMOID, 10, 1500, 77);
  }

  /** Every other hidden activation and output function, each on its own awkward networks. */
  @Test
  void everyActivationAndOutputMatchesTheReference() {
    long seed = 300;
    for (Activation g : Activation.values()) {
      for (Output out : Output.values()) {
        if (g != Activation.SIGMOID || out != Output.SIGMOID) {
          compareWithReference(g, out, 4, 400, seed++);
        }
      }
    }
  }

  private static void compareWithReference(Activation g, Output out, int networks, int maxRows, long seed) {
    Random r = new Random(seed);
    int[] awkward = {1, 3, 17, 33, 129};
    for (int net = 0; net < networks; net++) {
      int layers = 2 + net % 4;
      int[] sizes = new int[layers];
      for (int l = 0; l < layers; l++) {
        sizes[l] = awkward[r.nextInt(awkward.length)];
      }
      sizes[layers - 1] = Math.max(2, sizes[layers - 1] % 11);
      int m = 1 + r.nextInt(maxRows);
      double lambda = net % 2 == 0 ? 0 : 0.5 + 2 * r.nextDouble();
      Network n = Network.initialise(sizes, net);
      Dataset data = Tensors.randomData(m, sizes[0], sizes[layers - 1], net + 100);
      CostGradient want = ReferenceBackprop.costAndGradients(n, g, out, widen(data.x()), data.labels(), lambda);
      try (OpenClBackend b = new OpenClBackend(sizes, g, out, device)) {
        b.setParameters(n.toFlatFloats());
        float[] grad = new float[n.parameterCount()];
        double cost = b.costAndGradient(data, lambda, grad);
        String what = g + "/" + out + " " + Arrays.toString(sizes) + " m=" + m + " lambda=" + lambda;
        assertEquals(want.cost(), cost, 1e-5 * Math.max(1, want.cost()), what + " cost");
        assertClose(want.gradients(), Network.fromFlatFloats(sizes, grad).thetas(), 2e-5, 2e-4, what);
        if (out == Output.SOFTMAX) {
          float[] p = b.predictProbabilities(Arrays.copyOf(data.x(), sizes[0]), 1);
          double sum = 0;
          for (float v : p) {
            sum += v;
          }
          assertEquals(1.0, sum, 1e-6, what + ": softmax outputs sum to 1");
        }
      }
    }
  }

  /** The launch profile counts what a step launches and times each launch on the device. */
  @Test
  void profileCountsAndTimesEveryLaunchOfTheRecordedSteps() {
    int[] sizes = {20, 33, 5};
    Dataset data = Tensors.randomData(300, 20, 5, 5);
    try (OpenClBackend b = new OpenClBackend(sizes, device, true)) {
      b.setParameters(Network.initialise(sizes, 3).toFlatFloats());
      b.setOptimizer(Optimizer.defaults(Optimizer.Kind.ADAM));
      b.bindTrainingSet(data, 100);
      int[] order = new int[300];
      Arrays.setAll(order, i -> i);
      b.setOrder(order);
      b.trainStep(0, 100, 0);
      KernelProfile p = b.context().profile();
      p.start();
      for (int from = 0; from < 300; from += 100) {
        b.trainStep(from, 100, 0);
      }
      java.util.Map<String, KernelProfile.Entry> got = new java.util.HashMap<>();
      for (KernelProfile.Entry e : p.drain(b.context())) {
        got.put(e.kernel(), e);
        assertTrue(e.deviceMillis() >= 0, e.toString());
      }
      // Per step: a forward product per layer, a gradient product per layer, a delta product for
      // the hidden layer; one Adam update; no scaling with lambda 0.
      assertEquals(6, got.get("gemm_nt").launches());
      assertEquals(6, got.get("gemm_tn").launches());
      assertEquals(3, got.get("gemm_nn").launches());
      assertEquals(3, got.get("adam_update").launches());
      assertFalse(got.containsKey("scale_gradient"));
      assertTrue(got.values().stream().mapToDouble(KernelProfile.Entry::deviceMillis).sum() > 0);
      b.trainStep(0, 100, 0.5);
      assertTrue(p.drain(b.context()).isEmpty(), "recording stops at drain");
    }
  }

  @Test
  void publishedCheckNnGradientsValuesHold() {
    float[] x = new float[15];
    double[] xd = CourseFixtures.x();
    for (int i = 0; i < 15; i++) {
      x[i] = (float) xd[i];
    }
    Dataset data = Dataset.of(x, CourseFixtures.LABELS.clone(), 3, 3);
    Network net = CourseFixtures.network();
    try (OpenClBackend b = new OpenClBackend(CourseFixtures.SIZES, device)) {
      b.setParameters(net.toFlatFloats());
      for (double lambda : new double[] {0, 3}) {
        float[] g = new float[net.parameterCount()];
        b.costAndGradient(data, lambda, g);
        double[] u = new CostGradient(0, Network.fromFlatFloats(CourseFixtures.SIZES, g).thetas()).unrolledColumnMajor();
        if (lambda == 0) {
          assertClose(new double[] {-0.0092782524, 0.0088991196, -0.0083601076, 0.3145449700},
              new double[] {u[0], u[1], u[2], u[20]}, 1e-6, 1e-4, "lambda 0 entries 1..3, 21");
        } else {
          assertClose(new double[] {-0.016767980, 0.039433483, 0.059335556}, new double[] {u[5], u[6], u[7]}, 1e-6,
              1e-4, "lambda 3 entries 6..8");
        }
      }
    }
  }

  @Test
  void tenTrainingStepsMatchTheCpuBackend() {
    int[] sizes = {129, 33, 17, 10};
    Dataset data = Tensors.randomData(700, 129, 10, 4);
    for (Optimizer opt : new Optimizer[] {Optimizer.sgd(0.3), Optimizer.momentum(0.1, 0.9), Optimizer.adam(0.003)}) {
      for (boolean stream : new boolean[] {false, true}) {
        compareSteps(sizes, data, opt, stream);
      }
    }
  }

  @Test
  void streamingWholeEpochsGivesTheResidentResult() {
    int[] sizes = {33, 17, 4};
    Dataset data = Tensors.randomData(1001, 33, 4, 8);
    float[][] result = new float[2][];
    StepMetrics[] metrics = new StepMetrics[2];
    String was = System.getProperty("clprop.opencl.stream");
    try {
      for (int run = 0; run < 2; run++) {
        System.setProperty("clprop.opencl.stream", Boolean.toString(run == 1));
        try (OpenClBackend b = new OpenClBackend(sizes, device)) {
          b.setParameters(Network.initialise(sizes, 2).toFlatFloats());
          b.setOptimizer(Optimizer.adam(0.01));
          b.bindTrainingSet(data, 64);
          int[] order = new int[data.size()];
          for (int epoch = 0; epoch < 3; epoch++) {
            for (int i = 0; i < order.length; i++) {
              order[i] = (i * 7 + epoch * 101) % order.length;
            }
            b.setOrder(order.clone());
            // The trainer's pattern: consecutive batches, the last one short (1001 = 15 x 64 + 41).
            for (int from = 0; from < order.length; from += 64) {
              b.trainStep(from, Math.min(64, order.length - from), 0.1);
            }
          }
          metrics[run] = b.takeMetrics();
          result[run] = b.parameters();
          if (run == 1) {
            long[] c = b.streamingCounts();
            assertEquals(48, c[0], "batches streamed");
            assertEquals(45, c[1], "all but each epoch's first batch uploaded during the previous step");
          }
        }
      }
    } finally {
      if (was == null) {
        System.clearProperty("clprop.opencl.stream");
      } else {
        System.setProperty("clprop.opencl.stream", was);
      }
    }
    assertEquals(metrics[0], metrics[1], "summed cost and hits, resident vs streamed");
    org.junit.jupiter.api.Assertions.assertArrayEquals(result[0], result[1], "weights, resident vs streamed");
  }

  private static void compareSteps(int[] sizes, Dataset data, Optimizer opt, boolean stream) {
    Network start = Network.initialise(sizes, 5);
    int[] order = new int[data.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = (i * 13) % order.length;
    }
    String was = System.getProperty("clprop.opencl.stream");
    System.setProperty("clprop.opencl.stream", Boolean.toString(stream));
    try (Backend cl = new OpenClBackend(sizes, device); Backend cpu = new CpuBackend(sizes, 2)) {
      for (Backend b : new Backend[] {cl, cpu}) {
        b.setParameters(start.toFlatFloats());
        b.setOptimizer(opt);
        b.bindTrainingSet(data, 64);
        b.setOrder(order);
        for (int step = 0; step < 10; step++) {
          // Lambda 0 in some steps: the update then divides by m itself (no scaling launches).
          b.trainStep(step * 67 % 600, 1 + (step * 31) % 64, step % 3 == 0 ? 0 : 0.7);
        }
      }
      String what = opt.kind() + (stream ? " streaming" : " resident");
      StepMetrics mc = cl.takeMetrics();
      StepMetrics mp = cpu.takeMetrics();
      assertEquals(mp.examples(), mc.examples(), what);
      assertEquals(mp.costSum(), mc.costSum(), 1e-4 * mp.costSum(), what + " summed cost of 10 steps");
      assertEquals(mp.correct(), mc.correct(), 2, what + " correct predictions");
      assertClose(widen(cpu.parameters()), widen(cl.parameters()), 1e-5, 1e-3, what + " weights after 10 steps");
      float[] gc = new float[start.parameterCount()];
      float[] gp = new float[start.parameterCount()];
      double jc = cl.costAndGradient(data, 0.7, gc);
      double jp = cpu.costAndGradient(data, 0.7, gp);
      assertEquals(jp, jc, 1e-5 * jp, what + " J");
      assertClose(widen(gp), widen(gc), 2e-5, 2e-3, what + " D after 10 steps");
      Evaluation ec = cl.evaluate(data, 0.7);
      Evaluation ep = cpu.evaluate(data, 0.7);
      assertEquals(ep.accuracy(), ec.accuracy(), 3.0 / data.size(), what + " accuracy");
      float[] x = Arrays.copyOf(data.x(), 5 * 129);
      assertClose(widen(cpu.predictProbabilities(x, 5)), widen(cl.predictProbabilities(x, 5)), 1e-5, 1e-3,
          what + " probabilities");
    } finally {
      if (was == null) {
        System.clearProperty("clprop.opencl.stream");
      } else {
        System.setProperty("clprop.opencl.stream", was);
      }
    }
  }
}
