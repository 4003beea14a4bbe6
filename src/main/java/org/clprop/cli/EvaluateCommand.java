package org.clprop.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.clprop.Trainer;
import org.clprop.backend.Evaluation;
import org.clprop.core.MemoryBudget;
import org.clprop.data.DataSource;
import org.clprop.data.Dataset;
import org.clprop.model.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clprop evaluate}: cost, accuracy and confusion matrix of a saved model on data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Cost, accuracy and confusion matrix of a model on a dataset's test part (or on a whole file).")
final class EvaluateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DataOptions dataOptions;

  @Option(names = "--model", required = true, description = "A model written by clprop train --out (.npz).")
  Path model;

  @Option(names = "--data", defaultValue = "digits", description = "As for train. Default: ${DEFAULT-VALUE}.")
  String data;

  @Option(names = "--lambda", defaultValue = "0", description = "Lambda of the reported cost J. Default: ${DEFAULT-VALUE}.")
  double lambda;

  @Mixin
  BackendOptions backendOptions;

  @Mixin
  VerboseOption verbose;

  @Override
  public Integer call() {
    backendOptions.kind(spec);
    ModelFile.Model m = ModelFile.load(model);
    int[] s = m.network().sizes();
    MemoryBudget.require(MemoryBudget.product(8L * s[s.length - 1], s[s.length - 1]), model + ": a confusion matrix of "
        + s[s.length - 1] + " classes", "evaluate a model of fewer classes");
    DataSource.Loaded loaded = DataSource.loadForModel(data, dataOptions.dataDir, dataOptions.labelCol, s[0],
        s[s.length - 1]);
    boolean test = loaded.test() != null;
    Dataset d = test ? loaded.test() : loaded.train();
    PrintWriter o = spec.commandLine().getOut();
    Trainer.Builder b = Trainer.builder().layers(s).initialWeights(m.network()).spec(m.spec()).lambda(lambda);
    try (Trainer t = backendOptions.apply(spec, b).build()) {
      Evaluation e = t.evaluate(d);
      int[] predicted = t.predict(d);
      o.printf("model %s %s on %s%s (%d examples), %s%n", model, Arrays.toString(s), loaded.name(),
          test ? " test part" : "", d.size(), t.backendDescription());
      o.printf("cost: %.6f%n", e.cost());
      o.printf("%s: %.4f%n", test ? "test accuracy" : "accuracy", e.accuracy());
      printConfusion(o, d, predicted, s[s.length - 1], m.classNames());
    }
    return 0;
  }

  private static void printConfusion(PrintWriter o, Dataset d, int[] predicted, int k, List<String> names) {
    long[][] c = new long[k][k];
    for (int i = 0; i < predicted.length; i++) {
      c[d.label(i)][predicted[i]]++;
    }
    o.println("confusion matrix (rows: true class, columns: predicted class):");
    StringBuilder head = new StringBuilder(String.format("%14s", ""));
    for (int j = 0; j < k; j++) {
      head.append(String.format("%7d", j));
    }
    o.println(head);
    for (int i = 0; i < k; i++) {
      String label = i < names.size() ? names.get(i) : "";
      StringBuilder row = new StringBuilder(String.format("%3d %-10.10s", i, label));
      for (int j = 0; j < k; j++) {
        row.append(String.format("%7d", c[i][j]));
      }
      o.println(row);
    }
  }
}
