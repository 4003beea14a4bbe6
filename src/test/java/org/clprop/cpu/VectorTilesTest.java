package org.clprop.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.clprop.testutil.ChildJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * VectorTiles.java is generated: it must be what tools/gen-tiles makes of its template, so that the
 * template stays the one source of the tiles. (What the tiles compute is CpuKernelsTest's.)
 */
class VectorTilesTest {
  @Test
  void theTilesAreWhatTheTemplateGenerates() throws Exception {
    Path root = Path.of("").toAbsolutePath(); // Maven runs the tests in the project's root
    Assumptions.assumeTrue(Files.exists(root.resolve("tools/gen-tiles")),
        "no tools/gen-tiles here (compiled tests run outside the source tree)");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ChildJvm.Result r = ChildJvm.run(List.of(java, "--source", "17", "tools/gen-tiles", "--check"), Map.of(), root, 120);
    assertEquals(0, r.code(), r.toString());
  }
}
