package org.clprop.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

  /**
   * Operations of few and of all parts in turn, with workers delayed at random between seeing an
   * operation and taking their part: every part of every operation runs exactly once, and only while
   * its operation runs. A worker left out of one operation must not take a part of the next for it
   * (on 16 cores one ran a part twice and then read a task already cleared).
   */
  @Test
  void everyPartRunsOnceWhenOperationsUseFewerThreadsThanThePool() {
    int threads = 4;
    int operations = 3_000;
    AtomicIntegerArray runs = new AtomicIntegerArray(operations * threads);
    try (WorkerPool pool = new WorkerPool(threads)) {
      pool.afterWake = () -> {
        if (ThreadLocalRandom.current().nextInt(4) == 0) {
          LockSupport.parkNanos(50_000);
        }
      };
      for (int op = 0; op < operations; op++) {
        int parts = op % 2 == 0 ? threads : 2;
        int current = op;
        boolean[] live = {true};
        pool.run((part, of) -> {
          assertEquals(parts, of, "parts of operation " + current);
          assertTrue(live[0], "operation " + current + " still running");
          runs.incrementAndGet(current * threads + part);
        }, parts);
        live[0] = false;
        for (int p = 0; p < threads; p++) {
          assertEquals(p < parts ? 1 : 0, runs.get(op * threads + p), "operation " + op + ", part " + p);
        }
      }
    }
  }

  @Test
  void aFailingPartIsRethrownToTheCaller() {
    try (WorkerPool pool = new WorkerPool(3)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run((part, of) -> {
        if (part == 2) {
          throw new IllegalStateException("part 2 failed");
        }
      }, 3));
      assertEquals("part 2 failed", e.getMessage());
      int[] ran = new int[1];
      pool.run((part, of) -> ran[0]++, 1);
      assertEquals(1, ran[0], "the pool goes on after a failure");
    }
  }
}
