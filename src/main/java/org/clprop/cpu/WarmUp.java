package org.clprop.cpu;

import java.util.SplittableRandom;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.optim.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the SIMD kernels compiled before training needs them. Vector API code runs tens of times
 * slower until HotSpot's C2 compiler has compiled it, which on a 2-core machine took most of the
 * first epoch (35,000 samples/s against 190,000 later). A warm-up trains a throwaway backend of the
 * same shape on synthetic data on a daemon thread, while the caller does something else (loads its
 * data), so that the compilations are queued and done by the time the real backend starts. Nothing
 * is shared with the real backend: its results are bitwise the same with or without a warm-up.
 */
public final class WarmUp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  /** Rows of synthetic data: a few batches, reused. */
  private static final int ROWS = 512;

  private final Thread thread;
  private volatile boolean stop;
  private volatile int steps;

  private WarmUp(int[] sizes, int batch, Optimizer optimizer, int maxSteps) {
    thread = new Thread(() -> run(sizes, Math.min(batch, ROWS), optimizer, maxSteps), "clprop-warm-up");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
  }

  /**
   * Starts warming up for a network of {@code sizes} trained at {@code batch} with {@code optimizer},
   * for at most {@code maxSteps} steps on one thread; {@link #close()} ends it sooner.
   */
  public static WarmUp start(int[] sizes, int batch, Optimizer optimizer, int maxSteps) {
    WarmUp w = new WarmUp(Network.checkSizes(sizes), batch, optimizer, maxSteps);
    w.thread.start();
    return w;
  }

  private void run(int[] sizes, int batch, Optimizer optimizer, int maxSteps) {
    long t0 = System.nanoTime();
    SplittableRandom r = new SplittableRandom(7);
    float[] x = new float[ROWS * sizes[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble();
    }
    int classes = sizes[sizes.length - 1];
    int[] y = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      y[i] = r.nextInt(classes);
    }
    int[] order = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      order[i] = i;
    }
    try (CpuBackend b = new CpuBackend(sizes, 1)) {
      b.setParameters(Network.initialise(sizes, 1).toFlatFloats());
      b.setOptimizer(optimizer);
      b.bindTrainingSet(Dataset.of(x, y, sizes[0], classes), batch);
      b.setOrder(order);
      for (int s = 0; s < maxSteps && !stop; s++) {
        b.trainStep((s * batch) % (ROWS - batch + 1), batch, 0.0);
        steps = s + 1;
      }
      b.takeMetrics();
    } catch (RuntimeException e) {
      LOG.debug("warm-up ended early", e); // it only saves time; training reports its own errors
    }
    LOG.info("SIMD warm-up: {} training steps on synthetic data in {} ms", steps, (System.nanoTime() - t0) / 1_000_000);
  }

  /** Ends the warm-up (after its current step) and waits for its thread. */
  @Override
  public void close() {
    stop = true;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
