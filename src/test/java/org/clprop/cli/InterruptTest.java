package org.clprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.clprop.model.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) during training: stop after the batch, write a checkpoint, exit 130, say how to resume. */
class InterruptTest {

  @Test
  void sigintWritesACheckpointAndExits130(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("train.log");
    Path ckpt = dir.resolve("run.ckpt.npz");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "train", "--epochs", "1000000", "--backend", "cpu",
        "--checkpoint", ckpt.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log).contains("epoch   2") && System.nanoTime() < deadline && p.isAlive()) {
      Thread.sleep(20);
    }
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
    assertEquals(0, kill.waitFor());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("no exit after SIGINT:\n" + Files.readString(log));
    }
    String out = Files.readString(log);
    assertEquals(130, p.exitValue(), out);
    assertTrue(out.contains("clprop: interrupted: stopped at "), out);
    assertTrue(out.contains("--resume " + ckpt), out);
    Checkpoint c = Checkpoint.load(ckpt);
    assertTrue(c.epochsDone() >= 1, "epochs done " + c.epochsDone());
  }
}
