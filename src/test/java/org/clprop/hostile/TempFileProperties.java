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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import org.clprop.io.AtomicFiles;

/**
 * Class 4 of issue 17, no temporary litter: a write ended by SIGTERM, SIGINT, its own failure or
 * nothing at all leaves the target whole (old or new) and no temporary file; and any mix of
 * temporary files beside a target is cleaned by the next write exactly where their writer is
 * gone.
 */
class TempFileProperties {
  private static final String OLD = "the earlier content\n";
  private Path dir;

  @AfterTry
  void removeFolder() {
    TestFiles.delete(dir);
  }

  /** How the writing process ends. */
  enum End { SIGTERM, SIGINT, FAILURE, NORMAL }

  @Property(seed = "51")
  void everyEndTheJvmSeesLeavesNoTemporaryFile(@ForAll End end, @ForAll("delays") int delayMs) throws Exception {
    dir = TestFiles.newFolder("signals");
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

  @Provide
  Arbitrary<Integer> delays() {
    return Arbitraries.of(0, 300);
  }

  /** A temporary file's writer: a process that has ended, one that runs, or this JVM. */
  enum Writer { GONE, RUNNING, THIS_JVM }

  /** Beside a target, temporary files of any writers, of other targets, and look-alikes: the next write removes exactly the gone. */
  @Property(seed = "52")
  void theNextWriteRemovesTheTemporaryFilesOfGoneWriters(@ForAll("writers") List<Writer> writers,
      @ForAll("digits") List<String> randoms) throws Exception {
    dir = TestFiles.newFolder("stale");
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

  @Provide
  Arbitrary<List<Writer>> writers() {
    return Arbitraries.of(Writer.values()).list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<String>> digits() {
    return Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20).list().ofMinSize(1).ofMaxSize(4);
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
}
