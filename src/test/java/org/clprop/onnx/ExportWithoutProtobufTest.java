package org.clprop.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.clprop.core.Network;
import org.clprop.model.ModelFile;
import org.clprop.testutil.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * protobuf-javalite is an optional dependency of the library: without it on the class path, the
 * library still saves and loads models, and export fails with a message that says what to add
 * rather than a NoClassDefFoundError, and writes nothing.
 */
class ExportWithoutProtobufTest {
  @TempDir
  Path dir;

  /** Saves, loads and exports a model in a JVM whose class path lacks protobuf. */
  public static final class Probe {
    public static void main(String[] args) throws Exception {
      Path model = Path.of(args[0]);
      ModelFile.save(model, Network.initialise(new int[] {3, 2}, 1), Map.of());
      ModelFile.load(model);
      try {
        ModelFile.exportOnnx(model, Path.of(args[1]));
        System.out.println("exported");
      } catch (IllegalStateException e) {
        System.out.println(e.getMessage());
      }
    }
  }

  @Test
  void exportSaysWhatToAdd() throws Exception {
    String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> !Path.of(p).getFileName().toString().startsWith("protobuf-"))
        .collect(Collectors.joining(File.pathSeparator));
    assertFalse(cp.equals(System.getProperty("java.class.path")), "the test class path holds protobuf");
    Path onnx = dir.resolve("m.onnx");
    ChildJvm.Result r = ChildJvm.run(ChildJvm.command(cp, Probe.class.getName(), dir.resolve("m.npz").toString(),
        onnx.toString()), Map.of(), 120);
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("ONNX export needs the protobuf runtime on the class path: add "
        + "com.google.protobuf:protobuf-javalite"), r.toString());
    assertFalse(Files.exists(onnx));
  }
}
