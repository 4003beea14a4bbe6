package org.clprop.opencl;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenCL compilers built on LLVM (PoCL's, and some GPU vendors') install their own SIGSEGV, SIGBUS
 * and SIGILL handlers while compiling kernels. HotSpot uses SIGSEGV on purpose (implicit null
 * checks, safepoint polls), so a JVM whose handler was replaced dies at the next such event, often
 * much later and without a crash log. The JDK's signal-chaining library, preloaded, keeps the JVM's
 * handlers in place and passes other signals on. This class only says so, once, when it is missing.
 */
final class SignalChaining {
  private static final Logger LOG = LoggerFactory.getLogger(SignalChaining.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private SignalChaining() {}

  static boolean preloaded() {
    String p = System.getenv("LD_PRELOAD");
    return p != null && p.contains("libjsig");
  }

  static void warnOnceIfMissing() {
    boolean linux = System.getProperty("os.name", "").toLowerCase().contains("linux");
    if (linux && !preloaded() && WARNED.compareAndSet(false, true)) {
      LOG.warn("LD_PRELOAD does not name the JDK's libjsig.so: an OpenCL compiler built on LLVM may replace the "
          + "JVM's signal handlers and crash it later; set LD_PRELOAD={}/lib/libjsig.so in the environment that "
          + "starts java (README: JVM setup)", System.getProperty("java.home"));
    }
  }
}
