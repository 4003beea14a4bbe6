package org.clprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.clprop.cli.CliRunner;
import org.clprop.data.DataSource;
import org.clprop.data.Digits;
import org.clprop.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model saved by the estimator: loaded back by Spark, and by clprop evaluate with the same accuracy. */
class ModelPersistenceTest {
  @TempDir
  Path dir;

  @Test
  void aSavedModelLoadsInSparkAndInClpropEvaluateWithTheSameAccuracy() throws Exception {
    Split digits = Split.of(Digits.load(), 0.2, DataSource.DIGITS_TEST_SEED); // the CLI's "digits" test part
    ClpropClassificationModel model = new ClpropClassifier().setLayers(new int[] {64, 32, 10}).setLambda(0.3)
        .setMaxIter(40).setBackend("cpu").fit(LocalSpark.frame(digits.first(), LocalSpark.PARTITIONS));
    org.apache.spark.sql.Dataset<Row> test = LocalSpark.frame(digits.second(), 2);
    org.apache.spark.sql.Dataset<Row> predicted = model.transform(test);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predicted);
    assertTrue(accuracy > 0.9, "test accuracy " + accuracy);

    String path = dir.resolve("model").toString();
    model.write().overwrite().save(path);
    ClpropClassificationModel loaded = ClpropClassificationModel.load(path);
    assertEquals(model.uid(), loaded.uid());
    assertArrayEquals(model.network().toFlatFloats(), loaded.network().toFlatFloats());
    List<Row> before = predicted.select("prediction", "probability").collectAsList();
    List<Row> after = loaded.transform(test).select("prediction", "probability").collectAsList();
    assertEquals(before, after);
    for (Row r : before) {
      double sum = 0;
      for (double p : ((Vector) r.get(1)).toArray()) {
        sum += p;
      }
      assertEquals(1.0, sum, 1e-9, "a probability vector sums to 1");
    }

    Path npz = dir.resolve("model").resolve(ModelPersistence.NPZ);
    assertTrue(Files.isRegularFile(npz), npz + " written");
    CliRunner.Result r = CliRunner.run("evaluate", "--model", npz.toString(), "--data", "digits");
    assertEquals(0, r.code(), r.err());
    Matcher m = Pattern.compile("test accuracy: ([0-9.]+)").matcher(r.out());
    assertTrue(m.find(), r.out());
    assertEquals(String.format(Locale.ROOT, "%.4f", accuracy), m.group(1), "clprop evaluate against Spark");
  }
}
