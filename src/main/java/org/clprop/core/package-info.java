/**
 * The network as numbers, in the Theta layout of docs/algorithm.md: Theta(l) is s_{l+1} x (s_l + 1),
 * bias as column 0. API, all of it: {@link org.clprop.core.Network} (layer sizes and Thetas),
 * {@link org.clprop.core.Matrix} (an immutable row-major matrix of doubles),
 * {@link org.clprop.core.CostGradient} (J and the gradients D(l)) and
 * {@link org.clprop.core.Sigmoid} (g and g'). No computing happens here; backends do it.
 */
package org.clprop.core;
