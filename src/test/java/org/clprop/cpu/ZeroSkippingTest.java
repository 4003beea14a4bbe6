package org.clprop.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.clprop.data.Dataset;
import org.clprop.data.RowCursor;
import org.junit.jupiter.api.Test;

class ZeroSkippingTest {
  /** markBlocks: a block is live when any of its (up to) eight features is other than +0 or -0. */
  @Test
  void blocksOfFeaturesAreMarkedLiveExactlyWhenNotAllZero() {
    float[] x = new float[19];
    x[3] = -0f;
    x[9] = 1e-40f; // subnormal, not zero
    x[18] = -Float.MIN_VALUE; // the short last block: -0 with one more bit
    Dataset floats = Dataset.of(x, new int[] {0}, 19, 2);
    byte[] flags = new byte[4];
    ZeroSkipping.markBlocks(at(floats, 0), 19, flags, 1);
    assertArrayEquals(new byte[] {0, 0, 1, 1}, flags);
    // Row 1 of two, so that the row's offset in the array counts.
    byte[] px = new byte[38];
    px[19 + 7] = (byte) 200;
    px[5] = 1;
    ZeroSkipping.markBlocks(at(Dataset.ofPixels(px, new int[] {0, 1}, 19, 2), 1), 19, flags, 0);
    assertArrayEquals(new byte[] {1, 0, 0, 1}, flags);
  }

  private static RowCursor at(Dataset d, int row) {
    RowCursor c = d.cursor();
    c.seek(row);
    return c;
  }
}
