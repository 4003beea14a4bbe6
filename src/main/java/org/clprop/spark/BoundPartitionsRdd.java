package org.clprop.spark;

import java.util.List;
import org.apache.spark.Partition;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.BlockManagerId;
import org.clprop.backend.StepMetrics;
import org.clprop.data.Dataset;
import scala.collection.Iterator;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * One job of a fit: a partition per partition of the training rows, each answering a
 * {@link SumsRequest} with its {@link GradientSums}. A task reads its parent's rows only when its
 * executor does not hold the partition's binding yet (the first job, or after a failure moved it),
 * and each task prefers the executor that bound its partition in an earlier job, so the rows stay
 * where they were bound and no job ships or recomputes them. The weights are a field of this RDD:
 * they travel in the job's task binary, which Spark broadcasts to the executors once per job, one
 * fetch per executor instead of two with a broadcast variable of their own.
 */
final class BoundPartitionsRdd extends RDD<GradientSums> {
  private static final long serialVersionUID = 1L;
  private static final ClassTag<Row> ROW = ClassTag$.MODULE$.apply(Row.class);
  private static final ClassTag<GradientSums> SUMS = ClassTag$.MODULE$.apply(GradientSums.class);

  private final SumsRequest request;
  private final float[] weights;
  private final String[] locations;

  /**
   * @param weights the parameters to evaluate at (null for BIND and RELEASE)
   * @param locations per partition, the executor holding it as a Spark task location, or null
   */
  BoundPartitionsRdd(RDD<Row> rows, SumsRequest request, float[] weights, String[] locations) {
    super(rows, SUMS);
    this.request = request;
    this.weights = weights;
    this.locations = locations;
  }

  @Override
  public Partition[] getPartitions() {
    return firstParent(ROW).partitions();
  }

  @Override
  public Seq<String> getPreferredLocations(Partition split) {
    String at = locations == null ? null : locations[split.index()];
    return CollectionConverters.asScala(at == null ? List.<String>of() : List.of(at)).toList();
  }

  @Override
  public Iterator<GradientSums> compute(Partition split, TaskContext task) {
    int p = split.index();
    int partitions = locations.length;
    SumsRequest.Binding fit = request.binding();
    if (request.kind() == SumsRequest.Kind.RELEASE) {
      BoundPartitions.release(fit.fitId(), p);
      return single(GradientSums.ofPartition(StepMetrics.EMPTY, null, p, partitions, null));
    }
    BoundPartition bound = BoundPartitions.get(fit, p, ExecutorBackends.assignedGpu(task),
        ExecutorBackends.threads(task), () -> read(split, task, fit, p));
    StepMetrics m = switch (request.kind()) {
      case BIND -> bound.count();
      case FULL -> bound.full(weights);
      default -> bound.batch(weights, request.seed(), request.epoch(), request.batch(), request.batches());
    };
    boolean sums = request.kind() != SumsRequest.Kind.BIND && m.examples() > 0;
    return single(GradientSums.ofPartition(m, sums ? bound.delta() : null, p, partitions, location()));
  }

  private Dataset read(Partition split, TaskContext task, SumsRequest.Binding fit, int p) {
    return PartitionRows.read(CollectionConverters.asJava(firstParent(ROW).iterator(split, task)), fit.spec(),
        fit.featuresCol(), fit.labelCol(), p);
  }

  /** This executor as a task location string, "executor_HOST_ID", which Spark's scheduler prefers exactly. */
  private static String location() {
    BlockManagerId id = SparkEnv.get().blockManager().blockManagerId();
    return "executor_" + id.host() + "_" + id.executorId();
  }

  private static Iterator<GradientSums> single(GradientSums s) {
    return CollectionConverters.asScala(List.of(s).iterator());
  }
}
