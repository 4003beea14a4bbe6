package org.clprop;

import java.util.LinkedHashMap;
import java.util.Map;
import org.clprop.model.ModelSpec;
import org.clprop.optim.LearningRateSchedule;
import org.clprop.optim.Optimizer;

/** The meta.json fields of a model a {@link Trainer} saves or exports: how it was trained, what it computes. */
final class ModelMeta {
  private ModelMeta() {}

  /**
   * The settings (lambda, optimiser, learning rate and its schedule, batch, epochs done, early
   * stopping, seed, backend), the class names, and the spec's activation, output and scaling.
   */
  static Map<String, Object> of(TrainerConfig config, ModelSpec spec, History last, String backend) {
    Map<String, Object> meta = new LinkedHashMap<>();
    Optimizer opt = config.optimizer();
    meta.put("lambda", config.lambda());
    meta.put("optimizer", opt.kind().name().toLowerCase());
    if (opt.isMinibatch()) {
      meta.put("learningRate", opt.learningRate());
      if (config.schedule().kind() != LearningRateSchedule.Kind.CONSTANT) {
        meta.put("learningRateSchedule", config.schedule().describe());
      }
      meta.put("batch", config.batchSize());
    }
    if (last != null) {
      meta.put("epochs", last.epochs().size());
    }
    if (config.earlyStop() != null) {
      EarlyStop e = config.earlyStop();
      meta.put("earlyStopping", Map.of("monitor", e.monitor().jsonName(), "patience", e.patience(), "minDelta",
          e.minDelta()));
    }
    meta.put("seed", config.seed());
    meta.put("backend", backend);
    if (!config.classNames().isEmpty()) {
      meta.put("classNames", config.classNames());
    }
    meta.putAll(spec.toMeta());
    return meta;
  }
}
