package org.clprop.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clprop.EpochStats;
import org.clprop.backend.OptimizerState;
import org.clprop.core.Network;
import org.clprop.data.DataFormatException;
import org.clprop.npy.NpyArray;
import org.clprop.npy.Npz;

/**
 * Everything needed to continue a fit exactly where it stopped: the weights, the optimiser's state,
 * how far training got (whole epochs, and batches of the epoch under way) and the seed and fit
 * count that fix the shuffles, and the history so far. Stored as .npz (the Theta arrays as in a
 * model file, so a checkpoint also loads as a model), written atomically.
 *
 * @param network the layer sizes and the weights
 * @param optimizer the optimiser's step count and per-parameter vectors
 * @param epochsDone whole epochs completed
 * @param batchesDone batches completed of the epoch under way, 0 at an epoch's end
 * @param shuffleSeed the seed of the shuffles' generator, drawn from the trainer's seed and fit count
 * @param history the stats of the epochs completed, in order
 */
public record Checkpoint(Network network, OptimizerState optimizer, int epochsDone, int batchesDone,
    long shuffleSeed, List<EpochStats> history) {

  private static final int HISTORY_COLUMNS = 7;

  /** Copies {@code history} into an unmodifiable list. */
  public Checkpoint {
    history = List.copyOf(history);
  }

  /**
   * Writes this checkpoint to {@code file} atomically, with a meta.json made of {@code meta} (as
   * {@link ModelFile#save} takes it) plus the layer sizes and clprop's version.
   */
  public void save(Path file, Map<String, Object> meta) throws IOException {
    Map<String, NpyArray> arrays = ModelFile.thetaArrays(network);
    if (optimizer.first() != null) {
      arrays.put("optimizer_first", vector(optimizer.first()));
    }
    if (optimizer.second() != null) {
      arrays.put("optimizer_second", vector(optimizer.second()));
    }
    arrays.put("progress", new NpyArray("<i8", new int[] {4},
        new double[] {optimizer.step(), epochsDone, batchesDone, 0}));
    // The shuffle seed as two 32-bit halves: a double holds any of them exactly.
    arrays.put("shuffle_seed", new NpyArray("<i8", new int[] {2},
        new double[] {shuffleSeed >>> 32, shuffleSeed & 0xFFFFFFFFL}));
    double[] h = new double[history.size() * HISTORY_COLUMNS];
    for (int i = 0; i < history.size(); i++) {
      EpochStats e = history.get(i);
      double[] row = {e.epoch(), e.cost(), e.accuracy(), e.validationCost(), e.validationAccuracy(),
          e.samplesPerSecond(), e.seconds()};
      System.arraycopy(row, 0, h, i * HISTORY_COLUMNS, HISTORY_COLUMNS);
    }
    arrays.put("history", NpyArray.float64(new int[] {history.size(), HISTORY_COLUMNS}, h));
    Npz.write(file, arrays, Map.of("meta.json", ModelFile.metaJson("clprop checkpoint", network, meta)));
  }

  /**
   * Reads a checkpoint written by {@link #save}.
   *
   * @throws DataFormatException when {@code file} is not a clprop checkpoint (a model file has no
   *     progress to resume) or its parts disagree
   */
  public static Checkpoint load(Path file) {
    ModelFile.Model model = ModelFile.load(file);
    Map<String, NpyArray> a = Npz.read(file).arrays();
    NpyArray progress = a.get("progress");
    NpyArray seed = a.get("shuffle_seed");
    NpyArray history = a.get("history");
    if (progress == null || seed == null || history == null || progress.values().length != 4
        || seed.values().length != 2 || history.cols() != HISTORY_COLUMNS) {
      throw new DataFormatException(file + ": not a clprop checkpoint (needs progress, shuffle_seed and history "
          + "arrays; a model file cannot be resumed)");
    }
    int params = model.network().parameterCount();
    float[] first = floats(file, a.get("optimizer_first"), params);
    float[] second = floats(file, a.get("optimizer_second"), params);
    double[] p = progress.values();
    long s = ((long) seed.values()[0] << 32) | (long) seed.values()[1];
    List<EpochStats> h = new ArrayList<>();
    double[] hv = history.values();
    for (int i = 0; i < history.rows(); i++) {
      int o = i * HISTORY_COLUMNS;
      h.add(new EpochStats((int) hv[o], hv[o + 1], hv[o + 2], hv[o + 3], hv[o + 4], hv[o + 5], hv[o + 6]));
    }
    if (p[1] < 0 || p[2] < 0 || p[0] < 0) {
      throw new DataFormatException(file + ": negative progress " + java.util.Arrays.toString(p));
    }
    return new Checkpoint(model.network(), new OptimizerState((long) p[0], first, second), (int) p[1], (int) p[2],
        s, h);
  }

  private static NpyArray vector(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return new NpyArray("<f4", new int[] {v.length}, d);
  }

  private static float[] floats(Path file, NpyArray a, int params) {
    if (a == null) {
      return null;
    }
    if (a.values().length != params) {
      throw new DataFormatException(file + ": optimiser state of " + a.values().length + " values for " + params
          + " parameters");
    }
    float[] f = new float[params];
    for (int i = 0; i < params; i++) {
      f[i] = (float) a.values()[i];
    }
    return f;
  }
}
