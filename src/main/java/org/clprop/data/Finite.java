package org.clprop.data;

/**
 * Whether float32 values are all finite, at memory speed: a value is NaN or infinite exactly when
 * its exponent bits are all ones, the largest they can be, so the largest exponent field of a run
 * tells it (a max reduction, which HotSpot's C2 vectorises; an early-exit loop it does not). Callers
 * pass a row at a time: a method called per row is compiled by C2, a loop run once is not (the
 * launcher turns C2's on-stack replacement off).
 */
final class Finite {
  private static final int EXPONENT = 0x7f800000;

  private Finite() {}

  /** Whether f[off .. off+n) holds no NaN and no infinity. */
  static boolean all(float[] f, int off, int n) {
    int max = 0;
    for (int i = off; i < off + n; i++) {
      max = Math.max(max, Float.floatToRawIntBits(f[i]) & EXPONENT);
    }
    return max != EXPONENT;
  }
}
