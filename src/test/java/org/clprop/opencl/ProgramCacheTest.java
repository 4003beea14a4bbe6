package org.clprop.opencl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The second build of a program loads the cached binary; a corrupt entry is rebuilt, not fatal. */
class ProgramCacheTest {

  @Test
  void secondBuildComesFromTheCacheAndACorruptEntryIsRebuilt(@TempDir Path dir) throws IOException {
    ClDevice d = OpenClTests.device();
    ProgramCache cache = new ProgramCache(dir);
    KernelParams params = KernelParams.forDevice(d);
    try (ClContext ctx = new ClContext(d)) {
      try (ClKernels first = new ClKernels(ctx, params, List.of(), cache)) {
        assertFalse(first.programFromCache(), "an empty cache compiles");
      }
      List<Path> entries = list(dir);
      assertTrue(entries.size() == 1 && entries.get(0).toString().endsWith(".bin"), entries.toString());
      try (ClKernels second = new ClKernels(ctx, params, List.of(), cache)) {
        assertTrue(second.programFromCache(), "the second build loads the binary");
      }
      Files.write(entries.get(0), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      try (ClKernels third = new ClKernels(ctx, params, List.of(), cache)) {
        assertFalse(third.programFromCache(), "a corrupt entry is rebuilt from source");
        try (ClBuffer t = ctx.buffer("t", 16); ClBuffer g = ctx.buffer("g", 16)) {
          t.write(ctx.queue(), new float[] {1, 2, 3, 4}, 0, 0, 4);
          g.write(ctx.queue(), new float[] {1, 1, 1, 1}, 0, 0, 4);
          third.sgd(4, t, g, 1f, 0.5f);
          float[] out = new float[4];
          t.read(ctx.queue(), 0, out, 0, 4);
          assertTrue(out[3] == 3.5f, "the rebuilt program runs");
        }
      }
      assertTrue(Files.size(list(dir).get(0)) > 8, "the entry was rewritten");
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
