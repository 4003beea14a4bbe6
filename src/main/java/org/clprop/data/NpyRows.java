package org.clprop.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.clprop.core.MemoryBudget;
import org.clprop.io.DataFormatException;
import org.clprop.npy.Dtype;
import org.clprop.npy.NpyHeader;

/**
 * Examples read from the values of a .npy array into the heap, in their own precision: uint8 (and
 * bool) stay pixel bytes, every other dtype becomes float32, never double. An array (m, d1, d2,
 * ...) gives m rows of d1 d2 ... features; a table (m, c) with a label column gives m rows of c - 1
 * features and m labels. C order is read in pieces of whole rows, one bulk conversion each, straight
 * into the blocks of {@link RowBlocks}; Fortran order (first index fastest) is scattered into them.
 * Float features must be finite, and float64 ones within float32's range.
 */
final class NpyRows {
  /** Bytes read per piece. */
  private static final int PIECE = 1 << 20;

  /**
   * Names for messages.
   *
   * @param entry the array as a whole, e.g. "d.npz entry x.npy" or "x.npy"
   * @param file the file, e.g. "d.npz"
   * @param key the array's key in a .npz ("x"), or null for a .npy file of its own
   */
  record Names(String entry, String file, String key) {
    /** "x.npy: row 3 label ", a table's label (its value follows). */
    String label(long row) {
      return file + ": row " + row + " label ";
    }

    /** "d.npz: x row 3 column 5" / "x.npy: row 3 column 5". */
    String at(long row, long col) {
      return file + ": " + (key == null ? "" : key + " ") + "row " + row + " column " + col;
    }
  }

  /**
   * Rows and, for a table, labels.
   *
   * @param store the features
   * @param labels the label column's values, or null when the array has none
   */
  record Read(RowStore store, int[] labels) {}

  private NpyRows() {}

  /**
   * Reads the values that follow header {@code h} in {@code in}: features, leaving out column
   * {@code labelColumn} of a table as its labels (-1: no label column).
   *
   * @param remedy what the user can do when the heap cannot hold them
   */
  static Read read(InputStream in, NpyHeader h, int labelColumn, Names names, String remedy) throws IOException {
    int m = h.rows();
    int columns = (int) h.cols();
    int w = labelColumn < 0 ? columns : columns - 1;
    boolean pixels = h.dtype().isByte();
    RowBlocks out = new RowBlocks(w, pixels, m, () -> names.entry() + ", " + h.describe() + " as its header declares",
        remedy);
    int[] labels = null;
    if (labelColumn >= 0) {
      labels = MemoryBudget.allocate(4L * m, names.entry() + ": the labels of " + m + " examples", remedy,
          () -> new int[m]);
    }
    Reader r = new Reader(in, h, names);
    if (h.fortran() && h.shape().length > 1) {
      out.preallocate();
      HeapRows store = out.finish();
      r.scatter(store, columns, labelColumn, labels);
      return new Read(store, labels);
    }
    r.rows(out, columns, labelColumn, labels);
    return new Read(out.finish(), labels);
  }

  /** Where a label is, for a message made only when it is bad. */
  interface LabelPlace {
    /** The label's place, e.g. "d.npz: y[3] = " (the value follows). */
    String at(long i);
  }

  /** A label: an integral value in 0 .. 2^31 - 2, as any integer or float dtype holds it; else fails naming {@code where.at(i)}. */
  static int label(double v, LabelPlace where, long i) {
    if (!(v >= 0 && v == Math.rint(v) && v < Integer.MAX_VALUE)) {
      throw new DataFormatException(where.at(i) + v + " is not an integer 0..K-1");
    }
    return (int) v;
  }

  /** Reads labels, one per element of a 1-D array (any integer or integral float dtype). */
  static int[] labels(InputStream in, NpyHeader h, Names names, String remedy) throws IOException {
    int m = h.rows();
    int[] labels = MemoryBudget.allocate(4L * m, names.entry() + ": " + m + " labels", remedy, () -> new int[m]);
    Reader r = new Reader(in, h, names);
    int size = h.dtype().size();
    int per = PIECE / size;
    for (int i = 0; i < m; i += per) {
      int n = Math.min(per, m - i);
      ByteBuffer b = r.piece((long) i * size, n * size).order(h.dtype().order());
      for (int j = 0; j < n; j++) {
        labels[i + j] = label(h.dtype().get(b, j), k -> names.file() + ": " + names.key() + "[" + k + "] = ", i + j);
      }
    }
    return labels;
  }

  /** Reads pieces of the values, failing on a short stream with where the data ends. */
  private static final class Reader {
    private final InputStream in;
    private final NpyHeader h;
    private final Names names;
    private final Dtype dtype;
    private byte[] buf = new byte[0];
    /** The two buffers that pieces alternate between, the pieces read, and the conversion under way. */
    private final byte[][] spare = new byte[2][];
    private int pieces;
    private java.util.concurrent.Future<?> converting;

    Reader(InputStream in, NpyHeader h, Names names) {
      this.in = in;
      this.h = h;
      this.names = names;
      this.dtype = h.dtype();
    }

    /** The next {@code bytes} bytes, which start {@code at} bytes into the data. */
    ByteBuffer piece(long at, int bytes) throws IOException {
      if (buf.length < bytes) {
        buf = new byte[Math.max(bytes, Math.min(PIECE, (int) Math.min(Integer.MAX_VALUE - 8, h.dataBytes())))];
      }
      fill(buf, 0, bytes, at);
      return ByteBuffer.wrap(buf, 0, bytes).slice();
    }

    void fill(byte[] b, int off, int len, long at) throws IOException {
      int got = in.readNBytes(b, off, len);
      if (got < len) {
        long ends = at + got;
        throw new DataFormatException(names.entry() + ": truncated: " + h.describe() + " needs " + h.dataBytes()
            + " data bytes, the data ends after " + ends + " (byte offset " + (h.dataOffset() + ends) + ")");
      }
    }

    /** C order: pieces of whole rows, each converted in one run (two per row around a label column). */
    void rows(RowBlocks out, int columns, int labelColumn, int[] labels) throws IOException {
      int m = h.rows();
      int w = labelColumn < 0 ? columns : columns - 1;
      long rowBytes = (long) columns * dtype.size();
      int perPiece = (int) Math.max(1, PIECE / rowBytes);
      int row = 0;
      while (row < m) {
        int n = Math.min(Math.min(perPiece, out.room()), m - row);
        int target = out.targetOffset();
        if (labelColumn < 0 && dtype.isByte()) {
          fill(out.byteTarget(), target, n * w, row * rowBytes);
        } else if (labelColumn < 0) {
          convertBehind(out.floatTarget(), target, n, w, row, rowBytes);
        } else {
          ByteBuffer b = piece(row * rowBytes, (int) (n * rowBytes)).order(dtype.order());
          if (labelColumn < 0) {
            dtype.toFloats(b, out.floatTarget(), target, n * w);
            checkFinite(out.floatTarget(), target, n * w, w, row, 0, b, 0);
          } else {
            for (int i = 0; i < n; i++) {
              convertRow(b, i * columns, labelColumn, columns, out, target + i * w);
              if (!dtype.isByte()) {
                checkFinite(out.floatTarget(), target + i * w, labelColumn, w, row + i, 0, b, i * columns);
                checkFinite(out.floatTarget(), target + i * w + labelColumn, w - labelColumn, w, row + i,
                    labelColumn, b, i * columns + labelColumn + 1);
              }
              labels[row + i] = label(dtype.get(b, i * columns + labelColumn), names::label, row + i);
            }
          }
        }
        out.commit(n);
        row += n;
      }
      DataThreads.await(converting);
    }

    /**
     * Reads the next n rows and has a worker convert them into dst from {@code target} and check
     * them, once it is done with the rows before: this thread reads (and a zip entry's CRC is
     * checked) while the worker converts, each about half of the work, on two cores.
     */
    private void convertBehind(float[] dst, int target, int n, int w, int row, long rowBytes) throws IOException {
      int bytes = (int) (n * rowBytes);
      int k = pieces++ & 1;
      if (spare[k] == null || spare[k].length < bytes) {
        spare[k] = new byte[bytes];
      }
      byte[] raw = spare[k];
      fill(raw, 0, bytes, row * rowBytes);
      DataThreads.await(converting);
      converting = DataThreads.submit(() -> {
        ByteBuffer b = ByteBuffer.wrap(raw, 0, bytes).slice().order(dtype.order());
        dtype.toFloats(b, dst, target, n * w);
        checkFinite(dst, target, n * w, w, row, 0, b, 0);
      });
    }

    /** Columns [0, skip) and (skip, columns) of the row at element {@code at} of b into the target at {@code to}. */
    private void convertRow(ByteBuffer b, int at, int skip, int columns, RowBlocks out, int to) {
      int size = dtype.size();
      if (dtype.isByte()) {
        b.get(at, out.byteTarget(), to, skip);
        b.get(at + skip + 1, out.byteTarget(), to + skip, columns - skip - 1);
        return;
      }
      dtype.toFloats(b.slice(at * size, skip * size), out.floatTarget(), to, skip);
      dtype.toFloats(b.slice((at + skip + 1) * size, (columns - skip - 1) * size), out.floatTarget(), to + skip,
          columns - skip - 1);
    }

    /**
     * Fortran order: the values come a column at a time (the first index fastest), column q of the
     * trailing dimensions being C feature index c(q), with q's first trailing index fastest.
     */
    void scatter(HeapRows store, int columns, int labelColumn, int[] labels) throws IOException {
      int m = h.rows();
      int[] dims = h.shape();
      int size = dtype.size();
      int perPiece = Math.max(1, PIECE / size);
      RowCursor rows = store.cursor();
      for (int q = 0; q < columns; q++) {
        int c = cFeature(dims, q);
        if (labelColumn >= 0 && c > labelColumn) {
          c--;
        }
        boolean label = labelColumn >= 0 && cFeature(dims, q) == labelColumn;
        for (int i = 0; i < m; i += perPiece) {
          int n = Math.min(perPiece, m - i);
          long at = ((long) q * m + i) * size;
          ByteBuffer b = piece(at, n * size).order(dtype.order());
          for (int j = 0; j < n; j++) {
            int row = i + j;
            if (label) {
              labels[row] = label(dtype.get(b, j), names::label, row);
              continue;
            }
            rows.seek(row);
            if (dtype.isByte()) {
              rows.bytes()[rows.offset() + c] = b.get(j);
            } else {
              float f = (float) dtype.get(b, j);
              if (!Float.isFinite(f)) {
                throw nonFinite(dtype.get(b, j), row, c);
              }
              rows.floats()[rows.offset() + c] = f;
            }
          }
        }
      }
    }

    /** The C-order feature index of trailing column q in Fortran order (dims[1] varying fastest). */
    private static int cFeature(int[] dims, int q) {
      int rest = q;
      int[] idx = new int[dims.length];
      for (int d = 1; d < dims.length; d++) {
        idx[d] = rest % dims[d];
        rest /= dims[d];
      }
      int c = 0;
      int stride = 1;
      for (int d = dims.length - 1; d >= 1; d--) {
        c += idx[d] * stride;
        stride *= dims[d];
      }
      return c;
    }

    /**
     * Fails at the first value of f[off .. off+n) that is not finite, naming its row and column
     * (value i is column firstCol + i of row firstRow, rows of w); {@code raw} from element
     * {@code rawOff} holds the values as read, to tell a float64 beyond float32's range apart.
     */
    private void checkFinite(float[] f, int off, int n, int w, long firstRow, int firstCol, ByteBuffer raw,
        int rawOff) {
      if (!dtype.isFloat()) {
        return;
      }
      for (int at = 0; at < n; at += w) {
        if (!Finite.all(f, off + at, Math.min(w, n - at))) {
          for (int i = at; i < n; i++) {
            if (!Float.isFinite(f[off + i])) {
              int k = firstCol + i;
              throw nonFinite(dtype.get(raw, rawOff + i), firstRow + k / w, k % w);
            }
          }
        }
      }
    }

    private DataFormatException nonFinite(double v, long row, int col) {
      if (Double.isFinite(v)) {
        return new DataFormatException(names.file() + ":" + row + ": value " + v + " in column " + (col + 1)
            + " overflows float32");
      }
      return new DataFormatException(names.at(row, col) + " is " + v + "; features must be finite");
    }
  }
}
