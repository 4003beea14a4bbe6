package org.clprop.backend;

/**
 * An optimiser's state, for checkpoints: the number of steps taken (Adam's bias corrections need
 * it) and its per-parameter vectors in the parameter layout of {@link Backend} (momentum's velocity
 * or Adam's first moment; Adam's second moment), null where the rule has none.
 *
 * @param step update steps taken
 * @param first momentum's velocity or Adam's first moment, or null
 * @param second Adam's second moment, or null
 */
public record OptimizerState(long step, float[] first, float[] second) {}
