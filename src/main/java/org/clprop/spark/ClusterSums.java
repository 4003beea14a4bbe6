package org.clprop.spark;

import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;

/**
 * The driver's side of data-parallel training: one Spark job per question, each broadcasting the
 * weights (in its task binary), asking every partition for its sums ({@link BoundPartitionsRdd}) and
 * adding them with treeAggregate. Remembers where each partition was bound so that later jobs go there.
 */
final class ClusterSums implements AutoCloseable {
  private final RDD<Row> rows;
  private final SumsRequest.Binding binding;
  private final int depth;
  private final String[] locations;
  private long examples = -1;

  ClusterSums(RDD<Row> rows, SumsRequest.Binding binding, int aggregationDepth) {
    this.rows = rows;
    this.binding = binding;
    this.depth = aggregationDepth;
    this.locations = new String[rows.getNumPartitions()];
  }

  int partitions() {
    return locations.length;
  }

  /** Reads and binds every partition; returns the number of examples m. */
  long bind() {
    examples = run(SumsRequest.bind(binding), null).count();
    return examples;
  }

  /** The sums over all examples at {@code params}. */
  GradientSums full(float[] params) {
    return run(SumsRequest.full(binding), params);
  }

  /** The sums over global minibatch {@code batch} of {@code batches} in {@code epoch} (see SumsRequest). */
  GradientSums batch(float[] params, long seed, int epoch, int batch, int batches) {
    return run(SumsRequest.batch(binding, seed, epoch, batch, batches), params);
  }

  /** Releases the partitions' bindings on their executors. */
  @Override
  public void close() {
    run(SumsRequest.release(binding), null);
  }

  private GradientSums run(SumsRequest request, float[] params) {
    GradientSums total = new BoundPartitionsRdd(rows, request, params, locations.clone()).toJavaRDD()
        .treeAggregate(new GradientSums(), GradientSums::add, GradientSums::add, depth);
    String[] at = total.locations();
    for (int p = 0; at != null && p < at.length; p++) {
      if (at[p] != null) {
        locations[p] = at[p];
      }
    }
    if (examples >= 0 && request.kind() == SumsRequest.Kind.FULL && total.count() != examples) {
      throw new IllegalStateException("a pass over the data saw " + total.count() + " examples, the fit bound "
          + examples + ": the input is not deterministic");
    }
    return total;
  }
}
