package org.clprop.opencl;

import static org.clprop.testutil.Tensors.assertClose;
import static org.clprop.testutil.Tensors.widen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import org.clprop.History;
import org.clprop.Trainer;
import org.clprop.backend.BackendKind;
import org.clprop.data.Digits;
import org.clprop.data.Mnist;
import org.clprop.data.Split;
import org.clprop.optim.Optimizer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whole fits through the Trainer on the OpenCL backend, against the same fits on the CPU. */
class OpenClTrainingTest {
  private static final Logger LOG = LoggerFactory.getLogger(OpenClTrainingTest.class);
  private static String device;

  @BeforeAll
  static void device() {
    device = Integer.toString(OpenClTests.device().index());
  }

  private static Trainer.Builder builder(BackendKind kind, int[] layers) {
    return Trainer.builder().layers(layers).backend(kind).device(kind == BackendKind.OPENCL ? device : null).seed(3);
  }

  @Test
  void digitsTrainToTheSameWeightsAsOnTheCpu() {
    Split split = Split.of(Digits.load(), 0.2, 42);
    float[][] weights = new float[2][];
    double[] acc = new double[2];
    BackendKind[] kinds = {BackendKind.CPU, BackendKind.OPENCL};
    for (int i = 0; i < 2; i++) {
      try (Trainer t = builder(kinds[i], new int[] {64, 32, 10}).optimizer(Optimizer.adam(0.01)).batchSize(32)
          .epochs(3).lambda(0.5).build()) {
        assertTrue(t.backendDescription().startsWith(i == 0 ? "cpu" : "opencl"), t.backendDescription());
        t.fit(split.first());
        weights[i] = t.network().toFlatFloats();
        acc[i] = t.evaluate(split.second()).accuracy();
      }
    }
    assertClose(widen(weights[0]), widen(weights[1]), 1e-4, 1e-2, "weights after 3 epochs of Adam");
    assertEquals(acc[0], acc[1], 0.01, "held-out accuracy");
  }

  @Test
  void lbfgsRunsOnTheDevice() {
    Split split = Split.of(Digits.load(), 0.2, 42);
    try (Trainer t = builder(BackendKind.OPENCL, new int[] {64, 32, 10}).optimizer(Optimizer.Kind.LBFGS)
        .lambda(1.0).epochs(100).build()) {
      History h = t.fit(split.first());
      double acc = t.evaluate(split.second()).accuracy();
      LOG.info("L-BFGS on OpenCL: held-out accuracy {} after {} iterations", acc, h.epochs().size());
      assertTrue(acc >= 0.93, "accuracy " + acc);
    }
  }

  @Test
  void fashionMnistReachesTheCpuAccuracyWithinHalfAPoint() {
    if (!Files.isDirectory(Mnist.DEBIAN_FASHION_MNIST)) {
      String why = Mnist.DEBIAN_FASHION_MNIST + " is missing (apt-get install dataset-fashion-mnist)";
      if (OpenClTests.required()) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    Mnist.TrainTest data = Mnist.load(Mnist.DEBIAN_FASHION_MNIST);
    double[] acc = new double[2];
    BackendKind[] kinds = {BackendKind.CPU, BackendKind.OPENCL};
    for (int i = 0; i < 2; i++) {
      long t0 = System.nanoTime();
      try (Trainer t = builder(kinds[i], new int[] {784, 128, 10}).optimizer(Optimizer.adam(0.001)).batchSize(128)
          .epochs(5).build()) {
        t.fit(data.train());
        acc[i] = t.evaluate(data.test()).accuracy();
        LOG.info("Fashion-MNIST 784-128-10, 5 epochs of Adam on {}: test accuracy {} ({} s)", t.backendDescription(),
            acc[i], Math.round((System.nanoTime() - t0) / 1e9));
      }
    }
    assertTrue(acc[0] > 0.84, "CPU accuracy " + acc[0]);
    assertEquals(acc[0], acc[1], 0.005, "OpenCL vs CPU test accuracy");
  }
}
