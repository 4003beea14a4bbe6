package org.clprop;

import java.lang.ref.Cleaner;
import org.clprop.backend.Backend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a trainer's backend exactly once: from {@link Trainer#close()}, or from a {@link Cleaner}
 * when the trainer became unreachable unclosed (with a WARN), so that its threads and device memory
 * do not outlive it. It holds the backend, never the trainer, which could then not become unreachable.
 */
final class BackendRelease implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  private static final Cleaner CLEANER = Cleaner.create();

  private final Backend backend;
  private final Cleaner.Cleanable cleanable;
  private volatile boolean explicit;

  private BackendRelease(Object owner, Backend backend) {
    this.backend = backend;
    this.cleanable = CLEANER.register(owner, this);
  }

  /** Releases {@code backend} when {@code owner} becomes unreachable, unless {@link #now()} did first. */
  static BackendRelease whenUnreachable(Object owner, Backend backend) {
    return new BackendRelease(owner, backend);
  }

  /** Closes the backend now; later calls do nothing. */
  void now() {
    explicit = true;
    cleanable.clean();
  }

  @Override
  public void run() {
    if (!explicit) {
      LOG.warn("a Trainer on {} became unreachable without close(); its backend is released now (use "
          + "try-with-resources)", backend.description());
    }
    backend.close();
  }
}
