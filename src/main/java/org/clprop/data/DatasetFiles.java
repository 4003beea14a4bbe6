package org.clprop.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.clprop.io.AtomicFiles;
import org.clprop.npy.Dtype;
import org.clprop.npy.NpyHeader;

/**
 * Writes data sets in the layouts clprop reads fastest, for {@code clprop convert}: features in
 * their own precision (pixel bytes as uint8, everything else float32, C order), labels int32,
 * little-endian, streamed row by row from the storage (a mapped set never needs the heap). Every
 * file is written atomically ({@link AtomicFiles}).
 *
 * <ul>
 *   <li>{@link #folder}: x.npy, y.npy and, for a test part, x_test.npy and y_test.npy: mapped when
 *       the heap cannot hold them;
 *   <li>{@link #table}: one .npy (m, features + 1) whose last column is the label;
 *   <li>{@link #npz}: the same arrays as a .npz with stored (uncompressed) entries, as
 *       {@code np.savez} writes them.
 * </ul>
 */
public final class DatasetFiles {
  private static final Dtype I4 = Dtype.parse("<i4", "");
  /** Largest label a float32 table column holds exactly: 2^24. */
  private static final int EXACT_FLOAT_INTEGER = 1 << 24;

  private DatasetFiles() {}

  /** The folder layout: x.npy, y.npy, and x_test.npy, y_test.npy when {@code test} is not null. */
  public static void folder(Dataset train, Dataset test, Path dir) throws IOException {
    AtomicFiles.write(dir.resolve("x.npy"), out -> features(train, out));
    AtomicFiles.write(dir.resolve("y.npy"), out -> labels(train, out));
    if (test != null) {
      AtomicFiles.write(dir.resolve("x_test.npy"), out -> features(test, out));
      AtomicFiles.write(dir.resolve("y_test.npy"), out -> labels(test, out));
    }
  }

  /**
   * One .npy table of the examples with the label as the last column: uint8 for pixel data with
   * labels up to 255, else float32 (labels up to 2^24, exact in it).
   */
  public static void table(Dataset data, Path file) throws IOException {
    int maxLabel = data.classes() - 1;
    if (maxLabel >= EXACT_FLOAT_INTEGER) {
      throw new IllegalArgumentException(file + ": labels up to " + maxLabel + " are not exact in a float32 column; "
          + "write a folder (x.npy, y.npy) instead");
    }
    boolean bytes = data.isPixels() && maxLabel <= 255;
    AtomicFiles.write(file, out -> {
      int w = data.features();
      Dtype dtype = bytes ? Dtype.U1 : Dtype.F4;
      out.write(NpyHeader.encode(dtype, new long[] {data.size(), w + 1L}));
      Rows rows = new Rows(data, out, bytes, w + 1);
      for (int i = 0; i < data.size(); i++) {
        rows.row(i, data.label(i));
      }
      rows.flush();
    });
  }

  /** The .npz layout: arrays x, y, and x_test, y_test when {@code test} is not null, stored. */
  public static void npz(Dataset train, Dataset test, Path file) throws IOException {
    AtomicFiles.write(file, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      entry(zip, "x.npy", o -> features(train, o));
      entry(zip, "y.npy", o -> labels(train, o));
      if (test != null) {
        entry(zip, "x_test.npy", o -> features(test, o));
        entry(zip, "y_test.npy", o -> labels(test, o));
      }
      zip.finish();
    });
  }

  /** A stored zip entry: its bytes are made twice, once for their size and CRC (which a stored entry states first). */
  private static void entry(ZipOutputStream zip, String name, AtomicFiles.Writer content) throws IOException {
    CrcCount c = new CrcCount();
    content.write(c);
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(c.count);
    e.setCompressedSize(c.count);
    e.setCrc(c.crc.getValue());
    zip.putNextEntry(e);
    content.write(zip);
    zip.closeEntry();
  }

  /** x: (m, features) of uint8 (pixels) or float32. */
  private static void features(Dataset d, OutputStream out) throws IOException {
    out.write(NpyHeader.encode(d.isPixels() ? Dtype.U1 : Dtype.F4, new long[] {d.size(), d.features()}));
    Rows rows = new Rows(d, out, d.isPixels(), d.features());
    for (int i = 0; i < d.size(); i++) {
      rows.row(i, -1);
    }
    rows.flush();
  }

  /** y: (m,) int32. */
  private static void labels(Dataset d, OutputStream out) throws IOException {
    out.write(NpyHeader.encode(I4, new long[] {d.size()}));
    ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < d.size(); i++) {
      if (!b.hasRemaining()) {
        out.write(b.array(), 0, b.position());
        b.clear();
      }
      b.putInt(d.label(i));
    }
    out.write(b.array(), 0, b.position());
  }

  /** Rows written through a 1 MiB little-endian buffer, each optionally followed by its label. */
  private static final class Rows {
    private final OutputStream out;
    private final RowCursor cursor;
    private final boolean bytes;
    private final int features;
    private final ByteBuffer buf;
    private final float[] row;

    Rows(Dataset d, OutputStream out, boolean bytes, int columns) {
      this.out = out;
      this.cursor = d.cursor();
      this.bytes = bytes;
      this.features = d.features();
      this.buf = ByteBuffer.allocate(Math.max(1 << 20, columns * 4)).order(ByteOrder.LITTLE_ENDIAN);
      this.row = new float[features];
    }

    /** Row i, then {@code label} unless it is negative. */
    void row(int i, int label) throws IOException {
      int need = (features + 1) * (bytes ? 1 : 4);
      if (buf.remaining() < need) {
        flush();
      }
      if (bytes) {
        cursor.seek(i);
        buf.put(cursor.bytes(), cursor.offset(), features);
        if (label >= 0) {
          buf.put((byte) label);
        }
      } else {
        cursor.copy(i, row, 0);
        buf.asFloatBuffer().put(row);
        buf.position(buf.position() + 4 * features);
        if (label >= 0) {
          buf.putFloat(label);
        }
      }
    }

    void flush() throws IOException {
      out.write(buf.array(), 0, buf.position());
      buf.clear();
    }
  }

  /** Counts bytes and their CRC-32, writing nothing. */
  private static final class CrcCount extends OutputStream {
    final CRC32 crc = new CRC32();
    long count;

    @Override
    public void write(int b) {
      crc.update(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      crc.update(b, off, len);
      count += len;
    }
  }
}
