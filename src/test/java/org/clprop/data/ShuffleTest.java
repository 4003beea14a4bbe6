package org.clprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Block shuffling: for any number of examples, block size and window, each epoch is a permutation
 * (every example once), each window's examples come from at most {@code window} blocks and fill
 * them, the same seed gives the same order, and the blocks themselves come in a shuffled order.
 */
class ShuffleTest {
  @Test
  void blockShufflesArePermutationsWindowByWindow() {
    Random r = new Random(16);
    for (int t = 0; t < 500; t++) {
      int m = 1 + r.nextInt(t < 100 ? 50 : 5000);
      int blockRows = 1 + r.nextInt(t % 3 == 0 ? m + 10 : 64);
      int window = 1 + r.nextInt(8);
      long seed = r.nextLong();
      int[] order = new int[m];
      Shuffle.blocks(order, blockRows, window, new SplittableRandom(seed));
      String what = "m " + m + ", blocks of " + blockRows + ", window " + window;
      int[] sorted = order.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < m; i++) {
        assertEquals(i, sorted[i], what + ": not a permutation");
      }
      int blocks = (m + blockRows - 1) / blockRows;
      int at = 0;
      for (int w = 0; w < blocks; w += window) {
        // The window's examples: all rows of min(window, blocks left) blocks, and no others.
        int target = Math.min(window, blocks - w);
        Set<Integer> seen = new HashSet<>();
        long rows = 0;
        int j = at;
        while (true) {
          int b = order[j] / blockRows;
          if (seen.add(b)) {
            rows += Math.min(m, (b + 1) * blockRows) - b * blockRows;
          }
          assertTrue(seen.size() <= target, what + ": window " + w / window + " draws on more than " + target
              + " blocks");
          j++;
          if (seen.size() == target && j - at == rows) {
            break;
          }
        }
        at = j;
      }
      assertEquals(m, at, what);
      int[] again = new int[m];
      Shuffle.blocks(again, blockRows, window, new SplittableRandom(seed));
      assertArrayEquals(order, again, what + ": same seed, same order");
    }
  }

  @Test
  void blocksComeInAShuffledOrder() {
    // 100 blocks of 10, windows of 1 block: the first rows of the epoch are not always block 0.
    Set<Integer> firstBlocks = new HashSet<>();
    for (int seed = 0; seed < 20; seed++) {
      int[] order = new int[1000];
      Shuffle.blocks(order, 10, 1, new SplittableRandom(seed));
      firstBlocks.add(order[0] / 10);
      int[] firstWindow = Arrays.copyOf(order, 10);
      Arrays.sort(firstWindow);
      assertTrue(firstWindow[9] - firstWindow[0] == 9, "a window of one block holds one block's rows");
      assertFalse(Arrays.equals(firstWindow, Arrays.copyOf(order, 10)) && seed > 0 && order[0] == firstWindow[0]
          && order[9] == firstWindow[9] && isSorted(order, 10), "rows within a window are shuffled");
    }
    assertTrue(firstBlocks.size() > 10, "first blocks " + firstBlocks);
  }

  private static boolean isSorted(int[] a, int n) {
    for (int i = 1; i < n; i++) {
      if (a[i] < a[i - 1]) {
        return false;
      }
    }
    return true;
  }
}
