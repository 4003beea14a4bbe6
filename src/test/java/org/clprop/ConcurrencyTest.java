package org.clprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.clprop.backend.BackendKind;
import org.clprop.data.Digits;
import org.clprop.data.Split;
import org.clprop.opencl.OpenClTests;
import org.clprop.optim.Optimizer;
import org.junit.jupiter.api.Test;

/**
 * Separate trainers used from separate threads at once give what each gives alone, on the CPU and
 * on one OpenCL device; one trainer used from two threads at once refuses the second.
 */
class ConcurrencyTest {
  private static final Split SPLIT = Split.of(Digits.load(), 0.2, 42);
  private static final int TRAINERS = 4;

  private static float[] train(BackendKind kind, String device, int seed) {
    Trainer.Builder b = Trainer.builder().layers(64, 32, 10).backend(kind).device(device)
        .optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(3).seed(seed);
    if (kind == BackendKind.CPU) {
      b.threads(2);
    }
    try (Trainer t = b.build()) {
      t.fit(SPLIT.first());
      return t.network().toFlatFloats();
    }
  }

  private static void compareConcurrentWithAlone(BackendKind kind, String device) throws Exception {
    List<float[]> alone = new ArrayList<>();
    for (int i = 0; i < TRAINERS; i++) {
      alone.add(train(kind, device, i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(TRAINERS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<float[]>> runs = new ArrayList<>();
      for (int i = 0; i < TRAINERS; i++) {
        int seed = i;
        runs.add(pool.submit(() -> {
          start.await();
          return train(kind, device, seed);
        }));
      }
      start.countDown();
      for (int i = 0; i < TRAINERS; i++) {
        assertArrayEquals(alone.get(i), runs.get(i).get(300, TimeUnit.SECONDS),
            kind + " trainer " + i + ": concurrent result differs from the same trainer alone");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void fourCpuTrainersAtOnceMatchTheirSingleRuns() throws Exception {
    compareConcurrentWithAlone(BackendKind.CPU, null);
  }

  @Test
  void fourOpenClTrainersOnOneDeviceMatchTheirSingleRuns() throws Exception {
    compareConcurrentWithAlone(BackendKind.OPENCL, Integer.toString(OpenClTests.device().index()));
  }

  @Test
  void oneTrainerFromTwoThreadsFailsClearly() throws Exception {
    CountDownLatch insideFit = new CountDownLatch(1);
    CountDownLatch secondTried = new CountDownLatch(1);
    try (Trainer t = Trainer.builder().layers(64, 16, 10).backend(BackendKind.CPU).epochs(2)
        .callback(new Callback() {
          @Override
          public void onEpochEnd(EpochStats s, FitControl fit) {
            insideFit.countDown();
            try {
              secondTried.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }).build()) {
      Thread fitter = new Thread(() -> t.fit(SPLIT.first()), "fitter");
      fitter.start();
      assertTrue(insideFit.await(60, TimeUnit.SECONDS));
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.evaluate(SPLIT.second()));
      assertTrue(e.getMessage().contains("in use by thread 'fitter'"), e.getMessage());
      secondTried.countDown();
      fitter.join(60_000);
      // Once the first thread is done, the trainer serves the next one.
      assertTrue(t.evaluate(SPLIT.second()).accuracy() > 0);
    }
  }
}
