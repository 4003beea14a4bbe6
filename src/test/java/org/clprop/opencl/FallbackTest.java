package org.clprop.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM with no usable OpenCL (the ICD loader pointed at an empty folder of vendors) trains with
 * AUTO on the CPU after one WARN line, and fails clearly when OPENCL is demanded.
 */
class FallbackTest {

  @Test
  void autoFallsBackToTheCpuAndOpenClFailsWithTheSameReason(@TempDir Path emptyVendors)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp",
        System.getProperty("java.class.path"), FallbackProbe.class.getName());
    pb.environment().put("OCL_ICD_VENDORS", emptyVendors.toString());
    pb.environment().remove("CLPROP_DEVICE");
    // Output to a file: a child blocked on a full pipe would never finish.
    Path log = Files.createTempFile("clprop-child", ".log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the probe JVM did not finish in 120 s");
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    assertEquals(0, p.exitValue(), out);
    if (out.contains("AUTO backend: opencl") && !OpenClTests.required()) {
      // Some ICD loaders (NVIDIA's) ignore OCL_ICD_VENDORS; Debian's ocl-icd, which CI uses, honours it.
      Assumptions.abort("this machine's OpenCL ICD loader ignores OCL_ICD_VENDORS, so OpenCL cannot be hidden");
    }
    List<String> warns = out.lines().filter(l -> l.contains("WARN") && l.contains("using the CPU backend")).toList();
    assertEquals(1, warns.size(), "one WARN line when AUTO falls back:\n" + out);
    assertTrue(warns.get(0).contains("no OpenCL platform is installed (CL_PLATFORM_NOT_FOUND_KHR)"), out);
    assertTrue(warns.get(0).contains("apt-get install"), "the line says what to install:\n" + out);
    assertTrue(out.contains("AUTO backend: cpu"), out);
    assertTrue(out.contains("OPENCL failed: OpenCL backend unavailable: no OpenCL platform is installed"), out);
  }
}
