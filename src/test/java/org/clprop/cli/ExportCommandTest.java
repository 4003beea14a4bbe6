package org.clprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.clprop.core.Network;
import org.clprop.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clprop export}: its help, what it says on success, and its errors (one line naming the
 * file; exit 2 for usage, 1 for failures; no file left behind). What the ONNX file computes is
 * OnnxExportTest's.
 */
class ExportCommandTest {
  @TempDir
  Path dir;

  @Test
  void helpDescribesTheGraphAndTheMainHelpListsTheCommand() {
    CliRun help = CliRun.of("export", "--help");
    assertEquals(0, help.code(), help.toString());
    assertTrue(help.out().startsWith("Usage: clprop export"), help.out());
    assertTrue(help.out().contains("--model") && help.out().contains("--out"), help.out());
    assertTrue(help.out().contains("probabilities: float [N, classes]"), help.out());
    CliRun all = CliRun.of("--help");
    assertTrue(all.out().lines().anyMatch(l -> l.strip().startsWith("export ")), all.out());
  }

  @Test
  void writesTheOnnxFileAndSaysWhatItHolds() throws IOException {
    Path model = dir.resolve("m.npz");
    ModelFile.save(model, Network.initialise(new int[] {4, 3, 2}, 5), Map.of("activation", "tanh",
        "output", "softmax"));
    Path onnx = dir.resolve("m.onnx");
    CliRun r = CliRun.of("export", "--model", model.toString(), "--out", onnx.toString());
    assertEquals(0, r.code(), r.toString());
    assertEquals("model " + model + " [4, 3, 2] (tanh hidden units, softmax outputs, no scaling) written to " + onnx
        + " as ONNX\n", r.out());
    assertEquals("", r.err());
    // An ONNX ModelProto starts with field 1 (ir_version, a varint): tag 0x08, then 7.
    byte[] bytes = Files.readAllBytes(onnx);
    assertEquals(0x08, bytes[0]);
    assertEquals(7, bytes[1]);
  }

  @Test
  void errorsAreOneLineNamingTheFile() throws IOException {
    Path model = dir.resolve("m.npz");
    ModelFile.save(model, Network.initialise(new int[] {4, 3, 2}, 5), Map.of());
    String out = dir.resolve("out.onnx").toString();
    fails(1, new String[] {"export", "--model", dir.resolve("none.npz").toString(), "--out", out},
        "clprop: " + dir.resolve("none.npz") + ": no such file or directory");
    Path bad = dir.resolve("bad.npz");
    ModelFile.save(bad, Network.initialise(new int[] {4, 3, 2}, 5), Map.of("activation", "swish"));
    fails(1, new String[] {"export", "--model", bad.toString(), "--out", out},
        "clprop: " + bad + ": meta.json's activation is 'swish'; expected sigmoid, tanh or relu");
    fails(2, new String[] {"export", "--model", model.toString(), "--out", dir.resolve("no/such/m.onnx").toString()},
        "clprop: --out: folder " + dir.resolve("no/such") + " does not exist");
    fails(2, new String[] {"export", "--model", model.toString(), "--out", model.toString()},
        "clprop: --out and --model name the same file (" + model + "): writing --out would destroy --model; "
            + "give --out another file");
    fails(2, new String[] {"export", "--model", model.toString()}, "clprop: Missing required option: '--out=<out>'");
  }

  private void fails(int code, String[] args, String line) throws IOException {
    List<Path> before = files();
    CliRun r = CliRun.of(args);
    assertEquals(code, r.code(), r.toString());
    assertEquals(line, r.err().lines().findFirst().orElse(""), r.toString());
    assertFalse(r.err().contains("\tat "), r.toString());
    assertEquals("", r.out());
    assertEquals(before, files(), "files appeared or vanished");
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
