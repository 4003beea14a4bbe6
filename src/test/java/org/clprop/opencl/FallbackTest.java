package org.clprop.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clprop.testutil.ChildJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM without usable OpenCL trains with AUTO on the CPU, says so once (INFO, or WARN where a GPU
 * sits unused), fails clearly when OPENCL is demanded, and prints nothing of its own on stdout:
 * whether the OpenCL library is missing altogether or present without any platform.
 */
class FallbackTest {
  /** What a JVM says when the library is missing, unloadable (hidden by /dev/null), or has no platform. */
  private static final List<String> NO_LIBRARY = List.of("the OpenCL library is not installed",
      "the OpenCL library could not be loaded");

  @Test
  void withoutTheOpenClLibrary() throws IOException, InterruptedException {
    Optional<List<String>> cmd = HiddenOpenCl.wrap(ChildJvm.command(FallbackProbe.class));
    if (cmd.isEmpty()) {
      String why = "cannot hide the OpenCL library here (needs unshare with root or user namespaces)";
      if (OpenClTests.required()) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    ChildJvm.Result r = ChildJvm.run(cmd.get(), env(), 120);
    assertFallback(r, NO_LIBRARY);
  }

  @Test
  void withTheLibraryButNoPlatform(@TempDir Path emptyVendors) throws IOException, InterruptedException {
    Map<String, String> env = env();
    env.put("OCL_ICD_VENDORS", emptyVendors.toString());
    ChildJvm.Result r = ChildJvm.run(ChildJvm.command(FallbackProbe.class), env, 120);
    if (r.out().contains("AUTO backend 1: opencl") && !OpenClTests.required()) {
      // Some ICD loaders (NVIDIA's) ignore OCL_ICD_VENDORS; Debian's ocl-icd, which CI uses, honours it.
      Assumptions.abort("this machine's OpenCL ICD loader ignores OCL_ICD_VENDORS, so OpenCL cannot be hidden");
    }
    // Where the library itself is absent (a machine without it, or tools/without-opencl), that is the reason.
    List<String> reasons = new java.util.ArrayList<>(NO_LIBRARY);
    reasons.add("no OpenCL platform is installed");
    assertFallback(r, reasons);
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("CLPROP_DEVICE", null);
    return env;
  }

  private static void assertFallback(ChildJvm.Result r, List<String> reasons) {
    assertEquals(0, r.code(), r.toString());
    List<String> out = r.out().lines().toList();
    assertEquals(3, out.size(), "stdout holds the probe's three lines and nothing else:\n" + r);
    assertTrue(out.get(0).startsWith("AUTO backend 1: cpu"), r.toString());
    assertTrue(out.get(1).startsWith("AUTO backend 2: cpu"), r.toString());
    assertTrue(out.get(2).startsWith("OPENCL failed: OpenCL backend unavailable: "), r.toString());
    assertTrue(reasons.stream().anyMatch(out.get(2)::contains), "the reason is one of " + reasons + ":\n" + r);
    assertTrue(out.get(2).contains("apt-get install"), "the reason says what to install:\n" + r);
    assertFalse(r.err().contains("Could not load"), "JOCL's loader stayed silent:\n" + r);
    assertFalse(r.err().contains("stack guard"), "no JVM warning about loading the library:\n" + r);

    String level = GpuHardware.present().isPresent() ? "WARN" : "INFO";
    List<String> said = r.err().lines().filter(l -> l.contains("using the CPU backend")).toList();
    assertEquals(1, said.size(), "the fall-back is said once for two trainers:\n" + r);
    assertTrue(said.get(0).contains(level), "at " + level + ":\n" + r);
    assertTrue(reasons.stream().anyMatch(said.get(0)::contains), r.toString());
    assertFalse(r.err().lines().anyMatch(l -> l.contains(" WARN ") && !l.contains("using the CPU backend")),
        "no other warning:\n" + r);
  }
}
