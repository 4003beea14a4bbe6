package org.clprop;

import static org.clprop.testutil.Tensors.assertClose;
import static org.clprop.testutil.Tensors.widen;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.clprop.backend.BackendKind;
import org.clprop.config.Settings;
import org.clprop.data.Digits;
import org.clprop.data.Split;
import org.clprop.model.Checkpoint;
import org.clprop.opencl.OpenClTests;
import org.clprop.optim.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fit stopped and resumed from its checkpoint ends where the uninterrupted fit ends. */
class ResumeTest {
  private static final Split SPLIT = Split.of(Digits.load(), 0.2, 42);

  @TempDir
  Path dir;

  /** How the fits of a test shuffle (the default unless a test sets it). */
  private Shuffling shuffling = Shuffling.auto();

  private Trainer.Builder builder(BackendKind kind, String device) {
    return Trainer.builder().layers(64, 24, 10).backend(kind).device(device).optimizer(Optimizer.adam(0.01))
        .batchSize(32).lambda(0.3).seed(5).shuffling(shuffling);
  }

  private float[] uninterrupted(BackendKind kind, String device) {
    try (Trainer t = builder(kind, device).epochs(4).build()) {
      t.fit(SPLIT.first());
      return t.network().toFlatFloats();
    }
  }

  /** Stops at epoch 3, batch 10 (a stop request from a batch callback), then resumes to epoch 4. */
  private float[] stoppedAndResumed(BackendKind kind, String device, Path file) {
    History h;
    try (Trainer stopper = builder(kind, device).epochs(4).checkpoint(file, 1).callback(new Callback() {
      @Override
      public void onBatchEnd(BatchEnd b, FitControl fit) {
        if (b.epoch() == 3 && b.batch() == 10) {
          fit.stop();
        }
      }

      @Override
      public int batchInterval() {
        return 1;
      }
    }).build()) {
      h = stopper.fit(SPLIT.first());
    }
    assertEquals("stop requested at epoch 3, batch 10 of 45", h.stopReason());
    assertEquals(2, h.epochs().size());
    Checkpoint c = Checkpoint.load(file);
    assertEquals(2, c.epochsDone());
    assertEquals(10, c.batchesDone());
    assertEquals(2, c.history().size());
    try (Trainer t = builder(kind, device).epochs(4).resumeFrom(c).build()) {
      History after = t.fit(SPLIT.first());
      assertEquals(4, after.epochs().size(), "the resumed history holds all epochs");
      assertEquals("completed", after.stopReason());
      return t.network().toFlatFloats();
    }
  }

  @Test
  void cpuResumeIsBitwiseTheUninterruptedRun() {
    float[] straight = uninterrupted(BackendKind.CPU, null);
    float[] resumed = stoppedAndResumed(BackendKind.CPU, null, dir.resolve("cpu.ckpt.npz"));
    assertArrayEquals(straight, resumed);
  }

  @Test
  void cpuResumeFromAnEpochCheckpoint() {
    float[] straight = uninterrupted(BackendKind.CPU, null);
    Path file = dir.resolve("every2.npz");
    try (Trainer t = builder(BackendKind.CPU, null).epochs(2).checkpoint(file, 2).build()) {
      t.fit(SPLIT.first());
    }
    try (Trainer t = builder(BackendKind.CPU, null).epochs(4).resumeFrom(Checkpoint.load(file)).build()) {
      t.fit(SPLIT.first());
      assertArrayEquals(straight, t.network().toFlatFloats());
    }
  }

  @Test
  void cpuResumeWithBlockShufflingIsBitwiseTheUninterruptedRun() {
    // Blocks of 20 digits (64 float features), windows of 3 blocks.
    System.setProperty(Settings.DATA_BLOCK_BYTES.property(), Integer.toString(20 * 64 * 4));
    try {
      shuffling = Shuffling.blocks(3);
      float[] straight = uninterrupted(BackendKind.CPU, null);
      float[] resumed = stoppedAndResumed(BackendKind.CPU, null, dir.resolve("blocks.ckpt.npz"));
      assertArrayEquals(straight, resumed);
      shuffling = Shuffling.full();
      assertFalse(Arrays.equals(straight, uninterrupted(BackendKind.CPU, null)), "block and full shuffles differ");
    } finally {
      System.clearProperty(Settings.DATA_BLOCK_BYTES.property());
    }
  }

  @Test
  void openClResumeMatchesTheUninterruptedRun() {
    String device = Integer.toString(OpenClTests.device().index());
    float[] straight = uninterrupted(BackendKind.OPENCL, device);
    float[] resumed = stoppedAndResumed(BackendKind.OPENCL, device, dir.resolve("cl.ckpt.npz"));
    assertClose(widen(straight), widen(resumed), 1e-6, 1e-5, "OpenCL weights, resumed vs uninterrupted");
    assertTrue(straight.length > 0);
  }
}
