package org.clprop.spark;

import java.util.SplittableRandom;
import org.clprop.backend.Backend;
import org.clprop.backend.StepMetrics;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.data.Shuffle;

/**
 * One partition's rows bound to a clprop backend on an executor, for the length of a fit: each
 * request sets the broadcast weights and returns the backend's unnormalised sums over all the
 * rows or over the partition's share of a global minibatch (see {@link SumsRequest}). Requests
 * of one partition come one at a time; the lock only guards against a speculative twin task.
 */
final class BoundPartition implements AutoCloseable {
  /** Rows per chunk of a pass over the partition, as the single-machine L-BFGS binds its data. */
  private static final int CHUNK = 1024;

  private final Dataset rows;
  private final int partition;
  private final String gpu;
  private final Backend backend;
  private final float[] delta;
  private volatile long lastUsedNanos = System.nanoTime();
  private int orderedEpoch = -1;

  private BoundPartition(Dataset rows, int partition, String gpu, Backend backend, float[] delta) {
    this.rows = rows;
    this.partition = partition;
    this.gpu = gpu;
    this.backend = backend;
    this.delta = delta;
  }

  /** Binds {@code rows} (possibly none) to a backend chosen for the task: the GPU Spark assigned, or as spec says. */
  static BoundPartition bind(Dataset rows, int partition, BackendSpec spec, String gpu, int threads) {
    if (rows.size() == 0) {
      return new BoundPartition(rows, partition, gpu, null, null);
    }
    Backend b = ExecutorBackends.create(spec, gpu, threads);
    try {
      b.bindTrainingSet(rows, Math.min(rows.size(), CHUNK));
      return new BoundPartition(rows, partition, gpu, b, new float[Network.parameterCount(spec.layers())]);
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
  }

  Dataset rows() {
    return rows;
  }

  /** Whether this binding is on the device Spark now assigns (null: none). */
  boolean boundFor(String assignedGpu) {
    return gpu == null ? assignedGpu == null : gpu.equals(assignedGpu);
  }

  String description() {
    return backend == null ? "no backend (no rows)" : backend.description();
  }

  long idleNanos() {
    return System.nanoTime() - lastUsedNanos;
  }

  void touch() {
    lastUsedNanos = System.nanoTime();
  }

  /** The number of rows, nothing computed. */
  synchronized StepMetrics count() {
    return new StepMetrics(0, 0, rows.size());
  }

  /** Sums over all rows at {@code params}; Delta into delta(). */
  synchronized StepMetrics full(float[] params) {
    if (backend == null) {
      return StepMetrics.EMPTY;
    }
    backend.setParameters(params);
    return backend.boundSums(delta);
  }

  /** Sums over this partition's share of global batch {@code batch} of {@code batches} in {@code epoch}. */
  synchronized StepMetrics batch(float[] params, long seed, int epoch, int batch, int batches) {
    int n = rows.size();
    int from = (int) ((long) batch * n / batches);
    int to = (int) ((long) (batch + 1) * n / batches);
    if (backend == null || to == from) {
      return StepMetrics.EMPTY;
    }
    if (orderedEpoch != epoch) {
      backend.setOrder(Shuffle.permutation(n, new SplittableRandom(orderSeed(seed, epoch, partition))));
      orderedEpoch = epoch;
    }
    backend.setParameters(params);
    return backend.batchSums(from, to - from, delta);
  }

  /** Delta of the last full() or batch() with examples, in the parameter layout; null without rows. */
  float[] delta() {
    return delta;
  }

  /** The seed of partition p's order in epoch e: distinct per (seed, e, p), the same on every attempt. */
  static long orderSeed(long seed, int epoch, int partition) {
    return seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + partition;
  }

  @Override
  public synchronized void close() {
    if (backend != null) {
      backend.close();
    }
  }
}
