/**
 * Trained networks on disk, as NumPy .npz files that Python reads with {@code np.load}. API:
 * {@link org.clprop.model.ModelFile} and its {@link org.clprop.model.ModelFile.Model} (a network
 * with its class names and meta.json), and {@link org.clprop.model.Checkpoint} (everything needed
 * to resume a fit). The meta.json codec is package-private.
 */
package org.clprop.model;
