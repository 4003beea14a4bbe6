/**
 * The contract between the {@link org.clprop.Trainer} and its compute backends. API:
 * {@link org.clprop.backend.BackendKind} (which backend a trainer uses) and
 * {@link org.clprop.backend.Evaluation} (what {@code Trainer.evaluate} returns). Internal:
 * {@link org.clprop.backend.Backend}, {@link org.clprop.backend.OptimizerState} (carried opaquely
 * by a {@link org.clprop.model.Checkpoint}), {@link org.clprop.backend.StepMetrics} and its running
 * form {@link org.clprop.backend.StepSums}, {@link org.clprop.backend.Regularization} and
 * {@link org.clprop.backend.BackendChecks}, public for the backends in other packages; they may
 * change without notice.
 */
package org.clprop.backend;
