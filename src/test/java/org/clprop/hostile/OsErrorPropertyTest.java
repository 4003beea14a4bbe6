package org.clprop.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.clprop.cli.CliRunner;
import org.clprop.core.Network;
import org.clprop.model.ModelFile;

/**
 * Class 4 of issue 17, messages that say what and where: for every command and output option, an
 * unwritable folder is reported before any work with the option, the folder and "permission
 * denied"; a disk that fills while writing names the target and "no space left on device" and
 * leaves neither a temporary file nor a changed target; an unreadable input names the file and
 * "permission denied". The commands run in a child JVM without root's right to ignore file
 * permissions, with a 64 KiB file system of its own (util-linux's unshare and setpriv, as root).
 */
class OsErrorPropertyTest {
  private static Path full;
  private static ChildCli child;
  private Path dir;

  /** Skips the class, saying why, where a child cannot get its own mount and drop its capabilities. */
  @BeforeAll
  static void needsSandbox() {
    Assumptions.assumeTrue(sandbox(), "needs root with util-linux's unshare -m and setpriv (a private mount, "
        + "dropped capabilities)");
  }

  private static boolean sandbox() {
    try {
      Process p = new ProcessBuilder("unshare", "-m", "setpriv", "--bounding-set=-dac_override", "true")
          .redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static ChildCli child() throws IOException {
    if (child == null) {
      full = TestFiles.newFolder("full");
      child = ChildCli.start(List.of("unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs \"$0\" && exec "
          + "setpriv --bounding-set=-dac_override,-dac_read_search \"$@\"", full.toString()), List.of("-Xmx256m"),
          TestFiles.newFolder("child").resolve("stderr.log"));
    }
    return child;
  }

  @AfterAll
  static void stop() {
    if (child != null) {
      child.close();
      child = null;
    }
  }

  @AfterEach
  void removeFolder() {
    TestFiles.delete(dir);
  }

  /** A command line with one output option, which the try points into a folder it spoils. */
  record Writer(List<String> args, String option, String file) {}

  private static final List<Writer> WRITERS = List.of(
        new Writer(List.of("train", "--data", "d.csv", "--epochs", "1", "--hidden", "4096"), "--out", "m.npz"),
        new Writer(List.of("train", "--data", "d.csv", "--epochs", "1", "--hidden", "4096",
            "--checkpoint-every", "1"), "--checkpoint", "ck.npz"),
        new Writer(List.of("predict", "--model", "m.npz", "--data", "rows.csv"), "--out", "p.csv"),
        new Writer(List.of("grad", "--model", "big.npz", "--data", "d.csv"), "--out", "g.npz"));

  /** Where the output goes, and what is wrong there or with an input. */
  enum Trouble { UNWRITABLE_FOLDER, DISK_FULL, UNREADABLE_INPUT }

  @Test
  void failuresNameTheFileAndTheCause() {
    List<List<Object>> cases = new ArrayList<>();
    for (List<Object> p : Tries.pairs(WRITERS, List.of(Trouble.values()))) {
      for (boolean earlier : new boolean[] {false, true}) {
        cases.add(List.of(p.get(0), p.get(1), earlier));
      }
    }
    Tries.forEach(cases, c -> {
      dir = TestFiles.newFolder("os");
      try {
        spoil((Writer) c.get(0), (Trouble) c.get(1), (Boolean) c.get(2));
      } finally {
        TestFiles.delete(dir);
      }
    });
  }

  private void spoil(Writer w, Trouble trouble, boolean earlierResult) throws IOException {
    ChildCli c = child();
    Fixtures.write(dir);
    ModelFile.save(dir.resolve("big.npz"), Network.initialise(new int[] {3, 4096, 2}, 1), Map.of());
    Files.writeString(dir.resolve("rows.csv"), "0.5,0.25,0.125\n".repeat(4000));
    Path ro = Files.createDirectories(dir.resolve("ro"));
    c.clear(full);
    Path folder = trouble == Trouble.DISK_FULL ? full : trouble == Trouble.UNWRITABLE_FOLDER ? ro : dir;
    Path target = folder.resolve(w.file());
    List<String> args = new ArrayList<>();
    for (int i = 0; i < w.args().size(); i++) {
      String a = w.args().get(i);
      args.add(i > 0 && List.of("--data", "--model").contains(w.args().get(i - 1)) ? dir.resolve(a).toString() : a);
    }
    if (!args.get(0).equals("grad")) {
      args.addAll(List.of("--backend", "cpu"));
    }
    args.addAll(List.of(w.option(), target.toString()));
    if (earlierResult && trouble == Trouble.DISK_FULL) {
      // A small result of the same kind first: it must survive the failed write.
      Files.writeString(dir.resolve("tiny.csv"), "0.5,0.25,0.125\n");
      List<String> small = new ArrayList<>(List.of("predict", "--backend", "cpu", "--model",
          dir.resolve("m.npz").toString(), "--data", dir.resolve("tiny.csv").toString(), "--out", target.toString()));
      assertEquals(0, c.run(small.toArray(String[]::new)).code());
    }
    String before = c.list(full);
    Path input = dir.resolve(w.args().get(w.args().indexOf(w.args().get(0).equals("train") ? "--data" : "--model") + 1));
    if (trouble == Trouble.UNWRITABLE_FOLDER) {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    }
    if (trouble == Trouble.UNREADABLE_INPUT) {
      Files.setPosixFilePermissions(input, PosixFilePermissions.fromString("---------"));
    }
    Map<String, String> state = TestFiles.state(dir);
    CliRunner.Result r = c.run(args.toArray(String[]::new));
    String line = r.err().lines().filter(l -> l.startsWith("clprop: ")).findFirst().orElse("");
    assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), r.toString());
    switch (trouble) {
      case UNWRITABLE_FOLDER -> {
        assertEquals(2, r.code(), args + "\n" + r);
        assertTrue(line.contains(w.option()) && line.contains(ro.toString()) && line.contains("permission denied"),
            line);
        assertFalse(r.out().contains("epoch"), "reported after training:\n" + r);
      }
      case DISK_FULL -> {
        assertEquals(1, r.code(), args + "\n" + r);
        assertTrue(line.contains(target.toString()) && line.contains("no space left on device"), line);
        assertEquals(earlierResult ? before : "", c.list(full), "a temporary file left, or the target changed");
      }
      case UNREADABLE_INPUT -> {
        assertEquals(1, r.code(), args + "\n" + r);
        assertTrue(line.contains(input.toString() + ": permission denied"), line);
      }
    }
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(input, PosixFilePermissions.fromString("rw-r--r--"));
    if (trouble != Trouble.DISK_FULL) {
      assertEquals(state, TestFiles.state(dir), "files changed");
    }
  }
}
