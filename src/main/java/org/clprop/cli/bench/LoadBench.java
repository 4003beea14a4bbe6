package org.clprop.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.clprop.data.DataSource;
import org.clprop.data.Dataset;
import org.slf4j.LoggerFactory;

/**
 * Times loading a data set as {@code train --data} loads it: the first load in this JVM (what a
 * run pays, JIT warm-up included; the logging a run sets up first is set up before), then {@code runs - 1} more; the file's MB/s; and the resident
 * memory the first load added (Linux: VmHWM after it less VmRSS before it) against the bytes of the
 * arrays it made.
 */
public final class LoadBench {
  private LoadBench() {}

  /** Loads with {@code load} {@code runs} times and prints the figures for {@code name}. */
  public static void run(String name, Supplier<DataSource.Loaded> load, int runs, PrintWriter out) {
    // Logging is set up before a train run loads its data: not part of the load.
    LoggerFactory.getLogger(LoadBench.class).debug("timing {} loads of {}", runs, name);
    long fileBytes = fileBytes(Path.of(name));
    long rssBefore = status("VmRSS");
    double[] ms = new double[runs];
    long arrays = 0;
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      DataSource.Loaded d = load.get();
      ms[i] = (System.nanoTime() - t0) / 1e6;
      if (i == 0) {
        arrays = bytes(d.train()) + (d.test() == null ? 0 : bytes(d.test()));
        long peak = status("VmHWM");
        out.printf(Locale.ROOT, "load %s: first %.1f ms%s; arrays %.1f MB%s%n", name, ms[0],
            fileBytes > 0 ? String.format(Locale.ROOT, " (%.0f MB/s of a %.1f MB file)", fileBytes / ms[0] / 1e3,
                fileBytes / 1e6) : "", arrays / 1e6, rssBefore > 0 && peak > 0 ? String.format(Locale.ROOT,
                "; resident %.1f MB before, peak %.1f MB: +%.1f MB, %.2fx the arrays", rssBefore / 1e6, peak / 1e6,
                (peak - rssBefore) / 1e6, (double) (peak - rssBefore) / arrays) : "");
        out.flush();
      }
      System.gc();
    }
    if (runs > 1) {
      double[] rest = Arrays.copyOfRange(ms, 1, runs);
      Arrays.sort(rest);
      out.printf(Locale.ROOT, "load %s: %d more loads, median %.1f ms (%.1f - %.1f)%s%n", name, runs - 1,
          rest[rest.length / 2], rest[0], rest[rest.length - 1], fileBytes > 0 ? String.format(Locale.ROOT,
              ", %.0f MB/s", fileBytes / rest[rest.length / 2] / 1e3) : "");
    }
  }

  /** The features and labels a data set holds. */
  private static long bytes(Dataset d) {
    return (long) d.size() * d.features() * (d.isPixels() ? 1 : 4) + 4L * d.size();
  }

  /** A file's size, or a folder's files' sizes; 0 for a named data set. */
  private static long fileBytes(Path p) {
    try {
      if (Files.isRegularFile(p)) {
        return Files.size(p);
      }
      if (Files.isDirectory(p)) {
        try (var s = Files.list(p)) {
          return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }

  /** A size in bytes from /proc/self/status (Linux), or 0 where there is none. */
  private static long status(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
