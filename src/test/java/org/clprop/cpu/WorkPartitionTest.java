package org.clprop.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WorkPartitionTest {
  /** Each part gets at least WorkPartition.PART_WORK multiply-adds: many cores do not split small work. */
  @Test
  void anOperationRunsAsManyPartsAsItsWorkIsWorth() {
    WorkPartition b = new WorkPartition(true, 16);
    assertEquals(1, b.parts(32 * 64 * 32), "digits' first product at batch 32");
    assertEquals(1, b.parts(32 * 32 * 10));
    assertEquals(3, b.parts(3 * 65_536 + 5));
    assertEquals(16, b.parts(128L * 784 * 128), "Fashion-MNIST's first product at batch 128");
    assertEquals(2, new WorkPartition(true, 2).parts(1L << 30), "never more parts than threads");
    assertEquals(1, new WorkPartition(false, 16).parts(1L << 30), "off: one part");
  }

  /**
   * The parts of an output cover it exactly once, tall outputs by rows and wide ones by columns,
   * every block but the last starting and ending at the alignment.
   */
  @Test
  void thePartsOfAnOutputCoverItOnce() {
    for (int[] shape : new int[][] {{128, 128}, {784, 128}, {10, 784}, {3, 1000}, {33, 17}, {1, 1}}) {
      for (int parts = 1; parts <= 5; parts++) {
        int[][] seen = new int[shape[0]][shape[1]];
        WorkPartition.Block b = new WorkPartition.Block();
        for (int part = 0; part < parts; part++) {
          b.of(shape[0], shape[1], part, parts);
          assertEquals(shape[0] >= shape[1] / 4, b.byRows);
          int align = b.byRows ? WorkPartition.ROW_ALIGN : WorkPartition.COLUMN_ALIGN;
          int from = b.byRows ? b.r0 : b.c0;
          int to = b.byRows ? b.r1 : b.c1;
          int size = b.byRows ? shape[0] : shape[1];
          assertEquals(0, from % align, "block start");
          assertEquals(true, to == size || to % align == 0, "block end");
          for (int i = b.r0; i < b.r1; i++) {
            for (int j = b.c0; j < b.c1; j++) {
              seen[i][j]++;
            }
          }
        }
        for (int[] row : seen) {
          for (int v : row) {
            assertEquals(1, v, shape[0] + "x" + shape[1] + " in " + parts + " parts");
          }
        }
      }
    }
  }
}
