package org.clprop;

/**
 * Passed to {@link Callback#onBatchEnd}.
 *
 * @param epoch 1-based epoch
 * @param batch 1-based batch within the epoch
 * @param batches batches in the epoch
 * @param samples training examples processed so far in this epoch
 * @param cost mean cross-entropy of the batches since the previous call, NaN unless the callback
 *     asked for it with {@link Callback#wantsBatchCost()} (reading it is a device sync)
 */
public record BatchEnd(int epoch, int batch, int batches, long samples, double cost) {}
