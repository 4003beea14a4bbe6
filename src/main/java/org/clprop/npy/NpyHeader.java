package org.clprop.npy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clprop.core.MemoryBudget;
import org.clprop.io.DataFormatException;

/**
 * The header of a .npy array (numpy.lib.format, versions 1.0 to 3.0): the magic "\x93NUMPY", a
 * version, a little-endian header length, then a Python dict literal with 'descr', 'fortran_order'
 * and 'shape'. The values follow at {@link #dataOffset}, {@link #count} elements of
 * {@link #dtype}, in C order (last index fastest) or, with {@code fortran}, first index fastest.
 *
 * @param dtype the element type
 * @param fortran whether the values are in Fortran (column-major) order
 * @param shape the dimensions; empty for a scalar
 * @param dataOffset the byte offset of the first value from the start of the array
 * @param count the number of elements, the shape's product (Long.MAX_VALUE when that overflows)
 */
public record NpyHeader(Dtype dtype, boolean fortran, int[] shape, int dataOffset, long count) {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** The bytes of the values, or -1 when that overflows a long. */
  public long dataBytes() {
    return MemoryBudget.product(count, dtype.size());
  }

  /** The first dimension; 1 for a scalar. */
  public int rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  /** Values per row: the product of the dimensions after the first (Long.MAX_VALUE when it overflows). */
  public long cols() {
    long n = 1;
    for (int i = 1; i < shape.length; i++) {
      long p = MemoryBudget.product(n, shape[i]);
      n = p < 0 ? Long.MAX_VALUE : p;
    }
    return n;
  }

  /** The shape as Python prints a tuple: {@code (3,)}, {@code (10, 65)}, {@code ()}. */
  public String shapeString() {
    return shapeString(shape);
  }

  /** {@code shape} as Python prints a tuple: {@code (3,)}, {@code (10, 65)}, {@code ()}. */
  static String shapeString(int[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(shape[i]).append(shape.length == 1 ? "," : i + 1 < shape.length ? ", " : "");
    }
    return sb.append(')').toString();
  }

  /** {@code "shape [60000, 784] of <f4"}, for messages. */
  public String describe() {
    return "shape " + Arrays.toString(shape) + " of " + dtype.descr();
  }

  /**
   * Reads a header from {@code in}, leaving it at the first value; {@code name} appears in error
   * messages, which give the byte offset where the header goes wrong.
   */
  public static NpyHeader read(InputStream in, String name) throws IOException {
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
    int lenBytes = major == 1 ? 2 : 4;
    byte[] len = in.readNBytes(lenBytes);
    if (len.length < lenBytes) {
      throw new DataFormatException(name + ": truncated .npy header at byte offset " + (8 + len.length));
    }
    ByteBuffer lb = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = major == 1 ? lb.getShort() & 0xffff : lb.getInt() & 0xffffffffL;
    if (headerLen > 1 << 20) {
      throw new DataFormatException(name + ": .npy header claims " + headerLen + " bytes at byte offset 8");
    }
    int dataStart = 8 + lenBytes + (int) headerLen;
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
    return new NpyHeader(Dtype.parse(descr, name), fortran, shape, dataStart, count);
  }

  /** The header of version 1.0 (2.0 when longer than 65,535 bytes) for {@code shape} of {@code dtype} in C order, padded to 64 bytes. */
  public static byte[] encode(Dtype dtype, long[] shape) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      s.append(shape[i]).append(shape.length == 1 || i + 1 < shape.length ? "," : "");
      if (i + 1 < shape.length) {
        s.append(' ');
      }
    }
    String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': (" + s + "), }";
    boolean v1 = dict.length() + 11 < 65536;
    int prefix = v1 ? 10 : 12;
    int total = prefix + dict.length() + 1;
    String text = dict + " ".repeat((64 - total % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(prefix + text.length()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) (v1 ? 1 : 2)).put((byte) 0);
    if (v1) {
      b.putShort((short) text.length());
    } else {
      b.putInt(text.length());
    }
    b.put(text.getBytes(StandardCharsets.ISO_8859_1));
    return b.array();
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
}
