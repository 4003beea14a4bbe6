package org.clprop;

import java.util.Arrays;
import org.clprop.backend.BackendChecks;
import org.clprop.data.Dataset;
import org.clprop.data.RowCursor;

/**
 * The output activations of every example of a {@link Dataset}, computed in pieces of at most
 * {@link #PIECE_VALUES} features copied out of its storage, so that a set in blocks or in a mapped
 * file never needs its features as one array; only the n x K outputs are held whole. Each row's
 * output depends on that row alone, so the pieces give, bit for bit, what one call over all rows
 * gives (TrainerPredictionsTest).
 */
final class Predictions {
  /** Features per piece: 16 MiB of floats, 5,350 rows of Fashion-MNIST. */
  static final int PIECE_VALUES = 1 << 22;

  /** A forward pass over n rows of x (row-major), giving n x K outputs. */
  interface Forward {
    float[] apply(float[] x, int n);
  }

  private Predictions() {}

  /** h = a(L) for every row of {@code data}, row-major n x k. */
  static float[] inPieces(Dataset data, Forward forward, int k) {
    int n = data.size();
    int w = data.features();
    float[] out = new float[BackendChecks.outputLength(n, k)];
    int piece = Math.max(1, Math.min(n, PIECE_VALUES / w));
    float[] x = new float[piece * w];
    RowCursor rows = data.cursor();
    for (int from = 0; from < n; from += piece) {
      int m = Math.min(piece, n - from);
      for (int i = 0; i < m; i++) {
        rows.copy(from + i, x, i * w);
      }
      float[] h = forward.apply(m == piece ? x : Arrays.copyOf(x, m * w), m);
      System.arraycopy(h, 0, out, from * k, m * k);
    }
    return out;
  }
}
