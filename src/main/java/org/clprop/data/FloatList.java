package org.clprop.data;

import java.util.Arrays;

/** A growable float array, to read data of unknown length without boxing. */
final class FloatList {
  private float[] a = new float[1024];
  private int n;

  void add(float v) {
    if (n == a.length) {
      a = Arrays.copyOf(a, a.length * 2);
    }
    a[n++] = v;
  }

  int size() {
    return n;
  }

  float[] toArray() {
    return Arrays.copyOf(a, n);
  }
}
