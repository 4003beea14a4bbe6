package org.clprop.data;

/**
 * Decimal numbers read straight from UTF-8 bytes, with exactly {@link Double#parseDouble}'s result.
 * The fast path takes [+-]digits[.digits][(e|E)[+-]digits] with at most 18 significant digits and
 * a power of ten within 10^±22: the digits make an integer m exact in a long, m < 2^53 is exact in
 * a double, and so is 10^k for k <= 22; one multiplication or division of two exact doubles is
 * correctly rounded (Clinger's fast path), and so is parseDouble. Everything else (more digits,
 * larger powers, hexadecimal, NaN, Infinity, a 'd' or 'f' suffix, inner blanks) goes to
 * parseDouble itself, so the accepted forms and the values are parseDouble's.
 */
final class CsvNumbers {
  /** What {@link #fast} returns when it cannot decide; the caller then takes the slow path. */
  static final double UNDECIDED = Double.NaN;
  private static final long EXACT = 1L << 53;
  private static final double[] POW10 = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  private CsvNumbers() {}

  /** The value of b[from, to) (no surrounding blanks), or {@link #UNDECIDED}. */
  static double fast(byte[] b, int from, int to) {
    Scan s = new Scan();
    double v = s.number(b, from, to);
    return s.end == to ? v : UNDECIDED;
  }

  /** Reads a number that starts a field and says where it stops, so that one pass both splits and parses. */
  static final class Scan {
    /** The index after the last byte of the number last read. */
    int end;

    /** The number that starts at b[from] (before {@code limit}), or {@link #UNDECIDED}; {@link #end} says where it stops. */
    double number(byte[] b, int from, int limit) {
      return CsvNumbers.number(b, from, limit, this);
    }
  }

  private static double number(byte[] b, int from, int to, Scan scan) {
    int i = from;
    if (i >= to) {
      return UNDECIDED;
    }
    boolean negative = false;
    if (b[i] == '-' || b[i] == '+') {
      negative = b[i] == '-';
      i++;
    }
    long m = 0;
    int significant = 0;
    int exp10 = 0;
    boolean anyDigit = false;
    for (; i < to; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        break;
      }
      anyDigit = true;
      if (m != 0 || d != 0) {
        if (++significant > 18) {
          return UNDECIDED;
        }
        m = m * 10 + d;
      }
    }
    if (i < to && b[i] == '.') {
      for (i++; i < to; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          break;
        }
        anyDigit = true;
        exp10--;
        if (m != 0 || d != 0) {
          if (++significant > 18) {
            return UNDECIDED;
          }
          m = m * 10 + d;
        }
      }
    }
    if (!anyDigit) {
      return UNDECIDED;
    }
    if (i < to && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      boolean negExp = false;
      if (i < to && (b[i] == '-' || b[i] == '+')) {
        negExp = b[i] == '-';
        i++;
      }
      int e = 0;
      int start = i;
      for (; i < to; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          break;
        }
        e = Math.min(e * 10 + d, 100_000);
      }
      if (i == start) {
        return UNDECIDED;
      }
      exp10 += negExp ? -e : e;
    }
    scan.end = i;
    if (m == 0) {
      return negative ? -0.0 : 0.0;
    }
    if (m >= EXACT || exp10 < -22 || exp10 > 22) {
      return UNDECIDED;
    }
    double v = exp10 < 0 ? m / POW10[-exp10] : m * POW10[exp10];
    return negative ? -v : v;
  }

  /** 10^k, exact, for 0 <= k <= 15 (the digits of a number of at most 15 digits after its point). */
  static double pow10(int k) {
    return POW10[k];
  }

  /** Whether {@code c} is a blank that {@link String#strip} removes and that is one byte in UTF-8. */
  static boolean blank(byte c) {
    return c == ' ' || c == '\t' || c == 0x0b || c == '\f' || c >= 0x1c && c <= 0x1f;
  }
}
