package org.clprop.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.clprop.data.Dataset;

/**
 * One real Spark in local mode for all the Spark tests of a test JVM (master local[2], no UI, on
 * the loopback address), and DataFrames of clprop datasets split into contiguous partitions.
 */
final class LocalSpark {
  static final int PARTITIONS = 4;
  static final StructType SCHEMA = new StructType(new StructField[] {
      new StructField("features", SQLDataTypes.VectorType(), false, org.apache.spark.sql.types.Metadata.empty()),
      new StructField("label", DataTypes.DoubleType, false, org.apache.spark.sql.types.Metadata.empty())});

  private static SparkSession session;

  private LocalSpark() {}

  static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder().master("local[2]").appName("clprop tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", String.valueOf(PARTITIONS))
          .getOrCreate();
    }
    return session;
  }

  /** {@code data} as (features, label) rows; partition p holds rows [p m / P, (p+1) m / P), in order. */
  static org.apache.spark.sql.Dataset<Row> frame(Dataset data, int partitions) {
    List<Row> rows = new ArrayList<>();
    float[] x = data.x();
    int n = data.features();
    for (int i = 0; i < data.size(); i++) {
      double[] v = new double[n];
      for (int c = 0; c < n; c++) {
        v[c] = x[i * n + c];
      }
      rows.add(RowFactory.create(Vectors.dense(v), (double) data.label(i)));
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(session().sparkContext());
    return session().createDataFrame(sc.parallelize(rows, partitions), SCHEMA);
  }
}
