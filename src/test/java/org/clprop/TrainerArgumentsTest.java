package org.clprop;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.clprop.backend.BackendKind;
import org.clprop.data.Dataset;
import org.clprop.model.ModelSpec;
import org.clprop.optim.LearningRateSchedule;
import org.clprop.optim.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments fail at once, and the message names the argument and the offending value or position. */
class TrainerArgumentsTest {

  private static void fails(Executable call, String... mustContain) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String s : mustContain) {
      assertTrue(e.getMessage().contains(s), "message '" + e.getMessage() + "' lacks '" + s + "'");
    }
  }

  private static Trainer small() {
    return Trainer.builder().layers(3, 4, 2).backend(BackendKind.CPU).epochs(1).build();
  }

  @Test
  void builderRejectsBadSettings() {
    fails(() -> Trainer.builder().batchSize(0), "batchSize", "0");
    fails(() -> Trainer.builder().batchSize(-5), "batchSize", "-5");
    fails(() -> Trainer.builder().learningRate(0), "learningRate", "0.0");
    fails(() -> Trainer.builder().learningRate(-0.1), "learningRate", "-0.1");
    fails(() -> Trainer.builder().learningRate(Double.NaN), "learningRate", "NaN");
    fails(() -> Trainer.builder().lambda(-1), "lambda", "-1.0");
    fails(() -> Trainer.builder().lambda(Double.POSITIVE_INFINITY), "lambda", "Infinity");
    fails(() -> Trainer.builder().epochs(0), "epochs", "0");
    fails(() -> Trainer.builder().layers(5), "layerSizes", "[5]");
    fails(() -> Trainer.builder().layers(5, 0, 2), "layerSizes[1] = 0");
    fails(() -> Trainer.builder().threads(0), "threads", "0");
    fails(() -> Trainer.builder().build(), "layerSizes", "not set");
    fails(() -> Trainer.builder().layers(3, 2).earlyStopping(2).build(), "earlyStopping", "validation");
    fails(() -> Trainer.builder().layers(3, 2).validation(Dataset.of(new float[4], new int[2], 2, 2)).build(),
        "validation", "2 features", "layerSizes[0] = 3");
  }

  @Test
  void builderRejectsBadSchedulesStoppingAndScaling() {
    fails(() -> Trainer.builder().layers(3, 2).optimizer(Optimizer.Kind.LBFGS)
        .learningRateSchedule(LearningRateSchedule.cosine(0)).build(), "learningRateSchedule(cosine)", "L-BFGS");
    fails(() -> Trainer.builder().layers(3, 2).learningRate(0.01)
        .learningRateSchedule(LearningRateSchedule.cosine(0.01)).build(), "minimum 0.01", "learning rate 0.01");
    fails(() -> LearningRateSchedule.step(0, 0.5), "every 0");
    fails(() -> LearningRateSchedule.step(3, 1.5), "factor 1.5");
    fails(() -> LearningRateSchedule.cosine(-1), "minimum -1.0");
    fails(() -> LearningRateSchedule.parse("linear"), "'linear'", "step:EVERY:FACTOR", "cosine[:MIN]");
    fails(() -> LearningRateSchedule.parse("step:x:0.5"), "'step:x:0.5'");
    fails(() -> new EarlyStop(EarlyStop.Monitor.VAL_COST, 0, 0), "patience", "0");
    fails(() -> new EarlyStop(EarlyStop.Monitor.VAL_COST, 2, -0.1), "minDelta", "-0.1");
    fails(() -> Trainer.builder().layers(3, 2).earlyStopping(new EarlyStop(EarlyStop.Monitor.VAL_COST, 2, 0.01))
        .build(), "earlyStopping(2)", "validation");
    ModelSpec.Scaling two = new ModelSpec.Scaling(ModelSpec.Scaling.Kind.STANDARD, new double[2], new double[] {1, 1});
    fails(() -> Trainer.builder().layers(3, 2).scaling(two).build(), "scaling", "2 features", "layerSizes[0] = 3");
  }

  @Test
  void scalingToBeLearnedNeedsAFitBeforePredictions() {
    try (Trainer t = Trainer.builder().layers(3, 2).scaling(ModelSpec.Scaling.Kind.MINMAX).backend(BackendKind.CPU)
        .build()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.predict(new float[] {1, 2, 3}));
      assertTrue(e.getMessage().contains("scaling minmax") && e.getMessage().contains("first fit"), e.getMessage());
      assertTrue(t.spec().scaling().isEmpty());
    }
  }

  @Test
  void fitRejectsDataThatDoesNotMatchTheNetwork() {
    try (Trainer t = small()) {
      fails(() -> t.fit(new float[][] {{1, 2}}, new int[] {0}), "train", "2 features", "layerSizes[0] = 3");
      fails(() -> t.fit(new float[][] {{1, 2, 3}, {4, 5, 6}}, new int[] {0, 2}), "y[1] = 2", "0..1");
      fails(() -> t.fit(new float[][] {{1, 2, 3}}, new int[] {-1}), "y[0] = -1");
      fails(() -> t.fit(new float[][] {{1, Float.NaN, 3}}, new int[] {0}), "x[0][1] = NaN");
      fails(() -> t.fit(new float[][] {{1, 2, 3}, {1, 2, Float.POSITIVE_INFINITY}}, new int[] {0, 1}),
          "x[1][2] = Infinity");
      fails(() -> t.fit(new float[0][], new int[0]), "empty");
      fails(() -> t.fit(new float[][] {{1, 2, 3}}, new int[] {0, 1}), "1 rows", "2 entries");
      fails(() -> t.fit(Dataset.of(new float[9], new int[] {0, 1, 4}, 3, 5)), "label 4 at example 2", "0..1");
      fails(() -> t.predict(new float[][] {{1, 2}}), "x[0]", "2 features");
    }
  }

  @Test
  void datasetRejectsBadValuesWithTheirPosition() {
    fails(() -> Dataset.of(new float[] {0, 0, Float.NaN, 0}, new int[] {0, 1}, 2, 2), "x[1][0] = NaN");
    fails(() -> Dataset.of(new float[4], new int[] {0, 7}, 2, 3), "labels[1] = 7");
    fails(() -> Dataset.of(new float[5], new int[] {0, 1}, 2, 2), "5 values", "2 examples");
  }
}
