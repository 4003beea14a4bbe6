/**
 * The double-precision oracle: the algorithm of docs/algorithm.md as the original text states it, one
 * example at a time, against which every backend is checked. API, all of it:
 * {@link org.clprop.reference.ReferenceBackprop} (J and D(l)) and
 * {@link org.clprop.reference.GradientCheck} (central-difference gradients and their comparison).
 * Slow on purpose: for small networks and checks, not for training.
 */
package org.clprop.reference;
