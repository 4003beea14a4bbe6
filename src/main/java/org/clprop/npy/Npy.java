package org.clprop.npy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clprop.data.DataFormatException;

/**
 * NumPy's .npy format (numpy.lib.format, versions 1.0 to 3.0): the magic "\x93NUMPY", a version,
 * a little-endian header length, a Python dict literal with 'descr', 'fortran_order' and 'shape',
 * then the raw values. Reads float32/64, int8/16/32/64 and uint8 in either byte order and either
 * memory order; writes version 1.0, little-endian, C order.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  /** The most values one array may hold here (Java's array limit). */
  private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

  private Npy() {}

  /** Reads one array; {@code name} appears in error messages. Never allocates more than the data present. */
  public static NpyArray read(InputStream raw, String name) throws IOException {
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
    String descr = find(DESCR, header, name, "descr");
    boolean fortran = find(FORTRAN, header, name, "fortran_order").equals("True");
    int[] shape = parseShape(find(SHAPE, header, name, "shape"), name);
    long count = 1;
    for (int d : shape) {
      count *= d;
      if (count > MAX_VALUES) {
        throw new DataFormatException(name + ": shape claims more than " + MAX_VALUES + " values");
      }
    }
    Kind kind = Kind.of(descr, name);
    // Read in chunks so that a header claiming more than the file holds fails at the end of the data.
    ByteArrayOutputStream collected = new ByteArrayOutputStream();
    long want = count * kind.size;
    byte[] chunk = new byte[1 << 16];
    long got = 0;
    while (got < want) {
      int n = in.read(chunk, 0, (int) Math.min(chunk.length, want - got));
      if (n < 0) {
        throw new DataFormatException(name + ": truncated: shape " + java.util.Arrays.toString(shape) + " of " + descr
            + " needs " + want + " data bytes, the data ends after " + got + " (byte offset " + (dataStart + got) + ")");
      }
      collected.write(chunk, 0, n);
      got += n;
    }
    ByteBuffer data = ByteBuffer.wrap(collected.toByteArray()).order(Kind.order(descr));
    double[] values = new double[(int) count];
    for (int i = 0; i < count; i++) {
      values[i] = kind.get(data, i);
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

  private static String find(Pattern p, String header, String name, String key) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new DataFormatException(name + ": .npy header has no '" + key + "' (header: " + header.strip() + ")");
    }
    return m.group(1);
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
