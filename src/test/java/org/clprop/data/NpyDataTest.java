package org.clprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.clprop.config.Settings;
import org.clprop.io.DataFormatException;
import org.clprop.npy.Dtype;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every dtype NumPy writes for features (u1 i1 u2 i2 i4 i8 f2 f4 f8, and bool, u4, u8), in either
 * byte order and either memory order, 2-D and 3-D, with labels of every integer width, reads as the
 * same examples from a .npz (stored or deflated), from a folder of .npy files read into the heap
 * and from the same folder mapped, across many storage blocks: uint8 as pixel bytes scaled to
 * [0, 1], everything else as the float32 of its value.
 */
class NpyDataTest {
  private static final List<String> FEATURES = List.of("|u1", "|b1", "|i1", "<u2", ">u2", "<i2", ">i2", "<i4", ">i4",
      "<i8", ">i8", "<u4", ">u8", "<f2", ">f2", "<f4", ">f4", "<f8", ">f8", "=f4");
  private static final List<String> LABELS = List.of("|u1", "|i1", "<u2", ">i2", "<i4", ">u4", "<i8", ">u8", "<f8",
      ">f4");

  @TempDir
  Path dir;

  @AfterEach
  void clearSettings() {
    System.clearProperty(Settings.DATA_BLOCK_BYTES.property());
    System.clearProperty(Settings.DATA_MAP.property());
  }

  /** A value exact in every dtype of its kind: bytes 0..255 (bool 0/1); signed ones shifted; halves of eighths. */
  private static double value(String descr, Random r) {
    Dtype d = Dtype.parse(descr, "");
    return switch (d.kind()) {
      case 'b' -> r.nextInt(2);
      case 'u' -> d.size() == 1 ? r.nextInt(256) : r.nextInt(60000);
      case 'i' -> d.size() == 1 ? r.nextInt(256) - 128 : r.nextInt(60000) - 30000;
      default -> (r.nextInt(2000) - 1000) / 8.0;
    };
  }

  @Test
  void everyDtypeOrderAndLayoutReadsAsTheSameExamples() throws IOException {
    Random r = new Random(16);
    int t = 0;
    for (String fx : FEATURES) {
      for (boolean fortran : new boolean[] {false, true}) {
        String fy = LABELS.get(t % LABELS.size());
        int m = 5 + r.nextInt(40);
        int[] shape = t % 2 == 0 ? new int[] {m, 7} : new int[] {m, 3, 4};
        int w = shape.length == 2 ? shape[1] : shape[1] * shape[2];
        double[] x = new double[m * w];
        for (int i = 0; i < x.length; i++) {
          x[i] = value(fx, r);
        }
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
          y[i] = r.nextInt(9);
        }
        NpyFiles.Array xa = new NpyFiles.Array(fx, shape, fortran, x);
        NpyFiles.Array ya = new NpyFiles.Array(fy, new int[] {m}, false, y);
        String what = fx + (fortran ? " Fortran " : " C ") + java.util.Arrays.toString(shape) + ", labels " + fy;
        Path folder = Files.createDirectories(dir.resolve("f" + t));
        NpyFiles.write(folder.resolve("x.npy"), xa);
        NpyFiles.write(folder.resolve("y.npy"), ya);
        Map<String, NpyFiles.Array> arrays = new LinkedHashMap<>();
        arrays.put(t % 3 == 0 ? "y" : "x", t % 3 == 0 ? ya : xa);
        arrays.put(t % 3 == 0 ? "x" : "y", t % 3 == 0 ? xa : ya);
        Path stored = dir.resolve("s" + t + ".npz");
        Path deflated = dir.resolve("d" + t + ".npz");
        NpyFiles.npz(stored, arrays, false);
        NpyFiles.npz(deflated, arrays, true);
        // 64-byte blocks: a row or two per block, and mapped regions of a few rows.
        System.setProperty(Settings.DATA_BLOCK_BYTES.property(), "64");
        for (Path p : List.of(stored, deflated, folder)) {
          for (String map : List.of("never", "always")) {
            System.setProperty(Settings.DATA_MAP.property(), map);
            Dataset d = DataSource.load(p.toString()).train();
            expect(what + " from " + p.getFileName() + " map=" + map, fx, x, y, d);
            if (p == folder && map.equals("always")) {
              assertEquals(fortran, d.inHeap(), what + ": only C order is mapped");
            }
          }
        }
        t++;
      }
    }
  }

  private static void expect(String what, String fx, double[] x, double[] y, Dataset d) {
    int w = d.features();
    assertEquals(y.length, d.size(), what);
    boolean pixels = Dtype.parse(fx, "").isByte();
    assertEquals(pixels, d.isPixels(), what);
    float[] want = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      want[i] = pixels ? Dataset.pixel((byte) x[i]) : (float) x[i];
    }
    for (int i = 0; i < d.size(); i++) {
      assertArrayEquals(java.util.Arrays.copyOfRange(want, i * w, (i + 1) * w), d.row(i), what + " row " + i);
      assertEquals((int) y[i], d.label(i), what);
      int c = i % w;
      assertEquals(want[i * w + c], d.feature(i, c), what);
    }
    assertArrayEquals(want, d.x(), what);
  }

  @Test
  void aTableFileTakesItsLabelColumnAndMapsAsItReads() throws IOException {
    Random r = new Random(3);
    int m = 301;
    for (String fx : List.of("|u1", "<f4", ">f8")) {
      for (int labelCol : new int[] {-1, 0, 2}) {
        int cols = 5;
        int at = labelCol < 0 ? cols + labelCol : labelCol;
        double[] v = new double[m * cols];
        for (int i = 0; i < v.length; i++) {
          v[i] = i % cols == at ? r.nextInt(4) : value(fx, r);
        }
        Path f = dir.resolve("t" + fx.charAt(1) + labelCol + ".npy");
        NpyFiles.write(f, new NpyFiles.Array(fx, new int[] {m, cols}, false, v));
        System.setProperty(Settings.DATA_BLOCK_BYTES.property(), "100");
        Dataset[] read = new Dataset[2];
        for (int k = 0; k < 2; k++) {
          System.setProperty(Settings.DATA_MAP.property(), k == 0 ? "never" : "always");
          read[k] = DataSource.load(f.toString(), null, labelCol).train();
        }
        assertTrue(read[0].inHeap());
        assertFalse(read[1].inHeap());
        for (int i = 0; i < m; i++) {
          assertArrayEquals(read[0].row(i), read[1].row(i));
          assertEquals((int) v[i * cols + at], read[1].label(i));
          for (int c = 0, j = 0; c < cols; c++) {
            if (c != at) {
              float want = Dtype.parse(fx, "").isByte() ? Dataset.pixel((byte) v[i * cols + c]) : (float) v[i * cols + c];
              assertEquals(want, read[1].feature(i, j++), fx + " row " + i);
            }
          }
        }
        // A slice of a mapped set is a view with the same rows.
        Dataset s = read[1].slice(17, 250);
        assertArrayEquals(read[0].row(17 + 99), s.row(99));
      }
    }
  }

  @Test
  void badValuesAndShapesFailNamingFileAndPlace() throws IOException {
    Path nan = dir.resolve("nan");
    Files.createDirectories(nan);
    NpyFiles.write(nan.resolve("x.npy"), new NpyFiles.Array("<f4", new int[] {3, 2}, false,
        new double[] {0, 1, 2, Double.NaN, 4, 5}));
    NpyFiles.write(nan.resolve("y.npy"), new NpyFiles.Array("<i8", new int[] {3}, false, new double[] {0, 1, 2}));
    for (String map : List.of("never", "always")) {
      System.setProperty(Settings.DATA_MAP.property(), map);
      DataFormatException e = assertThrows(DataFormatException.class, () -> DataSource.load(nan.toString()));
      assertEquals(nan.resolve("x.npy") + ": row 1 column 1 is NaN; features must be finite", e.getMessage());
    }
    Path big = dir.resolve("big.npz");
    NpyFiles.npz(big, Map.of("x", new NpyFiles.Array("<f8", new int[] {2, 2}, false, new double[] {1, 2, 3, 1e39}),
        "y", new NpyFiles.Array("<f8", new int[] {2}, false, new double[] {0, 1})), false);
    DataFormatException e = assertThrows(DataFormatException.class, () -> DataSource.load(big.toString()));
    assertEquals(big + ":1: value 1.0E39 in column 2 overflows float32", e.getMessage());
    Path half = dir.resolve("half.npz");
    NpyFiles.npz(half, Map.of("x", new NpyFiles.Array("<f4", new int[] {2, 2}, false, new double[] {1, 2, 3, 4}),
        "y", new NpyFiles.Array("<f8", new int[] {2}, false, new double[] {0, 1.5})), true);
    e = assertThrows(DataFormatException.class, () -> DataSource.load(half.toString()));
    assertEquals(half + ": y[1] = 1.5 is not an integer 0..K-1", e.getMessage());
    Path rows = dir.resolve("rows");
    Files.createDirectories(rows);
    NpyFiles.write(rows.resolve("x.npy"), new NpyFiles.Array("|u1", new int[] {3, 2}, false, new double[6]));
    NpyFiles.write(rows.resolve("y.npy"), new NpyFiles.Array("|u1", new int[] {2}, false, new double[2]));
    e = assertThrows(DataFormatException.class, () -> DataSource.load(rows.toString()));
    assertEquals(rows.resolve("y.npy") + " has 2 labels but " + rows.resolve("x.npy") + " has 3 examples",
        e.getMessage());
    byte[] whole = Files.readAllBytes(rows.resolve("x.npy"));
    Files.write(rows.resolve("x.npy"), java.util.Arrays.copyOf(whole, whole.length - 1));
    e = assertThrows(DataFormatException.class, () -> DataSource.load(rows.toString()));
    assertTrue(e.getMessage().startsWith(rows.resolve("x.npy") + ": truncated: shape [3, 2] of |u1 needs"),
        e.getMessage());
  }
}
