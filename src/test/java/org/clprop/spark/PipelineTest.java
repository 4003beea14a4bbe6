package org.clprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.clprop.data.Dataset;
import org.clprop.data.Digits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The estimator as one stage of a Pipeline, tuned by CrossValidator over a ParamGridBuilder grid, then saved. */
class PipelineTest {
  @TempDir
  Path dir;

  @Test
  void crossValidatedPipelineOfAssemblerAndClassifier() throws Exception {
    org.apache.spark.sql.Dataset<Row> pixels = pixelColumns(Digits.load());
    String[] inputs = new String[64];
    for (int c = 0; c < 64; c++) {
      inputs[c] = "p" + c;
    }
    VectorAssembler assembler = new VectorAssembler().setInputCols(inputs).setOutputCol("features");
    ClpropClassifier clprop = new ClpropClassifier().setLayers(new int[] {64, 16, 10}).setBackend("cpu");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, clprop});
    ParamMap[] grid = new ParamGridBuilder().addGrid(clprop.maxIter(), new int[] {2, 20})
        .addGrid(clprop.lambda(), new double[] {0.0, 1.0}).build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid).setNumFolds(2)
        .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy")).setSeed(7).fit(pixels);

    double[] metrics = cv.avgMetrics();
    assertEquals(4, metrics.length);
    int best = 0;
    for (int i = 1; i < metrics.length; i++) {
      best = metrics[i] > metrics[best] ? i : best;
    }
    assertEquals(20, (int) grid[best].apply(clprop.maxIter()), "20 L-BFGS iterations beat 2");
    assertTrue(metrics[best] > 0.85, "cross-validated accuracy " + metrics[best]);

    PipelineModel model = (PipelineModel) cv.bestModel();
    String path = dir.resolve("pipeline").toString();
    model.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    assertEquals(model.transform(pixels).select("prediction").collectAsList(),
        loaded.transform(pixels).select("prediction").collectAsList());
  }

  @Test
  void anAssemblerOfTheWrongWidthIsRefusedBeforeAnyJob() {
    org.apache.spark.sql.Dataset<Row> pixels = pixelColumns(Digits.load().slice(0, 50));
    VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"p0", "p1", "p2"})
        .setOutputCol("features");
    ClpropClassifier clprop = new ClpropClassifier().setLayers(new int[] {64, 10});
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, clprop});
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> pipeline.fit(pixels));
    assertEquals("features: vectors of 3 features, but layers[0] is 64", e.getMessage());
  }

  /** One double column per pixel, p0 .. p63, and the label: the shape VectorAssembler starts from. */
  private static org.apache.spark.sql.Dataset<Row> pixelColumns(Dataset data) {
    List<StructField> fields = new ArrayList<>();
    for (int c = 0; c < data.features(); c++) {
      fields.add(DataTypes.createStructField("p" + c, DataTypes.DoubleType, false));
    }
    fields.add(DataTypes.createStructField("label", DataTypes.DoubleType, false));
    List<Row> rows = new ArrayList<>();
    float[] x = data.x();
    for (int i = 0; i < data.size(); i++) {
      Object[] v = new Object[data.features() + 1];
      for (int c = 0; c < data.features(); c++) {
        v[c] = (double) x[i * data.features() + c];
      }
      v[data.features()] = (double) data.label(i);
      rows.add(RowFactory.create(v));
    }
    return LocalSpark.session().createDataFrame(rows, new StructType(fields.toArray(new StructField[0])))
        .repartition(LocalSpark.PARTITIONS);
  }
}
