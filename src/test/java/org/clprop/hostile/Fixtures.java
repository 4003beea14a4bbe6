package org.clprop.hostile;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clprop.backend.OptimizerState;
import org.clprop.core.Network;
import org.clprop.model.Checkpoint;
import org.clprop.model.ModelFile;
import org.clprop.npy.NpyArray;
import org.clprop.npy.Npz;

/**
 * Small real input files of every kind clprop reads, written by its own writers: a CSV, a .npz
 * data set, a folder of IDX files, a 3-4-2 model and an Adam checkpoint of it.
 */
public final class Fixtures {
  public static final int FEATURES = 3;
  public static final int CLASSES = 2;
  public static final int ROWS = 8;

  private Fixtures() {}

  /** Writes d.csv, d.npz, idx/ (four IDX files), m.npz and ck.npz into {@code dir}. */
  public static void write(Path dir) throws IOException {
    StringBuilder csv = new StringBuilder("a,b,c,label\n");
    double[] x = new double[ROWS * FEATURES];
    double[] y = new double[ROWS];
    for (int i = 0; i < ROWS; i++) {
      for (int c = 0; c < FEATURES; c++) {
        x[i * FEATURES + c] = (i * 7 + c * 3) % 10 / 10.0;
        csv.append(x[i * FEATURES + c]).append(',');
      }
      y[i] = i % CLASSES;
      csv.append(i % CLASSES).append('\n');
    }
    Files.writeString(dir.resolve("d.csv"), csv);
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    arrays.put("x", NpyArray.float64(new int[] {ROWS, FEATURES}, x));
    arrays.put("y", new NpyArray("<i8", new int[] {ROWS}, y));
    Npz.write(dir.resolve("d.npz"), arrays, Map.of());
    Path idx = Files.createDirectories(dir.resolve("idx"));
    for (String part : new String[] {"train", "t10k"}) {
      idxFile(idx.resolve(part + "-images-idx3-ubyte"), new int[] {4, 2, 2});
      idxFile(idx.resolve(part + "-labels-idx1-ubyte"), new int[] {4});
    }
    Network net = Network.initialise(new int[] {FEATURES, 4, CLASSES}, 3);
    ModelFile.save(dir.resolve("m.npz"), net, Map.of("classNames", List.of("no", "yes")));
    int p = net.parameterCount();
    // Three epochs of one batch of 8 rows: 3 Adam steps, consistent with d.csv at --batch 8.
    new Checkpoint(net, new OptimizerState(3, new float[p], new float[p]), 3, 0, 11L,
        List.of(stats(1), stats(2), stats(3))).save(dir.resolve("ck.npz"), Map.of());
  }

  private static double[] stats(int epoch) {
    return new double[] {epoch, 0.7, 0.5, Double.NaN, Double.NaN, 1000, 0.01};
  }

  /** An IDX file of unsigned bytes with these dimensions, values i % 10 (so labels lie in 0..9). */
  private static void idxFile(Path f, int[] dims) throws IOException {
    try (OutputStream o = Files.newOutputStream(f); DataOutputStream d = new DataOutputStream(o)) {
      d.writeShort(0);
      d.writeByte(0x08);
      d.writeByte(dims.length);
      int n = 1;
      for (int v : dims) {
        d.writeInt(v);
        n *= v;
      }
      for (int i = 0; i < n; i++) {
        d.writeByte(i % 10);
      }
    }
  }
}
