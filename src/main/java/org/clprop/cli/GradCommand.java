package org.clprop.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.clprop.core.CostGradient;
import org.clprop.core.Matrix;
import org.clprop.data.CsvReader;
import org.clprop.data.Table;
import org.clprop.io.DataFormatException;
import org.clprop.model.FeatureScaling;
import org.clprop.model.ModelFile;
import org.clprop.npy.NpyArray;
import org.clprop.npy.Npz;
import org.clprop.reference.ReferenceBackprop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clprop grad}: J and D(l) of docs/algorithm.md for a model and data, by the double-precision reference. */
@Command(name = "grad", mixinStandardHelpOptions = true,
    description = "Cost J and gradients D(l) of a model on a CSV, computed by the double-precision reference, "
        + "written as .npz (theta1 ... in the model's shapes, float64, and a 0-d 'cost').")
final class GradCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true, description = "Model .npz (theta1 ... ; written by clprop or NumPy).")
  Path model;

  @Option(names = "--data", required = true, description = "CSV of features and 0-based labels.")
  Path data;

  @Option(names = "--label-col", defaultValue = "-1", description = "Label column when no header names it. Default: ${DEFAULT-VALUE}.")
  int labelCol;

  @Option(names = "--lambda", defaultValue = "0", description = "Regularisation strength. Default: ${DEFAULT-VALUE}.")
  double lambda;

  @Option(names = "--out", required = true, description = "Where to write the gradients (.npz).")
  Path out;

  @Mixin
  VerboseOption verbose;

  @Override
  public Integer call() throws Exception {
    new FileOptions(spec).reads("--model", model).reads("--data", data).writes("--out", out, true).check();
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--lambda: " + lambda
          + ", must be finite and >= 0");
    }
    ModelFile.Model m = ModelFile.load(model);
    int[] s = m.network().sizes();
    Table t = CsvReader.read(data, CsvReader.Labels.REQUIRED, labelCol);
    if (t.features() != s[0]) {
      throw new DataFormatException(data + " has " + t.features() + " features per example but " + model + " takes "
          + s[0] + " inputs");
    }
    t.checkLabels(s[s.length - 1], "the model has " + s[s.length - 1] + " outputs");
    double[] x = t.x().clone();
    m.spec().scaling().ifPresent(sc -> FeatureScaling.applyInPlace(sc, x, t.rows()));
    CostGradient g = ReferenceBackprop.costAndGradients(m.network(), m.spec().activation(), m.spec().output(), x,
        t.labels(), lambda);
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    for (int l = 0; l < g.gradients().size(); l++) {
      Matrix d = g.gradients().get(l);
      arrays.put("theta" + (l + 1), NpyArray.float64(new int[] {d.rows(), d.cols()}, d.toRowMajor()));
    }
    arrays.put("cost", NpyArray.float64(new int[0], new double[] {g.cost()}));
    Npz.write(out, arrays, Map.of());
    spec.commandLine().getOut().printf("J = %.10g on %d examples (lambda %s); gradients written to %s%n", g.cost(),
        t.rows(), lambda, out);
    return 0;
  }
}
