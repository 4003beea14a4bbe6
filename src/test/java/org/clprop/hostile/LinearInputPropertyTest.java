package org.clprop.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.clprop.cli.CliRunner;
import org.clprop.core.MemoryBudgetException;
import org.clprop.io.DataFormatException;
import org.clprop.model.ModelFile;
import org.clprop.npy.Npy;
import org.clprop.npy.NpyArray;
import org.clprop.npy.Npz;

/**
 * Class 2 of issue 17, no hang from a small file: meta.json of any nesting depth and any string
 * length, .npy headers of any text, and checkpoints of any progress are read or refused in time
 * linear in their size (a checkpoint's progress is checked against the run before anything is
 * replayed); and every input of every command may be a pipe, read once.
 */
class LinearInputPropertyTest {
  private static final Duration QUICK = Duration.ofSeconds(5);
  private Path dir;

  @AfterEach
  void removeFolder() {
    TestFiles.delete(dir);
  }

  /** meta.json nested to any depth: read up to 32 levels, refused beyond, always at once. */
  @Test
  void metaJsonOfAnyDepthIsReadOrRefusedAtOnce() {
    Tries.forAll(21, 60, r -> new int[] {Tries.logUniform(r, 1, 200_000), r.nextInt(2),
        Tries.logUniform(r, 1, 100_000)}, a -> inFolder("meta", () -> meta(a[0], a[1] == 1, a[2])));
  }

  private void meta(int depth, boolean objects, int stringLength) throws IOException {
    StringBuilder json = new StringBuilder("{\"classNames\": [\"" + "\\\"a".repeat(stringLength / 3) + "\"], \"x\": ");
    for (int i = 0; i < depth; i++) {
      json.append(objects ? "{\"k\": " : "[");
    }
    json.append("1");
    for (int i = 0; i < depth; i++) {
      json.append(objects ? "}" : "]");
    }
    json.append('}');
    Path m = dir.resolve("m.npz");
    Npz.write(m, Map.of("theta1", NpyArray.float32(2, 3, new double[6])), Map.of("meta.json", json.toString()));
    assertTimeoutPreemptively(QUICK, () -> {
      try {
        ModelFile.Model model = ModelFile.load(m);
        assertTrue(depth + 1 <= 32, "nested " + (depth + 1) + " deep, yet read");
        assertEquals(stringLength / 3 * 2, model.classNames().get(0).length());
      } catch (DataFormatException e) {
        assertTrue(e.getMessage().contains("meta.json"), e.getMessage());
        assertTrue(depth + 1 > 32 || stringLength / 3 * 2 > 65_536, "refused: " + e.getMessage());
      }
    });
  }

  /** Any .npy header text (up to 64 KiB of the dict's own fragments in any order): read or refused at once. */
  @Test
  void anyNpyHeaderIsReadOrRefusedAtOnce() {
    Tries.forAll(22, 60, LinearInputPropertyTest::header, LinearInputPropertyTest::npyHeader);
  }

  private static void npyHeader(String header) {
    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0});
    b.writeBytes(new byte[] {(byte) h.length, (byte) (h.length >> 8), (byte) (h.length >> 16), 0});
    b.writeBytes(h);
    b.writeBytes(new byte[64]);
    assertTimeoutPreemptively(QUICK, () -> {
      try {
        Npy.read(new ByteArrayInputStream(b.toByteArray()), "h.npy");
      } catch (DataFormatException | MemoryBudgetException e) {
        assertTrue(e.getMessage().startsWith("h.npy"), e.getMessage());
      }
    });
  }

  /** Up to 20,000 of the dict's own fragments in any order, below 64 KiB. */
  private static String header(Random r) {
    String[] fragment = {"'shape': (", "'descr': '", "'fortran_order': ", "(", ")", "'", ",", " ", "   ", "1", "8",
        "<f8", "True", "False", ":", "{", "}"};
    StringBuilder b = new StringBuilder();
    for (int i = 0, n = Tries.logUniform(r, 1, 20_000); i < n && b.length() < 60_000; i++) {
      b.append(fragment[r.nextInt(fragment.length)]);
    }
    return b.toString();
  }

  /** A checkpoint of any progress: resumed when it continues this run, refused at once otherwise. */
  /** A crafted progress with the optimiser that made it and the run that resumes it. */
  record Resume(double[] progress, String madeBy, String resumedWith, int epochs, int batch, int historyRows) {
    @Override
    public String toString() {
      return java.util.Arrays.toString(progress) + " " + madeBy + " -> " + resumedWith + ", --epochs " + epochs
          + " --batch " + batch + ", " + historyRows + " history rows";
    }
  }

  @Test
  void aCheckpointOfAnyProgressResumesOrIsRefusedBeforeReplay() {
    String[] opt = {"sgd", "momentum", "adam"};
    Tries.forAll(23, 60, r -> {
      String made = Tries.oneOf(r, opt);
      return new Resume(progress(r), made, r.nextInt(4) == 0 ? Tries.oneOf(r, opt) : made, 1 + r.nextInt(5),
          1 + r.nextInt(9), r.nextInt(7));
    }, c -> inFolder("progress", () -> resume(c.progress(), c.madeBy(), c.resumedWith(), c.epochs(), c.batch(),
        c.historyRows())));
  }

  private void resume(double[] progress, String madeBy, String resumedWith, int epochs, int batch, int historyRows)
      throws IOException {
    Fixtures.write(dir);
    Path ck = dir.resolve("ck.npz");
    Npz.Contents c = Npz.read(ck);
    Map<String, NpyArray> arrays = new LinkedHashMap<>(c.arrays());
    arrays.put("progress", new NpyArray("<f8", new int[] {4}, progress));
    int p = arrays.get("theta1").values().length + arrays.get("theta2").values().length;
    arrays.remove("optimizer_first");
    arrays.remove("optimizer_second");
    if (!madeBy.equals("sgd")) {
      arrays.put("optimizer_first", new NpyArray("<f4", new int[] {p}, new double[p]));
    }
    if (madeBy.equals("adam")) {
      arrays.put("optimizer_second", new NpyArray("<f4", new int[] {p}, new double[p]));
    }
    arrays.put("history", NpyArray.float64(new int[] {historyRows, 7}, new double[historyRows * 7]));
    Npz.write(ck, arrays, Map.of("meta.json", new String(c.other().get("meta.json"), StandardCharsets.UTF_8)));
    int batches = (Fixtures.ROWS + Math.min(batch, Fixtures.ROWS) - 1) / Math.min(batch, Fixtures.ROWS);
    boolean whole = progress[0] >= 0 && progress[1] >= 0 && progress[2] >= 0 && progress[1] < 1e9
        && progress[2] < 1e9 && progress[0] == Math.rint(progress[0]) && progress[1] == Math.rint(progress[1])
        && progress[2] == Math.rint(progress[2]);
    boolean fits = whole && madeBy.equals(resumedWith) && progress[1] == historyRows && progress[1] <= epochs
        && progress[2] < batches && progress[0] == progress[1] * batches + progress[2];
    CliRunner.Result r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRunner.run("train", "--backend",
        "cpu", "--data", dir.resolve("d.csv").toString(), "--resume", ck.toString(), "--checkpoint",
        dir.resolve("next.npz").toString(), "--epochs", Integer.toString(epochs), "--batch", Integer.toString(batch),
        "--optimizer", resumedWith));
    if (fits) {
      assertEquals(0, r.code(), r.toString());
    } else {
      assertEquals(1, r.code(), r.toString());
      assertTrue(r.err().startsWith("clprop: " + ck), r.toString());
      assertFalse(r.out().contains("epoch "), "trained before refusing:\n" + r);
    }
  }

  /** Progress [steps, epochs done, batches done, 0]: mostly consistent small values, some hostile ones. */
  private static double[] progress(Random r) {
    if (r.nextBoolean()) {
      int e = r.nextInt(6);
      int b = r.nextInt(3);
      int per = 1 + r.nextInt(8);
      return new double[] {e * per + b, e, b, 0};
    }
    double[] hostile = {3e7, 1e300, -1.0, 0.5, Double.NaN, Double.POSITIVE_INFINITY, 2147483648.0,
        9.007199254740993e15};
    double[] p = new double[4];
    for (int i = 0; i < 3; i++) {
      p[i] = r.nextInt(9) == 0 ? hostile[r.nextInt(hostile.length)] : r.nextInt(7);
    }
    return p;
  }

  /** A command with one of its input options given as a FIFO. */
  record PipedInput(List<String> args, String option) {}

  private static final List<PipedInput> PIPED = List.of(
        new PipedInput(List.of("train", "--data", "d.csv", "--out", "out.npz"), "--data"),
        new PipedInput(List.of("train", "--data", "d.npz", "--out", "out.npz"), "--data"),
        new PipedInput(List.of("train", "--data", "d.csv", "--batch", "8", "--resume", "ck.npz", "--out", "out.npz"),
            "--resume"),
        new PipedInput(List.of("evaluate", "--model", "m.npz", "--data", "d.csv"), "--model"),
        new PipedInput(List.of("evaluate", "--model", "m.npz", "--data", "d.csv"), "--data"),
        new PipedInput(List.of("evaluate", "--model", "m.npz", "--data", "d.npz"), "--data"),
        new PipedInput(List.of("predict", "--model", "m.npz", "--data", "d.csv"), "--model"),
        new PipedInput(List.of("predict", "--model", "m.npz", "--data", "d.csv"), "--data"),
        new PipedInput(List.of("grad", "--model", "m.npz", "--data", "d.csv", "--out", "out.npz"), "--model"),
        new PipedInput(List.of("grad", "--model", "m.npz", "--data", "d.csv", "--out", "out.npz"), "--data"));

  /** Any input of any command given as a named pipe: the same result as from the file, read once. */
  @Test
  void everyInputMayBeAPipe() {
    Tries.forEach(Tries.pairs(PIPED, List.of(false, true)), p -> inFolder("fifo",
        () -> piped((PipedInput) p.get(0), (Boolean) p.get(1))));
  }

  private void piped(PipedInput piped, boolean gzipped) throws Exception {
    Fixtures.write(dir);
    List<String> plain = resolve(piped.args(), dir.resolve("plain-"));
    int at = piped.args().indexOf(piped.option()) + 1;
    Path source = dir.resolve(piped.args().get(at));
    byte[] bytes = Files.readAllBytes(source);
    if (gzipped && source.toString().endsWith(".csv")) {
      ByteArrayOutputStream z = new ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream g = new java.util.zip.GZIPOutputStream(z)) {
        g.write(bytes);
      }
      bytes = z.toByteArray();
    }
    Path fifo = dir.resolve("fifo" + (source.toString().endsWith(".npz") ? ".npz" : ""));
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
    List<String> viaPipe = resolve(piped.args(), dir.resolve("piped-"));
    viaPipe.set(at, fifo.toString());
    CliRunner.Result expected = CliRunner.run(withCpu(plain));
    Thread writer = feed(fifo, bytes);
    CliRunner.Result got;
    try {
      got = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRunner.run(withCpu(viaPipe)),
          "the command hung on a pipe: " + viaPipe);
    } finally {
      release(fifo, writer);
    }
    assertEquals(expected.code(), got.code(), got.toString());
    assertEquals(0, got.code(), got.toString());
    if (piped.args().get(0).equals("predict")) {
      assertEquals(expected.out(), got.out());
    }
    if (piped.args().contains("--out")) {
      assertEquals(thetas(dir.resolve("plain-out.npz")), thetas(dir.resolve("piped-out.npz")));
    }
  }

  /** The arrays of a .npz, by name, as lists (comparable). */
  private static Map<String, List<Double>> thetas(Path npz) {
    Map<String, List<Double>> m = new java.util.TreeMap<>();
    Npz.read(npz).arrays().forEach((k, v) -> m.put(k, java.util.Arrays.stream(v.values()).boxed().toList()));
    return m;
  }

  private static String[] withCpu(List<String> args) {
    List<String> a = new java.util.ArrayList<>(args);
    if (!a.get(0).equals("grad")) {
      a.addAll(List.of("--backend", "cpu"));
    }
    if (a.get(0).equals("train")) {
      a.addAll(List.of("--epochs", "5", "--seed", "3"));
    }
    return a.toArray(String[]::new);
  }

  /** The arguments with file names made paths in the fixture folder, and outputs prefixed by {@code out}. */
  private List<String> resolve(List<String> args, Path out) {
    List<String> a = new java.util.ArrayList<>(args);
    for (int i = 1; i < a.size(); i += 2) {
      if (a.get(i).equals("--out")) {
        a.set(i + 1, out + a.get(i + 1));
      } else if (List.of("--data", "--model", "--resume").contains(a.get(i))) {
        a.set(i + 1, dir.resolve(a.get(i + 1)).toString());
      }
    }
    return a;
  }

  /** A thread that writes {@code bytes} into the FIFO once, as a shell's {@code <(cat file)} would. */
  private static Thread feed(Path fifo, byte[] bytes) {
    Thread t = new Thread(() -> {
      try {
        Files.write(fifo, bytes);
      } catch (IOException e) {
        // the reader went away: the result shows it
      }
    }, "fifo-writer");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Unblocks a writer that no reader took, so that no thread is left waiting on the FIFO. */
  private static void release(Path fifo, Thread writer) throws InterruptedException {
    writer.join(2000);
    if (writer.isAlive()) {
      try (var in = new java.io.FileInputStream(fifo.toFile())) {
        byte[] buf = new byte[1 << 16];
        while (in.read(buf) >= 0) {
          // drain (FileInputStream.readAllBytes asks a pipe for its position: "illegal seek")
        }
      } catch (IOException e) {
        fail("releasing " + fifo + " after " + writer.getState(), e);
      }
      writer.join(2000);
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
