package org.clprop.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fully connected network: the layer sizes s_1..s_L and the matrices Theta(l), each
 * s_{l+1} x (s_l + 1) with the bias as column 0 (docs/algorithm.md). It holds numbers only; backends
 * do the computing.
 */
public final class Network {
  private final int[] sizes;
  private final List<Matrix> thetas;

  /**
   * A network of layer sizes {@code sizes} with weights {@code thetas}: Theta(1) .. Theta(L-1),
   * Theta(l) s_{l+1} x (s_l + 1) with the bias as column 0.
   *
   * @throws IllegalArgumentException when a size is not positive, there are fewer than two layers
   *     or a matrix's shape does not match the sizes
   */
  public Network(int[] sizes, List<Matrix> thetas) {
    this.sizes = checkSizes(sizes);
    if (thetas.size() != sizes.length - 1) {
      throw new IllegalArgumentException(
          "thetas: " + thetas.size() + " matrices for " + sizes.length + " layers, expected " + (sizes.length - 1));
    }
    for (int l = 0; l < thetas.size(); l++) {
      Matrix t = thetas.get(l);
      if (t.rows() != sizes[l + 1] || t.cols() != sizes[l] + 1) {
        throw new IllegalArgumentException("theta" + (l + 1) + ": shape " + t.rows() + "x" + t.cols()
            + ", expected " + sizes[l + 1] + "x" + (sizes[l] + 1));
      }
    }
    this.thetas = List.copyOf(thetas);
  }

  /** Validates layer sizes: at least two layers, every size positive. Returns a copy. */
  public static int[] checkSizes(int[] sizes) {
    if (sizes == null || sizes.length < 2) {
      throw new IllegalArgumentException("layerSizes: need at least 2 layers (input and output), got "
          + (sizes == null ? "null" : Arrays.toString(sizes)));
    }
    for (int i = 0; i < sizes.length; i++) {
      if (sizes[i] <= 0) {
        throw new IllegalArgumentException(
            "layerSizes[" + i + "] = " + sizes[i] + ": every layer needs at least one unit");
      }
    }
    return sizes.clone();
  }

  /**
   * Random initialisation, the course's: every entry of Theta(l) uniform in [-eps, eps] with
   * eps = sqrt(6) / sqrt(s_l + s_{l+1}), drawn from a generator seeded with {@code seed}, matrix
   * by matrix, row by row. The same as {@link #initialise(int[], long, WeightInit)} with
   * {@link WeightInit#COURSE}.
   */
  public static Network initialise(int[] sizes, long seed) {
    return initialise(sizes, seed, WeightInit.COURSE);
  }

  /**
   * Random initialisation by {@code init}: Theta(l)'s entries uniform in [-e, e] with e
   * {@link WeightInit#bound}, drawn from a generator seeded with {@code seed}, matrix by matrix, row
   * by row, the bias column first in each row when it is drawn; otherwise biases are 0.
   */
  public static Network initialise(int[] sizes, long seed, WeightInit init) {
    int[] s = checkSizes(sizes);
    // One array per Theta here, and all of them in one float array in a backend: both bounded by this.
    MemoryBudget.arrayLength(parameterCountLong(s), 8, "the weights of a network " + Arrays.toString(s)
        + " in double", "use fewer or smaller layers");
    SplittableRandom rng = new SplittableRandom(seed);
    int skip = init.drawsBiases() ? 0 : 1;
    List<Matrix> thetas = new ArrayList<>();
    for (int l = 0; l + 1 < s.length; l++) {
      double eps = init.bound(s[l], s[l + 1]);
      double[] d = new double[s[l + 1] * (s[l] + 1)];
      for (int row = 0; row < s[l + 1]; row++) {
        draw(rng, eps, d, row * (s[l] + 1) + skip, (row + 1) * (s[l] + 1));
      }
      thetas.add(Matrix.of(s[l + 1], s[l] + 1, d));
    }
    return new Network(s, thetas);
  }

  /**
   * d[i] uniform in [-eps, eps] for i in [from, to), rounded to float32 so that the double reference
   * and float backends start equal. One row per call: see Dataset.widen.
   */
  private static void draw(SplittableRandom rng, double eps, double[] d, int from, int to) {
    for (int i = from; i < to; i++) {
      d[i] = (float) (eps * (2.0 * rng.nextDouble() - 1.0));
    }
  }

  /** The layer sizes s_1 .. s_L, a copy. */
  public int[] sizes() {
    return sizes.clone();
  }

  /** L, the number of layers, input and output included. */
  public int layers() {
    return sizes.length;
  }

  /** s_1, the number of input features. */
  public int inputs() {
    return sizes[0];
  }

  /** s_L = K, the number of output units (classes). */
  public int outputs() {
    return sizes[sizes.length - 1];
  }

  /** Theta(l) for l = 1..L-1, as in docs/algorithm.md. */
  public Matrix theta(int l) {
    return thetas.get(l - 1);
  }

  /** Theta(1) .. Theta(L-1), unmodifiable. */
  public List<Matrix> thetas() {
    return thetas;
  }

  /** Number of parameters, bias columns included. */
  public int parameterCount() {
    return parameterCount(sizes);
  }

  /**
   * The number of parameters of a network of layer sizes {@code sizes}: the sum of
   * s_{l+1} (s_l + 1), bias columns included.
   *
   * @throws IllegalArgumentException when the count does not fit in an int (one Java array)
   */
  public static int parameterCount(int[] sizes) {
    long n = parameterCountLong(sizes);
    if (n > MemoryBudget.MAX_ARRAY_LENGTH) {
      throw new IllegalArgumentException("layerSizes " + Arrays.toString(sizes) + ": " + n
          + " parameters is more than one array holds");
    }
    return (int) n;
  }

  /** Number of parameters, bias columns included, for any sizes (no overflow). */
  public static long parameterCountLong(int[] sizes) {
    long n = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      n += (long) sizes[l + 1] * (sizes[l] + 1L);
    }
    return n;
  }

  /**
   * The most heap a trainer of these sizes takes, in bytes, as an upper estimate: per parameter the
   * weights in double while built and saved (16) and, in float32, the backend's weights, gradient,
   * two optimiser vectors and two re-laid copies of the weights (24); per unit and row of a batch,
   * activations, deltas and the output's sums (12).
   */
  public static long trainingBytes(int[] sizes, int batch) {
    return 40 * parameterCountLong(sizes) + batchBytes(sizes, batch);
  }

  /** The part of {@link #trainingBytes} that grows with the batch: 12 bytes per unit and row. */
  public static long batchBytes(int[] sizes, int rows) {
    long units = 0;
    for (int s : sizes) {
      units += s;
    }
    return 12 * units * Math.max(1, rows);
  }

  /**
   * Fails, through the {@link MemoryBudget}, unless the heap can take a trainer of these sizes and
   * batch ({@link #trainingBytes}) and one Java array can hold all of its parameters; before any
   * of it is allocated. {@code remedy} says which settings to change.
   */
  public static void checkFits(int[] sizes, int batch, String remedy) {
    String what = "a network " + Arrays.toString(sizes) + " of " + parameterCountLong(sizes) + " parameters";
    MemoryBudget.arrayLength(parameterCountLong(sizes), 4, what, remedy);
    MemoryBudget.require(trainingBytes(sizes, batch), what + " trained in batches of " + batch, remedy);
  }


  /** Rows of all Theta matrices together: s_2 + ... + s_L. */
  public static int parameterRows(int[] sizes) {
    int rows = 0;
    for (int l = 1; l < sizes.length; l++) {
      rows += sizes[l];
    }
    return rows;
  }

  /** All Theta matrices as one float32 vector: Theta(1) row-major, then Theta(2), ... */
  public float[] toFlatFloats() {
    float[] out = new float[parameterCount()];
    int off = 0;
    for (Matrix t : thetas) {
      float[] f = t.toFloats();
      System.arraycopy(f, 0, out, off, f.length);
      off += f.length;
    }
    return out;
  }

  /** The inverse of {@link #toFlatFloats()}. */
  public static Network fromFlatFloats(int[] sizes, float[] flat) {
    int[] s = checkSizes(sizes);
    if (flat.length != parameterCount(s)) {
      throw new IllegalArgumentException(
          "parameters: " + flat.length + " values, expected " + parameterCount(s) + " for " + Arrays.toString(s));
    }
    List<Matrix> thetas = new ArrayList<>();
    int off = 0;
    for (int l = 0; l + 1 < s.length; l++) {
      thetas.add(Matrix.ofFloats(s[l + 1], s[l] + 1, flat, off));
      off += s[l + 1] * (s[l] + 1);
    }
    return new Network(s, thetas);
  }
}
