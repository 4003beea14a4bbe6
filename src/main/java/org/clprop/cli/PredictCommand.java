package org.clprop.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clprop.Trainer;
import org.clprop.core.MemoryBudget;
import org.clprop.data.CsvReader;
import org.clprop.data.Table;
import org.clprop.io.AtomicFiles;
import org.clprop.io.DataFormatException;
import org.clprop.model.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clprop predict}: class and probabilities for each row of a CSV. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Predict the class and the output probabilities of each example of a CSV file.")
final class PredictCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true, description = "A model written by clprop train --out (.npz).")
  Path model;

  @Option(names = "--data", required = true, description = "CSV of examples: features only, or features and a "
      + "label column (ignored here).")
  Path data;

  @Option(names = "--label-col", defaultValue = "-1", description = "The label column when the file has one and no "
      + "header names it. Default: ${DEFAULT-VALUE}.")
  int labelCol;

  @Option(names = "--out", description = "Write the predictions CSV here (default: standard output).")
  Path out;

  @Mixin
  BackendOptions backendOptions;

  @Mixin
  VerboseOption verbose;

  @Override
  public Integer call() throws IOException {
    backendOptions.kind(spec);
    new FileOptions(spec).reads("--model", model).reads("--data", data).writes("--out", out, true).check();
    ModelFile.Model m = ModelFile.load(model);
    int[] s = m.network().sizes();
    int inputs = s[0];
    int k = s[s.length - 1];
    Table t = CsvReader.readFeatures(data, inputs, labelCol);
    if (t.features() != inputs) {
      throw new DataFormatException(data + " has " + t.features() + " columns but " + model + " takes " + inputs
          + " inputs (a file may also carry one label column)");
    }
    // The rows as float32 and their k probabilities, with their text.
    MemoryBudget.require(4L * t.rows() * (inputs + k) + 32L * t.rows() * k, data + ": predictions for " + t.rows()
        + " examples of " + k + " classes", "use a smaller file");
    float[][] rows = new float[t.rows()][inputs];
    for (int i = 0; i < rows.length; i++) {
      for (int c = 0; c < inputs; c++) {
        rows[i][c] = (float) t.x()[i * inputs + c];
      }
    }
    float[][] p;
    Trainer.Builder b = Trainer.builder().layers(s).initialWeights(m.network()).spec(m.spec());
    try (Trainer tr = backendOptions.apply(spec, b).build()) {
      p = tr.predictProbabilities(rows);
    }
    AtomicFiles.Writer w = os -> {
      Writer wr = new OutputStreamWriter(os, StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder("class");
      for (int j = 0; j < k; j++) {
        head.append(",p").append(j);
      }
      wr.write(head.append('\n').toString());
      for (float[] row : p) {
        StringBuilder line = new StringBuilder(Integer.toString(Trainer.argmax(row, 0, k)));
        for (float v : row) {
          line.append(',').append(v);
        }
        wr.write(line.append('\n').toString());
      }
      wr.flush();
    };
    if (out == null) {
      PrintWriter o = spec.commandLine().getOut();
      java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
      w.write(buf);
      o.print(buf.toString(StandardCharsets.UTF_8));
      o.flush();
    } else {
      AtomicFiles.write(out, w);
      spec.commandLine().getOut().println("predictions for " + p.length + " examples written to " + out);
    }
    return 0;
  }
}
