package org.clprop.data;

import java.util.Arrays;

/** A growable int array, to read labels of unknown count without boxing. */
final class IntList {
  private int[] a = new int[256];
  private int n;

  void add(int v) {
    if (n == a.length) {
      a = Arrays.copyOf(a, a.length * 2);
    }
    a[n++] = v;
  }

  int size() {
    return n;
  }

  int[] toArray() {
    return Arrays.copyOf(a, n);
  }
}
