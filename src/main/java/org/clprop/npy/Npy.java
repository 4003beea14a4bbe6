package org.clprop.npy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.clprop.core.MemoryBudget;
import org.clprop.io.DataFormatException;

/**
 * NumPy's .npy format (numpy.lib.format, versions 1.0 to 3.0): the magic "\x93NUMPY", a version,
 * a little-endian header length, a Python dict literal with 'descr', 'fortran_order' and 'shape',
 * then the raw values ({@link NpyHeader}). Reads every dtype of {@link Dtype} in either byte order
 * and either memory order into doubles, for models and small arrays (data sets are read by
 * {@code org.clprop.data}, in their own dtype); writes version 1.0, little-endian, C order.
 */
public final class Npy {
  private Npy() {}

  /** Reads one array; {@code name} appears in error messages. */
  public static NpyArray read(InputStream raw, String name) throws IOException {
    return read(raw, name, -1);
  }

  /**
   * Reads one array from a stream that holds {@code declared} bytes in all, or -1 when unknown (a
   * zip entry whose sizes come after its data). The values' memory is checked against the
   * {@link MemoryBudget} from the header before it is allocated; a stream whose declared size
   * disagrees with the header fails before any data is read.
   */
  public static NpyArray read(InputStream raw, String name, long declared) throws IOException {
    NpyHeader h = NpyHeader.read(raw, name);
    int[] shape = h.shape();
    String descr = h.dtype().descr();
    int size = h.dtype().size();
    long want = h.dataBytes();
    int dataStart = h.dataOffset();
    if (declared >= 0 && (want < 0 || declared - dataStart != want)) {
      throw new DataFormatException(name + ": shape " + Arrays.toString(shape) + " of " + descr + " needs "
          + (want < 0 ? "more than 2^63" : Long.toString(dataStart + want)) + " bytes with its header, but the entry "
          + "holds " + declared);
    }
    boolean fortran = h.fortran() && shape.length > 1;
    // Values widen to double (a second copy for Fortran order): what the header declares, checked first.
    int n = MemoryBudget.arrayLength(h.count(), fortran ? 16 : 8, name + ", shape "
        + Arrays.toString(shape) + " of " + descr + " as its header declares", "use a smaller data set");
    // Where the stream's size is unknown the array grows as values arrive, so that a false claim
    // costs no more than the data present.
    String what = name + ", " + h.describe();
    int first = declared >= 0 ? n : Math.min(n, 1 << 17);
    double[] values = MemoryBudget.allocate(8L * first, what, "use a smaller data set", () -> new double[first]);
    byte[] chunk = new byte[size * 8192];
    ByteBuffer data = ByteBuffer.wrap(chunk);
    for (int i = 0; i < n; ) {
      int take = Math.min(8192, n - i);
      if (i + take > values.length) {
        double[] v = values;
        int grown = (int) Math.min(n, 2L * values.length);
        values = MemoryBudget.allocate(8L * grown, what, "use a smaller data set", () -> Arrays.copyOf(v, grown));
      }
      int got = raw.readNBytes(chunk, 0, take * size);
      if (got < take * size) {
        long ends = (long) i * size + got;
        throw new DataFormatException(name + ": truncated: shape " + Arrays.toString(shape) + " of " + descr
            + " needs " + want + " data bytes, the data ends after " + ends + " (byte offset " + (dataStart + ends)
            + ")");
      }
      h.dtype().toDoubles(data, values, i, take);
      i += take;
    }
    if (fortran) {
      values = toRowMajor(values, shape);
    }
    return new NpyArray(descr, shape, values);
  }

  /** Writes {@code a} as .npy version 1.0 in its dtype ({@code "<f4", "<f8", "<i8"} or {@code "|u1"}), C order. */
  public static void write(OutputStream out, NpyArray a) throws IOException {
    Dtype dtype = Dtype.parse(a.dtype(), "array to write");
    long[] shape = new long[a.shape().length];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = a.shape()[i];
    }
    out.write(NpyHeader.encode(dtype, shape));
    ByteBuffer buf = ByteBuffer.allocate(dtype.size() * Math.max(1, Math.min(a.values().length, 8192)))
        .order(ByteOrder.LITTLE_ENDIAN);
    for (double v : a.values()) {
      if (buf.remaining() < dtype.size()) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      put(dtype, buf, v);
    }
    out.write(buf.array(), 0, buf.position());
  }

  /** Appends {@code v} to {@code b} as one element of {@code dtype} (little-endian; float16 not written). */
  private static void put(Dtype dtype, ByteBuffer b, double v) {
    switch (dtype.kind()) {
      case 'f' -> {
        if (dtype.size() == 4) {
          b.putFloat((float) v);
        } else if (dtype.size() == 8) {
          b.putDouble(v);
        } else {
          throw new IllegalArgumentException("clprop does not write float16");
        }
      }
      default -> {
        switch (dtype.size()) {
          case 1 -> b.put((byte) v);
          case 2 -> b.putShort((short) v);
          case 4 -> b.putInt((int) v);
          default -> b.putLong((long) v);
        }
      }
    }
  }

  private static double[] toRowMajor(double[] f, int[] shape) {
    // Fortran order: the first index varies fastest. Map each C-order position to its F-order one.
    int n = shape.length;
    double[] c = new double[f.length];
    int[] idx = new int[n];
    for (int pos = 0; pos < c.length; pos++) {
      int fpos = 0;
      int stride = 1;
      for (int d = 0; d < n; d++) {
        fpos += idx[d] * stride;
        stride *= shape[d];
      }
      c[pos] = f[fpos];
      for (int d = n - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) {
          break;
        }
        idx[d] = 0;
      }
    }
    return c;
  }
}
