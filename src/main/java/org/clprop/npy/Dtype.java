package org.clprop.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.clprop.io.DataFormatException;

/**
 * A NumPy element type as a .npy header's {@code descr} spells it: a byte order ({@code <} little,
 * {@code >} big, {@code |} none, {@code =} this machine's, which is little on every platform Java runs clprop on), a kind
 * (b boolean, i signed, u unsigned, f floating point) and a size in bytes. Converts runs of
 * elements in bulk: to float32 (features), to bytes (uint8 pixels), to double (models, labels).
 *
 * @param descr the header's type string, e.g. {@code "<f4"}
 * @param kind 'b', 'i', 'u' or 'f'
 * @param size bytes per element: 1, 2, 4 or 8
 * @param order the byte order of multi-byte elements
 */
public record Dtype(String descr, char kind, int size, ByteOrder order) {

  /** Little-endian float32, the dtype clprop writes features in. */
  public static final Dtype F4 = parse("<f4", "");
  /** uint8: pixel bytes. */
  public static final Dtype U1 = parse("|u1", "");

  /**
   * The dtype a header names: b1, i1 i2 i4 i8, u1 u2 u4 u8, f2 f4 f8 in any byte order.
   *
   * @throws DataFormatException naming {@code name} for any other
   */
  public static Dtype parse(String descr, String name) {
    String t = descr.length() == 3 ? descr.substring(1) : "";
    char endian = descr.isEmpty() ? '?' : descr.charAt(0);
    boolean known = "<>|=".indexOf(endian) >= 0 && switch (t) {
      case "b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8" -> true;
      default -> false;
    };
    if (!known) {
      throw new DataFormatException(name + ": unsupported dtype '" + descr
          + "' (clprop reads bool, int8-64, uint8-64 and float16-64)");
    }
    return new Dtype(descr, t.charAt(0), t.charAt(1) - '0', endian == '>' ? ByteOrder.BIG_ENDIAN
        : ByteOrder.LITTLE_ENDIAN);
  }

  /** Whether the elements are uint8: the bytes image data keeps as they are (pixels). */
  public boolean isByte() {
    return size == 1 && kind == 'u';
  }

  /** Whether the elements are floating point (and may be NaN or infinite). */
  public boolean isFloat() {
    return kind == 'f';
  }

  /** Element {@code i} of {@code b} (absolute, in elements from index 0), exact for every integer up to 2^53. */
  public double get(ByteBuffer b, int i) {
    int at = i * size;
    return switch (kind) {
      case 'f' -> size == 4 ? b.getFloat(at) : size == 8 ? b.getDouble(at) : halfToFloat(b.getShort(at));
      case 'i' -> switch (size) {
        case 1 -> b.get(at);
        case 2 -> b.getShort(at);
        case 4 -> b.getInt(at);
        default -> b.getLong(at);
      };
      default -> switch (size) {
        case 1 -> b.get(at) & 0xff;
        case 2 -> b.getShort(at) & 0xffff;
        case 4 -> b.getInt(at) & 0xffffffffL;
        default -> unsigned(b.getLong(at));
      };
    };
  }

  /**
   * dst[off .. off+n) = elements [0, n) of {@code src} (from its index 0, in its byte order set to
   * this dtype's) as float32: one bulk copy for float32, a rounding for float64 (which may overflow
   * to infinity: callers check), exact for the integers float32 holds.
   */
  public void toFloats(ByteBuffer src, float[] dst, int off, int n) {
    ByteBuffer b = src.order(order);
    if (kind == 'f' && size == 4) {
      b.asFloatBuffer().get(0, dst, off, n);
      return;
    }
    if (kind == 'f' && size == 8) {
      for (int i = 0; i < n; i++) {
        dst[off + i] = (float) b.getDouble(i * 8);
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      dst[off + i] = (float) get(b, i);
    }
  }

  /** dst[off .. off+n) = elements [0, n) of {@code src} as doubles (exact for every type but int64 beyond 2^53). */
  public void toDoubles(ByteBuffer src, double[] dst, int off, int n) {
    ByteBuffer b = src.order(order);
    if (kind == 'f' && size == 8) {
      b.asDoubleBuffer().get(0, dst, off, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      dst[off + i] = get(b, i);
    }
  }

  /** An unsigned 64-bit value as the nearest double. */
  private static double unsigned(long v) {
    return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
  }

  /**
   * IEEE 754 half precision (binary16) to float: sign, 5 exponent bits (bias 15), 10 fraction bits;
   * exact, as every half is a float. Subnormal halves (exponent 0) are fraction * 2^-24.
   */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = bits >>> 15;
    int exp = (bits >>> 10) & 0x1f;
    int frac = bits & 0x3ff;
    float v;
    if (exp == 0) {
      v = frac * 0x1p-24f;
    } else if (exp == 31) {
      v = frac == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
    } else {
      v = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (frac << 13));
    }
    return sign == 0 ? v : -v;
  }
}
