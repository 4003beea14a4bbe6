package org.clprop.spark;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.clprop.data.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions bound on this executor JVM, by fit and partition index: what makes a partition's
 * rows stay on its backend (and device) from one job of a fit to the next. The fit's last job
 * releases them; a binding left behind (a driver that died, a partition that moved to another
 * executor after a failure) is closed once it has been idle for {@link #IDLE_MINUTES} minutes.
 * A lost binding costs only time: the next task reads the partition again.
 */
final class BoundPartitions {
  private static final Logger LOG = LoggerFactory.getLogger(BoundPartitions.class);
  static final long IDLE_MINUTES = 10;

  private static final Map<String, BoundPartition> BOUND = new HashMap<>();

  private BoundPartitions() {}

  /**
   * The binding of {@code partition} of a fit, for a task assigned {@code gpu} (null: none): the
   * existing one, or a new one whose rows come from the existing binding (when only the device
   * changed) or from {@code read}.
   */
  static BoundPartition get(SumsRequest.Binding fit, int partition, String gpu, int threads, Supplier<Dataset> read) {
    String key = key(fit.fitId(), partition);
    BoundPartition old;
    synchronized (BOUND) {
      evictIdle();
      old = BOUND.get(key);
      if (old != null && old.boundFor(gpu)) {
        old.touch();
        return old;
      }
      BOUND.remove(key);
    }
    Dataset rows;
    if (old != null) {
      rows = old.rows();
      old.close();
    } else {
      rows = read.get();
    }
    BoundPartition fresh = BoundPartition.bind(rows, partition, fit.spec(), gpu, threads);
    LOG.info("fit {} partition {}: {} rows bound to {}", fit.fitId(), partition, rows.size(), fresh.description());
    synchronized (BOUND) {
      BoundPartition raced = BOUND.put(key, fresh);
      if (raced != null) {
        raced.close();
      }
    }
    return fresh;
  }

  /** Closes the binding of {@code partition} of a fit, if this executor holds it. */
  static void release(String fitId, int partition) {
    BoundPartition p;
    synchronized (BOUND) {
      p = BOUND.remove(key(fitId, partition));
    }
    if (p != null) {
      p.close();
    }
  }

  /** Closes every binding of this JVM, as losing the executor would; returns how many there were. */
  static int releaseAll() {
    Map<String, BoundPartition> all;
    synchronized (BOUND) {
      all = new HashMap<>(BOUND);
      BOUND.clear();
    }
    all.values().forEach(BoundPartition::close);
    return all.size();
  }

  /** Bindings held in this JVM. */
  static int size() {
    synchronized (BOUND) {
      return BOUND.size();
    }
  }

  private static void evictIdle() {
    long limit = TimeUnit.MINUTES.toNanos(IDLE_MINUTES);
    for (Iterator<Map.Entry<String, BoundPartition>> it = BOUND.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, BoundPartition> e = it.next();
      if (e.getValue().idleNanos() > limit) {
        it.remove();
        e.getValue().close();
        LOG.info("released {}: idle for more than {} minutes", e.getKey(), IDLE_MINUTES);
      }
    }
  }

  private static String key(String fitId, int partition) {
    return fitId + "/" + partition;
  }
}
