package org.clprop.spark;

import java.io.Serializable;
import org.clprop.backend.StepMetrics;

/**
 * Unnormalised sums over some examples, as partitions return them and treeAggregate adds them:
 * the summed data term of the cost, the count of correct predictions, the number of examples and
 * Delta(l) = sum of d(l+1) [1; a(l)]' in the parameter layout. A partition sends its Delta as the
 * backend's float32 (half the bytes of a job's results); sums of several are kept in double. It
 * also carries, per partition index, the executor that holds the partition's rows, for the next
 * job's task placement. Mutable: add() accumulates into the receiver, as Spark's aggregations allow.
 */
final class GradientSums implements Serializable {
  private static final long serialVersionUID = 1L;

  private double cost;
  private long correct;
  private long count;
  private float[] partial;
  private double[] delta;
  private String[] locations;

  /** The sums of one partition: metrics and Delta from its backend (delta may be null: none). */
  static GradientSums ofPartition(StepMetrics m, float[] delta, int partition, int partitions, String location) {
    GradientSums s = new GradientSums();
    s.cost = m.costSum();
    s.correct = m.correct();
    s.count = m.examples();
    s.partial = delta == null ? null : delta.clone();
    s.locations = new String[partitions];
    s.locations[partition] = location;
    return s;
  }

  /** this += other; returns this. */
  GradientSums add(GradientSums other) {
    cost += other.cost;
    correct += other.correct;
    count += other.count;
    if (other.partial != null || other.delta != null) {
      widen();
      if (delta == null) {
        delta = new double[other.partial != null ? other.partial.length : other.delta.length];
      }
      if (other.partial != null) {
        for (int i = 0; i < delta.length; i++) {
          delta[i] += other.partial[i];
        }
      } else {
        for (int i = 0; i < delta.length; i++) {
          delta[i] += other.delta[i];
        }
      }
    }
    if (other.locations != null) {
      if (locations == null) {
        locations = other.locations.clone();
      } else {
        for (int p = 0; p < locations.length; p++) {
          if (other.locations[p] != null) {
            locations[p] = other.locations[p];
          }
        }
      }
    }
    return this;
  }

  double cost() {
    return cost;
  }

  long correct() {
    return correct;
  }

  long count() {
    return count;
  }

  /** Delta summed over the examples; null when no partition sent one (no examples). */
  double[] delta() {
    widen();
    return delta;
  }

  /** A single partition's float Delta becomes the double sum. */
  private void widen() {
    if (partial != null) {
      delta = new double[partial.length];
      for (int i = 0; i < partial.length; i++) {
        delta[i] = partial[i];
      }
      partial = null;
    }
  }

  /** The executor of each partition as a Spark task location, or null where unknown. */
  String[] locations() {
    return locations;
  }
}
