package org.clprop.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.clprop.npy.Dtype;
import org.clprop.npy.NpyHeader;

/**
 * Rows that stay in a .npy file, memory-mapped: the operating system pages them in as they are
 * read and may drop them again, so a set larger than the Java heap (or than memory) trains. The
 * file is mapped in regions of whole rows (at most 1 GiB each, as one mapping holds at most 2 GiB);
 * a cursor copies a row out of its region into its own row, leaving out a label column if the file
 * has one: uint8 rows as pixel bytes, little-endian float32 rows in one bulk copy, any other dtype
 * converted value by value. The file must not change while it is mapped.
 */
final class MappedRows extends RowStore {
  private static final long MAX_REGION_BYTES = 1L << 30;

  private final String file;
  private final Dtype dtype;
  /** Values per row in the file, and the label column left out of the features (-1: none). */
  private final int columns;
  private final int skip;
  private final int regionRows;
  private final ByteBuffer[] regions;
  /** Float views of the regions, for little-endian float32 data; else null. */
  private final FloatBuffer[] floats;
  /** The file row of this store's row 0 (a slice is a view). */
  private final int first;

  private MappedRows(String file, Dtype dtype, int columns, int skip, int rows, int regionRows, ByteBuffer[] regions,
      FloatBuffer[] floats, int first) {
    super(rows, skip < 0 ? columns : columns - 1);
    this.file = file;
    this.dtype = dtype;
    this.columns = columns;
    this.skip = skip;
    this.regionRows = regionRows;
    this.regions = regions;
    this.floats = floats;
    this.first = first;
  }

  /**
   * Maps the values of a C-order array whose header is {@code h}: rows of {@code h.cols()} values,
   * column {@code skip} (-1: none) left out. The caller has checked that the file holds exactly them.
   */
  static MappedRows open(Path file, NpyHeader h, int skip) throws IOException {
    Dtype dtype = h.dtype();
    int columns = (int) h.cols();
    int rows = h.rows();
    long rowBytes = (long) columns * dtype.size();
    // Regions of whole rows: 64 storage blocks (a lowered block size gives many regions in tests), at most 1 GiB.
    long byBlocks = 64L * RowBlocks.blockRows(columns, dtype.size());
    int regionRows = (int) Math.max(1, Math.min(byBlocks, MAX_REGION_BYTES / rowBytes));
    int count = (int) ((rows + (long) regionRows - 1) / regionRows);
    ByteBuffer[] regions = new ByteBuffer[count];
    boolean f4 = dtype.kind() == 'f' && dtype.size() == 4;
    FloatBuffer[] floats = f4 ? new FloatBuffer[count] : null;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      for (int k = 0; k < count; k++) {
        long from = (long) k * regionRows;
        long n = Math.min(regionRows, rows - from);
        regions[k] = ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset() + from * rowBytes, n * rowBytes)
            .order(dtype.order());
        if (f4) {
          floats[k] = regions[k].asFloatBuffer();
        }
      }
    }
    return new MappedRows(file.toString(), dtype, columns, skip, rows, regionRows, regions, floats, 0);
  }

  @Override
  boolean pixels() {
    return dtype.isByte();
  }

  @Override
  int blockRows() {
    return regionRows;
  }

  @Override
  boolean inHeap() {
    return false;
  }

  @Override
  void locate(int i, RowCursor c) {
    int r = first + i;
    int k = r / regionRows;
    int at = (r - k * regionRows) * columns;
    int w = features();
    int before = skip < 0 ? w : skip;
    c.offset = 0;
    if (dtype.isByte()) {
      byte[] own = c.ownBytes();
      regions[k].get(at, own, 0, before);
      if (skip >= 0) {
        regions[k].get(at + skip + 1, own, skip, w - skip);
      }
      c.bytes = own;
      return;
    }
    float[] own = c.ownFloats();
    if (floats != null) {
      floats[k].get(at, own, 0, before);
      if (skip >= 0) {
        floats[k].get(at + skip + 1, own, skip, w - skip);
      }
    } else {
      for (int j = 0; j < w; j++) {
        own[j] = (float) dtype.get(regions[k], at + (skip < 0 || j < skip ? j : j + 1));
      }
    }
    c.floats = own;
  }

  @Override
  float value(int i, int c) {
    int r = first + i;
    int k = r / regionRows;
    int at = (r - k * regionRows) * columns + (skip < 0 || c < skip ? c : c + 1);
    double v = dtype.get(regions[k], at);
    return dtype.isByte() ? Dataset.pixel((byte) v) : (float) v;
  }

  /** Value {@code col} of file row {@code r} as it is stored (the label column included), for the loader's checks. */
  double raw(int r, int col) {
    int k = r / regionRows;
    return dtype.get(regions[k], (r - k * regionRows) * columns + col);
  }

  @Override
  RowStore slice(int from, int to) {
    return new MappedRows(file, dtype, columns, skip, to - from, regionRows, regions, floats, first + from);
  }

  @Override
  String origin() {
    return "mapped from " + file;
  }
}
