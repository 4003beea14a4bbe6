/**
 * Update rules. API: {@link org.clprop.optim.Optimizer} (SGD, momentum, Adam, L-BFGS, with their
 * settings). Internal: {@link org.clprop.optim.Lbfgs}, the L-BFGS minimiser the trainer drives,
 * public for the library's own packages and tests; may change without notice.
 */
package org.clprop.optim;
