package org.clprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clprop.data.Mnist;
import org.clprop.model.ModelFile;
import org.clprop.npy.NpyArray;
import org.clprop.npy.Npz;
import org.clprop.opencl.OpenClTests;
import org.clprop.testutil.Python;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, evaluate, predict and grad end to end, the files read back by NumPy where it is installed. */
class CliWorkflowTest {
  private static final Pattern TEST_ACCURACY = Pattern.compile("test accuracy: (0\\.\\d{4})");

  @TempDir
  Path dir;

  @Test
  void trainOnDigitsThenEvaluatePrintsTheSameTestAccuracy() throws IOException {
    Path m = dir.resolve("m.npz");
    CliRun t = CliRun.of("train", "--backend", "cpu", "--out", m.toString());
    assertEquals(0, t.code(), t.toString());
    String acc = accuracy(t);
    assertTrue(Double.parseDouble(acc) >= 0.95, t.out());
    assertTrue(t.out().contains("model written to " + m), t.out());
    assertTrue(t.out().lines().filter(l -> l.startsWith("epoch ")).count() == 50, t.out());
    CliRun e = CliRun.of("evaluate", "--model", m.toString(), "--backend", "cpu");
    assertEquals(0, e.code(), e.toString());
    assertEquals(acc, accuracy(e));
    assertTrue(e.out().contains("confusion matrix"), e.out());
    ModelFile.Model model = ModelFile.load(m);
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), model.classNames());
    assertEquals(List.of(64.0, 32.0, 10.0), model.meta().get("layers"), model.meta().toString());
    assertEquals(32.0, model.meta().get("batch"), "under 10,000 examples the default batch is 32: " + model.meta());
    assertEquals(org.clprop.model.ModelSpec.COURSE, model.spec(), "image data: the course's network, unscaled");
  }

  /**
   * A CSV of raw tabular features: train scales them by default (standard), with ReLU units and
   * softmax outputs, the statistics from the training part; evaluate, predict and grad apply them
   * from the model file, predict's probabilities sum to 1; --scale none records no scaling.
   */
  @Test
  void tabularCsvTrainsScaledAndEveryCommandAppliesTheModelsScaling() throws IOException {
    org.clprop.data.Dataset d = org.clprop.testutil.Tensors.tabularData(400, 5);
    StringBuilder csv = new StringBuilder("f0,f1,f2,f3,label\n");
    for (int i = 0; i < d.size(); i++) {
      for (int c = 0; c < 4; c++) {
        csv.append(d.feature(i, c)).append(',');
      }
      csv.append(d.label(i)).append('\n');
    }
    Path data = dir.resolve("tabular.csv");
    Files.writeString(data, csv);
    Path m = dir.resolve("m.npz");
    CliRun t = CliRun.of("train", "--data", data.toString(), "--backend", "cpu", "--activation", "relu", "--output",
        "softmax", "--hidden", "8", "--epochs", "30", "--validation", "0.25", "--early-stop", "5", "--monitor",
        "val_cost", "--min-delta", "0.001", "--lr-schedule", "cosine", "--out", m.toString());
    assertEquals(0, t.code(), t.toString());
    assertTrue(t.out().contains("(relu hidden units, softmax outputs, standard scaling)"), t.out());
    ModelFile.Model model = ModelFile.load(m);
    assertEquals("relu", model.meta().get("activation"));
    assertEquals("softmax", model.meta().get("output"));
    org.clprop.model.ModelSpec.Scaling s = model.spec().scaling().orElseThrow();
    // The statistics of the 300 training rows, not of all 400 (the split is train's, seeded).
    org.clprop.data.Split parts = org.clprop.data.Split.of(d, 0.25, 1);
    assertEquals(org.clprop.model.FeatureScaling.learn(s.kind(), parts.first()), s);

    CliRun e = CliRun.of("evaluate", "--model", m.toString(), "--data", data.toString(), "--backend", "cpu");
    assertEquals(0, e.code(), e.toString());
    double acc = Double.parseDouble(e.out().replaceAll("(?s).*\naccuracy: (\\S+).*", "$1"));
    assertTrue(acc >= 0.9, "scaled ReLU net on its own data: " + e.out());
    Path p = dir.resolve("p.csv");
    CliRun pr = CliRun.of("predict", "--model", m.toString(), "--data", data.toString(), "--out", p.toString(),
        "--backend", "cpu");
    assertEquals(0, pr.code(), pr.toString());
    List<String> lines = Files.readAllLines(p);
    int right = 0;
    for (int i = 0; i < d.size(); i++) {
      String[] f = lines.get(i + 1).split(",");
      double sum = Float.parseFloat(f[1]) + Float.parseFloat(f[2]);
      assertEquals(1.0, sum, 1e-6, "softmax row " + i);
      right += Integer.parseInt(f[0]) == d.label(i) ? 1 : 0;
    }
    assertEquals(acc, right / (double) d.size(), 1e-9, "predict's classes give evaluate's accuracy");
    CliRun g = CliRun.of("grad", "--model", m.toString(), "--data", data.toString(), "--out",
        dir.resolve("g.npz").toString());
    assertEquals(0, g.code(), g.toString());
    double j = Double.parseDouble(g.out().replaceAll("(?s)J = (\\S+) on.*", "$1"));
    double cost = Double.parseDouble(e.out().replaceAll("(?s).*\ncost: (\\S+).*", "$1"));
    assertEquals(cost, j, 1e-5, "grad's double J of the scaled data is evaluate's float J");

    CliRun none = CliRun.of("train", "--data", data.toString(), "--backend", "cpu", "--scale", "none", "--epochs", "1",
        "--out", m.toString());
    assertEquals(0, none.code(), none.toString());
    assertTrue(ModelFile.load(m).spec().scaling().isEmpty());
  }

  @Test
  void plotWritesTheLearningCurveAsPng() throws IOException {
    Path m = dir.resolve("m.npz");
    Path png = dir.resolve("curve.png");
    CliRun t = CliRun.of("train", "--backend", "cpu", "--epochs", "3", "--out", m.toString(), "--plot", png.toString());
    if (t.code() != 0 && t.err().contains("cannot draw")) {
      // A runtime without AWT's native font libraries (a bare GPU machine): the model is still written.
      assertTrue(Files.size(m) > 0, t.toString());
      requireOrSkip("this Java runtime cannot draw: " + t.err().strip());
    }
    assertEquals(0, t.code(), t.toString());
    byte[] png8 = Files.readAllBytes(png);
    assertEquals((byte) 0x89, png8[0]);
    assertEquals("PNG", new String(png8, 1, 3, StandardCharsets.US_ASCII));
  }

  @Test
  void fashionMnistModelTrainsEvaluatesAndLoadsInNumpy() throws IOException, InterruptedException {
    if (!Files.isDirectory(Mnist.DEBIAN_FASHION_MNIST)) {
      requireOrSkip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
    }
    Path m = dir.resolve("m.npz");
    CliRun t = CliRun.of("train", "--data", "fashion-mnist", "--hidden", "128", "--epochs", "10",
        "--backend", "cpu", "--out", m.toString());
    assertEquals(0, t.code(), t.toString());
    Map<String, Object> meta = ModelFile.load(m).meta();
    assertEquals(128.0, meta.get("batch"), "60,000 examples: the default batch is 128: " + meta);
    CliRun e = CliRun.of("evaluate", "--model", m.toString(), "--data", "fashion-mnist", "--backend", "cpu");
    assertEquals(0, e.code(), e.toString());
    assertEquals(accuracy(t), accuracy(e));
    assertTrue(Double.parseDouble(accuracy(t)) > 0.85, t.out());
    String shape = python("import numpy as np; z = np.load(r'" + m + "'); print(z['theta1'].shape, z['theta2'].shape, "
        + "z['theta1'].dtype)");
    assertEquals("(128, 785) (10, 129) float32", shape.strip());
  }

  @Test
  void gradOnAModelAndCsvWrittenByNumpyGivesThePublishedValues() throws IOException, InterruptedException {
    python("import numpy as np\n"
        + "def dbg(fo, fi):\n"
        + "    return np.sin(np.arange(1, fo * (1 + fi) + 1)).reshape((1 + fi, fo)).T / 10\n"
        + "np.savez(r'" + dir.resolve("course.npz") + "', theta1=dbg(5, 3), theta2=dbg(3, 5))\n"
        + "X = dbg(5, 2); y = np.array([1, 2, 0, 1, 2])\n"
        + "np.savetxt(r'" + dir.resolve("course.csv") + "', np.column_stack([X, y]), delimiter=',', fmt='%.17g')\n");
    for (String lambda : new String[] {"0", "3"}) {
      Path g = dir.resolve("g" + lambda + ".npz");
      CliRun r = CliRun.of("grad", "--model", dir.resolve("course.npz").toString(), "--data",
          dir.resolve("course.csv").toString(), "--lambda", lambda, "--out", g.toString());
      assertEquals(0, r.code(), r.toString());
      String[] u = python("import numpy as np; g = np.load(r'" + g + "'); u = np.concatenate([g['theta1'].ravel(order='F'),"
          + " g['theta2'].ravel(order='F')]); print(g['cost'].shape, g['theta1'].dtype, ' '.join(repr(float(v)) for v in "
          + (lambda.equals("0") ? "u[[0, 1, 2, 20]]" : "u[5:8]") + "))").strip().split(" ");
      assertEquals("()", u[0], "cost is a 0-d array");
      assertEquals("float64", u[1]);
      // docs/algorithm.md's published entries (parameters unrolled column-major, 1-based 1..3 and 21; 6..8).
      double[] want = lambda.equals("0") ? new double[] {-0.0092782524, 0.0088991196, -0.0083601076, 0.3145449700}
          : new double[] {-0.016767980, 0.039433483, 0.059335556};
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], Double.parseDouble(u[2 + i]), 1e-9, "lambda " + lambda + " entry " + i);
      }
    }
  }

  @Test
  void predictWritesClassAndProbabilitiesPerRow() throws IOException {
    Path m = dir.resolve("m.npz");
    assertEquals(0, CliRun.of("train", "--epochs", "3", "--backend", "cpu", "--out", m.toString()).code());
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      for (int c = 0; c < 64; c++) {
        csv.append(c == 0 ? "" : ",").append((i * 7 + c) % 17 / 16.0);
      }
      csv.append('\n');
    }
    Path x = dir.resolve("x.csv");
    Files.writeString(x, csv);
    Path p = dir.resolve("p.csv");
    CliRun r = CliRun.of("predict", "--model", m.toString(), "--data", x.toString(), "--out", p.toString(),
        "--backend", "cpu");
    assertEquals(0, r.code(), r.toString());
    List<String> lines = Files.readAllLines(p);
    assertEquals(5, lines.size());
    assertTrue(lines.get(0).startsWith("class,p0,p1"), lines.get(0));
    for (String l : lines.subList(1, 5)) {
      String[] f = l.split(",");
      assertEquals(11, f.length, l);
      int cls = Integer.parseInt(f[0]);
      double best = Double.parseDouble(f[1 + cls]);
      for (int j = 1; j < 11; j++) {
        assertTrue(Double.parseDouble(f[j]) <= best, l);
      }
    }
    // The model file also reads back through clprop's own reader, arrays and shapes intact.
    NpyArray t1 = Npz.read(m).arrays().get("theta1");
    assertEquals("(32, 65)", t1.shapeString());
  }

  private static String accuracy(CliRun r) {
    Matcher m = TEST_ACCURACY.matcher(r.out());
    if (!m.find()) {
      fail("no test accuracy line\n" + r);
    }
    return m.group(1);
  }

  /** Runs Python with NumPy (testutil.Python's choice); skips, or fails in CI, without one. */
  static String python(String code) throws IOException, InterruptedException {
    String py = Python.require("CLPROP_REQUIRE_OPENCL", "apt-get install python3-numpy", "numpy");
    return Python.run(py, 120, "-c", code);
  }

  private static void requireOrSkip(String why) {
    if (OpenClTests.required()) {
      fail("CI installs this, but: " + why);
    }
    Assumptions.abort(why);
  }
}
