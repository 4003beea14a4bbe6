package org.clprop.core;

import java.util.Arrays;

/**
 * An immutable dense matrix of doubles, stored row-major. Used in the public API for the Theta
 * matrices and the gradients D, so that callers never see a backend's internal layout.
 */
public final class Matrix {
  private final int rows;
  private final int cols;
  private final double[] data;

  private Matrix(int rows, int cols, double[] data) {
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  /** Copies {@code data}, which holds {@code rows x cols} values row by row. */
  public static Matrix of(int rows, int cols, double[] data) {
    checkShape(rows, cols, data.length);
    return new Matrix(rows, cols, data.clone());
  }

  /** Widens float32 values, row-major, to a matrix. */
  public static Matrix ofFloats(int rows, int cols, float[] data, int offset) {
    if (rows < 0 || cols < 0 || offset < 0 || offset + (long) rows * cols > data.length) {
      throw new IllegalArgumentException(
          "matrix " + rows + "x" + cols + " at offset " + offset + " does not fit in " + data.length + " values");
    }
    double[] d = new double[rows * cols];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[offset + i];
    }
    return new Matrix(rows, cols, d);
  }

  /** Copies a rectangular {@code double[rows][cols]}. */
  public static Matrix of(double[][] values) {
    int r = values.length;
    int c = r == 0 ? 0 : values[0].length;
    double[] d = new double[r * c];
    for (int i = 0; i < r; i++) {
      if (values[i].length != c) {
        throw new IllegalArgumentException("row " + i + " has " + values[i].length + " columns, expected " + c);
      }
      System.arraycopy(values[i], 0, d, i * c, c);
    }
    return new Matrix(r, c, d);
  }

  /** A {@code rows x cols} matrix of zeros. */
  public static Matrix zeros(int rows, int cols) {
    checkShape(rows, cols, (long) rows * cols);
    return new Matrix(rows, cols, new double[rows * cols]);
  }

  private static void checkShape(int rows, int cols, long length) {
    if (rows < 0 || cols < 0 || (long) rows * cols != length) {
      throw new IllegalArgumentException("shape " + rows + "x" + cols + " does not match " + length + " values");
    }
  }

  /** The number of rows. */
  public int rows() {
    return rows;
  }

  /** The number of columns. */
  public int cols() {
    return cols;
  }

  /**
   * The entry at row {@code r}, column {@code c}, both 0-based.
   *
   * @throws IndexOutOfBoundsException when either index is outside the matrix
   */
  public double get(int r, int c) {
    if (r < 0 || r >= rows || c < 0 || c >= cols) {
      throw new IndexOutOfBoundsException("(" + r + ", " + c + ") outside " + rows + "x" + cols);
    }
    return data[r * cols + c];
  }

  /** A copy of the values, row-major. */
  public double[] toRowMajor() {
    return data.clone();
  }

  /** A copy of the values, column-major (MATLAB's {@code A(:)} order). */
  public double[] toColumnMajor() {
    double[] out = new double[data.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = data[r * cols + c];
      }
    }
    return out;
  }

  /** A copy as float32, row-major. */
  public float[] toFloats() {
    float[] out = new float[data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) data[i];
    }
    return out;
  }

  /** A copy as {@code double[rows][cols]}. */
  public double[][] toArray() {
    double[][] out = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(data, r * cols, out[r], 0, cols);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + cols) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Matrix " + rows + "x" + cols;
  }
}
