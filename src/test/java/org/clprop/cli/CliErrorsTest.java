package org.clprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input the command line meets: one line on stderr naming the file and the line or byte
 * offset, exit 2 for usage errors and 1 for failures, no stack trace without --verbose, and no
 * output file (nor temporary file) left behind.
 */
class CliErrorsTest {
  @TempDir
  Path dir;
  Path model;

  @BeforeEach
  void trainASmallModel() {
    model = dir.resolve("m.npz");
    CliRun r = CliRun.of("train", "--epochs", "2", "--backend", "cpu", "--out", model.toString());
    assertEquals(0, r.code(), r.toString());
  }

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  /**
   * Only the named subcommand's model is built (Main); the help still lists every one, the help
   * command describes any, and a misspelt subcommand is a usage error.
   */
  @Test
  void helpListsEverySubcommandAndAMisspeltOneIsAUsageError() throws IOException {
    CliRun help = CliRun.of("--help");
    assertEquals(0, help.code(), help.toString());
    for (String c : List.of("train", "evaluate", "predict", "grad", "devices", "bench", "help")) {
      assertTrue(help.out().lines().anyMatch(l -> l.strip().startsWith(c + " ")), c + " missing from\n" + help.out());
    }
    CliRun about = CliRun.of("help", "predict");
    assertEquals(0, about.code(), about.toString());
    assertTrue(about.out().startsWith("Usage: clprop predict"), about.out());
    fails(2, new String[] {"trian", "--epochs", "1"}, "trian");
  }

  /** Runs, checks the exit code and that stderr holds every fragment, on one line, without a stack trace. */
  private void fails(int code, String[] args, String... fragments) throws IOException {
    List<Path> before = files();
    CliRun r = CliRun.of(args);
    assertEquals(code, r.code(), r.toString());
    String line = r.err().lines().filter(l -> l.startsWith("clprop: ")).findFirst()
        .orElseThrow(() -> new AssertionError("no 'clprop: ' line\n" + r));
    for (String f : fragments) {
      assertTrue(line.contains(f), "'" + line + "' lacks '" + f + "'");
    }
    assertFalse(r.err().contains("\tat "), "a stack trace without --verbose:\n" + r);
    assertEquals(before, files(), "files appeared or vanished in " + dir);
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private String out() {
    return dir.resolve("out.npz").toString();
  }

  @Test
  void missingAndUnreadableFiles() throws IOException {
    fails(1, new String[] {"evaluate", "--model", dir.resolve("none.npz").toString()}, "none.npz", "no such file");
    fails(1, new String[] {"train", "--data", dir.resolve("none.csv").toString(), "--out", out()}, "none.csv",
        "no such file");
    Path notZip = write("junk.npz", "this is not a zip archive");
    fails(1, new String[] {"evaluate", "--model", notZip.toString()}, "junk.npz");
  }

  @Test
  void corruptIdxHeader() throws IOException {
    Path d = Files.createDirectory(dir.resolve("idx"));
    Files.write(d.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28});
    fails(1, new String[] {"train", "--data", d.toString(), "--out", out()}, "train-images-idx3-ubyte",
        "byte offset 12");
    Files.write(d.resolve("train-images-idx3-ubyte"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    fails(1, new String[] {"train", "--data", d.toString(), "--out", out()}, "bad IDX magic", "byte offset 0");
  }

  @Test
  void raggedAndNonNumericCsvRows() throws IOException {
    Path ragged = write("ragged.csv", "1,2,3,0\n4,5,6,1\n7,8,1\n");
    fails(1, new String[] {"train", "--data", ragged.toString(), "--out", out()}, "ragged.csv:3", "3 fields",
        "expected 4");
    Path text = write("text.csv", "a,b,c,label\n1,2,3,0\n4,x5,6,1\n");
    fails(1, new String[] {"train", "--data", text.toString(), "--out", out()}, "text.csv:3", "column 2", "'x5'",
        "not a number");
    Path badLabel = write("badlabel.csv", "1,2,3,0\n4,5,6,1.5\n");
    fails(1, new String[] {"train", "--data", badLabel.toString(), "--out", out()}, "badlabel.csv:2", "'1.5'");
  }

  @Test
  void labelOutOfRangeAndNonFiniteValues() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      sb.append("0,".repeat(64)).append(i == 2 ? "12" : "3").append('\n');
    }
    Path labels = write("labels.csv", sb.toString());
    fails(1, new String[] {"grad", "--model", model.toString(), "--data", labels.toString(), "--out", out()},
        "labels.csv:3", "label 12", "outside 0..9");
    fails(1, new String[] {"evaluate", "--model", model.toString(), "--data", labels.toString()}, "labels.csv:3",
        "label 12");
    Path nan = write("nan.csv", "1,2,NaN,0\n1,2,3,1\n");
    fails(1, new String[] {"train", "--data", nan.toString(), "--out", out()}, "nan.csv:1", "column 3", "NaN",
        "finite");
    Path inf = write("inf.csv", "1,2,3,0\n1,Infinity,3,1\n");
    fails(1, new String[] {"train", "--data", inf.toString(), "--out", out()}, "inf.csv:2", "Infinity");
  }

  @Test
  void modelThatDoesNotFitTheData() throws IOException {
    Path small = write("small.csv", "1,2,3,0\n4,5,6,1\n");
    fails(1, new String[] {"evaluate", "--model", model.toString(), "--data", small.toString()}, "small.csv",
        "3 features", "takes 64 inputs");
    fails(1, new String[] {"grad", "--model", model.toString(), "--data", small.toString(), "--out", out()},
        "small.csv", "takes 64 inputs");
    fails(1, new String[] {"predict", "--model", model.toString(), "--data", small.toString(), "--out",
        dir.resolve("p.csv").toString()}, "small.csv", "takes 64 inputs");
  }

  @Test
  void usageErrorsExitWithTwo() throws IOException {
    fails(2, new String[] {"train", "--bogus"}, "Unknown option", "--bogus");
    fails(2, new String[] {"train", "--optimizer", "rmsprop"}, "--optimizer", "rmsprop");
    fails(2, new String[] {"train", "--epochs", "zero"}, "--epochs", "zero");
    fails(2, new String[] {"train", "--batch", "0"}, "batchSize", "0");
    fails(2, new String[] {"train", "--layers", "10,5,10"}, "--layers", "64 features");
    fails(2, new String[] {"train", "--early-stop", "3"}, "--early-stop", "--validation");
    fails(2, new String[] {"train", "--activation", "gelu"}, "--activation", "'gelu'", "sigmoid, tanh, relu");
    fails(2, new String[] {"train", "--output", "linear"}, "--output", "'linear'", "softmax");
    fails(2, new String[] {"train", "--scale", "robust"}, "--scale", "'robust'", "standard", "minmax]");
    fails(2, new String[] {"train", "--lr-schedule", "exp:2"}, "--lr-schedule", "'exp:2'", "cosine[:MIN]");
    fails(2, new String[] {"train", "--lr-schedule", "cosine", "--optimizer", "lbfgs"}, "--lr-schedule", "L-BFGS");
    fails(2, new String[] {"train", "--lr", "0.001", "--lr-schedule", "cosine:0.01"}, "--lr-schedule",
        "minimum 0.01", "learning rate 0.001");
    fails(2, new String[] {"train", "--validation", "0.1", "--min-delta", "0.01"}, "--min-delta", "--early-stop");
    fails(2, new String[] {"train", "--validation", "0.1", "--early-stop", "2", "--monitor", "loss"}, "--monitor",
        "'loss'", "val_cost");
    fails(2, new String[] {"train", "--validation", "0.1", "--early-stop", "2", "--min-delta", "-1"},
        "minDelta", "-1.0");
    fails(2, new String[] {"train", "--out", dir.resolve("no/such/m.npz").toString()}, "--out", "does not exist");
    fails(2, new String[] {"evaluate"}, "--model");
  }

  /** With --resume the network is the checkpoint's: options that say otherwise fail, naming the file. */
  @Test
  void resumeOptionsMustAgreeWithTheCheckpoint() throws IOException {
    org.clprop.hostile.Fixtures.write(dir);
    String ck = dir.resolve("ck.npz").toString();
    String data = dir.resolve("d.csv").toString();
    fails(1, new String[] {"train", "--data", data, "--batch", "8", "--epochs", "4", "--resume", ck, "--activation",
        "relu"}, "ck.npz", "trained with --activation sigmoid, not relu");
    fails(1, new String[] {"train", "--data", data, "--batch", "8", "--epochs", "4", "--resume", ck, "--scale",
        "standard"}, "ck.npz", "--scale none, not standard");
    // Left out, they are the checkpoint's: no scaling although the data is a CSV.
    CliRun ok = CliRun.of("train", "--data", data, "--batch", "8", "--epochs", "4", "--resume", ck, "--backend", "cpu",
        "--checkpoint", dir.resolve("ck2.npz").toString());
    assertEquals(0, ok.code(), ok.toString());
  }

  @Test
  void verboseShowsTheStackTrace() {
    CliRun r = CliRun.of("evaluate", "--verbose", "--model", dir.resolve("none.npz").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("\tat "), r.toString());
  }
}
