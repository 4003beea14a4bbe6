package org.clprop.data;

import java.util.function.Consumer;

/**
 * Another store's rows passed through a function as they are read: a cursor copies row i of the
 * base into its own row of floats and applies the function to it in place. Holds nothing of its
 * own, so a set larger than the heap stays mapped when it is, for example, scaled.
 */
final class TransformedRows extends RowStore {
  private final RowStore base;
  private final Consumer<float[]> rowInPlace;
  private final String what;

  TransformedRows(RowStore base, Consumer<float[]> rowInPlace, String what) {
    super(base.rows(), base.features());
    this.base = base;
    this.rowInPlace = rowInPlace;
    this.what = what;
  }

  @Override
  boolean pixels() {
    return false;
  }

  @Override
  int blockRows() {
    return base.blockRows();
  }

  @Override
  boolean inHeap() {
    return base.inHeap();
  }

  @Override
  void locate(int i, RowCursor c) {
    if (c.inner == null) {
      c.inner = base.cursor();
    }
    float[] row = c.ownFloats();
    c.inner.copy(i, row, 0);
    rowInPlace.accept(row);
    c.floats = row;
    c.offset = 0;
  }

  @Override
  float value(int i, int c) {
    float[] row = new float[features()];
    base.cursor().copy(i, row, 0);
    rowInPlace.accept(row);
    return row[c];
  }

  @Override
  RowStore slice(int from, int to) {
    return new TransformedRows(base.slice(from, to), rowInPlace, what);
  }

  @Override
  String origin() {
    return base.origin() + ", " + what + " as read";
  }
}
