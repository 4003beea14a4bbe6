package org.clprop.cpu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the SIMD kernels compiled before training needs them. Vector API code runs a hundred times
 * slower until HotSpot's C2 compiler has compiled it, and C2 takes a method only after it has run
 * some thousands of times: on a 2-core machine that took most of the first epoch (35,000 samples/s
 * against 200,000 later). A warm-up calls every kernel on tiny operands in a loop on a daemon
 * thread, while the caller does something else (loads its data), so that they reach C2 by the
 * time training starts. It touches nothing a backend owns: results are bitwise the same with or
 * without it.
 */
public final class WarmUp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  /** Shapes with full and edge register blocks, but little arithmetic per call. */
  private static final int M = 6;
  private static final int N = 40;
  private static final int K = 12;

  private final Thread thread;
  private volatile boolean stop;

  private WarmUp(int maxRounds) {
    thread = new Thread(() -> run(maxRounds), "clprop-warm-up");
    thread.setDaemon(true);
  }

  /**
   * Starts warming up the kernels the CPU backend will use, for at most {@code maxRounds} rounds
   * of every kernel; {@link #close()} ends it sooner. Does nothing on the plain-Java kernels, which
   * need no such help.
   */
  public static WarmUp start(int maxRounds) {
    WarmUp w = new WarmUp(maxRounds);
    if (CpuKernels.best() instanceof VectorKernels) {
      w.thread.start();
    }
    return w;
  }

  private void run(int maxRounds) {
    long t0 = System.nanoTime();
    CpuKernels k = CpuKernels.best();
    float[] a = filled(M * K + K * N, 0.01f);
    float[] b = filled(K * N + N, 0.02f);
    float[] c = new float[M * N + K * N];
    float[] m = new float[K * N];
    float[] v = new float[K * N];
    CpuKernels.UpdateRule rule = new CpuKernels.UpdateRule();
    rule.inv = 0.5f;
    rule.lr = 1e-3f;
    rule.mu = 0.9f;
    rule.b1 = 0.9f;
    rule.b2 = 0.999f;
    rule.eps = 1e-8f;
    rule.adamStep = 1e-3f;
    rule.adamScale = 1f;
    int round = 0;
    for (; round < maxRounds && !stop; round++) {
      k.gemm(a, 0, K, false, b, 0, N, c, 0, N, 0, M, 0, N, K);     // forward, delta
      k.gemm(a, 0, M, true, b, 0, N, c, 0, N, 0, M, 0, N, K);      // gradient
      k.gemmDot(a, 0, K, b, 0, K, c, 0, N, 0, M, 0, 4, K);         // narrow outputs
      k.transpose(b, 0, K, c, 0, N, N, K);
      k.sigmoid(c, 0, M * N);
      k.timesSigmoidGradient(c, a, 0, M * N);
      k.update(rule, b, c, null, null, 0, K * N, 1e-4f);
      k.update(rule, b, c, m, null, 0, K * N, 1e-4f);
      k.update(rule, b, c, m, v, 0, K * N, 1e-4f);
      java.util.Arrays.fill(c, 0f);
    }
    LOG.info("SIMD warm-up: {} rounds in {} ms", round, (System.nanoTime() - t0) / 1_000_000);
  }

  private static float[] filled(int n, float step) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (i % 17) * step;
    }
    return f;
  }

  /** Ends the warm-up (after its current round) and waits for its thread. */
  @Override
  public void close() {
    stop = true;
    if (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
