package org.clprop;

import java.util.List;

/**
 * The per-epoch record of one {@link Trainer#fit}, and why it ended.
 *
 * @param epochs one entry per epoch run, in order
 * @param bestEpoch the epoch whose weights the trainer holds now (the best validation accuracy
 *     under early stopping, else the last)
 * @param stopReason why training ended: "completed", "early stopping", "stop requested at ..." (a
 *     checkpoint is written there when the trainer has a checkpoint file),
 *     "converged" (L-BFGS found no further decrease), or "diverged at epoch E, batch B: ..." when a
 *     minibatch's cost became NaN or infinite (the trainer then holds the last finite epoch's weights)
 */
public record History(List<EpochStats> epochs, int bestEpoch, String stopReason) {
  /** Copies {@code epochs} into an unmodifiable list. */
  public History {
    epochs = List.copyOf(epochs);
  }

  /** Whether training ended because a cost became NaN or infinite. */
  public boolean diverged() {
    return stopReason.startsWith("diverged");
  }

  /**
   * The stats of the last epoch run.
   *
   * @throws IllegalStateException when no epoch was run
   */
  public EpochStats last() {
    if (epochs.isEmpty()) {
      throw new IllegalStateException("no epoch was run");
    }
    return epochs.get(epochs.size() - 1);
  }
}
