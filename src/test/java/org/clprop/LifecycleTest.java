package org.clprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.clprop.backend.BackendKind;
import org.clprop.backend.OptimizerState;
import org.clprop.core.Network;
import org.clprop.data.DataSource;
import org.clprop.data.Dataset;
import org.clprop.model.Checkpoint;
import org.clprop.model.ModelFile;
import org.clprop.optim.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's whole life through the public API: train, save, load, predict, stop from a callback, release. */
class LifecycleTest {
  private static final DataSource.Loaded DIGITS = DataSource.load("digits");

  @TempDir
  Path dir;

  @Test
  void trainSaveLoadAndPredictAgreeOnEveryInputForm() throws IOException {
    Path file = dir.resolve("digits.npz");
    Dataset test = DIGITS.test();
    int[] before;
    double accuracy;
    try (Trainer t = Trainer.builder().layers(64, 32, 10).epochs(15).batchSize(32).backend(BackendKind.CPU)
        .classNames(DIGITS.classNames()).build()) {
      t.fit(DIGITS.train());
      before = t.predict(test);
      accuracy = t.evaluate(test).accuracy();
      t.save(file, Map.of("note", "lifecycle"));
    }
    assertTrue(accuracy > 0.9, "accuracy " + accuracy);
    try (Trainer m = Trainer.load(file, BackendKind.CPU)) {
      assertEquals(DIGITS.classNames(), m.classNames());
      assertArrayEquals(before, m.predict(test));
      assertEquals(accuracy, m.evaluate(test).accuracy());
      float[][] rows = new float[test.size()][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = test.row(i);
      }
      assertArrayEquals(before, m.predict(rows));
      float[][] byDataset = m.predictProbabilities(test);
      float[][] byRows = m.predictProbabilities(rows);
      for (int i = 0; i < rows.length; i++) {
        assertEquals(before[i], m.predict(rows[i]), "row " + i);
        assertArrayEquals(byDataset[i], m.predictProbabilities(rows[i]), "row " + i);
        assertArrayEquals(byDataset[i], byRows[i], "row " + i);
      }
    }
    Map<String, Object> meta = ModelFile.load(file).meta();
    assertEquals("lifecycle", meta.get("note"));
    assertEquals(15.0, meta.get("epochs"));
    assertEquals("adam", meta.get("optimizer"));
  }

  @Test
  void aLoadedModelTrainsFurtherWithoutASecondBuilder() throws IOException {
    Path file = dir.resolve("m.npz");
    try (Trainer t = Trainer.builder().layers(64, 16, 10).epochs(2).backend(BackendKind.CPU).build()) {
      t.fit(DIGITS.train());
      t.save(file);
    }
    try (Trainer m = Trainer.load(file, BackendKind.CPU)) {
      double cost = m.cost(DIGITS.train());
      m.fit(DIGITS.train());
      assertTrue(m.cost(DIGITS.train()) < cost, "training a loaded model lowers its cost");
    }
  }

  @Test
  void callbacksStopTheFitAfterAnEpochOrABatch() {
    try (Trainer t = Trainer.builder().layers(64, 16, 10).epochs(20).backend(BackendKind.CPU)
        .callback(Callback.stopWhen(s -> s.epoch() == 3)).build()) {
      History h = t.fit(DIGITS.train());
      assertEquals(3, h.epochs().size());
      assertEquals("stop requested at the end of epoch 3", h.stopReason());
    }
    List<Integer> seen = new ArrayList<>();
    try (Trainer t = Trainer.builder().layers(64, 16, 10).epochs(20).batchSize(32).backend(BackendKind.CPU)
        .callback(Callback.everyBatches(5, true, (b, fit) -> {
          assertTrue(Double.isFinite(b.cost()), "a cost was asked for");
          seen.add(b.batch());
          if (b.epoch() == 2 && b.batch() == 10) {
            fit.stop();
          }
        })).build()) {
      History h = t.fit(DIGITS.train());
      assertEquals("stop requested at epoch 2, batch 10 of 45", h.stopReason());
      assertEquals(1, h.epochs().size());
    }
    assertEquals(List.of(5, 10, 15, 20, 25, 30, 35, 40, 45, 5, 10), seen);
  }

  /**
   * The dropped trainer's own workers, told apart from those of other trainers in this JVM (other
   * tests may leave unreachable ones, which a collection may release at any moment), all end.
   */
  @Test
  void anUnclosedTrainerReleasesItsThreadsWhenDropped() throws InterruptedException {
    Set<Thread> before = cpuWorkers();
    Set<Thread> ours = dropUnclosed();
    ours.removeAll(before);
    assertTrue(ours.size() >= 3, "the dropped trainer's workers ran: " + ours);
    for (int i = 0; i < 200 && ours.stream().anyMatch(Thread::isAlive); i++) {
      System.gc();
      Thread.sleep(50);
    }
    assertEquals(List.of(), ours.stream().filter(Thread::isAlive).map(Thread::getName).toList(),
        "worker threads left after the trainer became unreachable");
  }

  /** Fits a trainer and drops it unclosed; returns the workers alive while it was still reachable. */
  private static Set<Thread> dropUnclosed() {
    Trainer t = Trainer.builder().layers(64, 8, 10).epochs(1).threads(4).backend(BackendKind.CPU).build();
    t.fit(DIGITS.train());
    Set<Thread> running = cpuWorkers();
    java.lang.ref.Reference.reachabilityFence(t);
    return running;
  }

  private static Set<Thread> cpuWorkers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(th -> th.isAlive() && th.getName().startsWith("clprop-cpu-"))
        .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
  }

  /** A setting is either used by the chosen optimiser and backend, or refused: never silently ignored. */
  @Test
  void settingsWithoutEffectAreRefusedForEveryOptimiserAndBackend() {
    Network net = Network.initialise(new int[] {4, 3, 2}, 1);
    Checkpoint ckpt = new Checkpoint(net, new OptimizerState(0, null, null), 0, 0, 1, List.of());
    record Setting(String name, boolean minibatchOnly, BackendKind notWith, UnaryOperator<Trainer.Builder> apply) {}
    List<Setting> settings = List.of(
        new Setting("batchSize", true, null, b -> b.batchSize(16)),
        new Setting("learningRate", true, null, b -> b.learningRate(0.01)),
        new Setting("shuffle", true, null, b -> b.shuffle(false)),
        new Setting("checkpoint", true, null, b -> b.checkpoint(dir.resolve("c.npz"), 1)),
        new Setting("resumeFrom", true, null, b -> b.resumeFrom(ckpt)),
        new Setting("device", false, BackendKind.CPU, b -> b.device("0")),
        new Setting("threads", false, BackendKind.OPENCL, b -> b.threads(2)));
    for (Optimizer.Kind kind : Optimizer.Kind.values()) {
      for (BackendKind backend : BackendKind.values()) {
        for (Setting s : settings) {
          Trainer.Builder b = s.apply.apply(Trainer.builder().layers(4, 3, 2).optimizer(kind).backend(backend));
          boolean refused = s.minibatchOnly && kind == Optimizer.Kind.LBFGS || backend == s.notWith;
          String what = s.name + " with " + kind + " on " + backend;
          if (refused) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build, what);
            assertTrue(e.getMessage().startsWith(s.name + "("), what + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("no effect") || e.getMessage().contains("not resumable"), what);
          } else {
            try (Trainer t = b.build()) {
              assertEquals(backend == BackendKind.CPU ? "cpu" : t.backendDescription().substring(0, 3),
                  t.backendDescription().substring(0, 3), what);
            } catch (IllegalStateException unavailable) {
              // OPENCL (or a named device under AUTO) without an OpenCL device: accepted, then unavailable.
              assertTrue(unavailable.getMessage().contains("OpenCL"), what + ": " + unavailable.getMessage());
            } catch (IllegalArgumentException e) {
              fail(what + " was refused: " + e.getMessage());
            }
          }
        }
      }
    }
  }
}
