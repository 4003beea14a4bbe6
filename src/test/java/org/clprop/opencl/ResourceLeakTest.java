package org.clprop.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clprop.Trainer;
import org.clprop.backend.BackendKind;
import org.clprop.data.Dataset;
import org.clprop.data.Digits;
import org.clprop.optim.Optimizer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Create, fit, close, 200 times: every cl_mem, kernel, program, queue and context is released. */
class ResourceLeakTest {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceLeakTest.class);
  private static final int CYCLES = 200;
  private static final int WARM_UP = 30;
  /** PoCL keeps buffers in host memory: a leak of each cycle's ~0.5 MB would pass this by far. */
  private static final long ALLOWED_GROWTH_KB = 24 * 1024;

  @Test
  void twoHundredCyclesLeaveTheProcessMemoryFlat() throws IOException {
    String device = Integer.toString(OpenClTests.device().index());
    Dataset all = Digits.load();
    Dataset data = all.slice(0, 512);
    long base = 0;
    for (int cycle = 1; cycle <= CYCLES; cycle++) {
      try (Trainer t = Trainer.builder().layers(64, 32, 10).backend(BackendKind.OPENCL).device(device)
          .optimizer(Optimizer.adam(0.01)).batchSize(64).epochs(1).validation(all.slice(512, 612)).build()) {
        t.fit(data);
      }
      if (cycle == WARM_UP) {
        base = residentKb();
      }
    }
    long end = residentKb();
    String figure = String.format("resident memory after %d cycles: %d kB, after %d: %d kB, growth %d kB",
        WARM_UP, base, CYCLES, end, end - base);
    LOG.info(figure);
    System.err.println("ResourceLeakTest: " + figure);
    assertTrue(end - base < ALLOWED_GROWTH_KB, figure);
  }

  /** VmRSS of this process in kB (Linux), after a collection so that the Java heap settles. */
  private static long residentKb() throws IOException {
    System.gc();
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
