package org.clprop.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gate for tests that need an OpenCL device: skipped where there is none, the reason logged once,
 * failed instead when CLPROP_REQUIRE_OPENCL is set (as .ci/run does), so CI cannot pass by skipping.
 */
public final class OpenClTests {
  private static final Logger LOG = LoggerFactory.getLogger(OpenClTests.class);
  private static final AtomicBoolean SAID = new AtomicBoolean();

  private OpenClTests() {}

  public static boolean required() {
    String v = System.getenv("CLPROP_REQUIRE_OPENCL");
    return v != null && !v.isBlank() && !v.equals("0") && !v.equalsIgnoreCase("false");
  }

  /** The device to test on (any type, or the one CLPROP_DEVICE names), or a skip / failure. */
  public static ClDevice device() {
    String spec = OpenCl.deviceFromEnvironment();
    Optional<ClDevice> d = OpenCl.choose(spec, false);
    if (d.isEmpty()) {
      String why = OpenCl.whyNone(spec, false);
      if (required()) {
        fail("CLPROP_REQUIRE_OPENCL is set but OpenCL is unusable: " + why);
      }
      if (SAID.compareAndSet(false, true)) {
        LOG.warn("SKIPPING the OpenCL tests: {}", why);
      }
      Assumptions.abort("no OpenCL device: " + why);
    }
    return d.get();
  }
}
