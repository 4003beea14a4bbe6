package org.clprop.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelGroupingTest {
  /**
   * A batch grouped by label, then by density: the same rows, (label, density) in increasing order,
   * order kept among equals.
   */
  @Test
  void batchesAreGroupedByLabelThenDensityStably() {
    Random r = new Random(5);
    int[] labels = new int[500];
    Arrays.setAll(labels, i -> r.nextInt(7));
    int[] density = new int[500];
    Arrays.setAll(density, i -> r.nextInt(12));
    int[] order = new int[500];
    Arrays.setAll(order, i -> (i * 211) % 500);
    int[] out = new int[90];
    LabelGrouping.groupByLabel(order, 37, 90, labels, density, new int[13], new int[90], out);
    int[] want = Arrays.copyOfRange(order, 37, 127);
    int[] got = out.clone();
    Arrays.sort(want);
    Arrays.sort(got);
    assertArrayEquals(want, got, "the same rows");
    for (int i = 1; i < 90; i++) {
      int a = out[i - 1];
      int b = out[i];
      int byKey = labels[a] != labels[b] ? Integer.compare(labels[a], labels[b]) : Integer.compare(density[a], density[b]);
      assertTrue(byKey < 0 || byKey == 0 && position(order, a) < position(order, b), "grouped and stable at " + i);
    }
  }

  private static int position(int[] order, int row) {
    for (int i = 0; i < order.length; i++) {
      if (order[i] == row) {
        return i;
      }
    }
    throw new AssertionError(row);
  }
}
