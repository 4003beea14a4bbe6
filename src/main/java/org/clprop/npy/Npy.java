package org.clprop.npy;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clprop.core.MemoryBudget;
import org.clprop.io.DataFormatException;

/**
 * NumPy's .npy format (numpy.lib.format, versions 1.0 to 3.0): the magic "\x93NUMPY", a version,
 * a little-endian header length, a Python dict literal with 'descr', 'fortran_order' and 'shape',
 * then the raw values. Reads float32/64, int8/16/32/64 and uint8 in either byte order and either
 * memory order; writes version 1.0, little-endian, C order.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

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
    DataInputStream in = new DataInputStream(raw);
    byte[] magic = in.readNBytes(6);
    for (int i = 0; i < 6; i++) {
      if (i >= magic.length || magic[i] != MAGIC[i]) {
        throw new DataFormatException(name + ": not a .npy array (bad magic at byte offset " + Math.min(i, 6) + ")");
      }
    }
    int major = in.read();
    int minor = in.read();
    if (major < 1 || major > 3 || minor < 0) {
      throw new DataFormatException(name + ": unsupported .npy version " + major + "." + minor + " at byte offset 6");
    }
    long headerLen;
    byte[] lenBytes = in.readNBytes(major == 1 ? 2 : 4);
    if (lenBytes.length < (major == 1 ? 2 : 4)) {
      throw new DataFormatException(name + ": truncated .npy header at byte offset " + (8 + lenBytes.length));
    }
    ByteBuffer lb = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN);
    headerLen = major == 1 ? lb.getShort() & 0xffff : lb.getInt() & 0xffffffffL;
    if (headerLen > 1 << 20) {
      throw new DataFormatException(name + ": .npy header claims " + headerLen + " bytes at byte offset 8");
    }
    int dataStart = 8 + (major == 1 ? 2 : 4) + (int) headerLen;
    byte[] hb = in.readNBytes((int) headerLen);
    if (hb.length < headerLen) {
      throw new DataFormatException(name + ": truncated .npy header (ends at byte offset " + (dataStart - headerLen
          + hb.length) + ")");
    }
    String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = HeaderDict.string(header, "descr", name);
    boolean fortran = HeaderDict.bool(header, "fortran_order", name);
    int[] shape = parseShape(HeaderDict.tuple(header, "shape", name), name);
    long count = 1;
    for (int d : shape) {
      long p = MemoryBudget.product(count, d);
      count = p < 0 ? Long.MAX_VALUE : p;
    }
    Kind kind = Kind.of(descr, name);
    long want = MemoryBudget.product(count, kind.size);
    if (declared >= 0 && (want < 0 || declared - dataStart != want)) {
      throw new DataFormatException(name + ": shape " + Arrays.toString(shape) + " of " + descr + " needs "
          + (want < 0 ? "more than 2^63" : Long.toString(dataStart + want)) + " bytes with its header, but the entry "
          + "holds " + declared);
    }
    // Values widen to double (a second copy for Fortran order): what the header declares, checked first.
    int n = MemoryBudget.arrayLength(count, fortran && shape.length > 1 ? 16 : 8, name + ", shape "
        + Arrays.toString(shape) + " of " + descr + " as its header declares", "use a smaller data set");
    // Where the stream's size is unknown the array grows as values arrive, so that a false claim
    // costs no more than the data present.
    String what = name + ", shape " + Arrays.toString(shape) + " of " + descr;
    int first = declared >= 0 ? n : Math.min(n, 1 << 17);
    double[] values = MemoryBudget.allocate(8L * first, what, "use a smaller data set", () -> new double[first]);
    byte[] chunk = new byte[kind.size * 8192];
    ByteBuffer data = ByteBuffer.wrap(chunk).order(Kind.order(descr));
    for (int i = 0; i < n; ) {
      int take = Math.min(8192, n - i);
      if (i + take > values.length) {
        double[] v = values;
        int grown = (int) Math.min(n, 2L * values.length);
        values = MemoryBudget.allocate(8L * grown, what, "use a smaller data set", () -> Arrays.copyOf(v, grown));
      }
      int got = in.readNBytes(chunk, 0, take * kind.size);
      if (got < take * kind.size) {
        long ends = (long) i * kind.size + got;
        throw new DataFormatException(name + ": truncated: shape " + Arrays.toString(shape) + " of " + descr
            + " needs " + want + " data bytes, the data ends after " + ends + " (byte offset " + (dataStart + ends)
            + ")");
      }
      for (int j = 0; j < take; j++) {
        values[i + j] = kind.get(data, j);
      }
      i += take;
    }
    if (fortran && shape.length > 1) {
      values = toRowMajor(values, shape);
    }
    return new NpyArray(descr, shape, values);
  }

  /** Writes {@code a} as .npy version 1.0 in its dtype ({@code "<f4", "<f8", "<i8"} or {@code "|u1"}), C order. */
  public static void write(OutputStream out, NpyArray a) throws IOException {
    Kind kind = Kind.of(a.dtype(), "array to write");
    StringBuilder shape = new StringBuilder();
    for (int i = 0; i < a.shape().length; i++) {
      shape.append(a.shape()[i]).append(a.shape().length == 1 || i + 1 < a.shape().length ? "," : "");
      if (i + 1 < a.shape().length) {
        shape.append(' ');
      }
    }
    String dict = "{'descr': '" + a.dtype() + "', 'fortran_order': False, 'shape': (" + shape + "), }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    out.write(MAGIC);
    out.write(1);
    out.write(0);
    out.write(header.length() & 0xff);
    out.write(header.length() >> 8);
    out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    ByteBuffer buf = ByteBuffer.allocate(kind.size * Math.max(1, Math.min(a.values().length, 8192)))
        .order(ByteOrder.LITTLE_ENDIAN);
    for (double v : a.values()) {
      if (buf.remaining() < kind.size) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      kind.put(buf, v);
    }
    out.write(buf.array(), 0, buf.position());
  }

  private static int[] parseShape(String s, String name) {
    List<Integer> dims = new ArrayList<>();
    for (String part : s.split(",")) {
      String t = part.strip();
      if (t.isEmpty()) {
        continue;
      }
      try {
        long d = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
        if (d < 0 || d > Integer.MAX_VALUE) {
          throw new DataFormatException(name + ": dimension " + d + " in shape (" + s + ") is out of range");
        }
        dims.add((int) d);
      } catch (NumberFormatException e) {
        throw new DataFormatException(name + ": shape (" + s + ") is not a tuple of integers");
      }
    }
    return dims.stream().mapToInt(Integer::intValue).toArray();
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

  /** The element types clprop reads. */
  private enum Kind {
    F4(4), F8(8), I1(1), U1(1), I2(2), I4(4), I8(8);

    final int size;

    Kind(int size) {
      this.size = size;
    }

    static Kind of(String descr, String name) {
      if (descr.length() < 2) {
        throw new DataFormatException(name + ": unsupported dtype '" + descr + "'");
      }
      char endian = descr.charAt(0);
      String t = descr.substring(1);
      Kind k = switch (t) {
        case "f4" -> F4;
        case "f8" -> F8;
        case "i1" -> I1;
        case "u1", "b1" -> U1;
        case "i2" -> I2;
        case "i4" -> I4;
        case "i8" -> I8;
        default -> throw new DataFormatException(name + ": unsupported dtype '" + descr
            + "' (clprop reads float32, float64, int8-64 and uint8)");
      };
      return k;
    }

    /** '>' is big-endian; '<', '|' (no order) and '=' (this machine's, little on x86 and ARM) little. */
    static ByteOrder order(String descr) {
      return descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    double get(ByteBuffer b, int i) {
      return switch (this) {
        case F4 -> b.getFloat(i * 4);
        case F8 -> b.getDouble(i * 8);
        case I1 -> b.get(i);
        case U1 -> b.get(i) & 0xff;
        case I2 -> b.getShort(i * 2);
        case I4 -> b.getInt(i * 4);
        case I8 -> b.getLong(i * 8);
      };
    }

    void put(ByteBuffer b, double v) {
      switch (this) {
        case F4 -> b.putFloat((float) v);
        case F8 -> b.putDouble(v);
        case I1, U1 -> b.put((byte) v);
        case I2 -> b.putShort((short) v);
        case I4 -> b.putInt((int) v);
        case I8 -> b.putLong((long) v);
      }
    }
  }
}
