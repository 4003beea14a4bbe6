package org.clprop.opencl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kernel that does not compile fails with the OpenCL error name, the options and the compiler's log. */
class BuildFailureTest {

  @Test
  void theBuildLogIsInTheException(@TempDir Path dir) throws IOException {
    ClDevice d = OpenClTests.device();
    for (String f : KernelSource.FILES) {
      Files.copy(Path.of("kernels", f), dir.resolve(f));
    }
    Files.writeString(dir.resolve("optimizers.cl"), "\n__kernel void broken(__global float* x) { x[0] = y; }\n",
        java.nio.file.StandardOpenOption.APPEND);
    System.setProperty("clprop.kernels.dir", dir.toString());
    try (ClContext ctx = new ClContext(d)) {
      OpenClException e = assertThrows(OpenClException.class,
          () -> new ClKernels(ctx, KernelParams.forDevice(d), new ProgramCache(null)).close());
      assertTrue(e.getMessage().contains("CL_BUILD_PROGRAM_FAILURE"), e.getMessage());
      assertTrue(e.getMessage().contains("options: -D TS_M="), e.getMessage());
      // The compiler names the undeclared identifier: 'y' (clang, PoCL) or "y" (NVIDIA).
      String m = e.getMessage();
      assertTrue(m.contains("build log:") && (m.contains("'y'") || m.contains("\"y\"")), m);
    } finally {
      System.clearProperty("clprop.kernels.dir");
    }
  }
}
