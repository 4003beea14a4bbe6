package org.clprop.spark;

import java.io.Serializable;

/**
 * What one job asks of every partition of a fit: bind its rows (and count them), the sums over all
 * of them, the sums over its share of one global minibatch, or release them.
 *
 * <p>A global minibatch draws on every partition: in epoch e each partition shuffles its n rows
 * with a generator seeded by (seed, e, partition) and gives batch b of B the rows at positions
 * [b n / B, (b+1) n / B) of that order, so that an epoch visits every row once and each batch
 * holds about m / B examples in proportion to the partitions' sizes.
 */
record SumsRequest(Kind kind, Binding binding, long seed, int epoch, int batch, int batches)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  enum Kind { BIND, FULL, BATCH, RELEASE }

  /** Which fit a partition belongs to and how its rows are read and bound. */
  record Binding(String fitId, BackendSpec spec, String featuresCol, String labelCol) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  static SumsRequest bind(Binding b) {
    return new SumsRequest(Kind.BIND, b, 0, 0, 0, 0);
  }

  static SumsRequest full(Binding b) {
    return new SumsRequest(Kind.FULL, b, 0, 0, 0, 0);
  }

  static SumsRequest batch(Binding b, long seed, int epoch, int batch, int batches) {
    return new SumsRequest(Kind.BATCH, b, seed, epoch, batch, batches);
  }

  static SumsRequest release(Binding b) {
    return new SumsRequest(Kind.RELEASE, b, 0, 0, 0, 0);
  }
}
