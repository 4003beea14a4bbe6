package org.clprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.clprop.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGKILL at random moments while a child JVM saves a model over and over: after every kill the
 * file is whole and loads (the old model or the new one, never a torn one).
 */
class KillDuringSaveTest {
  private static final Logger LOG = LoggerFactory.getLogger(KillDuringSaveTest.class);
  private static final int KILLS = 50;

  @TempDir
  Path dir;

  @Test
  void fiftyKillsLeaveALoadableModelEveryTime() throws Exception {
    Path model = dir.resolve("m.npz");
    Path log = dir.resolve("probe.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Random r = new Random(7);
    int loaded = 0;
    for (int k = 0; k < KILLS; k++) {
      Process p = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
          System.getProperty("java.class.path"), SaveKillProbe.class.getName(), model.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      // Wait for the first save, then kill at a random moment among the next saves.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.readString(log).contains("saving") && System.nanoTime() < deadline && p.isAlive()) {
        Thread.sleep(5);
      }
      Thread.sleep(r.nextInt(200));
      p.destroyForcibly(); // SIGKILL on Linux
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertTrue(Files.exists(model), "kill " + k + ": the model file is missing\n" + Files.readString(log));
      ModelFile.load(model); // throws on a torn or corrupt file
      loaded++;
    }
    long leftovers;
    try (Stream<Path> s = Files.list(dir)) {
      leftovers = s.filter(f -> f.getFileName().toString().endsWith(".tmp")).count();
    }
    String figure = KILLS + " kills during saves: " + loaded + " loads, 0 corrupt or missing; " + leftovers
        + " temporary files left by killed writes (never the model itself)";
    LOG.info(figure);
    System.err.println("KillDuringSaveTest: " + figure);
    assertEquals(KILLS, loaded);
  }
}
