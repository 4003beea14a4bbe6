package org.clprop.data;

import java.util.SplittableRandom;
import org.clprop.core.MemoryBudget;

/**
 * A seeded split of one dataset into two disjoint parts, for held-out testing or validation.
 *
 * @param first the examples not held out (for training)
 * @param second the held-out examples
 */
public record Split(Dataset first, Dataset second) {

  /**
   * Shuffles the indices with {@code seed} (Fisher-Yates) and puts {@code fraction} of them,
   * rounded, into {@link #second()}; the rest, in shuffled order, into {@link #first()}.
   */
  public static Split of(Dataset data, double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("fraction: " + fraction + ", must lie strictly between 0 and 1");
    }
    int m = data.size();
    int n2 = (int) Math.round(m * fraction);
    if (n2 == 0 || n2 == m) {
      throw new IllegalArgumentException("fraction " + fraction + " of " + m + " examples leaves one part empty");
    }
    // Both parts are copies: as much again as the data, and the indices.
    MemoryBudget.require((data.isPixels() ? 1L : 4L) * m * data.features() + 8L * m, "splitting " + m
        + " examples of " + data.features() + " features", "use a smaller data set");
    int[] idx = Shuffle.permutation(m, new SplittableRandom(seed));
    int[] a = new int[m - n2];
    int[] b = new int[n2];
    System.arraycopy(idx, 0, a, 0, a.length);
    System.arraycopy(idx, a.length, b, 0, n2);
    return new Split(data.subset(a), data.subset(b));
  }
}
