package org.clprop.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.clprop.core.Network;
import org.clprop.io.DataFormatException;
import org.clprop.model.ModelSpec.Activation;
import org.clprop.model.ModelSpec.Output;
import org.clprop.model.ModelSpec.Scaling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** meta.json's activation, output and scaling: read, written, refused with the file named. */
class ModelSpecTest {
  @TempDir
  Path dir;

  @Test
  void aModelFileWithoutTheFieldsIsTheCoursesNetwork() throws IOException {
    Path file = dir.resolve("m.npz");
    ModelFile.save(file, Network.initialise(new int[] {3, 4, 2}, 1), Map.of("lambda", 1.0));
    assertEquals(ModelSpec.COURSE, ModelFile.load(file).spec());
    assertEquals(ModelSpec.COURSE, ModelSpec.fromMeta(Map.of(), 3, "x"));
    Map<String, Object> nullScaling = new HashMap<>();
    nullScaling.put("scaling", null);
    assertEquals(ModelSpec.COURSE, ModelSpec.fromMeta(nullScaling, 3, "x"));
  }

  @Test
  void everyCombinationRoundTripsThroughAModelFile() throws IOException {
    SplittableRandom rng = new SplittableRandom(19);
    Network net = Network.initialise(new int[] {5, 3, 4}, 2);
    Path file = dir.resolve("m.npz");
    for (Activation a : Activation.values()) {
      for (Output o : Output.values()) {
        for (Scaling.Kind k : new Scaling.Kind[] {null, Scaling.Kind.STANDARD, Scaling.Kind.MINMAX}) {
          Optional<Scaling> s = Optional.ofNullable(k == null ? null : new Scaling(k, randoms(rng, 5), randoms(rng, 5)));
          ModelSpec spec = new ModelSpec(a, o, s);
          ModelFile.save(file, net, spec.toMeta());
          ModelFile.Model m = ModelFile.load(file);
          assertEquals(spec, m.spec(), spec.describe());
          assertEquals(a.jsonName(), m.meta().get("activation"));
          s.ifPresent(x -> assertArrayEquals(x.offset(), m.spec().scaling().orElseThrow().offset(), 0.0));
        }
      }
    }
  }

  @Test
  void theFieldsAsAnotherWriterWouldSpellThemParse() {
    Map<String, Object> meta = Map.of("activation", "relu", "output", "softmax",
        "scaling", Map.of("kind", "minmax", "offset", List.of(1.0, -2.5), "scale", List.of(0.5, 1.0)));
    ModelSpec s = ModelSpec.fromMeta(meta, 2, "m.npz");
    assertEquals(Activation.RELU, s.activation());
    assertEquals(Output.SOFTMAX, s.output());
    Scaling sc = s.scaling().orElseThrow();
    assertEquals(Scaling.Kind.MINMAX, sc.kind());
    assertArrayEquals(new double[] {1.0, -2.5}, sc.offset(), 0.0);
    assertArrayEquals(new double[] {0.5, 1.0}, sc.scale(), 0.0);
  }

  @Test
  void badFieldsAreRefusedWithTheFileAndTheFieldNamed() {
    Map<Map<String, Object>, String> cases = new LinkedHashMap<>();
    cases.put(Map.of("activation", "swish"), "m.npz: meta.json's activation is 'swish'; expected sigmoid, tanh or relu");
    cases.put(Map.of("activation", 3.0), "m.npz: meta.json's activation is 3.0; expected sigmoid, tanh or relu");
    cases.put(Map.of("activation", "ReLU"), "m.npz: meta.json's activation is 'ReLU'; expected sigmoid, tanh or relu");
    cases.put(Map.of("output", "linear"), "m.npz: meta.json's output is 'linear'; expected sigmoid or softmax");
    cases.put(Map.of("scaling", "standard"),
        "m.npz: meta.json's scaling is 'standard'; expected null or an object with kind, offset and scale");
    cases.put(Map.of("scaling", Map.of("offset", List.of(0.0, 0.0), "scale", List.of(1.0, 1.0))),
        "m.npz: meta.json's scaling has no kind; expected standard or minmax");
    cases.put(scaling("robust", List.of(0.0, 0.0), List.of(1.0, 1.0)),
        "m.npz: meta.json's scaling.kind is 'robust'; expected standard or minmax");
    cases.put(scaling("standard", List.of(0.0), List.of(1.0, 1.0)),
        "m.npz: meta.json's scaling.offset has 1 values but the input layer has 2 units");
    cases.put(scaling("standard", List.of(0.0, 0.0), "1"),
        "m.npz: meta.json's scaling.scale is '1'; expected a list of 2 numbers");
    cases.put(scaling("standard", List.of(0.0, 0.0), Arrays.asList(1.0, null)),
        "m.npz: meta.json's scaling.scale[1] is null; expected a finite number");
    cases.put(scaling("minmax", List.of("0", 0.0), List.of(1.0, 1.0)),
        "m.npz: meta.json's scaling.offset[0] is '0'; expected a finite number");
    cases.forEach((meta, message) -> assertEquals(message,
        assertThrows(DataFormatException.class, () -> ModelSpec.fromMeta(meta, 2, "m.npz"), meta.toString())
            .getMessage()));
  }

  @Test
  void aModelFileWithABadFieldFailsToLoadNamingTheFile() throws IOException {
    Path file = dir.resolve("bad.npz");
    ModelFile.save(file, Network.initialise(new int[] {3, 2}, 1), Map.of("output", "softmin"));
    DataFormatException e = assertThrows(DataFormatException.class, () -> ModelFile.load(file));
    assertEquals(file + ": meta.json's output is 'softmin'; expected sigmoid or softmax", e.getMessage());
  }

  @Test
  void applyIsTheFormulaWithinFloat32Rounding() {
    SplittableRandom rng = new SplittableRandom(7);
    int n = 6;
    int rows = 9;
    double[] offset = randoms(rng, n);
    double[] scale = randoms(rng, n);
    float[] x = new float[rows * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rng.nextDouble(-2000, 2000));
    }
    float[] y = x.clone();
    new Scaling(Scaling.Kind.STANDARD, offset, scale).apply(y, rows);
    for (int i = 0; i < x.length; i++) {
      int j = i % n;
      double want = (x[i] - offset[j]) * scale[j];
      // Rounding offset and scale to float32, then the difference and the product: 2^-24 each.
      double bound = 0x1p-22 * (Math.abs(x[i]) + 2 * Math.abs(offset[j])) * Math.abs(scale[j]);
      assertEquals(want, y[i], bound, "element " + i);
    }
    assertThrows(IllegalArgumentException.class, () -> new Scaling(Scaling.Kind.MINMAX, offset, scale).apply(x, 4));
  }

  private static Map<String, Object> scaling(String kind, Object offset, Object scale) {
    Map<String, Object> s = new HashMap<>();
    s.put("kind", kind);
    s.put("offset", offset);
    s.put("scale", scale);
    return Map.of("scaling", s);
  }

  private static double[] randoms(SplittableRandom rng, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextDouble(-1000, 1000) / (1 + rng.nextInt(1000));
    }
    return v;
  }
}
