package org.clprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.clprop.backend.BackendKind;
import org.clprop.cli.CliRunner;
import org.clprop.data.Digits;
import org.clprop.data.Split;
import org.clprop.opencl.OpenClTests;
import org.clprop.optim.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learning rate so large that the weights overflow makes the cost NaN: training stops, names the
 * epoch and batch, suggests a smaller learning rate, and keeps the last finite epoch's weights.
 */
class DivergenceTest {
  private static final Split SPLIT = Split.of(Digits.load(), 0.2, 42);

  private static void divergesAndKeepsTheLastGoodWeights(BackendKind kind, String device) {
    // One good epoch at a sane rate, then the same trainer's weights continue at an absurd rate.
    float[] afterGoodEpoch;
    try (Trainer good = Trainer.builder().layers(64, 16, 10).backend(kind).device(device)
        .optimizer(Optimizer.sgd(0.5)).epochs(1).seed(3).build()) {
      good.fit(SPLIT.first());
      afterGoodEpoch = good.network().toFlatFloats();
      try (Trainer wild = Trainer.builder().layers(64, 16, 10).backend(kind).device(device)
          .initialWeights(good.network()).optimizer(Optimizer.sgd(1e38)).epochs(5).seed(3).build()) {
        History h = wild.fit(SPLIT.first());
        assertTrue(h.diverged(), h.stopReason());
        assertTrue(h.stopReason().matches("diverged at epoch 1, batch \\d+: the cost became (NaN|infinite).*"),
            h.stopReason());
        assertTrue(h.stopReason().contains("try a smaller learning rate"), h.stopReason());
        assertTrue(h.epochs().isEmpty(), "no epoch completed");
        assertArrayEquals(afterGoodEpoch, wild.network().toFlatFloats(), "the starting weights are kept");
      }
    }
  }

  @Test
  void onTheCpu() {
    divergesAndKeepsTheLastGoodWeights(BackendKind.CPU, null);
  }

  @Test
  void onOpenCl() {
    divergesAndKeepsTheLastGoodWeights(BackendKind.OPENCL, Integer.toString(OpenClTests.device().index()));
  }

  @Test
  void theCommandLineExitsWithOneAndWritesNoModel(@TempDir Path dir) {
    Path out = dir.resolve("m.npz");
    CliRunner.Result r = CliRunner.run("train", "--optimizer", "sgd", "--lr", "1e38", "--backend", "cpu", "--out",
        out.toString());
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("clprop: training diverged at epoch"), r.toString());
    assertTrue(r.err().contains("smaller learning rate"), r.toString());
    assertFalse(Files.exists(out));
  }
}
