package org.clprop.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.clprop.Trainer;
import org.clprop.cli.CliRunner;
import org.clprop.core.Matrix;
import org.clprop.core.Network;
import org.clprop.model.ModelFile;
import org.clprop.model.ModelSpec;
import org.clprop.npy.Npy;
import org.clprop.npy.NpyArray;
import org.clprop.testutil.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exported models run in ONNX Runtime (from Python) and give what clprop gives: for every
 * activation, output and scaling, {@code clprop predict}'s probabilities on the same rows, and a
 * double-precision forward pass written here from the model file's Thetas and the formulas of
 * {@link ModelSpec}. Max abs difference at most 1e-5 everywhere. Networks with 0 to 3
 * hidden layers, awkward widths; onnx.checker validates each file. Skipped where no Python has
 * numpy, onnx and onnxruntime, failed instead when CLPROP_REQUIRE_ONNX is set (as .ci/run does).
 */
class OnnxExportTest {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxExportTest.class);
  private static final double TOLERANCE = 1e-5;
  private static final int ROWS = 37;
  private static final int[][] SHAPES = {{5, 3}, {7, 9, 4}, {6, 5, 8, 3}, {11, 7, 6, 5, 10}};

  @TempDir
  Path dir;

  /** One exported model: its files and what it was made of. */
  private record Case(String name, ModelFile.Model model, float[] x, Path onnx) {}

  /** Set by .ci/run: a missing onnxruntime fails these tests instead of skipping them. */
  static final String REQUIRED_BY = "CLPROP_REQUIRE_ONNX";

  @Test
  void exportedModelsGiveClpropsOutputsInOnnxRuntime() throws IOException, InterruptedException {
    String python = Python.require(REQUIRED_BY, "pip install onnx onnxruntime numpy", "numpy", "onnx",
        "onnxruntime");
    SplittableRandom rng = new SplittableRandom(19);
    List<Case> cases = new ArrayList<>();
    for (int[] sizes : SHAPES) {
      int n = sizes[0];
      float[] small = new float[ROWS * n];
      for (int i = 0; i < small.length; i++) {
        small[i] = (float) rng.nextDouble(-2, 2);
      }
      float[] tabular = tabular(rng, n);
      // The course's network twice: without the fields, and with them spelled out.
      Map<String, Object> explicit = new HashMap<>();
      explicit.put("activation", "sigmoid");
      explicit.put("output", "sigmoid");
      explicit.put("scaling", null);
      cases.add(export(cases.size(), sizes, Map.of(), small, rng));
      cases.add(export(cases.size(), sizes, explicit, small, rng));
      for (ModelSpec.Activation a : ModelSpec.Activation.values()) {
        for (ModelSpec.Output o : ModelSpec.Output.values()) {
          for (String kind : new String[] {null, "standard", "minmax"}) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("activation", a.jsonName());
            fields.put("output", o.jsonName());
            float[] x = small;
            if (kind != null) {
              fields.put("scaling", scaling(kind, tabular, n));
              x = tabular;
            }
            cases.add(export(cases.size(), sizes, fields, x, rng));
          }
        }
      }
    }

    List<Map<String, Object>> report = runInOnnxRuntime(python, cases);
    double worstReference = 0;
    double worstPredict = 0;
    for (int c = 0; c < cases.size(); c++) {
      Case k = cases.get(c);
      Map<String, Object> r = report.get(c);
      checkGraph(k, r);
      int[] s = k.model().network().sizes();
      int classes = s[s.length - 1];
      double[] p = readNpy(dir.resolve("p" + c + ".npy"), new int[] {ROWS, classes});
      double[] cls = readNpy(dir.resolve("class" + c + ".npy"), new int[] {ROWS});
      double[] p1 = readNpy(dir.resolve("p1_" + c + ".npy"), new int[] {1, classes});
      double[] want = forward(k.model(), k.x(), ROWS);
      double d = maxAbs(p, want);
      worstReference = Math.max(worstReference, d);
      assertTrue(d <= TOLERANCE, k.name() + ": ONNX Runtime against the double forward pass: max abs " + d);
      assertTrue(maxAbs(p1, Arrays.copyOf(want, classes)) <= TOLERANCE, k.name() + ": a batch of 1 row");
      for (int i = 0; i < ROWS; i++) {
        assertEquals(argmax(p, i * classes, classes), (int) cls[i], k.name() + ": class of row " + i);
      }
      double[][] predicted = clpropPredict(k, c);
      double dp = maxAbs(p, predicted[0]);
      worstPredict = Math.max(worstPredict, dp);
      assertTrue(dp <= TOLERANCE, k.name() + ": ONNX Runtime against clprop predict: max abs " + dp);
      for (int i = 0; i < ROWS; i++) {
        if (margin(predicted[0], i * classes, classes) > 2 * TOLERANCE) {
          assertEquals(predicted[1][i], cls[i], k.name() + ": class of row " + i);
        }
      }
    }
    LOG.info("ONNX Runtime on {} exported models: max abs difference {} against the double forward pass, {} "
        + "against clprop predict", cases.size(), worstReference, worstPredict);
  }

  @Test
  void aTrainersExportIsItsSavedModel() throws IOException, InterruptedException {
    String python = Python.require(REQUIRED_BY, "pip install onnx onnxruntime numpy", "numpy", "onnx",
        "onnxruntime");
    float[][] x = new float[ROWS][4];
    int[] y = new int[ROWS];
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < 4; j++) {
        x[i][j] = (float) rng.nextDouble(-1, 1);
      }
      y[i] = x[i][0] + x[i][1] > 0 ? 1 : (x[i][2] > 0 ? 2 : 0);
    }
    Path onnx = dir.resolve("t.onnx");
    float[][] probabilities;
    ModelFile.Model model;
    try (Trainer t = Trainer.builder().layers(4, 6, 3).epochs(5).seed(1).classNames(List.of("a", "b", "c"))
        .backend(org.clprop.backend.BackendKind.CPU).build()) {
      t.fit(x, y);
      t.exportOnnx(onnx);
      t.save(dir.resolve("t.npz"));
      probabilities = t.predictProbabilities(x);
      model = ModelFile.load(dir.resolve("t.npz"));
    }
    float[] flat = new float[ROWS * 4];
    for (int i = 0; i < ROWS; i++) {
      System.arraycopy(x[i], 0, flat, i * 4, 4);
    }
    Case k = new Case("trainer", model, flat, onnx);
    Map<String, Object> r = runInOnnxRuntime(python, List.of(k)).get(0);
    checkGraph(k, r);
    assertEquals("[\"a\",\"b\",\"c\"]", metadata(r).get("class_names"));
    double[] p = readNpy(dir.resolve("p0.npy"), new int[] {ROWS, 3});
    double[] want = new double[ROWS * 3];
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < 3; j++) {
        want[i * 3 + j] = probabilities[i][j];
      }
    }
    assertTrue(maxAbs(p, want) <= TOLERANCE, "Trainer.predictProbabilities against ONNX Runtime: " + maxAbs(p, want));
  }

  // ---- the cases ---------------------------------------------------------------------------------

  /** Saves a random network with {@code fields} in its meta.json, exports it, and writes its rows. */
  private Case export(int index, int[] sizes, Map<String, Object> fields, float[] x, SplittableRandom rng)
      throws IOException {
    List<Matrix> thetas = new ArrayList<>();
    for (int l = 0; l + 1 < sizes.length; l++) {
      double[] v = new double[sizes[l + 1] * (sizes[l] + 1)];
      for (int i = 0; i < v.length; i++) {
        v[i] = rng.nextDouble(-1.2, 1.2);
      }
      thetas.add(Matrix.of(sizes[l + 1], sizes[l] + 1, v));
    }
    Map<String, Object> meta = new LinkedHashMap<>(fields);
    int k = sizes[sizes.length - 1];
    if (index % 3 == 0) {
      List<String> names = new ArrayList<>();
      for (int j = 0; j < k; j++) {
        names.add("class \"" + j + "\", é");
      }
      meta.put("classNames", names);
    }
    Path npz = dir.resolve("m" + index + ".npz");
    ModelFile.save(npz, new Network(sizes, thetas), meta);
    Path onnx = dir.resolve("m" + index + ".onnx");
    if (index % 2 == 0) {
      ModelFile.exportOnnx(npz, onnx);
    } else {
      CliRunner.Result r = CliRunner.run("export", "--model", npz.toString(), "--out", onnx.toString());
      assertEquals(0, r.code(), r.err());
    }
    ModelFile.Model model = ModelFile.load(npz);
    return new Case("m" + index + " " + Arrays.toString(sizes) + " " + model.spec().describe(), model, x, onnx);
  }

  /**
   * Rows of raw tabular features: feature j around a centre up to a thousand with a spread of 5% to
   * 100% of it, feature 0 constant (scale 1 in both kinds of scaling).
   */
  private static float[] tabular(SplittableRandom rng, int n) {
    float[] x = new float[ROWS * n];
    for (int j = 0; j < n; j++) {
      double centre = rng.nextDouble(-300, 1200);
      double spread = (Math.abs(centre) + 1) * rng.nextDouble(0.05, 1);
      for (int i = 0; i < ROWS; i++) {
        x[i * n + j] = (float) (j == 0 ? centre : centre + spread * (rng.nextDouble() - 0.5) * 3.4);
      }
    }
    return x;
  }

  /** The contract's scaling object from the rows: standard (mean, 1/std) or minmax (min, 1/(max - min)). */
  private static Map<String, Object> scaling(String kind, float[] x, int n) {
    List<Double> offset = new ArrayList<>();
    List<Double> scale = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < ROWS; i++) {
        sum += x[i * n + j];
        min = Math.min(min, x[i * n + j]);
        max = Math.max(max, x[i * n + j]);
      }
      double mean = sum / ROWS;
      double ss = 0;
      for (int i = 0; i < ROWS; i++) {
        ss += (x[i * n + j] - mean) * (x[i * n + j] - mean);
      }
      double std = Math.sqrt(ss / ROWS);
      boolean standard = kind.equals("standard");
      double range = standard ? std : max - min;
      offset.add(standard ? mean : min);
      scale.add(range > 0 ? 1 / range : 1.0);
    }
    return Map.of("kind", kind, "offset", offset, "scale", scale);
  }

  // ---- the reference -----------------------------------------------------------------------------

  /**
   * h for each row in double precision: a(1) = (x - offset) .* scale, z(l+1) = Theta(l) [1; a(l)],
   * a(l+1) = g(z(l+1)) in the hidden layers, h = sigmoid(z(L)) or softmax(z(L)).
   */
  private static double[] forward(ModelFile.Model model, float[] x, int rows) {
    Network net = model.network();
    ModelSpec spec = model.spec();
    int n = net.inputs();
    int k = net.outputs();
    double[] out = new double[rows * k];
    for (int i = 0; i < rows; i++) {
      double[] a = new double[n];
      for (int j = 0; j < n; j++) {
        a[j] = x[i * n + j];
      }
      if (spec.scaling().isPresent()) {
        double[] offset = spec.scaling().get().offset();
        double[] scale = spec.scaling().get().scale();
        for (int j = 0; j < n; j++) {
          a[j] = (a[j] - offset[j]) * scale[j];
        }
      }
      for (int l = 1; l < net.layers(); l++) {
        Matrix t = net.theta(l);
        double[] z = new double[t.rows()];
        for (int r = 0; r < t.rows(); r++) {
          z[r] = t.get(r, 0);
          for (int j = 0; j < a.length; j++) {
            z[r] += t.get(r, j + 1) * a[j];
          }
        }
        boolean output = l == net.layers() - 1;
        a = output ? out(spec.output(), z) : g(spec.activation(), z);
      }
      System.arraycopy(a, 0, out, i * k, k);
    }
    return out;
  }

  private static double[] g(ModelSpec.Activation activation, double[] z) {
    return Arrays.stream(z).map(v -> switch (activation) {
      case SIGMOID -> 1 / (1 + Math.exp(-v));
      case TANH -> Math.tanh(v);
      case RELU -> Math.max(0, v);
    }).toArray();
  }

  private static double[] out(ModelSpec.Output output, double[] z) {
    if (output == ModelSpec.Output.SIGMOID) {
      return g(ModelSpec.Activation.SIGMOID, z);
    }
    double max = Arrays.stream(z).max().orElseThrow();
    double[] e = Arrays.stream(z).map(v -> Math.exp(v - max)).toArray();
    double sum = Arrays.stream(e).sum();
    return Arrays.stream(e).map(v -> v / sum).toArray();
  }

  /** {@code clprop predict} on the case's rows: probabilities (row-major) and classes. */
  private double[][] clpropPredict(Case k, int index) throws IOException {
    int n = k.model().network().inputs();
    int classes = k.model().network().outputs();
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < n; j++) {
        csv.append(j == 0 ? "" : ",").append(k.x()[i * n + j]);
      }
      csv.append('\n');
    }
    Path data = dir.resolve("x" + index + ".csv");
    Files.writeString(data, csv);
    Path out = dir.resolve("predict" + index + ".csv");
    Path model = dir.resolve("m" + index + ".npz");
    CliRunner.Result r = CliRunner.run("predict", "--model", model.toString(), "--data", data.toString(), "--out",
        out.toString(), "--backend", "cpu");
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(ROWS + 1, lines.size());
    double[] p = new double[ROWS * classes];
    double[] cls = new double[ROWS];
    for (int i = 0; i < ROWS; i++) {
      String[] f = lines.get(i + 1).split(",");
      cls[i] = Integer.parseInt(f[0]);
      for (int j = 0; j < classes; j++) {
        p[i * classes + j] = Float.parseFloat(f[j + 1]);
      }
    }
    return new double[][] {p, cls};
  }

  // ---- ONNX Runtime ------------------------------------------------------------------------------

  /**
   * One Python process for all cases: onnx.checker (full check), then an InferenceSession on the
   * CPU for the rows and for a batch of their first row; outputs saved as .npy, the graph's facts
   * returned as JSON.
   */
  private List<Map<String, Object>> runInOnnxRuntime(String python, List<Case> cases)
      throws IOException, InterruptedException {
    List<Map<String, String>> jobs = new ArrayList<>();
    for (int c = 0; c < cases.size(); c++) {
      Case k = cases.get(c);
      Path x = dir.resolve("x" + c + ".npy");
      int n = k.model().network().inputs();
      double[] values = new double[k.x().length];
      for (int i = 0; i < values.length; i++) {
        values[i] = k.x()[i];
      }
      try (OutputStream os = Files.newOutputStream(x)) {
        Npy.write(os, NpyArray.float32(ROWS, n, values));
      }
      jobs.add(Map.of("onnx", k.onnx().toString(), "x", x.toString(), "p", dir.resolve("p" + c + ".npy").toString(),
          "p1", dir.resolve("p1_" + c + ".npy").toString(), "class", dir.resolve("class" + c + ".npy").toString()));
    }
    Path jobFile = dir.resolve("jobs.json");
    Path reportFile = dir.resolve("report.json");
    Files.writeString(jobFile, new Gson().toJson(jobs));
    Path script = dir.resolve("run_onnx.py");
    Files.writeString(script, String.join("\n",
        "import json, sys",
        "import numpy as np, onnx, onnxruntime as ort",
        "report = []",
        "for job in json.load(open(sys.argv[1])):",
        "    m = onnx.load(job['onnx'])",
        "    onnx.checker.check_model(m, full_check=True)",
        "    s = ort.InferenceSession(job['onnx'], providers=['CPUExecutionProvider'])",
        "    x = np.load(job['x'])",
        "    p, k = s.run(['probabilities', 'class'], {'x': x})",
        "    p1, _ = s.run(['probabilities', 'class'], {'x': x[:1]})",
        "    np.save(job['p'], p); np.save(job['class'], k); np.save(job['p1'], p1)",
        "    report.append({'ir': m.ir_version, 'opset': [[o.domain, o.version] for o in m.opset_import],",
        "        'producer': m.producer_name, 'ops': [n.op_type for n in m.graph.node],",
        "        'metadata': {e.key: e.value for e in m.metadata_props},",
        "        'inputs': [[i.name, i.type, i.shape] for i in s.get_inputs()],",
        "        'outputs': [[o.name, o.type, o.shape] for o in s.get_outputs()],",
        "        'dtypes': [str(p.dtype), str(k.dtype)]})",
        "json.dump(report, open(sys.argv[2], 'w'))",
        ""), StandardCharsets.UTF_8);
    Python.run(python, 600, script.toString(), jobFile.toString(), reportFile.toString());
    List<Map<String, Object>> report = new Gson().fromJson(Files.readString(reportFile),
        new TypeToken<List<Map<String, Object>>>() {}.getType());
    assertEquals(cases.size(), report.size());
    return report;
  }

  /** The graph's layout as OnnxExport documents it, as onnx and ONNX Runtime read it. */
  private static void checkGraph(Case k, Map<String, Object> r) {
    ModelSpec spec = k.model().spec();
    int[] s = k.model().network().sizes();
    List<String> ops = new ArrayList<>();
    if (spec.scaling().isPresent()) {
      ops.addAll(List.of("Sub", "Mul"));
    }
    String g = switch (spec.activation()) {
      case SIGMOID -> "Sigmoid";
      case TANH -> "Tanh";
      case RELU -> "Relu";
    };
    for (int l = 1; l < s.length; l++) {
      ops.add("Gemm");
      ops.add(l < s.length - 1 ? g : spec.output() == ModelSpec.Output.SOFTMAX ? "Softmax" : "Sigmoid");
    }
    ops.add("ArgMax");
    assertEquals(ops, r.get("ops"), k.name());
    assertEquals((double) OnnxExport.IR_VERSION, r.get("ir"), k.name());
    assertEquals(List.of(List.of("", (double) OnnxExport.OPSET)), r.get("opset"), k.name());
    assertEquals("clprop", r.get("producer"));
    assertEquals(List.of(List.of("x", "tensor(float)", List.of("N", (double) s[0]))), r.get("inputs"), k.name());
    assertEquals(List.of(List.of("probabilities", "tensor(float)", List.of("N", (double) s[s.length - 1])),
        List.of("class", "tensor(int64)", List.of("N"))), r.get("outputs"), k.name());
    assertEquals(List.of("float32", "int64"), r.get("dtypes"));
    Map<String, Object> meta = metadata(r);
    assertEquals(spec.activation().jsonName(), meta.get("activation"), k.name());
    assertEquals(spec.output().jsonName(), meta.get("output"), k.name());
    assertEquals(spec.scaling().map(x -> x.kind().jsonName()).orElse("none"), meta.get("scaling"), k.name());
    assertEquals(Arrays.stream(s).mapToObj(Integer::toString).reduce((a, b) -> a + "," + b).orElseThrow(),
        meta.get("layers"));
    if (!k.model().classNames().isEmpty()) {
      assertEquals(k.model().classNames(), new Gson().fromJson((String) meta.get("class_names"), List.class));
    } else {
      assertTrue(!meta.containsKey("class_names"), k.name());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> r) {
    return (Map<String, Object>) r.get("metadata");
  }

  private static double[] readNpy(Path file, int[] shape) {
    try (var in = Files.newInputStream(file)) {
      NpyArray a = Npy.read(in, file.toString());
      assertEquals(Arrays.toString(shape), Arrays.toString(a.shape()), file.toString());
      return a.values();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double maxAbs(double[] a, double[] b) {
    assertEquals(a.length, b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  private static int argmax(double[] p, int off, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (p[off + j] > p[off + best]) {
        best = j;
      }
    }
    return best;
  }

  /** The gap between the largest and the second largest of p[off .. off+k). */
  private static double margin(double[] p, int off, int k) {
    double[] row = Arrays.copyOfRange(p, off, off + k);
    Arrays.sort(row);
    return k == 1 ? Double.POSITIVE_INFINITY : row[k - 1] - row[k - 2];
  }
}
