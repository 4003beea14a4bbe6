package org.clprop.data;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** The daemon threads that readers hand work to (a conversion while the next piece is read), and how they wait for it. */
final class DataThreads {
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "clprop-data-" + COUNT.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private DataThreads() {}

  static Future<?> submit(Runnable work) {
    return POOL.submit(work);
  }

  static <T> Future<T> submit(Callable<T> work) {
    return POOL.submit(work);
  }

  /** Waits for {@code work} (null: nothing to wait for, giving null), rethrowing what it threw. */
  static <T> T await(Future<T> work) throws IOException {
    if (work == null) {
      return null;
    }
    try {
      return work.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading", e);
    }
  }
}
