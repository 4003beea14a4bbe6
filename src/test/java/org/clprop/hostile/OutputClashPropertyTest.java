package org.clprop.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.clprop.cli.CliRunner;
import org.clprop.data.CsvReader;
import org.clprop.data.Table;

/**
 * Class 1 of issue 17, no input destroyed: for every subcommand, every pair of an output option
 * and an input option (or of two outputs), and every way of spelling one file twice (the same
 * text, relative against absolute, dot segments, a symbolic link to the file or to its folder, a
 * chain of links, a hard link), the command stops with a usage error naming both options before
 * it writes anything. And a UTF-8 byte-order mark never changes what a CSV file holds.
 */
class OutputClashPropertyTest {
  private Path dir;

  @AfterEach
  void removeFolder() {
    TestFiles.delete(dir);
  }

  /** Ways of naming a file a second time. */
  enum Spelling { SAME, RELATIVE, DOTS, LINK, LINK_CHAIN, FOLDER_LINK, HARD_LINK }

  /** A subcommand, one of its input options with the file it names there, one of its output options. */
  record Pair(String command, String input, String inputFile, String output) {}

  private static final List<Pair> PAIRS = pairs();

  private static List<Pair> pairs() {
    List<Pair> p = new ArrayList<>();
    for (String out : List.of("--out", "--plot", "--checkpoint")) {
      for (String data : List.of("d.csv", "d.npz", "idx/train-images-idx3-ubyte", "idx/t10k-labels-idx1-ubyte")) {
        p.add(new Pair("train", "--data", data, out));
      }
      if (!out.equals("--checkpoint")) {
        p.add(new Pair("train", "--resume", "ck.npz", out)); // a checkpoint may continue itself: see below
      }
    }
    for (String cmd : List.of("predict", "grad")) {
      p.add(new Pair(cmd, "--model", "m.npz", "--out"));
      p.add(new Pair(cmd, "--data", "d.csv", "--out"));
    }
    return p;
  }

  /** A pair of options, a spelling and the side that gets it. */
  record Clash(Pair pair, Spelling spelling, boolean aliasOnInput) {}

  @Test
  void anOutputThatIsAnInputIsAUsageErrorAndNothingChanges() {
    Tries.forAll(17, 60, r -> new Clash(PAIRS.get(r.nextInt(PAIRS.size())), Tries.oneOf(r, Spelling.values()),
        r.nextBoolean()), c -> inFolder("clash", () -> clash(c.pair(), c.spelling(), c.aliasOnInput())));
  }

  private void clash(Pair pair, Spelling spelling, boolean aliasOnInput) throws IOException {
    Fixtures.write(dir);
    Path file = dir.resolve(pair.inputFile());
    Path alias = alias(file, spelling);
    Path in = aliasOnInput && spelling != Spelling.FOLDER_LINK ? alias : file;
    Path out = in == alias ? file : alias;
    if (pair.input().equals("--data") && pair.inputFile().startsWith("idx/")) {
      in = in.getParent(); // --data names the folder; the output is one of the files in it
    }
    List<String> args = new ArrayList<>(switch (pair.command()) {
      case "train" -> List.of("train", "--backend", "cpu", "--epochs", "1");
      case "predict" -> List.of("predict", "--backend", "cpu", "--model", dir.resolve("m.npz").toString(), "--data",
          dir.resolve("d.csv").toString());
      default -> List.of("grad", "--model", dir.resolve("m.npz").toString(), "--data", dir.resolve("d.csv").toString());
    });
    setOption(args, pair.input(), in);
    setOption(args, pair.output(), out);
    expectClash(args, pair.output(), pair.input());
  }

  /** Two output options, a spelling, and whether the file exists already. */
  record Outputs(List<String> options, Spelling spelling, boolean exists) {}

  @Test
  void twoOutputsNamingOneFileAreAUsageError() {
    List<String> all = List.of("--out", "--plot", "--checkpoint");
    Tries.forAll(18, 60, r -> {
      int a = r.nextInt(3);
      int b = (a + 1 + r.nextInt(2)) % 3;
      return new Outputs(List.of(all.get(a), all.get(b)), Tries.oneOf(r, Spelling.values()), r.nextBoolean());
    }, o -> inFolder("outputs", () -> twoOutputs(o.options(), o.spelling(), o.exists())));
  }

  private void twoOutputs(List<String> outputs, Spelling spelling, boolean exists) throws IOException {
    Fixtures.write(dir);
    Path file = dir.resolve("result.npz");
    if (exists || spelling == Spelling.HARD_LINK || spelling == Spelling.LINK || spelling == Spelling.LINK_CHAIN) {
      Files.writeString(file, "an earlier result");
    }
    Path alias = alias(file, spelling);
    List<String> args = new ArrayList<>(List.of("train", "--backend", "cpu", "--epochs", "1", "--data",
        dir.resolve("d.csv").toString()));
    setOption(args, outputs.get(0), file);
    setOption(args, outputs.get(1), alias);
    expectClash(args, outputs.get(0), outputs.get(1));
  }

  /** The one pair allowed to name one file: a checkpoint written again by the run that resumes it. */
  @Test
  void aCheckpointMayReplaceTheOneItResumes() {
    Tries.forEach(List.of(Spelling.values()), s -> inFolder("resume", () -> continued(s)));
  }

  private void continued(Spelling spelling) throws IOException {
    Fixtures.write(dir);
    Path ck = dir.resolve("ck.npz");
    Path alias = alias(ck, spelling);
    CliRunner.Result r = CliRunner.run("train", "--backend", "cpu", "--data", dir.resolve("d.csv").toString(),
        "--batch", "8", "--epochs", "4", "--checkpoint-every", "1", "--resume", ck.toString(), "--checkpoint",
        alias.toString());
    assertEquals(0, r.code(), r.toString());
    assertEquals(4, org.clprop.model.Checkpoint.load(alias).epochsDone(), "the checkpoint continued");
  }

  /** Any table, with or without a header, \n or \r\n: the same with a UTF-8 byte-order mark in front. */
  @Test
  void aByteOrderMarkChangesNothing() {
    Tries.forAll(20, 200, OutputClashPropertyTest::table, csv -> inFolder("bom", () -> sameWithMark(csv)));
  }

  private void sameWithMark(String csv) throws IOException {
    Path plain = dir.resolve("plain.csv");
    Path marked = dir.resolve("marked.csv");
    Files.writeString(plain, csv, StandardCharsets.UTF_8);
    Files.writeString(marked, "\uFEFF" + csv, StandardCharsets.UTF_8);
    Table a = CsvReader.read(plain, CsvReader.Labels.REQUIRED, -1);
    Table b = CsvReader.read(marked, CsvReader.Labels.REQUIRED, -1);
    assertEquals(a.features(), b.features());
    assertArrayEquals(a.x(), b.x());
    assertArrayEquals(a.labels(), b.labels());
    assertArrayEquals(a.lines(), b.lines());
  }

  /** A table of 1 - 12 rows of 1 - 5 features and a label, with or without a header, \n or \r\n. */
  private static String table(Random rnd) {
    int c = 1 + rnd.nextInt(5);
    int r = 1 + rnd.nextInt(12);
    int at = rnd.nextInt(c + 2) - 1;
    boolean header = at >= 0;
    int label = header ? at : c; // a header names it; without one, -1 (the last) is used
    String nl = rnd.nextBoolean() ? "\r\n" : "\n";
    StringBuilder b = new StringBuilder();
    if (header) {
      for (int i = 0; i <= c; i++) {
        b.append(i == 0 ? "" : ",").append(i == label ? "label" : "f" + i);
      }
      b.append(nl);
    }
    for (int i = 0; i < r; i++) {
      for (int j = 0; j <= c; j++) {
        b.append(j == 0 ? "" : ",").append(j == label ? Integer.toString(rnd.nextInt(4))
            : Double.toString(Math.round(rnd.nextGaussian() * 1000) / 100.0));
      }
      b.append(nl);
    }
    return b.toString();
  }

  /** Runs {@code body} in a new folder, removed after it. */
  private void inFolder(String what, Tries.Body body) throws Exception {
    TestFiles.inFolder(what, d -> {
      dir = d;
      body.run();
    });
  }

  private void expectClash(List<String> args, String optionA, String optionB) {
    Map<String, String> before = TestFiles.state(dir);
    CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
    String line = r.err().lines().filter(l -> l.startsWith("clprop: ")).findFirst().orElse("");
    assertEquals(2, r.code(), args + "\n" + r);
    assertTrue(line.contains(optionA) && line.contains(optionB) && line.contains("same file"), args + "\n" + r);
    assertFalse(r.out().contains("written"), r.toString());
    assertEquals(before, TestFiles.state(dir), "files changed: " + args);
  }

  /** Another name for {@code file}, made in its folder as {@code spelling} says. */
  private Path alias(Path file, Spelling spelling) throws IOException {
    Path folder = file.getParent();
    String name = file.getFileName().toString();
    return switch (spelling) {
      case SAME -> file;
      case RELATIVE -> Path.of("").toAbsolutePath().relativize(file);
      case DOTS -> {
        Files.createDirectories(folder.resolve("sub"));
        yield Path.of(folder + "/sub/../." + "/" + name);
      }
      case LINK -> Files.createSymbolicLink(folder.resolve("link-" + name), file);
      case LINK_CHAIN -> Files.createSymbolicLink(folder.resolve("link2-" + name),
          Files.createSymbolicLink(folder.resolve("link1-" + name), Path.of(name)));
      case FOLDER_LINK -> Files.createSymbolicLink(dir.resolve("folder-link-" + folder.getFileName()), folder)
          .resolve(name);
      case HARD_LINK -> Files.createLink(folder.resolve("hard-" + name), file);
    };
  }

  private static void setOption(List<String> args, String option, Path value) {
    int i = args.indexOf(option);
    if (i >= 0) {
      args.set(i + 1, value.toString());
    } else {
      args.add(option);
      args.add(value.toString());
    }
  }
}
