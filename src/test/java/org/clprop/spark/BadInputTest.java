package org.clprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Bad input columns and values get an IllegalArgumentException with a one-line message naming the
 * column and the cause, whether the driver finds them (schema, params) or an executor (values).
 */
class BadInputTest {
  private static final ClpropClassifier CLASSIFIER = new ClpropClassifier().setLayers(new int[] {3, 4, 2})
      .setMaxIter(2).setBackend("cpu");

  @Test
  void valuesFoundByTheExecutors() {
    assertMessage("label: 2.0 at row 1 of partition 0; labels must be the integers 0..1 (the output layer has 2 "
        + "units)", rows(row(0.1, 0.2, 0.3, 0), row(0.1, 0.2, 0.3, 2)));
    assertMessage("label: 0.5 at row 0 of partition 0; labels must be the integers 0..1 (the output layer has 2 "
        + "units)", rows(row(0.1, 0.2, 0.3, 0.5)));
    assertMessage("label: -1.0 at row 0 of partition 0; labels must be the integers 0..1 (the output layer has 2 "
        + "units)", rows(row(0.1, 0.2, 0.3, -1)));
    assertMessage("features: value NaN at index 1 of row 0 of partition 0; features must be finite (in float32)",
        rows(row(0.1, Double.NaN, 0.3, 1)));
    assertMessage("features: value Infinity at index 2 of row 0 of partition 0; features must be finite (in float32)",
        rows(row(0.1, 0.2, 1e300, 1)));
    assertMessage("features: 2 values at row 0 of partition 0, but layers[0] is 3",
        rows(RowFactory.create(Vectors.dense(0.1, 0.2), 1.0)));
    assertMessage("the training data has no rows", rows());
  }

  @Test
  void columnsAndParamsFoundByTheDriver() {
    org.apache.spark.sql.Dataset<Row> good = rows(row(0.1, 0.2, 0.3, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CLASSIFIER.copy(new org.apache.spark.ml.param.ParamMap()).setFeaturesCol("pixels").fit(good));
    assertTrue(e.getMessage().contains("pixels"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CLASSIFIER.fit(good.withColumn("features",
        good.col("label").cast(DataTypes.StringType))));
    assertTrue(e.getMessage().contains("features") && e.getMessage().contains("VectorUDT"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CLASSIFIER.fit(good.withColumn("label",
        good.col("label").cast(DataTypes.StringType))));
    assertTrue(e.getMessage().contains("label") && e.getMessage().contains("numeric"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ClpropClassifier().fit(good));
    assertTrue(e.getMessage().startsWith("layers: not set"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ClpropClassifier().setLayers(new int[] {3}));
    assertTrue(e.getMessage().startsWith("layerSizes: need at least 2 layers"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ClpropClassifier().setOptimizer("newton"));
    assertThrows(IllegalArgumentException.class, () -> new ClpropClassifier().setLambda(-1));
  }

  private static void assertMessage(String message, org.apache.spark.sql.Dataset<Row> frame) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CLASSIFIER.fit(frame));
    assertEquals(message, e.getMessage());
  }

  private static Row row(double a, double b, double c, double label) {
    return RowFactory.create(Vectors.dense(a, b, c), label);
  }

  private static org.apache.spark.sql.Dataset<Row> rows(Row... rows) {
    StructType schema = LocalSpark.SCHEMA;
    return LocalSpark.session().createDataFrame(List.of(rows), schema).coalesce(1);
  }
}
