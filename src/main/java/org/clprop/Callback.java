package org.clprop;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Hooks into {@link Trainer#fit}, each with a no-op default; the factories below make one from a
 * lambda. Each call gets the fit's {@link FitControl}, so a callback can end training.
 *
 * <pre>{@code
 * .callback(Callback.onEpoch(stats -> System.out.println(stats.epoch() + ": " + stats.cost())))
 * .callback(Callback.stopWhen(stats -> stats.validationAccuracy() >= 0.97))
 * }</pre>
 *
 * <p>Batch-end calls are rate-limited: they happen every {@link #batchInterval()} batches (never by
 * default) and carry a cost only when {@link #wantsBatchCost()} says so, because reading a cost
 * from a GPU backend waits for the device. L-BFGS has no batches and calls only {@link #onEpochEnd}
 * (an epoch is one iteration there).
 */
public interface Callback {

  /** After each epoch, validation included. */
  default void onEpochEnd(EpochStats stats, FitControl fit) {}

  /** After the fit's last epoch, before {@link Trainer#fit} returns (also when it stopped early or diverged). */
  default void onFitEnd(FitControl fit) {}

  /** After every {@link #batchInterval()}-th batch of an epoch, and after its last batch. */
  default void onBatchEnd(BatchEnd batch, FitControl fit) {}

  /** Call {@link #onBatchEnd} every this many batches; 0 or less never calls it. */
  default int batchInterval() {
    return 0;
  }

  /** Whether {@link BatchEnd#cost()} should be filled in (a sync point on a device). */
  default boolean wantsBatchCost() {
    return false;
  }

  /** A callback that runs {@code action} after each epoch. */
  static Callback onEpoch(Consumer<EpochStats> action) {
    Objects.requireNonNull(action, "action");
    return onEpoch((stats, fit) -> action.accept(stats));
  }

  /** A callback that runs {@code action} after each epoch, with the handle that can stop the fit. */
  static Callback onEpoch(BiConsumer<EpochStats, FitControl> action) {
    Objects.requireNonNull(action, "action");
    return new Callback() {
      @Override
      public void onEpochEnd(EpochStats stats, FitControl fit) {
        action.accept(stats, fit);
      }
    };
  }

  /** A callback that stops the fit after the first epoch for which {@code condition} holds. */
  static Callback stopWhen(Predicate<EpochStats> condition) {
    Objects.requireNonNull(condition, "condition");
    return onEpoch((stats, fit) -> {
      if (condition.test(stats)) {
        fit.stop();
      }
    });
  }

  /**
   * A callback that runs {@code action} every {@code interval} batches (and after an epoch's last
   * batch); with {@code withCost} each call carries the mean cost of the batches since the last one.
   */
  static Callback everyBatches(int interval, boolean withCost, BiConsumer<BatchEnd, FitControl> action) {
    if (interval <= 0) {
      throw new IllegalArgumentException("interval: " + interval + " batches, must be > 0");
    }
    Objects.requireNonNull(action, "action");
    return new Callback() {
      @Override
      public void onBatchEnd(BatchEnd batch, FitControl fit) {
        action.accept(batch, fit);
      }

      @Override
      public int batchInterval() {
        return interval;
      }

      @Override
      public boolean wantsBatchCost() {
        return withCost;
      }
    };
  }

  /** A callback that runs {@code action} every {@code interval} batches, without reading costs. */
  static Callback everyBatches(int interval, Consumer<BatchEnd> action) {
    Objects.requireNonNull(action, "action");
    return everyBatches(interval, false, (batch, fit) -> action.accept(batch));
  }
}
