package org.clprop.npy;

import java.util.Arrays;

/**
 * An n-dimensional array as NumPy's .npy format holds it: a shape and the values in C (row-major)
 * order, widened to double whatever the stored type (float32 and int64 are exact in a double up to
 * 2^53; uint8, int32 and float64 always).
 *
 * @param dtype NumPy's type string as read or to write, e.g. {@code "<f4", "<f8", "|u1", "<i8"}
 */
public record NpyArray(String dtype, int[] shape, double[] values) {

  public NpyArray {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, not "
          + values.length);
    }
  }

  public static NpyArray float32(int rows, int cols, double[] values) {
    return new NpyArray("<f4", new int[] {rows, cols}, values);
  }

  public static NpyArray float64(int[] shape, double[] values) {
    return new NpyArray("<f8", shape, values);
  }

  public int rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  /** Values per row: the product of the dimensions after the first. */
  public int cols() {
    int n = 1;
    for (int i = 1; i < shape.length; i++) {
      n *= shape[i];
    }
    return n;
  }

  public String shapeString() {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(shape[i]).append(shape.length == 1 ? "," : i + 1 < shape.length ? ", " : "");
    }
    return sb.append(')').toString();
  }
}
