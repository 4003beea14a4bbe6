package org.clprop.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.clprop.io.AtomicFiles;

/**
 * Class 4 of issue 17, no temporary litter: a write ended by SIGTERM, SIGINT, its own failure or
 * nothing at all leaves the target whole (old or new) and no temporary file; and any mix of
 * temporary files beside a target is cleaned by the next write exactly where their writer is
 * gone.
 */
class TempFilePropertyTest {
  private static final String OLD = "the earlier content\n";
  private Path dir;

  @AfterEach
  void removeFolder() {
    TestFiles.delete(dir);
  }

  /** How the writing process ends. */
  enum End { SIGTERM, SIGINT, FAILURE, NORMAL }

  @Test
  void everyEndTheJvmSeesLeavesNoTemporaryFile() {
    Tries.forEach(Tries.pairs(List.of(End.values()), List.of(0, 300)), p -> inFolder("signals",
        () -> end((End) p.get(0), (Integer) p.get(1))));
  }

  private void end(End end, int delayMs) throws Exception {
    Path target = dir.resolve("model.npz");
    Files.writeString(target, OLD);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), SlowWriteProbe.class.getName(),
        target.toString()));
    if (end == End.FAILURE) {
      cmd.add("fail");
    }
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.log").toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("writing", out.readLine());
    Thread.sleep(delayMs);
    if (end == End.SIGTERM || end == End.SIGINT) {
      new ProcessBuilder("kill", end == End.SIGTERM ? "-TERM" : "-INT", Long.toString(p.pid())).start().waitFor();
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe did not end");
    String content = Files.readString(target);
    assertTrue(content.equals(OLD) || content.length() == SlowWriteProbe.BLOCKS * SlowWriteProbe.BLOCK,
        end + ": a torn target of " + content.length() + " bytes");
    assertEquals(end == End.NORMAL ? 0 : end == End.FAILURE ? 1 : end == End.SIGTERM ? 143 : 130, p.exitValue());
    assertEquals(Set.of("model.npz", "stderr.log"), names(dir), end + " after " + delayMs + " ms");
  }

  /** A temporary file's writer: a process that has ended, one that runs, or this JVM. */
  enum Writer { GONE, RUNNING, THIS_JVM }

  /** Beside a target, temporary files of any writers, of other targets, and look-alikes: the next write removes exactly the gone. */
  @Test
  void theNextWriteRemovesTheTemporaryFilesOfGoneWriters() {
    Tries.forAll(52, 100, r -> {
      List<Writer> w = new ArrayList<>();
      for (int i = r.nextInt(9); i > 0; i--) {
        w.add(Tries.oneOf(r, Writer.values()));
      }
      List<String> digits = new ArrayList<>();
      for (int i = 1 + r.nextInt(4); i > 0; i--) {
        String u = Long.toUnsignedString(r.nextLong());
        digits.add(u.substring(0, 1 + r.nextInt(u.length())));
      }
      return List.of(w, digits);
    }, p -> inFolder("stale", () -> stale(cast(p.get(0)), cast(p.get(1)))));
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> cast(Object o) {
    return (List<T>) o;
  }

  private void stale(List<Writer> writers, List<String> randoms) throws Exception {
    Path target = dir.resolve("m.npz");
    long gone = goneProcess();
    long running = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
    Set<String> kept = new TreeSet<>(List.of("m.npz", ".m.npz.tmp", ".m.npzx." + gone + ".1.tmp", ".other.npz."
        + gone + ".2.tmp", ".m.npz." + gone + ".x.tmp", "m.npz." + gone + ".3.tmp"));
    for (String name : kept) {
      Files.writeString(dir.resolve(name), "x");
    }
    for (int i = 0; i < writers.size(); i++) {
      long pid = switch (writers.get(i)) {
        case GONE -> gone;
        case RUNNING -> running;
        case THIS_JVM -> ProcessHandle.current().pid();
      };
      String name = ".m.npz." + pid + "." + randoms.get(i % randoms.size()) + i + ".tmp";
      Files.writeString(dir.resolve(name), "stale");
      if (writers.get(i) == Writer.RUNNING) {
        kept.add(name);
      }
    }
    AtomicFiles.write(target, o -> o.write(1));
    assertEquals(kept, names(dir));
  }

  /**
   * The pid of no process: above Linux's largest possible (PID_MAX_LIMIT, 2^22); an ended
   * process's pid may soon name a new thread, which counts as running.
   */
  private static long goneProcess() {
    return (1L << 22) + 12345;
  }

  private static Set<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** Runs {@code body} in a new folder, removed after it. */
  private void inFolder(String what, Tries.Body body) throws Exception {
    TestFiles.inFolder(what, d -> {
      dir = d;
      body.run();
    });
  }
}
