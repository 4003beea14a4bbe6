package org.clprop.cpu;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Tells when HotSpot has finished compiling the training step: the total compilation time the JVM
 * reports stops growing once the step's code is compiled. The CPU backend runs on one thread while
 * it still grows, leaving a processor to the compiler (docs/performance.md: the compilations of a
 * cold start end after 10 - 50 steps, depending on the network, not at a fixed count).
 */
final class JitWatch {
  /** Steps, and nanoseconds, without a finished compilation that count as quiet. */
  static final int QUIET_STEPS = 10;
  static final long QUIET_NANOS = 20_000_000L;

  private static final AtomicBoolean LOOKUP_STARTED = new AtomicBoolean();
  /** The JVM's compilation bean; null until found (or when the JVM does not time compilations). */
  private static volatile CompilationMXBean bean;

  private final LongSupplier compileMillis;
  private final LongSupplier clock;
  private long lastMillis = Long.MIN_VALUE;
  private int quietSteps;
  private long quietSince;

  /** Watches this JVM's compiler. */
  static JitWatch ofThisJvm() {
    if (LOOKUP_STARTED.compareAndSet(false, true)) {
      // The first lookup loads the management classes, which takes a while: off the training thread.
      Thread t = new Thread(JitWatch::lookUp, "clprop-jit-watch");
      t.setDaemon(true);
      t.start();
    }
    return new JitWatch(() -> {
      CompilationMXBean b = bean;
      return b == null ? -1 : b.getTotalCompilationTime();
    }, System::nanoTime);
  }

  /** With a given source of total compilation time (negative: unknown yet) and clock, for tests. */
  JitWatch(LongSupplier compileMillis, LongSupplier clock) {
    this.compileMillis = compileMillis;
    this.clock = clock;
  }

  private static void lookUp() {
    try {
      CompilationMXBean b = ManagementFactory.getCompilationMXBean();
      if (b != null && b.isCompilationTimeMonitoringSupported()) {
        bean = b;
      }
    } catch (RuntimeException | LinkageError e) {
      // No java.management in this runtime: the backend falls back to its fixed number of steps.
    }
  }

  /**
   * Called after each step: whether no compilation has finished during the last
   * {@link #QUIET_STEPS} steps, which spanned at least {@link #QUIET_NANOS}. Unknown counts as busy.
   */
  boolean quietAfterStep() {
    long ms = compileMillis.getAsLong();
    long now = clock.getAsLong();
    if (ms < 0 || ms != lastMillis) {
      lastMillis = ms;
      quietSteps = 0;
      quietSince = now;
      return false;
    }
    return ++quietSteps >= QUIET_STEPS && now - quietSince >= QUIET_NANOS;
  }
}
