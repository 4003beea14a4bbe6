package org.clprop.npy;

import java.util.Arrays;

/**
 * An n-dimensional array as NumPy's .npy format holds it: a shape and the values in C (row-major)
 * order, widened to double whatever the stored type (int64 is exact in a double up to 2^53; the
 * float and the narrower integer types always).
 *
 * @param dtype NumPy's type string as read or to write, e.g. {@code "<f4", "<f8", "|u1", "<i8"}
 * @param shape the dimensions; empty for a scalar
 * @param values the values in C order, as many as the shape's product
 */
public record NpyArray(String dtype, int[] shape, double[] values) {

  /**
   * Checks that the shape holds exactly {@code values.length} values.
   *
   * @throws IllegalArgumentException on a negative dimension or a count that does not match
   */
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

  /** A {@code rows x cols} matrix to be written as float32 ({@code "<f4"}); {@code values} row-major. */
  public static NpyArray float32(int rows, int cols, double[] values) {
    return new NpyArray("<f4", new int[] {rows, cols}, values);
  }

  /** An array of {@code shape} to be written as float64 ({@code "<f8"}); {@code values} in C order. */
  public static NpyArray float64(int[] shape, double[] values) {
    return new NpyArray("<f8", shape, values);
  }

  /** The first dimension; 1 for a scalar. */
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

  /** The shape as Python prints a tuple: {@code (3,)}, {@code (10, 65)}, {@code ()}. */
  public String shapeString() {
    return NpyHeader.shapeString(shape);
  }
}
