package org.clprop;

import java.util.List;

/**
 * The per-epoch record of one {@link Trainer#fit}, and why it ended.
 *
 * @param epochs one entry per epoch run, in order
 * @param bestEpoch the epoch whose weights the trainer holds now (the best validation accuracy
 *     under early stopping, else the last)
 * @param stopReason why training ended: "completed", "early stopping", "stop requested",
 *     "converged" (L-BFGS found no further decrease)
 */
public record History(List<EpochStats> epochs, int bestEpoch, String stopReason) {
  public History {
    epochs = List.copyOf(epochs);
  }

  public EpochStats last() {
    if (epochs.isEmpty()) {
      throw new IllegalStateException("no epoch was run");
    }
    return epochs.get(epochs.size() - 1);
  }
}
