package org.clprop;

/**
 * Hooks into {@link Trainer#fit}. Every method has a no-op default. Batch-end calls are rate-limited:
 * they happen every {@link #batchInterval()} batches (never by default) and carry a cost only when
 * {@link #wantsBatchCost()} says so, because reading a cost from a GPU backend waits for the device.
 */
public interface Callback {

  default void onEpochEnd(EpochStats stats) {}

  default void onBatchEnd(BatchEnd batch) {}

  /** Call {@link #onBatchEnd} every this many batches; 0 or less never calls it. */
  default int batchInterval() {
    return 0;
  }

  /** Whether {@link BatchEnd#cost()} should be filled in (a sync point on a device). */
  default boolean wantsBatchCost() {
    return false;
  }
}
