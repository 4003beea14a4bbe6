/**
 * NumPy's .npy and .npz formats, read and written without Python. API, usable on its own to read
 * and write NumPy files: {@link org.clprop.npy.Npy} (one array), {@link org.clprop.npy.Npz} (an
 * archive of arrays and other entries) and {@link org.clprop.npy.NpyArray} (a shape, a dtype and
 * the values widened to double).
 */
package org.clprop.npy;
