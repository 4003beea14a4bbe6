package org.clprop.opencl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clprop.Trainer;
import org.clprop.backend.BackendKind;
import org.clprop.data.Dataset;
import org.clprop.data.Digits;
import org.clprop.optim.Optimizer;

/**
 * Run in a child JVM by {@link ResourceLeakTest}, with a small pre-touched heap so that the
 * resident memory it reports moves only with native allocations (PoCL keeps buffers in host memory).
 * Arguments: device index, cycles, warm-up cycles. Prints "rss WARM END" in kB.
 */
public final class LeakProbe {
  private LeakProbe() {}

  public static void main(String[] args) throws IOException {
    String device = args[0];
    int cycles = Integer.parseInt(args[1]);
    int warmUp = Integer.parseInt(args[2]);
    Dataset all = Digits.load();
    Dataset data = all.slice(0, 1024);
    Dataset validation = all.slice(1024, 1224);
    long base = 0;
    for (int cycle = 1; cycle <= cycles; cycle++) {
      try (Trainer t = Trainer.builder().layers(64, 512, 10).backend(BackendKind.OPENCL).device(device)
          .optimizer(Optimizer.adam(0.01)).batchSize(256).epochs(1).validation(validation).build()) {
        t.fit(data);
      }
      if (cycle == warmUp) {
        base = residentKb();
      }
    }
    System.out.println("rss " + base + " " + residentKb());
  }

  static long residentKb() throws IOException {
    System.gc();
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
