package org.clprop.spark.app;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.clprop.data.DataSource;
import org.clprop.data.Dataset;
import org.clprop.data.RowCursor;

/**
 * A dataset clprop names ({@code digits}, {@code fashion-mnist}, a folder of IDX files, a CSV, an
 * .npz) as DataFrames of (features Vector, label double), for the applications in this package.
 * Each task reads its own slice on its executor, so no job ships rows from the driver (with
 * {@code parallelize(rows)} every task of every job would carry its partition); the files must be
 * readable at the same path on every worker, as Debian's dataset-fashion-mnist installs them.
 */
final class NamedFrames {
  static final StructType SCHEMA = new StructType(new StructField[] {
      new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
      new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});

  private NamedFrames() {}

  /** The training part in {@code partitions} contiguous slices. */
  static org.apache.spark.sql.Dataset<Row> train(SparkSession spark, String name, int partitions) {
    return frame(spark, name, partitions, false);
  }

  /** The test part (of a named dataset), in {@code partitions} slices. */
  static org.apache.spark.sql.Dataset<Row> test(SparkSession spark, String name, int partitions) {
    return frame(spark, name, partitions, true);
  }

  private static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, String name, int partitions,
      boolean test) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> slices = IntStream.range(0, partitions).boxed().toList();
    JavaRDD<Row> rows = sc.parallelize(slices, partitions).flatMap(p -> slice(name, test, p, partitions).iterator());
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** Rows [p m / P, (p+1) m / P) of the part, read on the executor. */
  private static List<Row> slice(String name, boolean test, int p, int partitions) {
    DataSource.Loaded loaded = DataSource.load(name, null, -1);
    Dataset d = test ? loaded.test() : loaded.train();
    if (d == null) {
      throw new IllegalArgumentException(name + ": has no test part");
    }
    int from = (int) ((long) p * d.size() / partitions);
    int to = (int) ((long) (p + 1) * d.size() / partitions);
    int n = d.features();
    // Rows as they are stored: image data stays bytes, 47 MB for Fashion-MNIST's training part, not 188 MB of floats.
    RowCursor rows = d.cursor();
    float[] f = new float[n];
    List<Row> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      rows.copy(i, f, 0);
      double[] v = new double[n];
      for (int c = 0; c < n; c++) {
        v[c] = f[c];
      }
      out.add(RowFactory.create(Vectors.dense(v), (double) d.label(i)));
    }
    return out;
  }

  /** The part itself on the driver, for measuring weights without a Spark job. */
  static Dataset local(String name, boolean test) {
    DataSource.Loaded loaded = DataSource.load(name, null, -1);
    return test ? loaded.test() : loaded.train();
  }
}
