/**
 * Examples and where they come from. API: {@link org.clprop.data.Dataset} (float32 features with
 * labels 0..K-1), {@link org.clprop.data.DataSource} and its {@link org.clprop.data.DataSource.Loaded}
 * (the embedded digits, Fashion-MNIST, MNIST, a folder of IDX files, a CSV or a .npz, by name),
 * {@link org.clprop.data.Split} (a seeded hold-out) and {@link org.clprop.io.DataFormatException}.
 * Internal: the readers and helpers behind {@code DataSource} ({@link org.clprop.data.CsvReader},
 * {@link org.clprop.data.Table}, {@link org.clprop.data.IdxReader}, {@link org.clprop.data.Mnist},
 * {@link org.clprop.data.Digits}, {@link org.clprop.data.Shuffle}, and the package-private caches and
 * lists), public for the command line and tests; they may change without notice.
 */
package org.clprop.data;
