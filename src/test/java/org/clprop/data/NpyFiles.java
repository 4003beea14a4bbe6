package org.clprop.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.clprop.npy.Dtype;

/**
 * Writes .npy arrays of any dtype, byte order and memory order, and .npz archives of them, stored
 * or deflated: the inputs NumPy writes, made without NumPy.
 */
final class NpyFiles {
  private NpyFiles() {}

  /**
   * One array: {@code values} in C order (last index fastest), written as {@code descr} in C or
   * Fortran order. Values must be exact in the dtype.
   */
  record Array(String descr, int[] shape, boolean fortran, double[] values) {
    byte[] bytes() {
      Dtype d = Dtype.parse(descr, "test");
      String s = "";
      for (int i = 0; i < shape.length; i++) {
        s += shape[i] + (shape.length == 1 || i + 1 < shape.length ? "," : "") + (i + 1 < shape.length ? " " : "");
      }
      String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (" + s
          + "), }";
      int total = 10 + dict.length() + 1;
      String header = dict + " ".repeat((64 - total % 64) % 64) + "\n";
      ByteBuffer b = ByteBuffer.allocate(10 + header.length() + values.length * d.size()).order(ByteOrder.LITTLE_ENDIAN);
      b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
      b.put(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      b.order(d.order());
      double[] v = fortran ? toFortran(values, shape) : values;
      for (double x : v) {
        put(b, d, x);
      }
      return b.array();
    }
  }

  static void put(ByteBuffer b, Dtype d, double x) {
    switch (d.kind()) {
      case 'f' -> {
        switch (d.size()) {
          case 2 -> b.putShort(half((float) x));
          case 4 -> b.putFloat((float) x);
          default -> b.putDouble(x);
        }
      }
      default -> {
        switch (d.size()) {
          case 1 -> b.put((byte) (long) x);
          case 2 -> b.putShort((short) (long) x);
          case 4 -> b.putInt((int) (long) x);
          default -> b.putLong((long) x);
        }
      }
    }
  }

  /** A float exact in binary16 (normal, or zero) as its bits. */
  static short half(float f) {
    if (f == 0) {
      return (short) (Float.floatToRawIntBits(f) >>> 16 & 0x8000);
    }
    int bits = Float.floatToRawIntBits(f);
    int sign = bits >>> 31;
    int exp = ((bits >>> 23) & 0xff) - 127 + 15;
    int frac = (bits >>> 13) & 0x3ff;
    if (exp <= 0 || exp >= 31 || (bits & 0x1fff) != 0) {
      throw new IllegalArgumentException(f + " is not a normal binary16");
    }
    return (short) (sign << 15 | exp << 10 | frac);
  }

  /** C-order values reordered so that the first index varies fastest. */
  static double[] toFortran(double[] c, int[] shape) {
    double[] f = new double[c.length];
    int n = shape.length;
    int[] idx = new int[n];
    for (int pos = 0; pos < c.length; pos++) {
      int fpos = 0;
      int stride = 1;
      for (int d = 0; d < n; d++) {
        fpos += idx[d] * stride;
        stride *= shape[d];
      }
      f[fpos] = c[pos];
      for (int d = n - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) {
          break;
        }
        idx[d] = 0;
      }
    }
    return f;
  }

  static void write(Path file, Array a) throws IOException {
    Files.write(file, a.bytes());
  }

  /** A .npz of the arrays by key, each entry stored (with its size and CRC ahead) or deflated. */
  static void npz(Path file, Map<String, Array> arrays, boolean deflated) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, Array> e : arrays.entrySet()) {
        byte[] b = e.getValue().bytes();
        ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
        if (!deflated) {
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(b.length);
          CRC32 crc = new CRC32();
          crc.update(b);
          entry.setCrc(crc.getValue());
        }
        z.putNextEntry(entry);
        z.write(b);
        z.closeEntry();
      }
    }
    try (OutputStream o = Files.newOutputStream(file)) {
      out.writeTo(o);
    }
  }
}
