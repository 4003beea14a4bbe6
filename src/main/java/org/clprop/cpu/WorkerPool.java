package org.clprop.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that run one {@link Task} split into parts, the caller taking part 0.
 * Made for the training step's many short parallel operations: no allocation per call, and
 * workers spin briefly before parking so that back-to-back operations do not pay a wake-up each.
 */
final class WorkerPool implements AutoCloseable {

  /** One parallel operation: part {@code part} of {@code parts}. */
  interface Task {
    void run(int part, int parts);
  }

  /**
   * How long a waiting thread spins before it parks: longer than the step's serial stretches (the
   * output delta), so that the workers do not park, and pay a wake-up, in every step.
   */
  private static final long SPIN_NANOS = 500_000;

  private final Thread[] workers;
  private final AtomicInteger remaining = new AtomicInteger();
  private volatile Task task;
  /**
   * The current operation: its number in the high 32 bits, its count of parts in the low ones,
   * published in one write after the task. A worker reads both at once: with a count read apart
   * from the number, a worker left out of one operation could take the count of the next, run a
   * part of it early, and run it again when it saw that operation's number.
   */
  private volatile long job;
  /** The caller's count of operations; workers read it only through job. */
  private int generation;
  private volatile boolean closed;
  private volatile Throwable failure;
  private volatile Thread caller;
  /** Run by a worker between seeing an operation and taking its part, for tests that delay it. */
  volatile Runnable afterWake;

  WorkerPool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + ", must be >= 1");
    }
    workers = new Thread[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      int index = i + 1;
      workers[i] = new Thread(() -> workLoop(index), "clprop-cpu-" + index);
      workers[i].setDaemon(true);
      workers[i].start();
    }
  }

  int threads() {
    return workers.length + 1;
  }

  /** Runs {@code t} as {@code n} parts (at most {@link #threads()}) and returns when all are done. */
  void run(Task t, int n) {
    n = Math.max(1, Math.min(n, threads()));
    if (n == 1) {
      t.run(0, 1);
      return;
    }
    caller = Thread.currentThread();
    task = t;
    remaining.set(n - 1);
    generation++;
    job = (long) generation << 32 | n;
    for (int i = 0; i < n - 1; i++) {
      LockSupport.unpark(workers[i]);
    }
    Throwable own = null;
    try {
      t.run(0, n);
    } catch (Throwable e) {
      own = e;
    }
    long start = System.nanoTime();
    while (remaining.get() > 0) {
      if (System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(this, 100_000);
      }
    }
    task = null;
    Throwable f = failure;
    failure = null;
    if (own != null) {
      rethrow(own);
    }
    if (f != null) {
      rethrow(f);
    }
  }

  private static void rethrow(Throwable e) {
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(e);
  }

  /**
   * A worker's life: wait for the next operation, run its part. The waiting and the running are
   * methods of their own, called once per operation, so that C2 compiles them as methods called
   * often: this loop is entered once, and tools/clprop stops C2 from replacing running loops.
   */
  private void workLoop(int index) {
    for (long seen = awaitWork(0); !closed; seen = awaitWork(seen)) {
      Runnable hook = afterWake;
      if (hook != null) {
        hook.run();
      }
      runPart(index, (int) seen);
    }
  }

  /** The next operation's job after {@code seen}'s (returns early when the pool closes). */
  private long awaitWork(long seen) {
    long start = System.nanoTime();
    long j;
    while ((j = job) >>> 32 == seen >>> 32 && !closed) {
      if (System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.park(this);
      }
    }
    return j;
  }

  /**
   * This worker's part of an operation of {@code parts} parts, if it has one; the last to finish
   * wakes the caller. The caller waits for every part, so the task stays in place while one runs.
   */
  private void runPart(int index, int parts) {
    if (index < parts) {
      try {
        task.run(index, parts);
      } catch (Throwable e) {
        failure = e;
      }
      if (remaining.decrementAndGet() == 0) {
        LockSupport.unpark(caller);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
  }
}
