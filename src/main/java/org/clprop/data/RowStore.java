package org.clprop.data;

/**
 * Where a {@link Dataset}'s features live: {@code rows() x features()} values, row-major, as
 * float32 or as pixel bytes, in blocks of {@link #blockRows()} whole rows (the last block may hold
 * fewer). No block exceeds one Java array, so a set may hold more than 2^31 values; a mapped store
 * keeps them in a file, so a set may exceed the heap. Immutable.
 */
abstract class RowStore {
  private final int rows;
  private final int features;

  RowStore(int rows, int features) {
    this.rows = rows;
    this.features = features;
  }

  /** The number of rows (examples). */
  final int rows() {
    return rows;
  }

  /** Values per row. */
  final int features() {
    return features;
  }

  /** rows x features, the values held. */
  final long values() {
    return (long) rows * features;
  }

  /** Whether the values are pixel bytes (feature = byte / 255) rather than floats. */
  abstract boolean pixels();

  /** Rows per block; every block but the last holds exactly this many. */
  abstract int blockRows();

  /** Whether the rows are in the Java heap (else in a mapped file). */
  abstract boolean inHeap();

  /** Points {@code c} at row {@code i}: the row's array and offset, copying into the cursor's own row where needed. */
  abstract void locate(int i, RowCursor c);

  /** Value {@code c} of row {@code i} as a float. */
  abstract float value(int i, int c);

  /** Rows [from, to) as a store of their own (a copy, or a view of a mapped file). */
  abstract RowStore slice(int from, int to);

  /** Where the rows come from, for messages: "in memory", "mapped from x.npy". */
  abstract String origin();

  /** A cursor over these rows, for one thread. */
  final RowCursor cursor() {
    return new RowCursor(this);
  }
}
