/**
 * Training, evaluating and saving a fully connected sigmoid network: the library's front door.
 * API: {@link org.clprop.Trainer} and its {@link org.clprop.Trainer.Builder}, the settings
 * {@link org.clprop.TrainerConfig}, the hooks {@link org.clprop.Callback} and
 * {@link org.clprop.FitControl}, and what a fit reports, {@link org.clprop.History},
 * {@link org.clprop.EpochStats} and {@link org.clprop.BatchEnd}. Internal: the training loops
 * (minibatch and L-BFGS), early stopping and the choice of backend are package-private.
 */
package org.clprop;
