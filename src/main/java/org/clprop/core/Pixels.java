package org.clprop.core;

/** Image pixels as features: the conversion the data sets and the CPU kernels share. */
public final class Pixels {
  private Pixels() {}

  /** The feature a pixel byte stands for: its unsigned value / 255, in [0, 1]. */
  public static float feature(byte b) {
    return (b & 0xff) / 255f;
  }
}
