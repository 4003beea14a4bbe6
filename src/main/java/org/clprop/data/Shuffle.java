package org.clprop.data;

import java.util.SplittableRandom;

/**
 * Seeded Fisher-Yates shuffles, so that the same seed gives the same order on every machine: of
 * all examples, or of blocks of consecutive examples and then of the examples within windows of
 * those blocks (for sets read from a mapped file a window at a time).
 */
public final class Shuffle {
  private Shuffle() {}

  /** A random permutation of 0..n-1 drawn from {@code rng}. */
  public static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    shuffle(p, rng);
    return p;
  }

  /** Shuffles {@code p} in place. */
  public static void shuffle(int[] p, SplittableRandom rng) {
    for (int i = p.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
  }

  /** Shuffles p[from, to) in place. */
  public static void shuffle(int[] p, int from, int to, SplittableRandom rng) {
    for (int i = to - 1; i > from; i--) {
      int j = from + rng.nextInt(i - from + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
  }

  /**
   * Fills {@code order} (length m) with a block shuffle of 0..m-1: the blocks [b B, (b+1) B) of
   * {@code blockRows} = B rows in a random order, the examples of each run of {@code window}
   * consecutive blocks of that order then shuffled among themselves. Every example appears once;
   * the examples of one window lie within {@code window} blocks.
   */
  public static void blocks(int[] order, int blockRows, int window, SplittableRandom rng) {
    int m = order.length;
    int blocks = (int) ((m + (long) blockRows - 1) / blockRows);
    int[] perm = permutation(blocks, rng);
    int at = 0;
    for (int w = 0; w < blocks; w += window) {
      int start = at;
      for (int k = w; k < Math.min(blocks, w + window); k++) {
        int first = perm[k] * blockRows;
        int last = (int) Math.min(m, (long) first + blockRows);
        for (int r = first; r < last; r++) {
          order[at++] = r;
        }
      }
      shuffle(order, start, at, rng);
    }
  }
}
