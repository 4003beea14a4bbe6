package org.clprop.cpu;

/**
 * Training steps on one thread while HotSpot compiles the backend's code, when the pool takes
 * every processor: that leaves one to the JIT, whose C2 makes the Vector API code a hundred times
 * faster. It ends when {@link JitWatch} sees the compilations end, or after
 * {@link #MAX_STEPS} steps. Results do not depend on the number of threads.
 */
final class OneThreadStart {
  static final int MAX_STEPS = 100;

  private final JitWatch jit;
  private boolean active;
  private int steps;

  OneThreadStart(boolean on, int threads) {
    active = on && threads > 1 && threads >= Runtime.getRuntime().availableProcessors();
    jit = active ? JitWatch.ofThisJvm() : null;
  }

  /** Whether the next step runs on one thread. */
  boolean active() {
    return active;
  }

  /** After each training step. */
  void stepDone() {
    if (active && (++steps >= MAX_STEPS || jit.quietAfterStep())) {
      active = false;
    }
  }
}
