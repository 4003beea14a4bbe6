package org.clprop.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Create, fit, close, 200 times: every cl_mem, kernel, program, queue and context is released. The
 * cycles run in a child JVM whose small heap is committed and touched up front, so that the
 * resident memory it measures grows only with native allocations, where PoCL keeps its buffers.
 */
class ResourceLeakTest {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceLeakTest.class);
  private static final int CYCLES = 200;
  private static final int WARM_UP = 30;
  /**
   * Each cycle allocates about 2.5 MB of device buffers (64-512-10 at batch 256, 1,224 digits
   * resident): leaking them would add over 400 MB; the JVM's own noise is some 5 to 25 MB.
   */
  private static final long ALLOWED_GROWTH_KB = 48 * 1024;

  @Test
  void twoHundredCyclesLeaveTheProcessMemoryFlat() throws IOException, InterruptedException {
    String device = Integer.toString(OpenClTests.device().index());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xms96m", "-Xmx96m",
        "-XX:+AlwaysPreTouch", "-Dclprop.cache.dir=" + System.getProperty("clprop.cache.dir", "off"), "-cp",
        System.getProperty("java.class.path"), LeakProbe.class.getName(), device, Integer.toString(CYCLES),
        Integer.toString(WARM_UP));
    // Output to a file: a child blocked on a full pipe would never finish.
    Path log = Files.createTempFile("clprop-child", ".log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the probe JVM did not finish in 300 s");
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    assertEquals(0, p.exitValue(), out);
    String line = out.lines().filter(l -> l.startsWith("rss ")).findFirst().orElseThrow(() -> new AssertionError(out));
    String[] f = line.split(" ");
    long base = Long.parseLong(f[1]);
    long end = Long.parseLong(f[2]);
    String figure = String.format("resident memory after %d create-fit-close cycles: %d kB, after %d: %d kB, growth "
        + "%d kB", WARM_UP, base, CYCLES, end, end - base);
    LOG.info(figure);
    System.err.println("ResourceLeakTest: " + figure);
    assertTrue(end - base < ALLOWED_GROWTH_KB, figure);
  }
}
