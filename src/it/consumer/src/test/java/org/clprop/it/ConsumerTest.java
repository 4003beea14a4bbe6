package org.clprop.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.clprop.Callback;
import org.clprop.History;
import org.clprop.Trainer;
import org.clprop.data.DataSource;
import org.clprop.data.Dataset;
import org.clprop.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uses the installed clprop jar as a library user would: train, save, load, predict, export. */
class ConsumerTest {
  private static final String VERSION = System.getProperty("clprop.expected.version");

  @TempDir
  Path dir;

  @Test
  void trainSaveLoadPredict() throws Exception {
    DataSource.Loaded digits = DataSource.load("digits");
    Path file = dir.resolve("digits.npz");
    int[] expected;
    try (Trainer t = Trainer.builder().layers(64, 32, 10).epochs(40).batchSize(32)
        .classNames(digits.classNames()).callback(Callback.stopWhen(s -> s.accuracy() >= 0.999)).build()) {
      History h = t.fit(digits.train());
      assertFalse(h.epochs().isEmpty());
      expected = t.predict(digits.test());
      assertTrue(t.evaluate(digits.test()).accuracy() > 0.9, "test accuracy");
      t.save(file);
    }
    try (Trainer model = Trainer.load(file)) {
      Dataset test = digits.test();
      assertArrayEquals(expected, model.predict(test));
      assertEquals(expected[0], model.predict(test.row(0)));
      assertEquals(10, model.predictProbabilities(test.row(0)).length);
      assertEquals(digits.classNames(), model.classNames());
    }
    assertEquals(VERSION, ModelFile.load(file).meta().get("clprop"), "the model records the jar's version");
    // ONNX export with protobuf-javalite added as the README says: a ModelProto (field 1, ir_version 7).
    Path onnx = dir.resolve("digits.onnx");
    ModelFile.exportOnnx(file, onnx);
    byte[] bytes = Files.readAllBytes(onnx);
    assertEquals(0x08, bytes[0]);
    assertEquals(7, bytes[1]);
  }

  @Test
  void theArtifactIsTheThinLibraryJar() throws Exception {
    Path jar = Path.of(Trainer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertTrue(jar.toString().endsWith(".jar") && Files.isRegularFile(jar), "clprop comes from a jar: " + jar);
    try (JarFile j = new JarFile(jar.toFile())) {
      List<String> names = j.stream().map(e -> e.getName()).toList();
      assertFalse(names.stream().anyMatch(n -> n.startsWith("org/clprop/cli/")), "no CLI classes");
      assertFalse(names.stream().anyMatch(n -> n.contains("logback")), "no Logback pieces");
      assertFalse(names.contains("META-INF/jpms.args"));
      assertTrue(names.contains("kernels/backprop.cl"), "the OpenCL kernels ship in the jar");
      assertEquals(VERSION, j.getManifest().getMainAttributes().getValue("Implementation-Version"));
    }
    ModuleReference module = ModuleFinder.of(jar).findAll().iterator().next();
    assertEquals("org.clprop", module.descriptor().name());
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.clprop.cli.Main"));
    assertNull(getClass().getClassLoader().getResource("META-INF/services/ch.qos.logback.classic.spi.Configurator"));
  }
}
