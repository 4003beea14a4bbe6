package org.clprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.clprop.data.DataSource;
import org.clprop.data.Dataset;
import org.clprop.model.ModelFile;
import org.clprop.testutil.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clprop convert} writes a data set that reads back as the same examples, in every layout,
 * and training on it gives bitwise the model that training on the original gives.
 */
class ConvertCommandTest {
  @TempDir
  Path dir;

  private static float[] thetas(Path model) {
    return ModelFile.load(model).network().toFlatFloats();
  }

  private CliRun train(String data, String out) {
    CliRun r = CliRun.of("train", "--backend", "cpu", "--data", data, "--epochs", "3", "--hidden", "16", "--out", out);
    assertEquals(0, r.code(), r.toString());
    return r;
  }

  @Test
  void everyLayoutReadsBackAsTheSameExamplesAndTrainsTheSameModel() {
    Path m0 = dir.resolve("m0.npz");
    String acc = train("digits", m0.toString()).out().lines().filter(l -> l.startsWith("test accuracy")).findFirst()
        .orElseThrow();
    DataSource.Loaded original = DataSource.load("digits");
    for (String out : List.of("digits-folder", "digits.npz")) {
      Path p = dir.resolve(out);
      CliRun c = CliRun.of("convert", "--data", "digits", "--out", p.toString());
      assertEquals(0, c.code(), c.toString());
      assertTrue(c.out().contains("1438 examples of 64 features and a test part of 359 written to " + p), c.out());
      DataSource.Loaded back = DataSource.load(p.toString());
      same(original.train(), back.train());
      same(original.test(), back.test());
      Path m = dir.resolve("m-" + out + ".npz");
      CliRun t = train(p.toString(), m.toString());
      assertTrue(t.out().contains(acc), t.out());
      assertArrayEquals(thetas(m0), thetas(m), out);
    }
  }

  @Test
  void aCsvConvertedToATableTrainsAsTheCsvDoes() throws IOException {
    StringBuilder csv = new StringBuilder("a,b,c,label\n");
    for (int i = 0; i < 300; i++) {
      csv.append(i % 17 / 16.0).append(',').append(i % 5 * 0.25).append(',').append((i * 7 % 11) / 10.0).append(',')
          .append(i % 3).append('\n');
    }
    Path f = dir.resolve("d.csv");
    Files.writeString(f, csv);
    Path table = dir.resolve("d.npy");
    CliRun c = CliRun.of("convert", "--data", f.toString(), "--out", table.toString());
    assertEquals(0, c.code(), c.toString());
    same(DataSource.load(f.toString()).train(), DataSource.load(table.toString()).train());
    Path m1 = dir.resolve("m1.npz");
    Path m2 = dir.resolve("m2.npz");
    train(f.toString(), m1.toString());
    train(table.toString(), m2.toString());
    assertArrayEquals(thetas(m1), thetas(m2));
  }

  @Test
  void outputsThatWouldLoseOrDestroyDataAreUsageErrors() throws IOException {
    CliRun r = CliRun.of("convert", "--data", "digits", "--out", dir.resolve("d.npy").toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().startsWith("clprop: --out: a .npy holds one table, and digits has a test part too"), r.err());
    assertFalse(Files.exists(dir.resolve("d.npy")));
    Path full = dir.resolve("full");
    Files.createDirectories(full);
    Files.writeString(full.resolve("y.npy"), "keep");
    r = CliRun.of("convert", "--data", "digits", "--out", full.toString());
    assertEquals(2, r.code(), r.toString());
    assertEquals("keep", Files.readString(full.resolve("y.npy")));
    Path csv = dir.resolve("same.npz");
    Files.writeString(csv, "1,2,0\n");
    r = CliRun.of("convert", "--data", csv.toString(), "--out", csv.toString());
    assertEquals(2, r.code(), r.toString());
    assertEquals("1,2,0\n", Files.readString(csv));
  }

  @Test
  void numpyReadsWhatConvertWrites() throws IOException, InterruptedException {
    Optional<String> py = Python.find("numpy");
    org.junit.jupiter.api.Assumptions.assumeTrue(py.isPresent(), "no Python with NumPy");
    Path npz = dir.resolve("d.npz");
    Path folder = dir.resolve("f");
    assertEquals(0, CliRun.of("convert", "--data", "digits", "--out", npz.toString()).code());
    assertEquals(0, CliRun.of("convert", "--data", "digits", "--out", folder.toString()).code());
    String out = Python.run(py.get(), 60, "-c", "import numpy as np\n"
        + "d = np.load(r'" + npz + "')\n"
        + "x = np.load(r'" + folder.resolve("x.npy") + "', mmap_mode='r')\n"
        + "print(d['x'].dtype, d['x'].shape, d['y'].dtype, d['x_test'].shape, float(d['x'][5, 10]), "
        + "bool((x == d['x']).all()), int(d['y'][:40].sum()))\n");
    Dataset train = DataSource.load("digits").train();
    int sum = 0;
    for (int i = 0; i < 40; i++) {
      sum += train.label(i);
    }
    assertEquals("float32 (1438, 64) int32 (359, 64) " + (double) train.feature(5, 10) + " True " + sum, out.strip());
  }

  private static void same(Dataset a, Dataset b) {
    assertEquals(a.size(), b.size());
    assertEquals(a.features(), b.features());
    assertEquals(a.classes(), b.classes());
    assertEquals(a.isPixels(), b.isPixels());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.row(i), b.row(i), "row " + i);
      assertEquals(a.label(i), b.label(i), "label " + i);
    }
  }
}
